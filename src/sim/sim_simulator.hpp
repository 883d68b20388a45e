// sim_simulator.hpp - the state of `aishare sim`'s simulation, shared by
// sim_engine.cpp (events, passes, a job's life), sim_select.cpp (where a job
// fits) and sim_policy.cpp (priority, preemption, backfill reservations).
// Internal to the core: the model is described at the top of sim_engine.cpp.
// Copyright (C) 2026 The slurm-aishare authors. GPL-2.0-or-later.
#ifndef AISHARE_SIM_SIMULATOR_HPP
#define AISHARE_SIM_SIMULATOR_HPP

#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <queue>
#include <string>
#include <unordered_map>
#include <vector>

#include "params/params.hpp"
#include "ledger/pool_ledger.hpp"
#include "priority/priority_model.hpp"
#include "sim/sim_engine.hpp"

namespace aishare {
namespace sim_detail {

constexpr double never = std::numeric_limits<double>::infinity();
constexpr std::size_t most_tested = 500;      // Slurm's bf_max_job_test default
constexpr std::size_t most_reservations = 16; // see the top of sim_engine.cpp
constexpr std::size_t most_alternatives = 8;  // job_shape.c's MOST_ALTERNATIVES
constexpr double kill_wait = 2;               // KillWait, wall seconds
// A victim's processes end at SIGTERM (the trace's jobs do; one that ignores it
// is killed after KillWait, which the reclaim bound allows for): the replay sees
// the requeue complete and the preemptor start within the same wall second.
constexpr double victim_exit = 0.5;           // wall seconds
// A run holds its GPUs about one wall second longer than the job's own time
// (slurmstepd's start, the epilog, Slurm's whole seconds): the replay's
// end - start - duration has a median of 8 trace seconds at K = 8.
constexpr double run_overhead = 1;            // wall seconds
constexpr double max_switch_wait = 300;       // Slurm's default, wall seconds
constexpr double age_weight = 1000, max_age = 7 * 86400.0;

enum class state { future, pending, running, dying, done, refused };

// What a job asks of the nodes once shaped.
struct shape {
	std::uint32_t nodes = 1;    // 0: spread GPUS over shared nodes
	std::uint32_t per_node = 0; // GPUs on each node
	std::uint32_t gpus = 0;     // in all (spread jobs)
	bool whole = false;         // exclusive whole nodes
};

struct job {
	const sim_job *in = nullptr;
	std::size_t order = 0; // trace order
	bool pool = false;
	state st = state::future;
	double limit = 0;       // trace seconds
	std::uint32_t limit_minutes = 0;
	shape want;
	const std::vector<std::uint8_t> *allowed = nullptr; // nodes it may use
	std::vector<std::size_t> alternatives;              // P: switch confinement
	std::uint32_t ideal = 0;                            // P: --switches count
	double wait_start = -1;                             // P: its compact wait began
	double eligible = 0, priority = 0;
	double start = -1, end = -1, release = -1;
	double first_reclaim = -1, reclaim_latency = -1;
	double victims_until = -1; // victims preempted for it free up then
	std::uint32_t preemptions = 0;
	std::vector<std::uint32_t> nodes, node_gpus; // of its current or last run
	std::uint32_t held = 0;                      // GPUs it holds
	std::size_t active_at = 0;                   // its place in simulator::active_
};

struct event {
	double time;
	std::size_t job;
	int kind; // 0 end, 1 release (preempted), 2 wake-up
	bool operator>(const event &o) const { return time > o.time; }
};

class simulator {
public:
	simulator(const switch_tree &fabric, const std::vector<sim_job> &trace, const sim_settings &s);
	std::vector<sim_record> run();

private:
	// The nodes a job may use now, and picking them.
	bool select(const job &j, const std::vector<std::uint32_t> &free,
		    const std::vector<std::uint32_t> &occupants, const std::vector<std::uint8_t> *usable,
		    bool compact, std::vector<std::uint32_t> &nodes, std::vector<std::uint32_t> &gpus);
	bool pick_stock(const job &j, const std::vector<std::uint8_t> &fits,
			const std::vector<std::uint32_t> &free, std::size_t within,
			std::vector<std::uint32_t> &nodes);
	bool node_fits(const job &j, std::size_t n, const std::vector<std::uint32_t> &free,
		       const std::vector<std::uint32_t> &occupants) const;
	void submit(job &j, double now);
	void start(std::size_t id, double now, const std::vector<std::uint32_t> &nodes,
		   const std::vector<std::uint32_t> &gpus);
	void finish(std::size_t id, double now);
	void release(std::size_t id, double now);
	bool try_preempt(std::size_t id, double now);
	void reserve(std::size_t id, double now, const std::vector<std::size_t> &by_end);
	void pass(double now, bool backfill);
	void refresh_ledger();
	void refresh_priorities(double now);
	double priority_of(job &j, double now);
	void charge(const job &j, double now);
	bool before(std::size_t a, std::size_t b) const;

	const switch_tree &fabric_;
	sim_settings s_;
	sim_cluster cluster_;
	double tick_;
	std::uint32_t gpn_;
	std::size_t n_;
	std::vector<job> jobs_;
	std::vector<std::uint32_t> free_, occupants_;
	// The fabric: leaves in first-seen order, their nodes; per switch its leaves.
	std::vector<std::vector<std::uint32_t>> leaf_nodes_;
	std::vector<std::uint32_t> node_leaf_;
	std::vector<std::vector<std::uint32_t>> switch_leaves_;
	std::vector<std::uint32_t> switch_level_;
	std::priority_queue<event, std::vector<event>, std::greater<event>> events_;
	std::vector<std::size_t> queue_, incoming_;
	std::vector<std::size_t> active_; // running and dying jobs
	void activate(std::size_t id)
	{
		jobs_[id].active_at = active_.size();
		active_.push_back(id);
	}
	void deactivate(std::size_t id)
	{
		std::size_t at = jobs_[id].active_at;
		active_[at] = active_.back();
		jobs_[active_[at]].active_at = at;
		active_.pop_back();
	}
	bool changed_ = true;
	// Reservations of the current pass: per node the earliest reserved start and GPUs.
	std::vector<double> reserved_at_;
	std::vector<std::uint32_t> reserved_gpus_;
	// P
	std::unique_ptr<params> params_;
	std::unique_ptr<pool_ledger> ledger_;
	std::unique_ptr<priority_model> model_;
	bool ledger_dirty_ = true;
	double compact_wait_ = 0, recalc_ = 60, next_recalc_ = 0, grant_start_ = 0;
	bool whole_nodes_ = true;
	std::map<std::string, double> grants_, used_; // wall GPU-minutes
	std::map<std::uint32_t, std::vector<std::uint8_t>> avoid_masks_;
	std::unordered_map<std::uint32_t, std::size_t> by_id_;
};

} // namespace sim_detail
} // namespace aishare

#endif // AISHARE_SIM_SIMULATOR_HPP
