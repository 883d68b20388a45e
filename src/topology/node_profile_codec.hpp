// node_profile_codec.hpp - a node profile as bytes, between the hwloc worker and us.
// Copyright (C) 2026 The slurm-aishare authors. GPL-2.0-or-later.
//
// The worker process reads node XML with hwloc and sends back the profile; the
// reader checks every length against what it received, so a worker that died
// mid-write or wrote nonsense gives an error, never an overrun.
#ifndef AISHARE_NODE_PROFILE_CODEC_HPP
#define AISHARE_NODE_PROFILE_CODEC_HPP

#include <string>

#include "topology/node_profile.hpp"

namespace aishare {

std::string encode_node_profile(const node_profile &profile);

// Throws std::invalid_argument when BYTES is not a whole encoded profile.
node_profile decode_node_profile(const std::string &bytes);

} // namespace aishare

#endif // AISHARE_NODE_PROFILE_CODEC_HPP
