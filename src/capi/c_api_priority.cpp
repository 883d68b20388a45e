// c_api_priority.cpp - the extern "C" priority functions of aishare.h.
// Copyright (C) 2026 The slurm-aishare authors. GPL-2.0-or-later.
#include "aishare.h"

#include <stdexcept>

#include "capi/c_api_support.hpp"
#include "base/file_io.hpp"
#include "priority/priority_model.hpp"
#include "priority/priority_state_file.hpp"

struct aishare_prio_model {
	aishare::priority_model model;
};

struct aishare_prio_state {
	aishare::priority_state state;
};

namespace {

using aishare::guarded;
using aishare::invalid;
using aishare::set_errors;

// About 500 bytes a job: room for a few hundred thousand pending jobs.
constexpr std::size_t max_state_bytes = 256u << 20;

std::string text_or_empty(const char *text)
{
	return text ? text : "";
}

// The weights of PARAMS; *ERRORS when PARAMS is not a controller table's.
bool weights_of(const aishare_params_t *params, aishare::priority_weights &weights,
		char **errors)
{
	try {
		weights = aishare::read_priority_weights(params->parsed);
	} catch (const std::invalid_argument &e) {
		set_errors(errors, e.what());
		errno = EINVAL;
		return false;
	}
	return true;
}

} // namespace

extern "C" {

aishare_prio_model_t *aishare_prio_model_create(const aishare_params_t *params, char **errors)
{
	if (errors)
		*errors = nullptr;
	if (!params)
		return invalid<aishare_prio_model_t *>(nullptr);
	return guarded<aishare_prio_model_t *>(nullptr, [&]() -> aishare_prio_model_t * {
		aishare::priority_weights weights;
		if (!weights_of(params, weights, errors))
			return nullptr;
		return new aishare_prio_model{aishare::priority_model(weights)};
	});
}

void aishare_prio_model_free(aishare_prio_model_t *model)
{
	delete model;
}

int aishare_prio_model_configure(aishare_prio_model_t *model, const aishare_params_t *params,
				 char **errors)
{
	if (errors)
		*errors = nullptr;
	if (!model || !params)
		return invalid(-1);
	return guarded(-1, [&] {
		aishare::priority_weights weights;
		if (!weights_of(params, weights, errors))
			return -1;
		model->model.configure(weights);
		return 0;
	});
}

int aishare_prio_model_update(aishare_prio_model_t *model, int64_t now, int64_t charged_until,
			      const aishare_prio_account_t *accounts, size_t account_count,
			      const aishare_prio_running_t *running, size_t running_count,
			      const aishare_prio_pool_t *pools, size_t pool_count, char **errors)
{
	if (errors)
		*errors = nullptr;
	if (!model || (account_count && !accounts) || (running_count && !running) ||
	    (pool_count && !pools))
		return invalid(-1);
	return guarded(-1, [&] {
		std::vector<aishare::account_usage> account_list;
		for (size_t i = 0; i < account_count; i++)
			account_list.push_back({text_or_empty(accounts[i].name),
						text_or_empty(accounts[i].parent),
						accounts[i].grant_gpu_minutes,
						accounts[i].used_gpu_minutes});
		std::vector<aishare::running_job> running_list;
		for (size_t i = 0; i < running_count; i++)
			running_list.push_back({text_or_empty(running[i].account), running[i].gpus,
						running[i].start_time});
		std::vector<aishare::pool_use> pool_list;
		for (size_t i = 0; i < pool_count; i++)
			pool_list.push_back({text_or_empty(pools[i].partition), pools[i].guarantee,
					     pools[i].used, pools[i].pending_gpus});
		try {
			model->model.update(now, charged_until, account_list, running_list,
					    pool_list);
		} catch (const std::invalid_argument &e) {
			set_errors(errors, e.what());
			return invalid(-1);
		}
		return 0;
	});
}

int aishare_prio_model_job(aishare_prio_model_t *model, const aishare_prio_job_t *job,
			   aishare_prio_result_t *result)
{
	if (!model || !job || !result)
		return invalid(-1);
	return guarded(-1, [&] {
		aishare::priority_terms t = model->model.compute(
			{job->job_id, text_or_empty(job->account), text_or_empty(job->partition),
			 job->gpus, job->eligible_time});
		*result = {t.total, t.deficit, t.fair_share, t.pacing, t.large_job,
			   t.exhausted ? 1 : 0, t.starving ? 1 : 0};
		return 0;
	});
}

aishare_prio_state_t *aishare_prio_model_state(const aishare_prio_model_t *model)
{
	if (!model)
		return invalid(static_cast<aishare_prio_state_t *>(nullptr));
	return guarded(static_cast<aishare_prio_state_t *>(nullptr), [&] {
		return new aishare_prio_state{{model->model.now(), model->model.weights(),
					       model->model.recorded()}};
	});
}

int aishare_prio_state_save(const aishare_prio_state_t *state, const char *path, char **errors)
{
	if (errors)
		*errors = nullptr;
	if (!state || !path)
		return invalid(-1);
	return guarded(-1, [&] {
		try {
			aishare::write_file_atomically(path, aishare::format_priority_state(state->state));
		} catch (const std::runtime_error &e) {
			set_errors(errors, e.what());
			errno = EIO;
			return -1;
		}
		return 0;
	});
}

void aishare_prio_state_free(aishare_prio_state_t *state)
{
	delete state;
}

char *aishare_prio_explain(const char *path, uint32_t job_id, aishare_format_t format,
			   char **errors)
{
	bool json = false;
	if (errors)
		*errors = nullptr;
	if (!path || !aishare::read_format(format, json))
		return invalid<char *>(nullptr);
	return guarded<char *>(nullptr, [&]() -> char * {
		std::string text;
		aishare::priority_state state;
		try {
			if (!aishare::read_small_file(path, max_state_bytes, text)) {
				set_errors(errors, std::string(path) +
							   ": no such file (is site_factor/aishare "
							   "loaded, and is StateSaveLocation readable here?)");
				errno = ENOENT;
				return nullptr;
			}
			state = aishare::parse_priority_state(text);
		} catch (const std::runtime_error &e) {
			set_errors(errors, e.what());
			errno = EIO;
			return nullptr;
		} catch (const std::invalid_argument &e) {
			set_errors(errors, std::string(path) + ": " + e.what());
			return invalid<char *>(nullptr);
		}
		auto found = state.jobs.find(job_id);
		if (found == state.jobs.end()) {
			set_errors(errors, "job " + std::to_string(job_id) +
						   " is not in " + path +
						   " (only pending jobs are, as of the last pass; "
						   "a job submitted since appears after the next one)");
			errno = ENOENT;
			return nullptr;
		}
		return aishare::c_string(aishare::explain_priority(state, found->second, json));
	});
}

} // extern "C"
