// ledger_state_file.hpp - the pool ledger's history on disk.
// Copyright (C) 2026 The slurm-aishare authors. GPL-2.0-or-later.
//
// Only history is stored (reclaims, their latency, a reclaim in flight): usage and
// lending are recomputed from Slurm's job records at every snapshot, so a missing
// or damaged file loses counters, never jobs.  The file is text, one pool per line,
// closed by a checksum line so that a torn or edited file is refused as a whole.
#ifndef AISHARE_LEDGER_STATE_FILE_HPP
#define AISHARE_LEDGER_STATE_FILE_HPP

#include <map>
#include <string>

#include "ledger/pool_ledger.hpp"

namespace aishare {

using ledger_histories = std::map<std::string, pool_history>; // by pool partition

// What the plugin writes: the parameters in force (their summary line, because
// Slurm 22.05 does not send PrioritySiteFactorParameters to clients, so the
// aishare command learns them here) and each pool's history.
struct ledger_state {
	std::string params;
	ledger_histories pools;
};

std::string format_ledger_state(const ledger_state &state);

// Throws std::invalid_argument "line N: problem" for a damaged text.
ledger_state parse_ledger_state(const std::string &text);

} // namespace aishare

#endif // AISHARE_LEDGER_STATE_FILE_HPP
