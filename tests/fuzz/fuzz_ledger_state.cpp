// fuzz_ledger_state.cpp - libFuzzer target: the pool ledger's state file reader.
// Copyright (C) 2026 The slurm-aishare authors. GPL-2.0-or-later.
//
// slurmctld reads this file at start; a damaged one must be refused with a reason,
// and an accepted one must write back to the same text.
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "ledger/ledger_state_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	std::string text(reinterpret_cast<const char *>(data), size);
	aishare::ledger_state state;
	try {
		state = aishare::parse_ledger_state(text);
	} catch (const std::invalid_argument &refused) {
		if (!*refused.what())
			abort();
		return 0;
	}
	// Accepted: formatting and reading again is stable.
	std::string again = aishare::format_ledger_state(state);
	if (aishare::format_ledger_state(aishare::parse_ledger_state(again)) != again)
		abort();
	return 0;
}
