// sim_trace.cpp - read job traces and job records, write job records.
// Copyright (C) 2026 The slurm-aishare authors. GPL-2.0-or-later.
#include "sim/sim_trace.hpp"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <unordered_set>

namespace aishare {
namespace {

const char trace_header[] = "id,submit,account,partition,nodes,gpus,duration,time_limit";
const char records_header[] =
	"id,account,partition,nodes,gpus,duration,submit,start,end,preemptions,reclaim_latency,nodelist";

// The line being read, for messages.
struct cursor {
	const std::string &origin;
	std::size_t line;
	const std::vector<std::string> *names;

	[[noreturn]] void refuse(std::size_t column, const std::string &value,
				 const std::string &problem) const
	{
		std::string shown = value.size() > 40 ? value.substr(0, 40) + "..." : value;
		for (char &c : shown)
			if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7e)
				c = '?';
		throw std::invalid_argument(origin + ":" + std::to_string(line) + ": column " +
					    (*names)[column] + ": value '" + shown + "': " + problem);
	}
};

std::vector<std::string> split(const std::string &line)
{
	std::vector<std::string> fields;
	std::size_t from = 0;
	while (true) {
		std::size_t comma = line.find(',', from);
		fields.push_back(line.substr(from, comma == std::string::npos ? std::string::npos
									       : comma - from));
		if (comma == std::string::npos)
			return fields;
		from = comma + 1;
	}
}

std::uint64_t read_uint(const cursor &at, std::size_t column, const std::string &text,
			std::uint64_t most)
{
	std::uint64_t value = 0;
	auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
	if (text.empty() || ec != std::errc() || end != text.data() + text.size())
		at.refuse(column, text, "not an unsigned integer");
	if (value > most)
		at.refuse(column, text, "larger than " + std::to_string(most));
	return value;
}

// A time of the records: a decimal number of seconds >= 0, or -1 for "never".
double read_time(const cursor &at, std::size_t column, const std::string &text, bool never_ok)
{
	if (text.empty() || text.size() > 32 ||
	    text.find_first_not_of("0123456789.-+eE") != std::string::npos)
		at.refuse(column, text, "not a number of seconds");
	char *end = nullptr;
	double value = std::strtod(text.c_str(), &end);
	if (end != text.c_str() + text.size() || !std::isfinite(value))
		at.refuse(column, text, "not a number of seconds");
	if (never_ok && value == -1)
		return -1;
	if (value < 0 || value > sim_max_seconds)
		at.refuse(column, text,
			  never_ok ? "neither -1 nor a time between 0 and 1e10 s"
				   : "not a time between 0 and 1e10 s");
	return value;
}

void check_name(const cursor &at, std::size_t column, const std::string &text)
{
	if (text.empty() || text.size() > 64)
		at.refuse(column, text, "must be 1 to 64 characters");
	for (char c : text)
		if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' ||
		      c == '-'))
			at.refuse(column, text, "only letters, digits, '_', '.' and '-' are allowed");
}

std::string read_name(const cursor &at, std::size_t column, const std::string &text)
{
	check_name(at, column, text);
	return text;
}

// A job id, unique in its file (IDS: those seen so far).
std::uint32_t read_id(const cursor &at, std::size_t column, const std::string &text,
		      std::unordered_set<std::uint32_t> &ids)
{
	auto id = static_cast<std::uint32_t>(read_uint(at, column, text, UINT32_MAX));
	if (!ids.insert(id).second)
		at.refuse(column, text, "job id given twice");
	return id;
}

// Nodes and GPUs: counts within sane bounds.
std::uint32_t read_count(const cursor &at, std::size_t column, const std::string &text,
			 std::uint32_t most)
{
	return static_cast<std::uint32_t>(read_uint(at, column, text, most));
}

// Calls ROW(cursor, fields) for every data line of TEXT after HEADER.
template <typename F>
void each_row(const std::string &text, const std::string &origin, const char *header,
	      std::size_t columns, F row)
{
	if (text.size() > sim_max_text)
		throw std::invalid_argument(origin + ": larger than " +
					    std::to_string(sim_max_text >> 20) + " MiB");
	std::vector<std::string> names = split(header);
	bool seen_header = false;
	std::size_t rows = 0, from = 0, number = 0;
	while (from < text.size()) {
		std::size_t newline = text.find('\n', from);
		std::string line = text.substr(from, newline == std::string::npos ? std::string::npos
										  : newline - from);
		from = newline == std::string::npos ? text.size() : newline + 1;
		number++;
		if (!line.empty() && line.back() == '\r')
			line.pop_back();
		if (line.empty() || line[0] == '#')
			continue;
		if (!seen_header) {
			if (line != header)
				throw std::invalid_argument(origin + ":" + std::to_string(number) +
							    ": the header must be '" + header + "'");
			seen_header = true;
			continue;
		}
		std::vector<std::string> fields = split(line);
		cursor at{origin, number, &names};
		if (fields.size() != columns)
			throw std::invalid_argument(origin + ":" + std::to_string(number) + ": " +
						    std::to_string(fields.size()) + " columns, " +
						    std::to_string(columns) + " expected");
		if (++rows > sim_max_jobs)
			throw std::invalid_argument(origin + ":" + std::to_string(number) +
						    ": more than " + std::to_string(sim_max_jobs) +
						    " jobs");
		row(at, fields);
	}
	if (!seen_header)
		throw std::invalid_argument(origin + ": no header line '" + header + "'");
}

