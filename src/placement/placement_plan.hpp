// placement_plan.hpp - how a GPU job should be shaped and where it may be placed.
// Copyright (C) 2026 The slurm-aishare authors. GPL-2.0-or-later.
//
// job_submit/aishare asks this at submission, under slurmctld's job write and node
// read locks, with the nodes of the job's partition.  The plan says whether the job
// becomes whole exclusive nodes of one node class, which switches may hold it (the
// lowest level of the tree that can, preferred first, then the fallback), how many
// leaves a compact placement needs, or, for a request no node set can ever meet,
// the one sentence that refuses it.
#ifndef AISHARE_PLACEMENT_PLAN_HPP
#define AISHARE_PLACEMENT_PLAN_HPP

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fabric/switch_tree.hpp"

namespace aishare {

// One node of the job's partition as slurmctld has it now.  The strings are the
// caller's, only looked at during plan_placement().
struct place_node {
	std::string_view name;     // as in topology.conf
	std::string_view gpu_type; // the type of its GPUs in slurm.conf's Gres=, "" for none
	uint32_t gpus = 0;         // GPUs it has
	uint32_t free_gpus = 0;    // GPUs no job holds
	bool idle = false;         // no job runs on it
	bool up = false;           // not DOWN, DRAIN or FAIL
	bool reclaimable = false;  // busy only with jobs the job's pool may preempt
	double victims = 0;        // those jobs, each counted 1/(its node count)
};

// What the plan makes of a job.
enum class place_kind {
	keep,        // not a GPU job: leave it alone
	whole_nodes, // whole exclusive nodes of one class
	part_nodes,  // GPUs on nodes it may share
	refuse,      // never satisfiable: the refusal says why and what to ask
};

struct placement_request {
	uint64_t gpus_per_job = 0;  // --gpus, 0 when not asked
	uint64_t gpus_per_node = 0; // --gpus-per-node / --gres=gpu:N, 0 when not asked
	std::string gpu_type;       // "" for any
	uint32_t nodes = 0;         // --nodes minimum, 0 when not asked
	bool exclusive = false;
	bool whole_nodes = true;    // WholeNodes=: round large GPU jobs to whole nodes
	std::string partition;      // for messages
};

struct placement {
	place_kind kind = place_kind::keep;
	uint32_t nodes = 0;
	uint32_t gpus_per_node = 0;
	std::string gpu_type;
	std::vector<std::string> switches; // confinement alternatives, best first
	uint32_t ideal_leaves = 0;
	long free_bound = -1;              // fewest leaves holding it now, -1: cannot start now
	std::string refusal;               // set for place_kind::refuse
};

// FABRIC may be null (no topology.conf): the plan then shapes the job only.
placement plan_placement(const switch_tree *fabric, const std::vector<place_node> &nodes,
			 const placement_request &request, std::size_t most_alternatives);

} // namespace aishare

#endif // AISHARE_PLACEMENT_PLAN_HPP
