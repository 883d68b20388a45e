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

#include "aishare.h"
#include "fabric/switch_tree.hpp"

namespace aishare {

// "job=42 start=1795676390 nodes=4 leaves=2 bound=1 ideal=1\n"
std::string placement_line(const aishare_placement_record_t &record);

// Sums up the log's TEXT.
aishare_placement_summary_t summarize_placements(const std::string &text);

// The last well-formed record of JOB in the log's TEXT; false when there is none.
bool find_placement(const std::string &text, uint32_t job, aishare_placement_record_t &record);

// The record of a job on the flagged fabric nodes (see aishare_fabric_measure).
aishare_placement_record_t measure_placement(const switch_tree &fabric, const uint8_t *job_nodes,
					     const uint8_t *free_nodes, const uint8_t *class_nodes);

} // namespace aishare

#endif // AISHARE_PLACEMENT_LOG_HPP
