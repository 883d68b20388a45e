// c_api_placement.cpp - the extern "C" placement functions of aishare.h.
// Copyright (C) 2026 The slurm-aishare authors. GPL-2.0-or-later.
//
// The plan is asked by job_submit/aishare for every GPU job at submission, with
// slurmctld's job write and node read locks held; the measure by its watcher
// thread for every multi-node job that starts; the summary by `aishare status`.
#include "aishare.h"

#include <cstdlib>
#include <stdexcept>

#include "capi/c_api_fabric.hpp"
#include "capi/c_api_support.hpp"
#include "base/file_io.hpp"
#include "placement/gpu_request.hpp"
#include "placement/placement_log.hpp"
#include "placement/placement_plan.hpp"

namespace {

char *joined(const std::vector<std::string> &names)
{
	std::string text;
	for (const std::string &name : names)
		text += (text.empty() ? "" : ",") + name;
	return aishare::c_string(text);
}

// The C caller's node as the plan's: a NULL string reads as "", a nonzero int as
// true.  The strings stay the caller's.
aishare::place_node node_of(const aishare_place_node_t &node)
{
	aishare::place_node out;
	out.name = node.name ? node.name : "";
	out.gpu_type = node.gpu_type ? node.gpu_type : "";
	out.gpus = node.gpus;
	out.free_gpus = node.free_gpus;
	out.idle = node.idle != 0;
	out.up = node.up != 0;
	out.reclaimable = node.reclaimable != 0;
	out.victims = node.victims;
	return out;
}

// The plan's kind as the C API's enumerator.
aishare_place_kind_t kind_of(aishare::place_kind kind)
{
	switch (kind) {
	case aishare::place_kind::keep:
		return AISHARE_PLACE_KEEP;
	case aishare::place_kind::whole_nodes:
		return AISHARE_PLACE_WHOLE_NODES;
	case aishare::place_kind::part_nodes:
		return AISHARE_PLACE_PART_NODES;
	case aishare::place_kind::refuse:
		return AISHARE_PLACE_REFUSE;
	}
	return AISHARE_PLACE_REFUSE; // not reached: every kind is above
}

// Records and summaries field by field.  Each pair holds the same fields in the
// same order: a field added to one side only changes its size.
static_assert(sizeof(aishare_placement_record_t) == sizeof(aishare::placement_record),
	      "aishare_placement_record_t and aishare::placement_record differ");
static_assert(sizeof(aishare_placement_summary_t) == sizeof(aishare::placement_summary),
	      "aishare_placement_summary_t and aishare::placement_summary differ");

// One record as the other kind: both hold the same fields under the same names.
template <typename To, typename From> To convert_record(const From &record)
{
	To out{};
	out.job_id = record.job_id;
	out.start_time = record.start_time;
	out.nodes = record.nodes;
	out.leaves = record.leaves;
	out.free_bound = record.free_bound;
	out.ideal = record.ideal;
	return out;
}

aishare_placement_summary_t c_summary(const aishare::placement_summary &summary)
{
	aishare_placement_summary_t out{};
	out.jobs = summary.jobs;
	out.at_bound = summary.at_bound;
	out.at_ideal = summary.at_ideal;
	out.leaves_over_bound = summary.leaves_over_bound;
	out.leaves_over_ideal = summary.leaves_over_ideal;
	out.malformed = summary.malformed;
	out.last_start = summary.last_start;
	return out;
}

} // namespace

int aishare_place_plan(const aishare_fabric_t *fabric, const aishare_place_node_t *nodes,
		       size_t count, const aishare_place_request_t *request,
		       size_t most_alternatives, aishare_place_plan_t *plan)
{
	if (!request || !plan || (count && !nodes))
		return aishare::invalid(-1);
	*plan = aishare_place_plan_t{};
	plan->free_bound = -1;
	return aishare::guarded(-1, [&] {
		aishare::placement_request asked;
		asked.nodes = request->nodes;
		asked.exclusive = request->exclusive;
		asked.whole_nodes = request->whole_nodes;
		asked.partition = request->partition ? request->partition : "(default)";
		std::vector<aishare::place_node> partition_nodes;
		partition_nodes.reserve(count);
		for (size_t i = 0; i < count; i++)
			partition_nodes.push_back(node_of(nodes[i]));
		aishare::placement result;
		try {
			aishare::gpu_count per_job = aishare::parse_gpu_tres(request->tres_per_job);
			aishare::gpu_count per_node = aishare::parse_gpu_tres(request->tres_per_node);
			asked.gpus_per_job = per_job.count;
			asked.gpus_per_node = per_node.count;
			asked.gpu_type = !per_job.type.empty() ? per_job.type : per_node.type;
			result = aishare::plan_placement(fabric ? &fabric->tree : nullptr,
							 partition_nodes, asked, most_alternatives);
		} catch (const std::invalid_argument &bad) {
			result.kind = aishare::place_kind::refuse;
			result.refusal = std::string("aishare: ") + bad.what() +
					 "; ask with --gpus=N or --gpus-per-node=[type:]N";
		}
		aishare_place_plan_t filled{};
		try {
			filled.kind = kind_of(result.kind);
			filled.nodes = result.nodes;
			filled.gpus_per_node = result.gpus_per_node;
			filled.ideal_leaves = result.ideal_leaves;
			filled.free_bound = result.free_bound;
			filled.gpu_type = aishare::c_string(result.gpu_type);
			if (fabric)
				filled.switches = joined(result.switches);
			if (!result.refusal.empty())
				filled.message = aishare::c_string(result.refusal);
		} catch (...) {
			aishare_place_plan_clear(&filled);
			throw;
		}
		*plan = filled;
		return 0;
	});
}

