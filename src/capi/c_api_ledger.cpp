// c_api_ledger.cpp - the extern "C" pool ledger functions of aishare.h.
// Copyright (C) 2026 The slurm-aishare authors. GPL-2.0-or-later.
#include "aishare.h"

#include <cinttypes>
#include <cstdio>
#include <stdexcept>

#include "capi/c_api_support.hpp"
#include "base/file_io.hpp"
#include "base/json_text.hpp"
#include "ledger/ledger_state_file.hpp"
#include "ledger/pool_ledger.hpp"

struct aishare_ledger {
	aishare::pool_ledger ledger;
	std::string params; // summary of the parameters in force, for the state file
};

namespace {

using aishare::guarded;
using aishare::invalid;
using aishare::json_string;
using aishare::set_errors;

// A state file is a few lines per pool; anything this large is not ours.
constexpr std::size_t max_state_bytes = 1 << 20;

} // namespace

aishare_ledger_t *aishare_ledger_create(const aishare_params_t *params, char **errors)
{
	if (errors)
		*errors = nullptr;
	if (!params)
		return invalid(nullptr);
	aishare_ledger_t *ledger = guarded<aishare_ledger_t *>(nullptr, [&] {
		return new aishare_ledger{
			aishare::pool_ledger(aishare::ledger_policy::from(params->parsed)),
			params->parsed.summary()};
	});
	if (!ledger)
		set_errors(errors, "cannot create the pool ledger");
	return ledger;
}

void aishare_ledger_free(aishare_ledger_t *ledger)
{
	delete ledger;
}

int aishare_ledger_configure(aishare_ledger_t *ledger, const aishare_params_t *params,
			     char **errors)
{
	if (errors)
		*errors = nullptr;
	if (!ledger || !params)
		return invalid(-1);
	int rc = guarded(-1, [&] {
		ledger->ledger.configure(aishare::ledger_policy::from(params->parsed));
		ledger->params = params->parsed.summary();
		return 0;
	});
	if (rc)
		set_errors(errors, "cannot reconfigure the pool ledger");
	return rc;
}

int aishare_ledger_update(aishare_ledger_t *ledger, const aishare_node_info_t *nodes,
			  size_t node_count, const aishare_partition_info_t *partitions,
			  size_t partition_count, const aishare_job_info_t *jobs, size_t job_count,
			  char **errors)
{
	if (errors)
		*errors = nullptr;
	if (!ledger || (node_count && !nodes) || (partition_count && !partitions) ||
	    (job_count && !jobs))
		return invalid(-1);
	std::string problem;
	int rc = guarded(-1, [&] {
		aishare::snapshot snap;
		snap.nodes.reserve(node_count);
		for (size_t i = 0; i < node_count; i++)
			snap.nodes.push_back({nodes[i].name ? nodes[i].name : "",
					      nodes[i].gpus, nodes[i].usable != 0});
		for (size_t i = 0; i < partition_count; i++) {
			const aishare_partition_info_t &part = partitions[i];
			if (!part.name || (part.node_count && !part.nodes)) {
				problem = "partition " + std::to_string(i) + " lacks a name or nodes";
				return invalid(-1);
			}
			snap.partitions.push_back(
				{part.name, std::vector<uint32_t>(part.nodes, part.nodes + part.node_count)});
		}
		snap.jobs.reserve(job_count);
		for (size_t i = 0; i < job_count; i++) {
			const aishare_job_info_t &job = jobs[i];
			if (job.node_count && !job.nodes) {
				problem = "job " + std::to_string(job.job_id) + " lacks its nodes";
				return invalid(-1);
			}
			aishare::snapshot_job copy;
			copy.id = job.job_id;
			copy.partition = job.partition ? job.partition : "";
			copy.running = job.state == AISHARE_JOB_RUNNING;
			copy.finished = job.state == AISHARE_JOB_FINISHED;
			copy.held = job.state == AISHARE_JOB_HELD;
			copy.gpus = job.gpus;
			copy.nodes.assign(job.nodes, job.nodes + job.node_count);
			copy.submit_time = job.submit_time;
			copy.start_time = job.start_time;
			copy.time_limit = job.time_limit;
			copy.priority = job.priority;
			snap.jobs.push_back(std::move(copy));
		}
		try {
			ledger->ledger.update(std::move(snap));
		} catch (const std::invalid_argument &bad) {
			problem = bad.what();
			return invalid(-1);
		}
		return 0;
	});
	if (rc && errors)
		set_errors(errors, problem.empty() ? "cannot update the pool ledger" : problem);
	return rc;
}

