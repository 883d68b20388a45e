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

#include "pool_ledger.hpp"

namespace aishare {

using ledger_histories = std::map<std::string, pool_history>; // by pool partition

std::string format_ledger_state(const ledger_histories &histories);

// Throws std::invalid_argument "line N: problem" for a damaged text.
ledger_histories parse_ledger_state(const std::string &text);

} // namespace aishare

#endif // AISHARE_LEDGER_STATE_FILE_HPP
