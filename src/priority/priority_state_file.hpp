// priority_state_file.hpp - each pending job's priority terms on disk, for
// `aishare explain`.
// Copyright (C) 2026 The slurm-aishare authors. GPL-2.0-or-later.
//
// site_factor/aishare rewrites StateSaveLocation/aishare_priority.state after every
// pass (atomically: temporary file, fsync, rename).  The aishare command runs where
// slurmctld's private records are out of reach: Slurm's public API shows a job's
// site factor (sprio's SITE) but not the grant, usage and pool figures behind it,
// and recomputing them in the client would explain a number slurmctld never used.
// The file is text, one job per line, closed by a checksum line.
#ifndef AISHARE_PRIORITY_STATE_FILE_HPP
#define AISHARE_PRIORITY_STATE_FILE_HPP

#include <cstdint>
#include <map>
#include <string>

#include "priority/priority_model.hpp"

namespace aishare {

struct priority_state {
	std::int64_t time = 0; // when the pass ran
	priority_weights weights;
	std::map<std::uint32_t, priority_terms> jobs;
};

std::string format_priority_state(const priority_state &state);

// Throws std::invalid_argument "line N: problem" for a damaged text.
priority_state parse_priority_state(const std::string &text);

// One job's terms with their inputs and formulas, as text or JSON.
std::string explain_priority(const priority_state &state, const priority_terms &terms, bool json);

} // namespace aishare

#endif // AISHARE_PRIORITY_STATE_FILE_HPP
