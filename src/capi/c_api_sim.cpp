// sim_c_api.cpp - the extern "C" simulation functions of aishare.h (`aishare sim`).
// Copyright (C) 2026 The slurm-aishare authors. GPL-2.0-or-later.
//
// Called by the CLI and the unit tests only, never inside a Slurm daemon; still
// every function checks its arguments and no exception crosses the C API.
#include "aishare.h"

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

#include "capi/c_api_fabric.hpp"
#include "capi/c_api_support.hpp"
#include "base/file_io.hpp"
#include "sim/sim_engine.hpp"
#include "sim/sim_score.hpp"
#include "sim/sim_trace.hpp"
#include "fabric/switch_tree.hpp"

struct aishare_sim_trace {
	std::vector<aishare::sim_job> jobs;
};

struct aishare_sim_records {
	std::vector<aishare::sim_record> records;
};

namespace {

using aishare::guarded;
using aishare::invalid;
using aishare::set_errors;

// Runs MAKE, turning std::invalid_argument and std::runtime_error into EINVAL or
// EIO and *ERRORS; other failures keep guarded()'s errno.
template <typename T, typename F> T refusing(T failed, char **errors, F make)
{
	if (errors)
		*errors = nullptr;
	std::string problem;
	T result = guarded<T>(failed, [&]() -> T {
		try {
			return make();
		} catch (const std::invalid_argument &refused) {
			problem = refused.what();
			return invalid<T>(failed);
		} catch (const std::runtime_error &broken) {
			problem = broken.what();
			errno = EIO;
			return failed;
		}
	});
	if (result == failed)
		set_errors(errors, problem.empty() ? std::string(std::strerror(errno)) : problem);
	return result;
}

// OPTIONS as settings: the C struct's zeros stand for the defaults.
aishare::sim_settings settings_of(const aishare_sim_options_t &o)
{
	aishare::sim_settings s;
	int config;
	static_assert(sizeof(config) == sizeof(o.config), "aishare_sim_config_t is an int");
	std::memcpy(&config, &o.config, sizeof(config));
	switch (config) {
	case AISHARE_SIM_B1:
		s.config = aishare::sim_config::b1;
		break;
	case AISHARE_SIM_B3:
		s.config = aishare::sim_config::b3;
		break;
	case AISHARE_SIM_P:
		s.config = aishare::sim_config::p;
		break;
	default:
		throw std::invalid_argument("unknown configuration " + std::to_string(config) +
					    " (B1, B3 or P)");
	}
	s.params = o.params ? o.params : "";
	s.gpus_per_node = o.gpus_per_node ? o.gpus_per_node : 8;
	if (!std::isfinite(o.speedup) || o.speedup < 0)
		throw std::invalid_argument("the speedup must be a number above 0");
	s.speedup = o.speedup > 0 ? o.speedup : 1;
	if (!std::isfinite(o.horizon) || o.horizon < 0)
		throw std::invalid_argument("the horizon must be a number of seconds >= 0");
	s.horizon = o.horizon;
	if (!std::isfinite(o.requeue_delay) || o.requeue_delay > 1e6)
		throw std::invalid_argument("the requeue delay must be a number of seconds");
	s.requeue_delay = o.requeue_delay < 0 ? 6 : o.requeue_delay;
	if (o.grant_count && !o.grants)
		throw std::invalid_argument("grants missing");
	for (std::size_t i = 0; i < o.grant_count; i++) {
		std::string grant = o.grants[i] ? o.grants[i] : "";
		std::size_t eq = grant.find('=');
		std::string account = grant.substr(0, eq);
		char *end = nullptr;
		double minutes = eq == std::string::npos ? -1 : std::strtod(grant.c_str() + eq + 1, &end);
		if (eq == std::string::npos || account.empty() || !end || *end ||
		    end == grant.c_str() + eq + 1 || !std::isfinite(minutes) || minutes <= 0)
			throw std::invalid_argument("--grant " + grant +
						    ": expected ACCOUNT=GPU_MINUTES, minutes above 0");
		if (!s.grants.emplace(account, minutes).second)
			throw std::invalid_argument("--grant: account " + account + " given twice");
	}
	return s;
}

// The score field by field, out to the C caller and back in for its text: the two
// structs hold the same fields under the same names, so one template converts
// both ways.  A field added to one side only changes its size.
static_assert(sizeof(aishare_sim_score_t) == sizeof(aishare::sim_score),
	      "aishare_sim_score_t and aishare::sim_score differ: convert the new field");

template <typename To, typename From> To convert_score(const From &s)
{
	To out{};
	out.horizon = s.horizon;
	out.pool_jobs = s.pool_jobs;
	out.general_jobs = s.general_jobs;
	out.not_started = s.not_started;
	out.pool_wait_p50 = s.pool_wait_p50;
	out.pool_wait_p95 = s.pool_wait_p95;
	out.general_wait_p50 = s.general_wait_p50;
	out.general_wait_p95 = s.general_wait_p95;
	out.utilisation = s.utilisation;
	out.ceiling = s.ceiling;
	out.utilisation_ratio = s.utilisation_ratio;
	out.multi_node_jobs = s.multi_node_jobs;
	out.at_bound = s.at_bound;
	out.at_ideal = s.at_ideal;
	out.share_at_bound = s.share_at_bound;
	out.share_at_ideal = s.share_at_ideal;
	out.leaves_over_bound = s.leaves_over_bound;
	out.leaves_over_ideal = s.leaves_over_ideal;
	out.reclaims = s.reclaims;
	out.reclaimed_starts = s.reclaimed_starts;
	out.over_bound = s.over_bound;
	out.reclaim_latency_p50 = s.reclaim_latency_p50;
	out.reclaim_latency_max = s.reclaim_latency_max;
	out.reclaim_bound = s.reclaim_bound;
	out.startup_accounts = s.startup_accounts;
	out.jain = s.jain;
	return out;
}

// A handle of H read by PARSE from TEXT (LENGTH bytes) or, when PATH is set, from
// the file at PATH; ORIGIN names it in messages.
template <typename H, typename P>
H *read_handle(const char *text, size_t length, const char *path, const char *origin,
	       char **errors, P parse)
{
	if ((!path && !text && length) || length > AISHARE_SIM_MAX_BYTES || (path && text) ||
	    !origin) {
		if (errors)
			*errors = nullptr;
		return invalid<H *>(nullptr);
	}
	return refusing<H *>(nullptr, errors, [&] {
		std::string input = path ? aishare::read_input_file(path, AISHARE_SIM_MAX_BYTES)
					 : std::string(text ? text : "", length);
		return new H{parse(input, origin)};
	});
}

} // namespace

