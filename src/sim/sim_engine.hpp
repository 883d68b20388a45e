// sim_engine.hpp - `aishare sim`: a trace-driven discrete-event simulation of a
// GPU cluster under Slurm 22.05 (sched/backfill, select/cons_tres,
// topology/tree), either stock (B1, B3) or with the aishare plugins (P), through
// the same core classes the plugins run: pool_ledger, plan_placement and
// switch_tree, priority_model.
// Copyright (C) 2026 The slurm-aishare authors. GPL-2.0-or-later.
//
// The model, and every simplification of it, is described at the top of
// sim_engine.cpp and in aishare(1), SIM.
#ifndef AISHARE_SIM_ENGINE_HPP
#define AISHARE_SIM_ENGINE_HPP

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "sim/sim_trace.hpp"
#include "fabric/switch_tree.hpp"

namespace aishare {

enum class sim_config { b1, b3, p };

struct sim_settings {
	sim_config config = sim_config::p;
	std::string params;             // controller parameter text (Pools=, Share=, ...)
	std::uint32_t gpus_per_node = 8;
	double speedup = 1;             // trace seconds per wall second of the replay
	double horizon = 0;             // 0: until every job ended
	double requeue_delay = 6;       // wall seconds before a requeued job may run again
	std::map<std::string, double> grants; // account -> GPU-minutes (wall); empty: default
};

// The partitions of a configuration over FABRIC's nodes, and what the scorer
// needs of the policy.  Throws std::invalid_argument on bad parameters.
struct sim_cluster {
	std::string pool;                // the pool partition (first of Pools=)
	std::string general = "gpu";
	std::vector<std::uint8_t> pool_nodes, general_nodes; // per fabric node
	double share = 0;
	bool preemption = false;         // B1 and P
	double reclaim_bound = -1;       // trace seconds, -1: no preemption

	static sim_cluster of(const switch_tree &fabric, const sim_settings &settings);
	const std::vector<std::uint8_t> &nodes_of(const std::string &partition) const
	{
		return partition == pool ? pool_nodes : general_nodes;
	}
};

// Replays JOBS; throws std::invalid_argument naming what is wrong with the inputs.
std::vector<sim_record> run_simulation(const switch_tree &fabric, const std::vector<sim_job> &jobs,
				       const sim_settings &settings);

} // namespace aishare

#endif // AISHARE_SIM_ENGINE_HPP
