// fuzz_params.cpp - libFuzzer target: the parameter parser, both tables.
// Copyright (C) 2026 The slurm-aishare authors. GPL-2.0-or-later.
//
// Through the C API, as the plugins call it: any byte string must parse or fail
// with a message, never crash, leak or read out of bounds; a string that parses
// must give a summary that parses again to the same summary.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

#include "aishare.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	// The first byte picks the table; the rest is the string (NUL ends it, as in C).
	aishare_param_table_t table = (data[0] & 1) ? AISHARE_PARAMS_NODE : AISHARE_PARAMS_CONTROLLER;
	std::string text(reinterpret_cast<const char *>(data + 1), size - 1);
	char *errors = nullptr;
	aishare_params_t *params = aishare_params_parse(table, text.c_str(), &errors);
	if (!params) {
		if (!errors)
			abort(); // every refusal must say why
		free(errors);
		return 0;
	}
	char *summary = aishare_params_summary(params);
	if (!summary)
		abort();
	// The summary, turned back into a string, must read back to itself.
	std::string again(summary);
	for (char &c : again)
		if (c == ' ')
			c = ',';
	aishare_params_t *reread = aishare_params_parse(table, again.c_str(), nullptr);
	if (!reread)
		abort();
	char *summary2 = aishare_params_summary(reread);
	if (!summary2 || strcmp(summary, summary2) != 0)
		abort();
	if (table == AISHARE_PARAMS_CONTROLLER) {
		aishare_ledger_t *ledger = aishare_ledger_create(params, nullptr);
		if (!ledger)
			abort();
		aishare_ledger_free(ledger);
	}
	free(summary2);
	free(summary);
	aishare_params_free(reread);
	aishare_params_free(params);
	return 0;
}
