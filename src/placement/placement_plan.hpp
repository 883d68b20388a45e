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
#include <vector>

#include "aishare.h"
#include "fabric/switch_tree.hpp"

namespace aishare {

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
	aishare_place_kind_t kind = AISHARE_PLACE_KEEP;
	uint32_t nodes = 0;
	uint32_t gpus_per_node = 0;
	std::string gpu_type;
	std::vector<std::string> switches; // confinement alternatives, best first
	uint32_t ideal_leaves = 0;
	long free_bound = -1;              // fewest leaves holding it now, -1: cannot start now
	std::string refusal;               // set for AISHARE_PLACE_REFUSE
};

// FABRIC may be null (no topology.conf): the plan then shapes the job only.
placement plan_placement(const switch_tree *fabric, const aishare_place_node_t *nodes,
			 std::size_t count, const placement_request &request,
			 std::size_t most_alternatives);

} // namespace aishare

#endif // AISHARE_PLACEMENT_PLAN_HPP