aishare_sim_trace_t *aishare_sim_trace_parse(const char *text, size_t length, const char *origin,
					     char **errors)
{
	return read_handle<aishare_sim_trace_t>(text, length, nullptr, origin ? origin : "trace",
						errors, aishare::parse_trace);
}

aishare_sim_trace_t *aishare_sim_trace_load(const char *path, char **errors)
{
	return read_handle<aishare_sim_trace_t>(nullptr, 0, path, path, errors, aishare::parse_trace);
}

void aishare_sim_trace_free(aishare_sim_trace_t *trace)
{
	delete trace;
}

aishare_sim_records_t *aishare_sim_run(const aishare_fabric_t *fabric,
				       const aishare_sim_trace_t *trace,
				       const aishare_sim_options_t *options, char **errors)
{
	if (!fabric || !trace || !options) {
		if (errors)
			*errors = nullptr;
		return invalid<aishare_sim_records_t *>(nullptr);
	}
	return refusing<aishare_sim_records_t *>(nullptr, errors, [&] {
		aishare::sim_settings settings = settings_of(*options);
		return new aishare_sim_records{
			aishare::run_simulation(fabric->tree, trace->jobs, settings)};
	});
}

aishare_sim_records_t *aishare_sim_records_parse(const char *text, size_t length,
						 const char *origin, char **errors)
{
	return read_handle<aishare_sim_records_t>(text, length, nullptr,
						  origin ? origin : "records", errors,
						  aishare::parse_records);
}