int aishare_ledger_may_preempt(const aishare_ledger_t *ledger, uint32_t preemptor_id,
			       uint32_t preemptee_id)
{
	if (!ledger)
		return invalid(-1);
	return guarded(-1, [&] {
		std::optional<bool> answer = ledger->ledger.may_preempt(preemptor_id, preemptee_id);
		if (!answer) {
			errno = ENOENT;
			return -1;
		}
		return *answer ? 1 : 0;
	});
}

uint32_t aishare_ledger_victim_rank(const aishare_ledger_t *ledger, uint32_t job_id)
{
	if (!ledger)
		return invalid(UINT32_MAX);
	return guarded(UINT32_MAX, [&] { return ledger->ledger.victim_rank(job_id); });
}

char *aishare_ledger_nodes_to_avoid(const aishare_ledger_t *ledger, const char *partition,
				    uint32_t time_limit)
{
	if (!ledger || !partition)
		return invalid(nullptr);
	return guarded<char *>(nullptr, [&] {
		std::string list;
		for (const std::string &name : ledger->ledger.nodes_to_avoid(partition, time_limit))
			list += (list.empty() ? "" : ",") + name;
		return aishare::c_string(list);
	});
}

int aishare_ledger_note_preemption(aishare_ledger_t *ledger, uint32_t preemptee_id, int64_t now)
{
	if (!ledger)
		return invalid(-1);
	return guarded(-1, [&] {
		ledger->ledger.note_preemption(preemptee_id, now);
		return 0;
	});
}

size_t aishare_ledger_pool_count(const aishare_ledger_t *ledger)
{
	return ledger ? ledger->ledger.pools().size() : 0;
}

int aishare_ledger_pool_status(const aishare_ledger_t *ledger, size_t index,
			       aishare_pool_status_t *status)
{
	if (!ledger || !status || index >= ledger->ledger.pools().size())
		return invalid(-1);
	const aishare::pool_status &pool = ledger->ledger.pools()[index];
	const aishare::pool_history &h = pool.history;
	status->partition = pool.policy.partition.c_str();
	status->share = pool.policy.share;
	status->capacity = pool.capacity;
	status->guarantee = pool.guarantee;
	status->used = pool.used;
	status->lent = pool.lent;
	status->borrowed = pool.borrowed;
	status->borrowers = pool.borrowers;
	status->pending_gpus = pool.pending_gpus;
	status->kept_nodes = pool.kept_node_names.c_str();
	status->reclaims = h.reclaims;
	status->reclaim_events = h.reclaim_events;
	status->reclaim_latency_max = h.latency_max;
	status->reclaim_latency_mean = h.reclaim_events ? h.latency_sum / h.reclaim_events : 0.0;
	return 0;
}

int aishare_ledger_save(const aishare_ledger_t *ledger, const char *path, char **errors)
{
	if (errors)
		*errors = nullptr;
	if (!ledger || !path || !*path)
		return invalid(-1);
	std::string problem;
	int rc = guarded(-1, [&] {
		aishare::ledger_state state;
		state.params = ledger->params;
		for (const aishare::pool_status &pool : ledger->ledger.pools())
			state.pools[pool.policy.partition] = pool.history;
		try {
			aishare::write_file_atomically(path, aishare::format_ledger_state(state));
		} catch (const std::runtime_error &failure) {
			problem = failure.what();
			errno = EIO;
			return -1;
		}
		return 0;
	});
	if (rc)
		set_errors(errors, problem.empty() ? std::string(path) + ": cannot save" : problem);
	return rc;
}

