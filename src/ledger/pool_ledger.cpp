// pool_ledger.cpp - the guarantee: capacity, usage, lending and reclaim per pool.
// Copyright (C) 2026 The slurm-aishare authors. GPL-2.0-or-later.
#include "ledger/pool_ledger.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <unordered_set>

namespace aishare {
namespace {

} // namespace

ledger_policy ledger_policy::from(const params &parsed)
{
	ledger_policy policy;
	for (const std::string &name : parsed.get<std::vector<std::string>>("Pools")) {
		pool_policy pool;
		pool.partition = name;
		pool.share = parsed.get<double>("Share[" + name + "]");
		// The parser let only lend_mode_choices' words through.
		if (!lend_mode_named(parsed.get<std::string>("LendMode[" + name + "]"), pool.mode))
			throw std::logic_error("LendMode of " + name + " is no lending mode");
		pool.lend_window = parsed.get<std::uint64_t>("LendWindow[" + name + "]");
		policy.pools.push_back(pool);
	}
	policy.reclaim_beyond_share = parsed.get<bool>("ReclaimBeyondShare");
	return policy;
}

pool_ledger::pool_ledger(ledger_policy policy)
{
	configure(std::move(policy));
}

void pool_ledger::configure(ledger_policy policy)
{
	std::vector<pool_status> pools;
	for (const pool_policy &pool : policy.pools) {
		pool_status status;
		status.policy = pool;
		for (const pool_status &old : pools_)
			if (old.policy.partition == pool.partition)
				status.history = old.history;
		pools.push_back(status);
	}
	policy_ = std::move(policy);
	pools_ = std::move(pools);
	recompute();
}

void pool_ledger::update(snapshot snap)
{
	std::unordered_set<std::uint32_t> ids;
	for (const snapshot_partition &part : snap.partitions)
		for (std::uint32_t node : part.nodes)
			if (node >= snap.nodes.size())
				throw std::invalid_argument("partition " + part.name + " names node index " +
							    std::to_string(node) + " of " +
							    std::to_string(snap.nodes.size()));
	for (const snapshot_job &job : snap.jobs) {
		if (!ids.insert(job.id).second)
			throw std::invalid_argument("job " + std::to_string(job.id) +
						    " appears twice in the snapshot");
		for (std::uint32_t node : job.nodes)
			if (node >= snap.nodes.size())
				throw std::invalid_argument("job " + std::to_string(job.id) +
							    " names node index " + std::to_string(node) +
							    " of " + std::to_string(snap.nodes.size()));
	}
	snap_ = std::move(snap);
	recompute();
}

std::uint32_t pool_ledger::gpus_on_pool(const snapshot_job &job, std::size_t p) const
{
	if (job.nodes.empty())
		return 0;
	std::uint64_t inside = 0;
	for (std::uint32_t node : job.nodes)
		inside += pool_nodes_[p][node] ? 1 : 0;
	// The snapshot has a job's GPU total, not its per-node split; GPU jobs ask for the
	// same count on every node, so the split is even.
	return static_cast<std::uint32_t>(job.gpus * inside / job.nodes.size());
}

// A reclaim completes when a job of the pool starts after its first victim was
// preempted; the latency runs to that job's start time, so it does not depend on
// when the next snapshot happens to be taken, and a job that already ended by
// then still counts (Slurm keeps finished jobs for MinJobAge).
void pool_ledger::complete_reclaim(std::size_t p)
{
	pool_history &history = pools_[p].history;
	if (history.reclaim_started == 0)
		return;
	std::int64_t first_start = 0;
	for (const auto &[id, view] : jobs_)
		if (view.pool == static_cast<int>(p) &&
		    (view.job->running || view.job->finished) &&
		    view.job->start_time >= history.reclaim_started &&
		    (first_start == 0 || view.job->start_time < first_start))
			first_start = view.job->start_time;
	if (first_start == 0)
		return;
	double latency = static_cast<double>(first_start - history.reclaim_started);
	history.reclaim_events++;
	history.latency_sum += latency;
	history.latency_max = std::max(history.latency_max, latency);
	history.reclaim_started = 0;
	history.victims.clear();
}

void pool_ledger::recompute()
{
	pool_nodes_.assign(pools_.size(), std::vector<bool>(snap_.nodes.size(), false));
	for (std::size_t p = 0; p < pools_.size(); p++) {
		pool_status &pool = pools_[p];
		pool_history history = pool.history;
		pool = pool_status{};
		pool.policy = policy_.pools[p];
		pool.history = history;
		for (const snapshot_partition &part : snap_.partitions) {
			if (part.name != pool.policy.partition)
				continue;
			for (std::uint32_t node : part.nodes) {
				if (pool_nodes_[p][node])
					continue;
				pool_nodes_[p][node] = true;
				if (snap_.nodes[node].usable)
					pool.capacity += snap_.nodes[node].gpus;
			}
		}
		// floor: the guarantee is a promise; the small epsilon keeps 25% of 64 at 16.
		pool.guarantee = static_cast<std::uint32_t>(
			std::floor(pool.policy.share * pool.capacity + 1e-9));
		if (pool.policy.mode != lend_mode::preempt)
			keep_nodes(p);
	}

	jobs_.clear();
	within_guarantee_.clear();
	std::vector<const snapshot_job *> running;
	std::vector<std::vector<const snapshot_job *>> pending(pools_.size());
	for (const snapshot_job &job : snap_.jobs) {
		int pool_index = -1;
		for (std::size_t p = 0; p < pools_.size(); p++)
			if (pools_[p].policy.partition == job.partition)
				pool_index = static_cast<int>(p);
		jobs_[job.id] = job_view{&job, pool_index};
		if (job.finished || job.held)
			continue;
		if (!job.running) {
			if (pool_index >= 0) {
				pools_[pool_index].pending_gpus += job.gpus;
				pending[pool_index].push_back(&job);
			}
			continue;
		}
		running.push_back(&job);
		if (pool_index >= 0) {
			pools_[pool_index].used += job.gpus;
			continue;
		}
		for (std::size_t p = 0; p < pools_.size(); p++) {
			std::uint32_t gpus = gpus_on_pool(job, p);
			if (gpus > 0) {
				pools_[p].borrowed += gpus;
				pools_[p].borrowers++;
			}
		}
	}

	for (std::size_t p = 0; p < pools_.size(); p++) {
		pool_status &pool = pools_[p];
		std::uint32_t idle_guarantee =
			pool.guarantee > pool.used ? pool.guarantee - pool.used : 0;
		pool.lent = std::min(pool.borrowed, idle_guarantee);
		admit_within_guarantee(p, std::move(pending[p]));
		complete_reclaim(p);
	}

	// Victims: more GPUs first (fewest jobs), then the youngest, then the lowest
	// priority; the job id settles ties so the order is total and stable.
	std::sort(running.begin(), running.end(), [](const snapshot_job *a, const snapshot_job *b) {
		if (a->gpus != b->gpus)
			return a->gpus > b->gpus;
		if (a->start_time != b->start_time)
			return a->start_time > b->start_time;
		if (a->priority != b->priority)
			return a->priority < b->priority;
		return a->id > b->id;
	});
	victim_rank_.clear();
	for (std::size_t i = 0; i < running.size(); i++)
		victim_rank_[running[i]->id] = static_cast<std::uint32_t>(i);
}

// Bounded and none modes keep the fewest usable nodes whose GPUs reach the
// guarantee, taken from the end of the partition: Slurm fills nodes from the
// lowest index, so borrowers naturally pack at the other end.
void pool_ledger::keep_nodes(std::size_t p)
{
	pool_status &pool = pools_[p];
	std::uint32_t kept_gpus = 0;
	for (std::size_t i = snap_.nodes.size(); i-- > 0 && kept_gpus < pool.guarantee;) {
		if (!pool_nodes_[p][i] || !snap_.nodes[i].usable || snap_.nodes[i].gpus == 0)
			continue;
		pool.kept_nodes.push_back(static_cast<std::uint32_t>(i));
		pool.kept_node_names += (pool.kept_node_names.empty() ? "" : ",") + snap_.nodes[i].name;
		kept_gpus += snap_.nodes[i].gpus;
	}
}

std::vector<std::string> pool_ledger::nodes_to_avoid(const std::string &partition,
						     std::uint32_t time_limit) const
{
	std::vector<std::string> names;
	for (const pool_status &pool : pools_)
		if (pool.policy.partition == partition)
			return names; // a pool's own jobs use its nodes
	for (const pool_status &pool : pools_) {
		bool long_job = time_limit == 0 ||
				static_cast<std::uint64_t>(time_limit) * 60 > pool.policy.lend_window;
		// none is a strict reservation: nothing is lent, however short.
		if (pool.policy.mode == lend_mode::preempt ||
		    (pool.policy.mode == lend_mode::bounded && !long_job))
			continue;
		for (std::uint32_t node : pool.kept_nodes)
			if (std::find(names.begin(), names.end(), snap_.nodes[node].name) == names.end())
				names.push_back(snap_.nodes[node].name);
	}
	return names;
}

const pool_ledger::job_view *pool_ledger::find(std::uint32_t id) const
{
	auto found = jobs_.find(id);
	return found == jobs_.end() ? nullptr : &found->second;
}

// The order is Slurm's for the pool's pending jobs: priority, then submission.
void pool_ledger::admit_within_guarantee(std::size_t p, std::vector<const snapshot_job *> pending)
{
	std::sort(pending.begin(), pending.end(), [](const snapshot_job *a, const snapshot_job *b) {
		if (a->priority != b->priority)
			return a->priority > b->priority;
		if (a->submit_time != b->submit_time)
			return a->submit_time < b->submit_time;
		return a->id < b->id;
	});
	std::uint64_t claimed = pools_[p].used;
	for (const snapshot_job *job : pending) {
		if (claimed + job->gpus > pools_[p].guarantee)
			continue; // a smaller job behind it may still fit
		claimed += job->gpus;
		within_guarantee_.insert(job->id);
	}
}

std::optional<bool> pool_ledger::may_preempt(std::uint32_t preemptor, std::uint32_t preemptee) const
{
	const job_view *taker = find(preemptor);
	const job_view *victim = find(preemptee);
	if (!taker || !victim)
		return std::nullopt;
	if (taker->job->running || taker->job->finished || !victim->job->running ||
	    taker->pool == victim->pool)
		return false;

	// The victim's pool, if any, gives up only what it holds beyond its guarantee.
	auto beyond_guarantee = [&](int pool) {
		const pool_status &owner = pools_[pool];
		return owner.used >= owner.guarantee + victim->job->gpus;
	};

	if (taker->pool < 0)
		return policy_.reclaim_beyond_share && victim->pool >= 0 &&
		       beyond_guarantee(victim->pool);

	const pool_status &pool = pools_[taker->pool];
	if (pool.policy.mode != lend_mode::preempt)
		return false;
	// Never preempt to get beyond the guarantee: the whole job, and the pending
	// pool jobs before it, must fit within G.
	if (!within_guarantee_.count(preemptor))
		return false;
	if (gpus_on_pool(*victim->job, taker->pool) == 0)
		return false;
	return victim->pool < 0 || beyond_guarantee(victim->pool);
}

std::uint32_t pool_ledger::victim_rank(std::uint32_t job) const
{
	auto found = victim_rank_.find(job);
	return found == victim_rank_.end() ? UINT32_MAX : found->second;
}

void pool_ledger::note_preemption(std::uint32_t job, std::int64_t now)
{
	const job_view *victim = find(job);
	if (!victim || victim->pool >= 0)
		return;
	// The pool reclaiming is one whose nodes the victim holds and whose jobs wait
	// within the guarantee.
	for (std::size_t p = 0; p < pools_.size(); p++) {
		pool_status &pool = pools_[p];
		if (gpus_on_pool(*victim->job, p) == 0 || pool.pending_gpus == 0 ||
		    pool.used >= pool.guarantee)
			continue;
		std::vector<std::uint32_t> &victims = pool.history.victims;
		if (std::find(victims.begin(), victims.end(), job) != victims.end())
			return;
		victims.push_back(job);
		pool.history.reclaims++;
		if (pool.history.reclaim_started == 0)
			pool.history.reclaim_started = now;
		return;
	}
}

} // namespace aishare
