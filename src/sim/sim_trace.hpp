// sim_trace.hpp - `aishare sim`'s inputs and outputs as text: the job trace it
// replays and the per-job records it writes (and scores, from anyone).
// Copyright (C) 2026 The slurm-aishare authors. GPL-2.0-or-later.
//
// Both are CSV files a person or a script (bench/make_trace.py, bench/replay.py)
// writes; every value is untrusted.  A bad line refuses the whole file with one
// message naming the origin, the line, the column and the value, never a crash.
#ifndef AISHARE_SIM_TRACE_HPP
#define AISHARE_SIM_TRACE_HPP

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace aishare {

// Limits against abuse: the file, the jobs in it, and any one time value.
constexpr std::size_t sim_max_text = 256u << 20;
constexpr std::size_t sim_max_jobs = 2000000;
constexpr double sim_max_seconds = 1e10;

// One job of a trace: `id,submit,account,partition,nodes,gpus,duration,time_limit`.
struct sim_job {
	std::uint32_t id = 0;
	std::int64_t submit = 0;      // seconds from the trace's start
	std::string account, partition;
	std::uint32_t nodes = 0;      // 0: only --gpus=G asked; else -N nodes
	std::uint32_t gpus = 0;       // in all
	std::int64_t duration = 0;    // seconds it runs
	std::int64_t time_limit = 0;  // seconds, >= duration
};

// Throws std::invalid_argument "ORIGIN:LINE: column COLUMN: value 'V': problem".
std::vector<sim_job> parse_trace(const std::string &text, const std::string &origin);

// One job's outcome: `id,account,partition,nodes,gpus,duration,submit,start,end,
// preemptions,reclaim_latency,nodelist`, times in trace seconds, -1 for "never".
struct sim_record {
	std::uint32_t id = 0;
	std::string account, partition;
	std::uint32_t nodes = 0, gpus = 0;
	double duration = 0, submit = 0, start = -1, end = -1;
	std::uint32_t preemptions = 0;
	double reclaim_latency = -1;
	std::vector<std::string> nodelist; // of its last run
};

std::vector<sim_record> parse_records(const std::string &text, const std::string &origin);
std::string format_records(const std::vector<sim_record> &records);

} // namespace aishare

#endif // AISHARE_SIM_TRACE_HPP