uint64_t aishare_gpus_in_list(const char *list)
{
	if (!list)
		return 0;
	return aishare::guarded<uint64_t>(0, [&] {
		uint64_t total = 0;
		const std::string text(list);
		std::string::size_type start = 0, end;
		do {
			end = text.find_first_of(",;", start);
			std::string entry = text.substr(start, end - start); // npos: the rest
			// Spelt as the request parse_gpu_tres reads, so that one parser
			// decides what a gpu entry means: a node's sockets "(S:0-1)" go,
			// the prefix becomes "gres:" (gres lists have none, accounting
			// TRES say "gres/"), and an accounting count "=4" becomes ":4".
			entry = entry.substr(0, entry.find('('));
			if (entry.rfind("gres:", 0) == 0 || entry.rfind("gres/", 0) == 0)
				entry.erase(0, 5);
			for (char &c : entry)
				if (c == '=')
					c = ':';
			try {
				total += aishare::parse_gpu_tres(("gres:" + entry).c_str()).count;
			} catch (const std::invalid_argument &) {
				// libslurm sends none; guessing a count would be worse than 0.
			}
			start = end + 1;
		} while (end != std::string::npos);
		return total;
	});
}

void aishare_place_plan_clear(aishare_place_plan_t *plan)
{
	if (!plan)
		return;
	std::free(plan->gpu_type);
	std::free(plan->switches);
	std::free(plan->message);
	*plan = aishare_place_plan_t{};
	plan->free_bound = -1;
}

int aishare_fabric_measure(const aishare_fabric_t *fabric, const uint8_t *job_nodes,
			   const uint8_t *free_nodes, const uint8_t *class_nodes,
			   aishare_placement_record_t *record)
{
	if (!fabric || !job_nodes || !free_nodes || !class_nodes || !record)
		return aishare::invalid(-1);
	return aishare::guarded(-1, [&] {
		aishare::placement_record measured = aishare::measure_placement(
			fabric->tree, job_nodes, free_nodes, class_nodes);
		*record = convert_record<aishare_placement_record_t>(measured);
		return 0;
	});
}

char *aishare_placement_line(const aishare_placement_record_t *record)
{
	if (!record)
		return aishare::invalid(nullptr);
	return aishare::guarded<char *>(nullptr, [&] {
		return aishare::c_string(aishare::placement_line(
			convert_record<aishare::placement_record>(*record)));
	});
}

int aishare_placement_log_summary(const char *path, aishare_placement_summary_t *summary,
				  char **errors)
{
	if (errors)
		*errors = nullptr;
	if (!path || !summary)
		return aishare::invalid(-1);
	*summary = aishare_placement_summary_t{};
	std::string problem;
	int rc = aishare::guarded(-1, [&] {
		std::string text;
		try {
			if (aishare::read_small_file(path, AISHARE_PLACEMENT_LOG_MAX_BYTES, text))
				*summary = c_summary(aishare::summarize_placements(text));
		} catch (const std::runtime_error &bad) {
			problem = bad.what();
			errno = EIO;
			return -1;
		}
		return 0;
	});
	if (rc && errors)
		aishare::set_errors(errors, problem.empty() ? std::string(path) + ": cannot read it"
							    : problem);
	return rc;
}

int aishare_placement_log_find(const char *path, uint32_t job_id,
			       aishare_placement_record_t *record, char **errors)
{
	if (errors)
		*errors = nullptr;
	if (!path || !record)
		return aishare::invalid(-1);
	std::string problem;
	int rc = aishare::guarded(-1, [&] {
		std::string text;
		try {
			if (!aishare::read_small_file(path, AISHARE_PLACEMENT_LOG_MAX_BYTES, text))
				return 0;
		} catch (const std::runtime_error &bad) {
			problem = bad.what();
			errno = EIO;
			return -1;
		}
		aishare::placement_record found;
		if (!aishare::find_placement(text, job_id, found))
			return 0;
		*record = convert_record<aishare_placement_record_t>(found);
		return 1;
	});
	if (rc < 0 && errors)
		aishare::set_errors(errors, problem.empty() ? std::string(path) + ": cannot read it"
							    : problem);
	return rc;
}
