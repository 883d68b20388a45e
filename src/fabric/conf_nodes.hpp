// conf_nodes.hpp - the nodes slurm.conf defines, and the GPUs their Gres= gives.
// Copyright (C) 2026 The slurm-aishare authors. GPL-2.0-or-later.
//
// For `aishare topo check` only: it compares slurm.conf with topology.conf and
// with each node's hwloc XML.  The plugins never read slurm.conf themselves;
// inside slurmctld Slurm's own node table is the truth.
#ifndef AISHARE_CONF_NODES_HPP
#define AISHARE_CONF_NODES_HPP

#include <cstdint>
#include <string>
#include <vector>

#include "fabric/hostlist_expander.hpp"

namespace aishare {

struct conf_node {
	std::string name;
	uint32_t gpus = 0;
};

// The NodeName lines of slurm.conf TEXT (ORIGIN names it in messages), in file
// order.  Throws std::invalid_argument with every error ("ORIGIN:LINE: problem").
std::vector<conf_node> parse_conf_nodes(const std::string &text, const std::string &origin,
					const hostlist_expander &expander);
// The same for the file at PATH; throws std::invalid_argument naming PATH.
std::vector<conf_node> load_conf_nodes(const std::string &path,
				       const hostlist_expander &expander);

// The GPUs of a Gres= value ("gpu:4", "gpu:a100:4(S:0-1),nic:1"); false and
// PROBLEM when a count is not a number.
bool gres_gpu_count(const std::string &gres, uint32_t &gpus, std::string &problem);

} // namespace aishare

#endif // AISHARE_CONF_NODES_HPP
