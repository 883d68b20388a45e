// topology_conf.hpp - the fabric source of `aishare topo` and `aishare sim`:
// Slurm's topology.conf, read into switch entries.
// Copyright (C) 2026 The slurm-aishare authors. GPL-2.0-or-later.
#ifndef AISHARE_TOPOLOGY_CONF_HPP
#define AISHARE_TOPOLOGY_CONF_HPP

#include <cstddef>
#include <string>
#include <vector>

#include "fabric/hostlist_expander.hpp"
#include "fabric/switch_entry.hpp"

namespace aishare {

// The topology.conf limit: a larger file is refused before it is read.
constexpr std::size_t max_topology_conf_bytes = 16u << 20;

// The SwitchName lines of TEXT in file order.  Throws std::invalid_argument with
// every syntax error ("ORIGIN:LINE: problem", joined by "; "); an empty text is
// one (a failed copy, not a site without switches).
std::vector<switch_entry> read_topology_conf(const std::string &text, const std::string &origin,
					     const hostlist_expander &expander);
// Reads PATH first (refusing a file over max_topology_conf_bytes before reading
// it); throws std::invalid_argument naming PATH.
std::vector<switch_entry> load_topology_conf(const std::string &path,
					     const hostlist_expander &expander);

} // namespace aishare

#endif // AISHARE_TOPOLOGY_CONF_HPP
