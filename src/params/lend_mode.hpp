// lend_mode.hpp - the ways a pool lends its idle guarantee, spelled once.
// Copyright (C) 2026 The slurm-aishare authors. GPL-2.0-or-later.
//
// The words of lend_mode_choices are the LendMode parameter's choices (the parser
// and the documentation read them from the table row), the ledger's state file and
// `aishare status`; the enum follows their order.  A new lending mode is one word
// here, one enumerator, and its behaviour in ledger/pool_ledger.cpp.
#ifndef AISHARE_LEND_MODE_HPP
#define AISHARE_LEND_MODE_HPP

#include <string_view>

namespace aishare {

enum class lend_mode { preempt, bounded, none };

inline constexpr const char lend_mode_choices[] = "preempt|bounded|none";

// MODE's word in lend_mode_choices.
std::string_view lend_mode_name(lend_mode mode);

// The mode WORD names (any case); false when it names none.
bool lend_mode_named(std::string_view word, lend_mode &mode);

} // namespace aishare

#endif // AISHARE_LEND_MODE_HPP
