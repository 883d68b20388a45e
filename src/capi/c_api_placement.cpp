// c_api_placement.cpp - the extern "C" placement functions of aishare.h.
// Copyright (C) 2026 The slurm-aishare authors. GPL-2.0-or-later.
//
// The plan is asked by job_submit/aishare for every GPU job at submission, with
// slurmctld's job write and node read locks held; the measure by its watcher
// thread for every multi-node job that starts; the summary by `aishare status`.
#include "aishare.h"

#include <cstdlib>
#include <stdexcept>

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
		aishare::placement result;
		try {
			aishare::gpu_count per_job = aishare::parse_gpu_tres(request->tres_per_job);
			aishare::gpu_count per_node = aishare::parse_gpu_tres(request->tres_per_node);
			asked.gpus_per_job = per_job.count;
			asked.gpus_per_node = per_node.count;
			asked.gpu_type = !per_job.type.empty() ? per_job.type : per_node.type;
			result = aishare::plan_placement(fabric ? &fabric->tree : nullptr, nodes,
							 count, asked, most_alternatives);
		} catch (const std::invalid_argument &bad) {
			result.kind = AISHARE_PLACE_REFUSE;
			result.refusal = std::string("aishare: ") + bad.what() +
					 "; ask with --gpus=N or --gpus-per-node=[type:]N";
		}
		aishare_place_plan_t filled{};
		try {
			filled.kind = result.kind;
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
		*record = aishare::measure_placement(fabric->tree, job_nodes, free_nodes,
						     class_nodes);
		return 0;
	});
}

char *aishare_placement_line(const aishare_placement_record_t *record)
{
	if (!record)
		return aishare::invalid(nullptr);
	return aishare::guarded<char *>(nullptr, [&] {
		return aishare::c_string(aishare::placement_line(*record));
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
				*summary = aishare::summarize_placements(text);
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
		return aishare::find_placement(text, job_id, *record) ? 1 : 0;
	});
	if (rc < 0 && errors)
		aishare::set_errors(errors, problem.empty() ? std::string(path) + ": cannot read it"
							    : problem);
	return rc;
}