aishare_sim_records_t *aishare_sim_records_load(const char *path, char **errors)
{
	return read_handle<aishare_sim_records_t>(nullptr, 0, path, path, errors,
						  aishare::parse_records);
}

int aishare_sim_records_save(const aishare_sim_records_t *records, const char *path, char **errors)
{
	if (!records || !path) {
		if (errors)
			*errors = nullptr;
		return invalid(-1);
	}
	return refusing(-1, errors, [&] {
		aishare::write_file_atomically(path, aishare::format_records(records->records),
					       0644);
		return 0;
	});
}

char *aishare_sim_records_text(const aishare_sim_records_t *records)
{
	if (!records)
		return invalid<char *>(nullptr);
	return guarded<char *>(nullptr, [&] {
		return aishare::c_string(aishare::format_records(records->records));
	});
}

size_t aishare_sim_records_count(const aishare_sim_records_t *records)
{
	return records ? records->records.size() : invalid<size_t>(0);
}

void aishare_sim_records_free(aishare_sim_records_t *records)
{
	delete records;
}

int aishare_sim_record(const aishare_sim_records_t *records, size_t index,
		       aishare_sim_record_t *record)
{
	if (!records || !record || index >= records->records.size())
		return invalid(-1);
	const aishare::sim_record &r = records->records[index];
	*record = aishare_sim_record_t{r.id,	  r.account.c_str(), r.partition.c_str(),
				       r.nodes,	  r.gpus,	     r.duration,
				       r.submit,  r.start,	     r.end,
				       r.preemptions, r.reclaim_latency, r.nodelist.size()};
	return 0;
}

int aishare_sim_score(const aishare_fabric_t *fabric, const aishare_sim_records_t *records,
		      const aishare_sim_options_t *options, aishare_sim_score_t *score,
		      char **errors)
{
	if (!fabric || !records || !options || !score) {
		if (errors)
			*errors = nullptr;
		return invalid(-1);
	}
	return refusing(-1, errors, [&] {
		aishare::sim_settings settings = settings_of(*options);
		aishare::sim_cluster cluster = aishare::sim_cluster::of(fabric->tree, settings);
		aishare::sim_score scored = aishare::score_records(
			fabric->tree, records->records, cluster, settings.gpus_per_node,
			settings.horizon);
		*score = convert_score<aishare_sim_score_t>(scored);
		return 0;
	});
}

char *aishare_sim_score_text(const aishare_sim_score_t *score, aishare_format_t format)
{
	bool json = false;
	if (!score || !aishare::read_format(format, json))
		return invalid<char *>(nullptr);
	return guarded<char *>(nullptr, [&] {
		return aishare::c_string(
			aishare::score_text(convert_score<aishare::sim_score>(*score), json));
	});
}

int aishare_sim_plots(const aishare_fabric_t *fabric, const aishare_sim_records_t *records,
		      const aishare_sim_options_t *options, const char *dir, char **errors)
{
	if (!fabric || !records || !options || !dir) {
		if (errors)
			*errors = nullptr;
		return invalid(-1);
	}
	return refusing(-1, errors, [&] {
		aishare::sim_settings settings = settings_of(*options);
		aishare::sim_cluster cluster = aishare::sim_cluster::of(fabric->tree, settings);
		aishare::write_plots(records->records, cluster, settings.gpus_per_node,
				     fabric->tree.node_count(), settings.horizon, dir);
		return 0;
	});
}
