// param_table.hpp - the declarative tables of policy parameters, one per consumer.
// Copyright (C) 2026 The slurm-aishare authors. GPL-2.0-or-later.
//
// One row per key drives the parser, the C API's documentation rows, the man page and
// `aishare config`.  Defaults and bounds are written as a user would write them and go
// through the same value readers as user input; the unit tests read every one.
#ifndef AISHARE_PARAM_TABLE_HPP
#define AISHARE_PARAM_TABLE_HPP

#include <cstddef>
#include <string>
#include <string_view>

#include "params/param_value.hpp"

namespace aishare {

struct param_row {
	const char *key;           // canonical spelling; matched case-insensitively
	param_type type;
	const char *default_value; // in the type's syntax
	const char *min;           // uint, percent, time: lower bound in the type's syntax
	const char *max;           // ... and upper bound; nullptr for the other types
	const char *choices;       // choice: canonical words, "a|b|c"; else nullptr
	const char *help;          // one line
	// May also be given per pool as Key[partition]=Value, overriding Key for that
	// pool only; the partition must be listed in the table's partitions row.
	bool per_pool = false;
};

struct param_table {
	const param_row *rows;
	std::size_t size;
};

// PrioritySiteFactorParameters, read by the three slurmctld plugins.
extern const param_table controller_params;
// plugstack.conf arguments of the SPANK plugin.
extern const param_table node_params;

// The row of KEY (any case) and its index in TABLE, or nullptr.
const param_row *find_param_row(const param_table &table, std::string_view key,
				std::size_t *index = nullptr);

// "0%..100%", "1:00..7-00:00:00", "preempt|bounded|none", or "" for unbounded types.
std::string param_range_text(const param_row &row);

// "bool", "integer", "percent", "time", "choice", "path", "partitions"; nullptr if unknown.
const char *param_type_name(param_type type);

} // namespace aishare

#endif // AISHARE_PARAM_TABLE_HPP
