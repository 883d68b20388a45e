// priority_model.cpp - the site factor of a job, term by term.
// Copyright (C) 2026 The slurm-aishare authors. GPL-2.0-or-later.
#include "priority/priority_model.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace aishare {
namespace {

std::int64_t points(std::uint64_t weight, double factor)
{
	return static_cast<std::int64_t>(std::llround(static_cast<double>(weight) * factor));
}

} // namespace

priority_weights read_priority_weights(const params &params)
{
	priority_weights w;
	w.deficit = params.get<std::uint64_t>("WeightDeficit");
	w.fair_share = params.get<std::uint64_t>("WeightFairShare");
	w.pacing = params.get<std::uint64_t>("WeightPacing");
	w.large_job = params.get<std::uint64_t>("WeightLargeJob");
	w.cap = params.get<std::uint64_t>("SiteFactorMax");
	w.grant_period = params.get<std::uint64_t>("GrantPeriod");
	w.grant_start = params.get<std::uint64_t>("GrantStart");
	w.large_job_gpus = params.get<std::uint64_t>("LargeJobGpus");
	w.large_job_wait = params.get<std::uint64_t>("LargeJobWait");
	return w;
}

double priority_model::period_elapsed(std::int64_t t) const
{
	std::int64_t start = static_cast<std::int64_t>(weights_.grant_start);
	std::int64_t period = static_cast<std::int64_t>(weights_.grant_period);
	if (period <= 0 || t <= start)
		return 0.0;
	return static_cast<double>((t - start) % period) / static_cast<double>(period);
}

void priority_model::update(std::int64_t now, std::int64_t charged_until,
			    const std::vector<account_usage> &accounts,
			    const std::vector<running_job> &running,
			    const std::vector<pool_use> &pools)
{
	std::map<std::string, account_usage> by_name;
	for (const account_usage &account : accounts) {
		if (account.name.empty())
			throw std::invalid_argument("an account without a name");
		if (!(account.grant >= 0) || !(account.used >= 0) || !std::isfinite(account.grant) ||
		    !std::isfinite(account.used))
			throw std::invalid_argument("account " + account.name +
						    ": grant or usage not a finite number >= 0");
		if (!by_name.emplace(account.name, account).second)
			throw std::invalid_argument("account " + account.name + " given twice");
	}
	// Slurm charges running jobs only at its decay passes (PriorityCalcPeriod);
	// between them a job that has run for a while must already count, or one
	// account could start job after job before any of them shows in its usage.
	for (const running_job &job : running) {
		auto found = by_name.find(job.account);
		if (found == by_name.end())
			continue;
		std::int64_t since = std::max(job.start_time, charged_until);
		if (now > since)
			found->second.used += job.gpus * static_cast<double>(now - since) / 60.0;
	}
	std::map<std::string, group_totals> groups;
	for (const auto &[name, account] : by_name) {
		if (account.grant <= 0)
			continue;
		group_totals &group = groups[account.parent];
		group.grant += account.grant;
		group.used += account.used;
	}
	std::map<std::string, pool_use> by_partition;
	for (const pool_use &pool : pools)
		by_partition[pool.partition] = pool;

	now_ = now;
	accounts_ = std::move(by_name);
	groups_ = std::move(groups);
	pools_ = std::move(by_partition);
	recorded_.clear();
}

priority_terms priority_model::compute(const pending_job &job)
{
	const priority_weights &w = weights_;
	priority_terms t;
	t.job_id = job.job_id;
	t.account = job.account;
	t.partition = job.partition;
	t.gpus = job.gpus;

	// (a) Pool deficit: a pool below its guarantee with work waiting pulls its jobs
	// forward in proportion to the guaranteed GPUs it is not using.
	if (auto pool = pools_.find(job.partition); pool != pools_.end()) {
		const pool_use &p = pool->second;
		t.in_pool = true;
		t.pool_guarantee = p.guarantee;
		t.pool_used = p.used;
		t.pool_pending = p.pending_gpus;
		if (p.guarantee > 0 && p.used < p.guarantee && p.pending_gpus > 0)
			t.deficit_factor = static_cast<double>(p.guarantee - p.used) / p.guarantee;
	}

	// (b) and (c) apply to start-ups: accounts holding a GPU grant.
	if (auto found = accounts_.find(job.account);
	    found != accounts_.end() && found->second.grant > 0) {
		const account_usage &a = found->second;
		const group_totals &g = groups_.at(a.parent);
		t.start_up = true;
		t.group = a.parent;
		t.grant = a.grant;
		t.used = a.used;
		// Entitlement follows the grants: equal grants, equal shares.
		t.entitlement = a.grant / g.grant;
		t.usage_share = g.used > 0 ? a.used / g.used : 0.0;
		t.fair_share_factor = std::exp2(-t.usage_share / t.entitlement);

		t.period_elapsed = period_elapsed(now_);
		t.expected = t.period_elapsed * a.grant;
		t.pacing_factor = std::clamp((t.expected - a.used) / a.grant, -1.0, 1.0);
		if (a.used >= a.grant) {
			t.exhausted = true;
			t.pacing_factor = -1.0;
		}
	}

	// (d) A large job's weight grows with its wait; once it has waited
	// LargeJobWait it is starving and goes above every job that is not.
	if (w.large_job > 0 && w.large_job_gpus > 0 && job.gpus >= w.large_job_gpus) {
		t.large = true;
		t.waited = job.eligible_time > 0 && now_ > job.eligible_time
				   ? static_cast<double>(now_ - job.eligible_time)
				   : 0.0;
		t.large_job_factor =
			w.large_job_wait > 0 ? std::min(1.0, t.waited / w.large_job_wait) : 1.0;
		t.starving = t.large_job_factor >= 1.0;
	}

	t.deficit = points(w.deficit, t.deficit_factor);
	t.fair_share = points(w.fair_share, t.fair_share_factor);
	t.pacing = points(w.pacing, t.pacing_factor);
	t.large_job = points(w.large_job, t.large_job_factor);
	std::int64_t sum = t.deficit + t.fair_share + t.pacing + t.large_job;
	std::int64_t cap = static_cast<std::int64_t>(w.cap);
	t.total = std::clamp(sum, -cap, cap);
	t.capped = t.total != sum;
	if (t.starving)
		t.total = cap + 1 + static_cast<std::int64_t>(w.large_job);
	recorded_[t.job_id] = t;
	return t;
}

} // namespace aishare
