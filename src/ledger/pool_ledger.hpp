// pool_ledger.hpp - the guarantee: capacity, usage, lending and reclaim per pool.
// Copyright (C) 2026 The slurm-aishare authors. GPL-2.0-or-later.
//
// A pool is a partition listed in Pools=.  Its capacity C is the GPUs of its usable
// nodes, its guarantee G = floor(Share x C).  Jobs of the pool's partition use it;
// jobs of other partitions running on its nodes borrow what it leaves idle.  The
// ledger reads a snapshot of Slurm's records (taken by the adapter under Slurm's
// locks) and answers "may this job preempt that one" and "in which order", so that
// a pool job reclaims its guarantee from borrowers and never preempts beyond it.
#ifndef AISHARE_POOL_LEDGER_HPP
#define AISHARE_POOL_LEDGER_HPP

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "params/lend_mode.hpp"
#include "params/params.hpp"

namespace aishare {

struct pool_policy {
	std::string partition;
	double share = 0;             // 0..1
	lend_mode mode = lend_mode::preempt;
	std::uint64_t lend_window = 0; // seconds
};

// The pools and switches of one parameter string.
struct ledger_policy {
	std::vector<pool_policy> pools;
	bool reclaim_beyond_share = false;

	static ledger_policy from(const params &parsed);
};

struct snapshot_node {
	std::string name;
	std::uint32_t gpus = 0;
	bool usable = true;
};

struct snapshot_partition {
	std::string name;
	std::vector<std::uint32_t> nodes;
};

struct snapshot_job {
	std::uint32_t id = 0;
	std::string partition;
	bool running = false;
	bool finished = false; // ended, still in Slurm's records: only for history
	bool held = false;     // pending but not allowed to start yet
	std::uint32_t gpus = 0;
	std::vector<std::uint32_t> nodes;
	std::int64_t submit_time = 0;
	std::int64_t start_time = 0;
	std::uint32_t time_limit = 0; // minutes, 0 = none
	std::uint32_t priority = 0;
};

struct snapshot {
	std::vector<snapshot_node> nodes;
	std::vector<snapshot_partition> partitions;
	std::vector<snapshot_job> jobs;
};

// What survives restarts: reclaims and their latency, per pool partition.
struct pool_history {
	std::uint64_t reclaims = 0;       // victims preempted for the pool
	std::uint64_t reclaim_events = 0; // reclaims completed: a pool job started
	double latency_sum = 0;           // seconds, over reclaim_events
	double latency_max = 0;
	std::int64_t reclaim_started = 0; // first victim of the reclaim in flight, 0 = none
	// Victims of the reclaim in flight: Slurm may decide a preemption again after a
	// slurmctld crash lost its job state, and a victim must count once.
	std::vector<std::uint32_t> victims;
};

struct pool_status {
	pool_policy policy;
	std::uint32_t capacity = 0;
	std::uint32_t guarantee = 0;
	std::uint32_t used = 0;
	std::uint32_t borrowed = 0;
	std::uint32_t lent = 0;
	std::uint32_t borrowers = 0;
	std::uint32_t pending_gpus = 0;
	// Bounded and none modes: the nodes kept for the pool, see nodes_to_avoid(),
	// as indices and as the comma-separated names operators see.
	std::vector<std::uint32_t> kept_nodes;
	std::string kept_node_names;
	pool_history history;
};

class pool_ledger {
public:
	explicit pool_ledger(ledger_policy policy);

	// New parameters: pools keep their history by partition name.
	void configure(ledger_policy policy);

	// Adopt a snapshot; throws std::invalid_argument naming the bad entry.  Completes
	// reclaims whose pool started a job since its first victim was preempted.
	void update(snapshot snap);

	// Yes only when the preemptor is one of its pool's pending jobs that the
	// guarantee holds (see within_guarantee_), the pool lends in preempt mode, and
	// the preemptee borrows from it (or, with ReclaimBeyondShare, a general job
	// takes back from a pool beyond its guarantee).  nullopt: unknown job.
	std::optional<bool> may_preempt(std::uint32_t preemptor, std::uint32_t preemptee) const;

	// Preemption order, lower first: more GPUs, then younger, then lower priority.
	std::uint32_t victim_rank(std::uint32_t job) const;

	// Slurm is about to preempt JOB: count it for the pool it borrowed from.
	void note_preemption(std::uint32_t job, std::int64_t now);

	// The names of the nodes a job of PARTITION with a time limit of TIME_LIMIT
	// minutes (0: none) must stay off: kept for a bounded pool that lends them only
	// to jobs ending within its LendWindow, or for a pool that lends nothing (none).
	std::vector<std::string> nodes_to_avoid(const std::string &partition,
						std::uint32_t time_limit) const;

	const std::vector<pool_status> &pools() const { return pools_; }
	std::vector<pool_status> &pools() { return pools_; }

private:
	struct job_view {
		const snapshot_job *job;
		int pool; // index into pools_, -1 for general jobs
	};

	const job_view *find(std::uint32_t id) const;
	// GPUs JOB holds on the nodes of pool P (its share of GPUs on P's nodes).
	std::uint32_t gpus_on_pool(const snapshot_job &job, std::size_t p) const;
	void recompute();
	void admit_within_guarantee(std::size_t pool, std::vector<const snapshot_job *> pending);
	void complete_reclaim(std::size_t pool);
	void keep_nodes(std::size_t pool);

	ledger_policy policy_;
	snapshot snap_;
	std::vector<pool_status> pools_;
	std::vector<std::vector<bool>> pool_nodes_; // per pool: is node i in its partition
	std::unordered_map<std::uint32_t, job_view> jobs_;
	std::unordered_map<std::uint32_t, std::uint32_t> victim_rank_;
	// Pending pool jobs that may preempt: taken in priority order while the pool's
	// running jobs and those before them fit in its guarantee.  Slurm preempts
	// for several pending jobs in one pass before any of them starts, so asking
	// "used + this job <= G" of each alone would let them together pass G.
	std::unordered_set<std::uint32_t> within_guarantee_;
};

} // namespace aishare

#endif // AISHARE_POOL_LEDGER_HPP
