// placement_log.hpp - how compactly multi-node jobs were placed, one line per job.
// Copyright (C) 2026 The slurm-aishare authors. GPL-2.0-or-later.
//
// job_submit/aishare appends a line when a multi-node job starts; `aishare status`
// sums the file up.  The file is untrusted input: a line that does not parse is
// counted and passed over, never fatal.
#ifndef AISHARE_PLACEMENT_LOG_HPP
#define AISHARE_PLACEMENT_LOG_HPP

#include <cstdint>
#include <string>

#include "fabric/switch_tree.hpp"

namespace aishare {

// One started multi-node job: the leaf switches it spans against the fewest that
// could have held it.
struct placement_record {
	uint32_t job_id = 0;
	int64_t start_time = 0;
	uint32_t nodes = 0;
	uint32_t leaves = 0;     // leaf switches its nodes span
	uint32_t free_bound = 0; // fewest leaves holding it among the free nodes at start
	uint32_t ideal = 0;      // fewest leaves holding it on an empty machine
};

// The log summed up.
struct placement_summary {
	uint64_t jobs = 0;              // multi-node jobs recorded
	uint64_t at_bound = 0;          // placed on the free-set bound (or better)
	uint64_t at_ideal = 0;          // placed on the ideal
	uint64_t leaves_over_bound = 0; // sum of leaves beyond the bound
	uint64_t leaves_over_ideal = 0; // sum of leaves beyond the ideal
	uint64_t malformed = 0;         // lines passed over
	int64_t last_start = 0;         // the latest start recorded, 0: none
};

// "job=42 start=1795676390 nodes=4 leaves=2 bound=1 ideal=1\n"
std::string placement_line(const placement_record &record);

// Sums up the log's TEXT.
placement_summary summarize_placements(const std::string &text);

// The last well-formed record of JOB in the log's TEXT; false (RECORD untouched)
// when there is none.
bool find_placement(const std::string &text, uint32_t job, placement_record &record);

// The record of a job on FABRIC, all but job_id and start_time: JOB_NODES,
// FREE_NODES (free when it started) and CLASS_NODES (its node class) flag fabric
// nodes; the job's own nodes count as free and as members whatever the flags say.
placement_record measure_placement(const switch_tree &fabric, const uint8_t *job_nodes,
				   const uint8_t *free_nodes, const uint8_t *class_nodes);

} // namespace aishare

#endif // AISHARE_PLACEMENT_LOG_HPP
