// sim_score.hpp - the metrics of `aishare sim`, computed the same way for the
// simulator's records and for those bench/replay.py takes from a real Slurm.
// Copyright (C) 2026 The slurm-aishare authors. GPL-2.0-or-later.
#ifndef AISHARE_SIM_SCORE_HPP
#define AISHARE_SIM_SCORE_HPP

#include <cstdint>
#include <string>
#include <vector>

#include "sim/sim_engine.hpp"
#include "sim/sim_trace.hpp"
#include "fabric/switch_tree.hpp"

namespace aishare {

// The metrics of a set of records (aishare(1), SIM, defines each).  Percentiles
// are nearest-rank; a metric with nothing to measure is NaN (JSON null).
struct sim_score {
	double horizon = 0; // trace seconds
	std::uint64_t pool_jobs = 0, general_jobs = 0, not_started = 0;
	double pool_wait_p50 = 0, pool_wait_p95 = 0; // seconds
	double general_wait_p50 = 0, general_wait_p95 = 0;
	double utilisation = 0, ceiling = 0, utilisation_ratio = 0;
	std::uint64_t multi_node_jobs = 0, at_bound = 0, at_ideal = 0;
	double share_at_bound = 0, share_at_ideal = 0;
	double leaves_over_bound = 0, leaves_over_ideal = 0; // means over multi-node jobs
	std::uint64_t reclaims = 0, reclaimed_starts = 0, over_bound = 0;
	double reclaim_latency_p50 = 0, reclaim_latency_max = 0;
	double reclaim_bound = 0; // NaN without preemption
	std::uint64_t startup_accounts = 0;
	double jain = 0;
};

// HORIZON 0: the last end (or start) in RECORDS.  Throws std::invalid_argument
// for a record naming a node FABRIC does not have.
sim_score score_records(const switch_tree &fabric, const std::vector<sim_record> &records,
			const sim_cluster &cluster, std::uint32_t gpus_per_node, double horizon);

std::string score_text(const sim_score &score, bool json);

// gpus_busy.svg and wait_cdf.svg in DIR; throws std::runtime_error naming a file.
void write_plots(const std::vector<sim_record> &records, const sim_cluster &cluster,
		 std::uint32_t gpus_per_node, std::size_t nodes, double horizon,
		 const std::string &dir);

// The horizon HORIZON stands for over RECORDS (see score_records).
double score_horizon(const std::vector<sim_record> &records, double horizon);

} // namespace aishare

#endif // AISHARE_SIM_SCORE_HPP
