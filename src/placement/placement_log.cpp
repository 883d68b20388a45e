// placement_log.cpp - one line per started multi-node job, and their sum.
// Copyright (C) 2026 The slurm-aishare authors. GPL-2.0-or-later.
#include "placement/placement_log.hpp"

#include <algorithm>
#include <sstream>
#include <string_view>
#include <unordered_set>

namespace aishare {
namespace {

// KEY=<decimal> at the front of REST; advances REST past it and one space.
bool read_field(std::string_view &rest, std::string_view key, uint64_t &value)
{
	if (rest.substr(0, key.size()) != key || rest.size() <= key.size() ||
	    rest[key.size()] != '=')
		return false;
	rest.remove_prefix(key.size() + 1);
	std::size_t digits = 0;
	value = 0;
	while (digits < rest.size() && rest[digits] >= '0' && rest[digits] <= '9') {
		if (digits == 18)
			return false; // no counter of ours needs more
		value = value * 10 + static_cast<uint64_t>(rest[digits] - '0');
		digits++;
	}
	if (!digits)
		return false;
	rest.remove_prefix(digits);
	if (!rest.empty()) {
		if (rest[0] != ' ')
			return false;
		rest.remove_prefix(1);
	}
	return true;
}

bool parse_line(std::string_view line, placement_record &record)
{
	uint64_t job, start, nodes, leaves, bound, ideal;
	if (!read_field(line, "job", job) || !read_field(line, "start", start) ||
	    !read_field(line, "nodes", nodes) || !read_field(line, "leaves", leaves) ||
	    !read_field(line, "bound", bound) || !read_field(line, "ideal", ideal) ||
	    !line.empty())
		return false;
	if (job > UINT32_MAX || nodes > UINT32_MAX || leaves > nodes || bound > nodes ||
	    ideal > nodes || start > INT64_MAX)
		return false;
	record = {static_cast<uint32_t>(job),   static_cast<int64_t>(start),
		  static_cast<uint32_t>(nodes), static_cast<uint32_t>(leaves),
		  static_cast<uint32_t>(bound), static_cast<uint32_t>(ideal)};
	return true;
}

} // namespace

std::string placement_line(const placement_record &record)
{
	std::ostringstream line;
	line << "job=" << record.job_id << " start=" << std::max<int64_t>(record.start_time, 0)
	     << " nodes=" << record.nodes << " leaves=" << record.leaves
	     << " bound=" << record.free_bound << " ideal=" << record.ideal << "\n";
	return line.str();
}

namespace {

// Calls EACH(record) for every well-formed line of TEXT; returns the malformed count.
template <typename F> uint64_t for_each_record(const std::string &text, F each)
{
	uint64_t malformed = 0;
	std::size_t at = 0;
	while (at < text.size()) {
		std::size_t end = text.find('\n', at);
		std::string_view line(text.data() + at,
				      (end == std::string::npos ? text.size() : end) - at);
		at = end == std::string::npos ? text.size() : end + 1;
		placement_record record;
		if (line.empty())
			continue;
		if (parse_line(line, record))
			each(record);
		else
			malformed++;
	}
	return malformed;
}

} // namespace

bool find_placement(const std::string &text, uint32_t job, placement_record &record)
{
	bool found = false;
	for_each_record(text, [&](const placement_record &r) {
		if (r.job_id == job) {
			record = r;
			found = true;
		}
	});
	return found;
}

placement_summary summarize_placements(const std::string &text)
{
	placement_summary sum;
	sum.malformed = for_each_record(text, [&](const placement_record &record) {
		sum.jobs++;
		sum.at_bound += record.leaves <= record.free_bound;
		sum.at_ideal += record.leaves <= record.ideal;
		sum.leaves_over_bound += record.leaves > record.free_bound ?
						 record.leaves - record.free_bound : 0;
		sum.leaves_over_ideal += record.leaves > record.ideal ? record.leaves - record.ideal : 0;
		sum.last_start = std::max(sum.last_start, record.start_time);
	});
	return sum;
}

placement_record measure_placement(const switch_tree &fabric, const uint8_t *job_nodes,
				   const uint8_t *free_nodes, const uint8_t *class_nodes)
{
	placement_record record;
	std::unordered_set<std::size_t> leaves;
	for (std::size_t node = 0; node < fabric.node_count(); node++) {
		if (!job_nodes[node])
			continue;
		record.nodes++;
		leaves.insert(fabric.leaf_of(node));
	}
	record.leaves = static_cast<uint32_t>(leaves.size());
	// The job's own nodes count as free and as members even if the caller's
	// flags missed them, so both bounds always exist.
	std::vector<uint8_t> free_set(free_nodes, free_nodes + fabric.node_count());
	std::vector<uint8_t> members(class_nodes, class_nodes + fabric.node_count());
	for (std::size_t node = 0; node < fabric.node_count(); node++)
		if (job_nodes[node])
			free_set[node] = members[node] = 1;
	record.free_bound = static_cast<uint32_t>(fabric.leaf_bound(free_set.data(), record.nodes));
	record.ideal = static_cast<uint32_t>(fabric.leaf_bound(members.data(), record.nodes));
	return record;
}

} // namespace aishare