std::string seconds_text(double value)
{
	char text[40];
	if (value == std::floor(value) && std::fabs(value) < 1e15)
		std::snprintf(text, sizeof(text), "%.0f", value);
	else
		std::snprintf(text, sizeof(text), "%.3f", value);
	return text;
}

} // namespace

std::vector<sim_job> parse_trace(const std::string &text, const std::string &origin)
{
	std::vector<sim_job> jobs;
	std::unordered_set<std::uint32_t> ids;
	const std::int64_t most = static_cast<std::int64_t>(sim_max_seconds);
	each_row(text, origin, trace_header, 8, [&](const cursor &at, const std::vector<std::string> &f) {
		sim_job job;
		job.id = read_id(at, 0, f[0], ids);
		job.submit = static_cast<std::int64_t>(read_uint(at, 1, f[1], most));
		if (!jobs.empty() && job.submit < jobs.back().submit)
			at.refuse(1, f[1], "rows must be sorted by submit time (previous " +
						   std::to_string(jobs.back().submit) + ")");
		job.account = read_name(at, 2, f[2]);
		job.partition = read_name(at, 3, f[3]);
		job.nodes = read_count(at, 4, f[4], 1000000);
		job.gpus = read_count(at, 5, f[5], 100000000);
		if (job.gpus == 0)
			at.refuse(5, f[5], "a job asks at least one GPU");
		if (job.nodes && job.gpus % job.nodes)
			at.refuse(5, f[5], "not divisible by the " + std::to_string(job.nodes) +
						   " nodes asked");
		job.duration = static_cast<std::int64_t>(read_uint(at, 6, f[6], most));
		if (job.duration == 0)
			at.refuse(6, f[6], "a job runs at least 1 s");
		job.time_limit = static_cast<std::int64_t>(read_uint(at, 7, f[7], most));
		if (job.time_limit < job.duration)
			at.refuse(7, f[7], "shorter than the duration " + f[6]);
		jobs.push_back(std::move(job));
	});
	return jobs;
}

std::vector<sim_record> parse_records(const std::string &text, const std::string &origin)
{
	std::vector<sim_record> records;
	std::unordered_set<std::uint32_t> ids;
	each_row(text, origin, records_header, 12, [&](const cursor &at, const std::vector<std::string> &f) {
		sim_record r;
		r.id = read_id(at, 0, f[0], ids);
		r.account = read_name(at, 1, f[1]);
		r.partition = read_name(at, 2, f[2]);
		r.nodes = read_count(at, 3, f[3], 1000000);
		r.gpus = read_count(at, 4, f[4], 100000000);
		r.duration = read_time(at, 5, f[5], false);
		r.submit = read_time(at, 6, f[6], false);
		r.start = read_time(at, 7, f[7], true);
		r.end = read_time(at, 8, f[8], true);
		if (r.start >= 0 && r.start < r.submit)
			at.refuse(7, f[7], "before the submit time " + f[6]);
		if (r.end >= 0 && (r.start < 0 || r.end < r.start))
			at.refuse(8, f[8], "an end without a start, or before it");
		r.preemptions = static_cast<std::uint32_t>(read_uint(at, 9, f[9], 1000000));
		r.reclaim_latency = read_time(at, 10, f[10], true);
		std::size_t from = 0;
		const std::string &list = f[11];
		while (from < list.size()) {
			std::size_t space = list.find(' ', from);
			std::string name = list.substr(from, space == std::string::npos ? std::string::npos
											   : space - from);
			from = space == std::string::npos ? list.size() : space + 1;
			if (name.empty())
				continue;
			r.nodelist.push_back(read_name(at, 11, name));
		}
		if (r.start >= 0 && r.nodelist.empty())
			at.refuse(11, f[11], "a started job needs its nodes");
		records.push_back(std::move(r));
	});
	return records;
}

std::string format_records(const std::vector<sim_record> &records)
{
	std::string text = std::string(records_header) + "\n";
	for (const sim_record &r : records) {
		text += std::to_string(r.id) + "," + r.account + "," + r.partition + "," +
			std::to_string(r.nodes) + "," + std::to_string(r.gpus) + "," +
			seconds_text(r.duration) + "," + seconds_text(r.submit) + "," +
			seconds_text(r.start) + "," + seconds_text(r.end) + "," +
			std::to_string(r.preemptions) + "," + seconds_text(r.reclaim_latency) + ",";
		for (std::size_t i = 0; i < r.nodelist.size(); i++)
			text += (i ? " " : "") + r.nodelist[i];
		text += "\n";
	}
	return text;
}

} // namespace aishare
