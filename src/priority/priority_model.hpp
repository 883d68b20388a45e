// priority_model.hpp - the site factor of a job: pool deficit, fair share between
// start-ups, pacing of GPU-hour grants, anti-starvation of large jobs.
// Copyright (C) 2026 The slurm-aishare authors. GPL-2.0-or-later.
//
// site_factor/aishare feeds this model once per pass (every RecalcInterval and every
// Slurm PriorityCalcPeriod) with the accounts' grants and usage from Slurm's
// association records and the pools' guarantee and use from the ledger; then asks it
// for each pending job's terms.  Everything here is plain arithmetic over those
// inputs, so the unit tests and `aishare explain` see exactly what slurmctld used.
#ifndef AISHARE_PRIORITY_MODEL_HPP
#define AISHARE_PRIORITY_MODEL_HPP

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "params/params.hpp"

namespace aishare {

struct priority_weights {
	std::uint64_t deficit = 0, fair_share = 0, pacing = 0, large_job = 0;
	std::uint64_t cap = 0;             // SiteFactorMax: |sum of terms| never exceeds it
	std::uint64_t grant_period = 0;    // seconds
	std::uint64_t grant_start = 0;     // seconds since the epoch: the first period's start
	std::uint64_t large_job_gpus = 0;  // a job asking this many GPUs or more is large
	std::uint64_t large_job_wait = 0;  // seconds until a large job is starving
};

// The weights of PARAMS (a controller table).  Throws std::invalid_argument when a
// key is missing (not a controller table).
priority_weights read_priority_weights(const params &params);

struct account_usage {
	std::string name, parent; // parent account: the fair-share group
	double grant = 0;         // GPU-minutes of the grant (GrpTRESMins gres/gpu)
	double used = 0;          // GPU-minutes Slurm has charged (its usage_tres_raw)
};

struct running_job {
	std::string account;
	std::uint32_t gpus = 0;
	std::int64_t start_time = 0;
};

struct pool_use {
	std::string partition;
	std::uint32_t guarantee = 0, used = 0, pending_gpus = 0;
};

struct pending_job {
	std::uint32_t job_id = 0;
	std::string account, partition;
	std::uint32_t gpus = 0;
	std::int64_t eligible_time = 0; // when it became eligible to run
};

// One job's priority, every term with its inputs (what `aishare explain` prints).
struct priority_terms {
	std::uint32_t job_id = 0;
	std::string account, partition, group;
	std::uint32_t gpus = 0;
	// deficit: the pool's guarantee and use
	bool in_pool = false;
	std::uint32_t pool_guarantee = 0, pool_used = 0, pool_pending = 0;
	double deficit_factor = 0; // (G - used) / G while the pool has demand, else 0
	// fair share: the account's share of its group's usage against its entitlement
	bool start_up = false; // the account holds a GPU grant
	double usage_share = 0, entitlement = 0, fair_share_factor = 0; // 2^(-usage/entitlement)
	// pacing: used against a linear burn of the grant
	double grant = 0, used = 0, expected = 0, period_elapsed = 0;
	double pacing_factor = 0; // (expected - used) / grant, in [-1, 1]
	bool exhausted = false;
	// anti-starvation
	bool large = false, starving = false;
	double waited = 0, large_job_factor = 0; // min(1, waited / LargeJobWait)
	// weighted terms in priority points, and their capped sum
	std::int64_t deficit = 0, fair_share = 0, pacing = 0, large_job = 0, total = 0;
	bool capped = false;
};

class priority_model {
public:
	explicit priority_model(const priority_weights &weights) : weights_(weights) {}

	void configure(const priority_weights &weights) { weights_ = weights; }
	const priority_weights &weights() const { return weights_; }

	// A new pass at NOW.  CHARGED_UNTIL: Slurm has charged running jobs' usage up to
	// then (its last decay pass); what they ran since is added here.  Throws
	// std::invalid_argument naming a bad entry (an account twice, no name).
	void update(std::int64_t now, std::int64_t charged_until,
		    const std::vector<account_usage> &accounts,
		    const std::vector<running_job> &running, const std::vector<pool_use> &pools);

	// The terms of JOB at the last update's time, recorded for the state file.
	priority_terms compute(const pending_job &job);

	// The terms recorded since the last update, by job id.
	const std::map<std::uint32_t, priority_terms> &recorded() const { return recorded_; }
	std::int64_t now() const { return now_; }

	// Fraction of the current grant period elapsed at T, in [0, 1).
	double period_elapsed(std::int64_t t) const;

private:
	struct group_totals {
		double grant = 0, used = 0;
	};

	priority_weights weights_;
	std::int64_t now_ = 0;
	std::map<std::string, account_usage> accounts_;
	std::map<std::string, group_totals> groups_;
	std::map<std::string, pool_use> pools_;
	std::map<std::uint32_t, priority_terms> recorded_;
};

} // namespace aishare

#endif // AISHARE_PRIORITY_MODEL_HPP
