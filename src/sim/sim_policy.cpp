// sim_policy.cpp - `aishare sim`: queue order and priority (the core's
// priority_model in P), preemption (pool_ledger in P, partition_prio in B1) and
// backfill reservations.  The model is described at the top of sim_engine.cpp.
// Copyright (C) 2026 The slurm-aishare authors. GPL-2.0-or-later.
#include "sim/sim_simulator.hpp"

#include <algorithm>
#include <cmath>

namespace aishare {
namespace sim_detail {

void simulator::refresh_ledger()
{
	if (!ledger_ || !ledger_dirty_)
		return;
	snapshot snap;
	snap.nodes.resize(n_);
	for (std::size_t n = 0; n < n_; n++)
		snap.nodes[n] = {fabric_.node_name(n), gpn_, true};
	snap.partitions.resize(2);
	snap.partitions[0].name = cluster_.pool;
	snap.partitions[1].name = cluster_.general;
	for (std::size_t n = 0; n < n_; n++) {
		if (cluster_.pool_nodes[n])
			snap.partitions[0].nodes.push_back(static_cast<std::uint32_t>(n));
		if (cluster_.general_nodes[n])
			snap.partitions[1].nodes.push_back(static_cast<std::uint32_t>(n));
	}
	std::vector<std::size_t> listed;
	for (std::size_t a : active_)
		if (jobs_[a].st == state::running)
			listed.push_back(a);
	for (const std::vector<std::size_t> *waiting : {&queue_, &incoming_})
		for (std::size_t q : *waiting)
			if (jobs_[q].st == state::pending && jobs_[q].pool)
				listed.push_back(q);
	std::sort(listed.begin(), listed.end());
	listed.erase(std::unique(listed.begin(), listed.end()), listed.end());
	for (std::size_t q : listed) {
		const job &j = jobs_[q];
		bool running = j.st == state::running;
		snapshot_job sj;
		sj.id = j.in->id;
		sj.partition = j.in->partition;
		sj.running = running;
		sj.gpus = running ? j.held : (j.want.nodes ? j.want.nodes * j.want.per_node : j.want.gpus);
		if (running)
			sj.nodes = j.nodes;
		sj.submit_time = static_cast<std::int64_t>(j.in->submit);
		sj.start_time = running ? static_cast<std::int64_t>(std::floor(j.start)) : 0;
		sj.time_limit = j.limit_minutes;
		sj.priority = static_cast<std::uint32_t>(std::max(0.0, std::min(4e9, j.priority)));
		snap.jobs.push_back(std::move(sj));
	}
	ledger_->update(std::move(snap));
	ledger_dirty_ = false;
}

double simulator::priority_of(job &j, double now)
{
	double age = std::floor(age_weight * std::min(1.0, (now - j.eligible) / tick_ / max_age));
	double site = 0;
	if (model_) {
		pending_job pj;
		pj.job_id = j.in->id;
		pj.account = j.in->account;
		pj.partition = j.in->partition;
		pj.gpus = j.want.nodes ? j.want.nodes * j.want.per_node : j.want.gpus;
		pj.eligible_time = static_cast<std::int64_t>(grant_start_ + j.eligible / tick_);
		site = static_cast<double>(model_->compute(pj).total);
	}
	j.priority = age + site;
	return j.priority;
}

// site_factor/aishare's pass: grants, usage and the pools' use into the model.
void simulator::refresh_priorities(double now)
{
	if (model_) {
		refresh_ledger();
		std::vector<account_usage> accounts;
		std::map<std::string, double> used = used_;
		for (std::size_t a : active_)
			if (const job &j = jobs_[a]; j.st == state::running)
				used[j.in->account] += j.held * (now - j.start) / tick_ / 60.0;
		for (const auto &[name, grant] : grants_)
			accounts.push_back({name, "startups", grant, used[name]});
		std::vector<pool_use> pools;
		for (const pool_status &pool : ledger_->pools())
			pools.push_back({pool.policy.partition, pool.guarantee, pool.used, pool.pending_gpus});
		std::int64_t wall = static_cast<std::int64_t>(grant_start_ + now / tick_);
		model_->update(wall, wall, accounts, {}, pools);
	}
	for (std::size_t id : queue_)
		if (jobs_[id].st == state::pending)
			priority_of(jobs_[id], now);
	std::stable_sort(queue_.begin(), queue_.end(), [&](std::size_t a, std::size_t b) { return before(a, b); });
}

bool simulator::before(std::size_t a, std::size_t b) const
{
	const job &x = jobs_[a], &y = jobs_[b];
	if (s_.config != sim_config::b3 && x.pool != y.pool)
		return x.pool;
	if (x.priority != y.priority)
		return x.priority > y.priority;
	return x.order < y.order;
}

bool simulator::try_preempt(std::size_t id, double now)
{
	job &j = jobs_[id];
	std::vector<std::size_t> candidates;
	if (s_.config == sim_config::b1) {
		if (!j.pool)
			return false;
		for (std::size_t i : active_)
			if (jobs_[i].st == state::running && !jobs_[i].pool)
				candidates.push_back(i);
		// preempt/partition_prio's order: PriorityTier, then fewest nodes; the
		// sort is stable over Slurm's job list, which is in submission order.
		std::sort(candidates.begin(), candidates.end(), [&](std::size_t a, std::size_t b) {
			if (jobs_[a].nodes.size() != jobs_[b].nodes.size())
				return jobs_[a].nodes.size() < jobs_[b].nodes.size();
			return jobs_[a].in->id < jobs_[b].in->id;
		});
	} else {
		refresh_ledger();
		for (std::size_t i : active_) {
			if (jobs_[i].st != state::running)
				continue;
			std::optional<bool> may = ledger_->may_preempt(j.in->id, jobs_[i].in->id);
			if (may && *may)
				candidates.push_back(i);
		}
		std::sort(candidates.begin(), candidates.end(), [&](std::size_t a, std::size_t b) {
			return ledger_->victim_rank(jobs_[a].in->id) < ledger_->victim_rank(jobs_[b].in->id);
		});
	}
	if (candidates.empty())
		return false;
	std::vector<std::uint32_t> free = free_, occupants = occupants_, nodes, gpus;
	bool compact = j.wait_start >= 0 && now < j.wait_start + compact_wait_;
	std::size_t taken = 0;
	bool fits = false;
	for (; taken < candidates.size() && !fits; taken++) {
		const job &victim = jobs_[candidates[taken]];
		for (std::size_t i = 0; i < victim.nodes.size(); i++) {
			free[victim.nodes[i]] += victim.node_gpus[i];
			occupants[victim.nodes[i]]--;
		}
		fits = select(j, free, occupants, nullptr, compact, nodes, gpus);
	}
	if (!fits)
		return false;
	std::vector<std::uint8_t> chosen(n_, 0);
	for (std::uint32_t n : nodes)
		chosen[n] = 1;
	double release_at = now + victim_exit * tick_;
	bool any = false;
	for (std::size_t c = 0; c < taken; c++) {
		job &victim = jobs_[candidates[c]];
		bool under = false;
		for (std::uint32_t n : victim.nodes)
			under = under || chosen[n];
		if (!under)
			continue;
		if (ledger_)
			ledger_->note_preemption(victim.in->id, static_cast<std::int64_t>(now));
		charge(victim, now);
		victim.st = state::dying;
		victim.preemptions++;
		victim.release = release_at;
		victim.eligible = now + s_.requeue_delay * tick_;
		events_.push({release_at, candidates[c], 1});
		events_.push({victim.eligible, candidates[c], 2});
		any = true;
	}
	if (!any)
		return false;
	if (j.first_reclaim < 0)
		j.first_reclaim = now;
	j.victims_until = release_at;
	ledger_dirty_ = true;
	return true;
}

// EASY-style: the earliest time J fits if running jobs end at their limits.
void simulator::reserve(std::size_t id, double now, const std::vector<std::size_t> &by_end)
{
	job &j = jobs_[id];
	std::vector<std::uint32_t> free = free_, occupants = occupants_;
	std::vector<std::uint8_t> usable(n_, 1);
	for (std::size_t n = 0; n < n_; n++)
		usable[n] = reserved_at_[n] == never;
	auto counts = [&](std::size_t n) { return usable[n] && node_fits(j, n, free, occupants); };
	std::size_t count = 0;
	std::uint64_t sum = 0;
	for (std::size_t n = 0; n < n_; n++)
		if (counts(n)) {
			count++;
			sum += free[n];
		}
	std::uint32_t need = j.want.nodes ? j.want.nodes : 1;
	for (std::size_t k = 0; k < by_end.size(); k++) {
		const job &r = jobs_[by_end[k]];
		for (std::size_t i = 0; i < r.nodes.size(); i++) {
			std::uint32_t n = r.nodes[i];
			bool was = counts(n);
			std::uint32_t before_free = free[n];
			free[n] += r.node_gpus[i];
			occupants[n]--;
			bool is = counts(n);
			count += is && !was;
			count -= was && !is;
			if (was)
				sum -= before_free;
			if (is)
				sum += free[n];
		}
		double at = r.st == state::dying ? r.release : r.start + r.limit;
		if (k + 1 < by_end.size()) {
			const job &next = jobs_[by_end[k + 1]];
			double next_at = next.st == state::dying ? next.release : next.start + next.limit;
			if (next_at == at)
				continue; // release every job ending then first
		}
		if (count < need || (j.want.nodes == 0 && sum < j.want.gpus))
			continue;
		std::vector<std::uint32_t> nodes, gpus;
		if (!select(j, free, occupants, &usable, false, nodes, gpus))
			continue;
		at = std::max(at, now);
		for (std::size_t i = 0; i < nodes.size(); i++) {
			reserved_at_[nodes[i]] = std::min(reserved_at_[nodes[i]], at);
			reserved_gpus_[nodes[i]] += gpus[i];
		}
		return;
	}
}

} // namespace sim_detail
} // namespace aishare