int aishare_ledger_load(aishare_ledger_t *ledger, const char *path, char **errors)
{
	if (errors)
		*errors = nullptr;
	if (!ledger || !path || !*path)
		return invalid(-1);
	std::string problem;
	int rc = guarded(-1, [&] {
		std::string text;
		aishare::ledger_histories histories;
		try {
			if (!aishare::read_small_file(path, max_state_bytes, text))
				return 0;
			histories = aishare::parse_ledger_state(text).pools;
		} catch (const std::invalid_argument &bad) {
			problem = std::string(path) + ": " + bad.what();
			return invalid(-1);
		} catch (const std::runtime_error &failure) {
			problem = failure.what();
			errno = EIO;
			return -1;
		}
		for (aishare::pool_status &pool : ledger->ledger.pools()) {
			auto found = histories.find(pool.policy.partition);
			if (found != histories.end())
				pool.history = found->second;
		}
		return 0;
	});
	if (rc)
		set_errors(errors, problem.empty() ? std::string(path) + ": cannot load" : problem);
	return rc;
}

char *aishare_ledger_state_params(const char *path, char **errors)
{
	if (errors)
		*errors = nullptr;
	if (!path || !*path)
		return invalid(nullptr);
	std::string problem;
	char *params = guarded<char *>(nullptr, [&]() -> char * {
		std::string text;
		try {
			if (!aishare::read_small_file(path, max_state_bytes, text)) {
				problem = std::string(path) + ": no such file (preempt/aishare not loaded yet?)";
				errno = ENOENT;
				return nullptr;
			}
			std::string summary = aishare::parse_ledger_state(text).params;
			// The summary separates pairs with spaces; the parser reads commas.
			for (char &c : summary)
				if (c == ' ')
					c = ',';
			return aishare::c_string(summary);
		} catch (const std::invalid_argument &bad) {
			problem = std::string(path) + ": " + bad.what();
			return invalid(nullptr);
		} catch (const std::runtime_error &failure) {
			problem = failure.what();
			errno = EIO;
			return nullptr;
		}
	});
	if (!params)
		set_errors(errors, problem.empty() ? std::string(path) + ": cannot read" : problem);
	return params;
}

char *aishare_ledger_json(const aishare_ledger_t *ledger)
{
	if (!ledger)
		return invalid(nullptr);
	return guarded<char *>(nullptr, [&] {
		std::string out = "{\"pools\":[";
		bool first = true;
		for (const aishare::pool_status &pool : ledger->ledger.pools()) {
			const aishare::pool_history &h = pool.history;
			std::string_view mode = aishare::lend_mode_name(pool.policy.mode);
			char numbers[768];
			std::snprintf(
				numbers, sizeof(numbers),
				",\"share\":%.6g,\"lend_mode\":\"%.*s\",\"lend_window\":%" PRIu64
				",\"capacity\":%u,\"guarantee\":%u,\"used\":%u,\"lent\":%u"
				",\"borrowed\":%u,\"borrowers\":%u,\"pending_gpus\":%u"
				",\"reclaims\":%" PRIu64 ",\"reclaim_events\":%" PRIu64
				",\"reclaim_latency_mean\":%.3f,\"reclaim_latency_max\":%.3f}",
				pool.policy.share, static_cast<int>(mode.size()), mode.data(),
				pool.policy.lend_window,
				pool.capacity, pool.guarantee, pool.used, pool.lent, pool.borrowed,
				pool.borrowers, pool.pending_gpus, h.reclaims, h.reclaim_events,
				h.reclaim_events ? h.latency_sum / h.reclaim_events : 0.0, h.latency_max);
			out += first ? "" : ",";
			out += "{\"partition\":" + json_string(pool.policy.partition) +
			       ",\"kept_nodes\":" + json_string(pool.kept_node_names) + numbers;
			first = false;
		}
		return aishare::c_string(out + "]}");
	});
}
