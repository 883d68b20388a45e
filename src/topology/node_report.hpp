// node_report.hpp - `aishare topo show` and `aishare topo gres` over a node set.
// Copyright (C) 2026 The slurm-aishare authors. GPL-2.0-or-later.
#ifndef AISHARE_NODE_REPORT_HPP
#define AISHARE_NODE_REPORT_HPP

#include <string>

#include "topology/node_set.hpp"

namespace aishare {

// Classes with their nodes, then each node's GPUs, NICs and cores; text or JSON.
std::string node_set_report(const node_set &set, bool json);

// One gres.conf line (or JSON object) per GPU.  FILE_PREFIX ("/dev/nvidia")
// names NVIDIA GPUs' device files; other vendors' GPUs get their DRM render node
// when the XML shows it, and are written commented out with the reason when not.
std::string node_set_gres(const node_set &set, const std::string &file_prefix, bool json);

} // namespace aishare

#endif // AISHARE_NODE_REPORT_HPP
