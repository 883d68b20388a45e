// sim_engine.cpp - the discrete-event simulation behind `aishare sim`.
// Copyright (C) 2026 The slurm-aishare authors. GPL-2.0-or-later.
//
// What is modelled, and how (aishare(1), SIM, says the same for operators):
//
// Time.  Times are trace seconds.  The replay runs the trace K = speedup times
// faster than the trace, so one wall second of Slurm is K trace seconds, and every
// Slurm or policy time (KillWait, CompactWait, LendWindow, LargeJobWait,
// RecalcInterval, PriorityCalcPeriod, the requeue delay) is multiplied by K here.
// Time limits are whole wall minutes: limit = ceil(time_limit / K / 60) * 60 * K.
//
// Scheduling passes.  Slurm (bf_interval=1, sched_interval=2, batch_sched_delay=1)
// acts on a submission, an end or a requeue within the same wall second: in the
// replay a job that fits starts in the second it was submitted.  The sim runs one
// pass at each moment something happens (a submission, an end, a victim gone, a
// requeued job eligible again, a compact wait over).  A pass with no event since
// the last one would decide the same, so none is run (priorities change between
// passes only through age, which is ignored there).
//
// A pass.  Eligible pending jobs in Slurm's queue order: in B1 and P pool jobs
// first (partition PriorityTier 2 in B1, preempt_p_job_preempt_check in P), then
// priority (PriorityWeightAge=1000 over PriorityMaxAge 7 days, plus P's site
// factor from priority_model, recomputed every min(RecalcInterval, 60 s) wall),
// then trace order.  At most 500 jobs are tried per pass (Slurm's default
// bf_max_job_test).  Each job, in order:
//   1. starts if it fits now without touching a reservation it would delay;
//   2. else (B1, P) looks for victims: candidates in preemption order are taken
//      away one at a time until the job fits; the victims are those under the
//      nodes it would get.  They are requeued: their GPUs come back half a wall
//      second later (they end at SIGTERM; KillWait, 2 s, is the reclaim bound's
//      allowance for jobs that do not) and they may run again after the requeue delay (Slurm's
//      cred_expire + 1; the replay's harness sets it);
//   3. else gets a reservation: the earliest time its GPUs free up if running
//      jobs end at their time limits (EASY-style backfill over time limits).
//      Simplifications: only the first 16 blocked jobs of a pass get one (Slurm
//      tries up to bf_max_job_test); reserved nodes are out of the search for later
//      reservations; a reservation ignores the compact wait of P and is made
//      on nodes as a whole (a later job may use a reserved node only if it ends
//      before the reservation starts, or fits beside the reserved GPUs).
//
// Node selection (select/cons_tres with topology/tree, stock): one-node jobs take
// the node with the fewest free GPUs that still holds them (best fit, lowest
// index on a tie); multi-node jobs take the lowest switch that holds them
// (switch_tree::lowest_switch: fewest leaves, then best fit), then inside it the
// leaf that holds the rest with the fewest free nodes, else the leaf with the
// most; nodes of a leaf in index order.  A `nodes=0` job larger than a node is
// spread over shared nodes: the lowest switch whose free GPUs suffice, nodes with
// the most free GPUs first.
//
// P: the plugins' logic comes from the core itself.  At submission a pool job is
// shaped by plan_placement over the nodes as they are then (what
// job_submit/aishare does; its adapter turns the plan into --nodes, whole
// exclusive nodes, a matching-OR constraint over the switch alternatives and
// --switches=ideal@min(CompactWait, max_switch_wait 300 s), modelled here): the
// job takes the first alternative in plan order that holds it; while its compact
// wait lasts (from its first pass) only on at most ideal leaves.  General jobs in
// bounded or none lend modes avoid pool_ledger::nodes_to_avoid at submission.
// Preemption asks pool_ledger::may_preempt for each running job and orders the
// candidates by pool_ledger::victim_rank, from a snapshot rebuilt whenever a job
// started, ended or was preempted (the preempt plugin refreshes it at each
// preemption attempt); pool_ledger::note_preemption counts reclaims.  Grants,
// usage and pacing are in wall GPU-minutes, as Slurm charges them; usage does not
// decay (PriorityDecayHalfLife is long against a replay), and the trace starts
// at the start of a grant period (GrantStart).
//
// Not modelled: node failures, GraceTime, job arrays and steps, slurmctld's own
// delays beyond one pass, Slurm refusing a job larger than its partition (such a
// job stays pending).
#include "sim/sim_simulator.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "params/lend_mode.hpp"
#include "placement/placement_plan.hpp"

namespace aishare {
namespace {

params parse_params(const std::string &text)
{
	std::string errors;
	std::optional<params> parsed = params::parse(controller_params, text, errors);
	if (!parsed)
		throw std::invalid_argument("--params: " + errors);
	return *parsed;
}

} // namespace

sim_cluster sim_cluster::of(const switch_tree &fabric, const sim_settings &settings)
{
	params parsed = parse_params(settings.params);
	sim_cluster c;
	const auto &pools = parsed.get<std::vector<std::string>>("Pools");
	if (pools.empty())
		throw std::invalid_argument("--params: Pools= names no partition");
	c.pool = pools.front();
	if (c.pool == c.general)
		throw std::invalid_argument("--params: the pool cannot be the general partition " +
					    c.general);
	c.share = parsed.get<double>("Share[" + c.pool + "]");
	std::size_t n = fabric.node_count();
	c.pool_nodes.assign(n, 1);
	c.general_nodes.assign(n, 1);
	if (settings.config == sim_config::b3) {
		// The first ceil(Share x leaves) leaves in topology.conf order are the pool's.
		std::vector<std::size_t> leaves;
		for (std::size_t node = 0; node < n; node++)
			if (std::find(leaves.begin(), leaves.end(), fabric.leaf_of(node)) == leaves.end())
				leaves.push_back(fabric.leaf_of(node));
		std::size_t kept = static_cast<std::size_t>(
			std::ceil(c.share * static_cast<double>(leaves.size()) - 1e-9));
		for (std::size_t node = 0; node < n; node++) {
			std::size_t at = static_cast<std::size_t>(
				std::find(leaves.begin(), leaves.end(), fabric.leaf_of(node)) - leaves.begin());
			c.pool_nodes[node] = at < kept;
			c.general_nodes[node] = at >= kept;
		}
	}
	c.preemption = settings.config != sim_config::b3;
	lend_mode mode = lend_mode::preempt;
	// The parser let only lend_mode_choices' words through.
	lend_mode_named(parsed.get<std::string>("LendMode[" + c.pool + "]"), mode);
	if (settings.config == sim_config::p && mode != lend_mode::preempt)
		c.preemption = false;
	// KillWait plus one scheduling pass, in trace seconds.
	c.reclaim_bound = c.preemption ? (sim_detail::kill_wait + 1) * settings.speedup : -1;
	return c;
}

namespace sim_detail {

simulator::simulator(const switch_tree &fabric, const std::vector<sim_job> &trace,
		     const sim_settings &s)
	: fabric_(fabric), s_(s), cluster_(sim_cluster::of(fabric, s)), tick_(s.speedup),
	  gpn_(s.gpus_per_node), n_(fabric.node_count())
{
	if (!(s.speedup > 0) || s.speedup > 1e6)
		throw std::invalid_argument("--speedup must be a number above 0");
	if (gpn_ == 0 || gpn_ > 1024)
		throw std::invalid_argument("--gpus-per-node must be 1 to 1024");
	if (n_ == 0)
		throw std::invalid_argument("the topology has no nodes");
	free_.assign(n_, gpn_);
	occupants_.assign(n_, 0);
	reserved_at_.assign(n_, never);
	reserved_gpus_.assign(n_, 0);

	// Leaves in the order of their first node, and each switch's leaves.
	std::map<std::size_t, std::uint32_t> leaf_pos;
	node_leaf_.resize(n_);
	for (std::size_t node = 0; node < n_; node++) {
		auto [at, fresh] = leaf_pos.emplace(fabric.leaf_of(node),
						    static_cast<std::uint32_t>(leaf_pos.size()));
		if (fresh)
			leaf_nodes_.emplace_back();
		leaf_nodes_[at->second].push_back(static_cast<std::uint32_t>(node));
		node_leaf_[node] = at->second;
	}
	switch_leaves_.assign(fabric.switch_count(), {});
	switch_level_.assign(fabric.switch_count(), 0);
	for (std::size_t sw = 0; sw < fabric.switch_count(); sw++)
		switch_level_[sw] = fabric.switch_level(sw);
	for (const auto &[leaf, pos] : leaf_pos)
		for (std::size_t sw : fabric.switches_above(leaf_nodes_[pos].front()))
			switch_leaves_[sw].push_back(pos);

	params parsed = parse_params(s.params);
	if (s.config == sim_config::p) {
		ledger_ = std::make_unique<pool_ledger>(ledger_policy::from(parsed));
		model_ = std::make_unique<priority_model>(read_priority_weights(parsed));
		compact_wait_ = std::min<double>(static_cast<double>(parsed.get<std::uint64_t>("CompactWait")),
						 max_switch_wait) * tick_;
		std::uint64_t recalc = parsed.get<std::uint64_t>("RecalcInterval");
		recalc_ = (recalc > 0 && recalc < 60 ? static_cast<double>(recalc) : 60.0);
		grant_start_ = static_cast<double>(parsed.get<std::uint64_t>("GrantStart"));
		whole_nodes_ = parsed.get<bool>("WholeNodes");
	}
	recalc_ *= tick_; // PriorityCalcPeriod=1 (minute) in stock configurations
	params_ = std::make_unique<params>(std::move(parsed));

	jobs_.resize(trace.size());
	double demand = 0; // the pool's, wall GPU-minutes
	std::vector<std::string> pool_accounts;
	for (std::size_t i = 0; i < trace.size(); i++) {
		const sim_job &in = trace[i];
		job &j = jobs_[i];
		j.in = &in;
		j.order = i;
		if (in.partition != cluster_.pool && in.partition != cluster_.general)
			throw std::invalid_argument("job " + std::to_string(in.id) + ": partition " +
						    in.partition + " is neither the pool " +
						    cluster_.pool + " nor " + cluster_.general);
		j.pool = in.partition == cluster_.pool;
		j.allowed = &cluster_.nodes_of(in.partition);
		double minutes = std::ceil(static_cast<double>(in.time_limit) / tick_ / 60.0 - 1e-9);
		j.limit_minutes = static_cast<std::uint32_t>(std::max(1.0, minutes));
		j.limit = j.limit_minutes * 60.0 * tick_;
		if (in.nodes == 0 && in.gpus > gpn_) {
			j.want = {0, 0, in.gpus, false};
		} else {
			std::uint32_t nodes = std::max<std::uint32_t>(in.nodes, 1);
			j.want = {nodes, in.gpus / nodes, in.gpus, false};
		}
		by_id_[in.id] = i;
		if (j.pool) {
			demand += in.gpus * static_cast<double>(in.duration) / tick_ / 60.0;
			if (std::find(pool_accounts.begin(), pool_accounts.end(), in.account) ==
			    pool_accounts.end())
				pool_accounts.push_back(in.account);
		}
	}
	if (!s.grants.empty()) {
		grants_ = s.grants;
	} else {
		// Equal grants that the trace's pool demand uses to about 80%.
		for (const std::string &account : pool_accounts)
			grants_[account] = std::max(1.0, demand / 0.8 / pool_accounts.size());
	}
}

// job_submit/aishare at submission: shape and confine a pool job (P), or keep a
// general job off the nodes a bounded or strict pool keeps.
void simulator::submit(job &j, double now)
{
	j.st = state::pending;
	j.eligible = now;
	changed_ = true;
	ledger_dirty_ = true;
	incoming_.push_back(j.order);
	if (s_.config != sim_config::p)
		return;
	if (!j.pool) {
		// The kept nodes depend on the partition's nodes only: once per time limit.
		auto found = avoid_masks_.find(j.limit_minutes);
		if (found == avoid_masks_.end()) {
			refresh_ledger();
			std::vector<std::uint8_t> mask = cluster_.general_nodes;
			for (const std::string &name : ledger_->nodes_to_avoid(j.in->partition, j.limit_minutes)) {
				long at = fabric_.node_index(name);
				if (at >= 0)
					mask[static_cast<std::size_t>(at)] = 0;
			}
			found = avoid_masks_.emplace(j.limit_minutes, std::move(mask)).first;
		}
		j.allowed = &found->second;
		return;
	}
	// The planner sees the partition's nodes as slurmctld has them now.
	std::vector<place_node> nodes;
	nodes.reserve(n_);
	std::vector<double> victims(n_, 0.0);
	std::vector<std::uint8_t> blocked(n_, 0);
	for (std::size_t a : active_) {
		const job &other = jobs_[a];
		bool borrower = !other.pool && other.st == state::running && cluster_.preemption;
		for (std::uint32_t n : other.nodes) {
			if (borrower)
				victims[n] += 1.0 / other.nodes.size();
			else
				blocked[n] = 1;
		}
	}
	for (std::size_t n = 0; n < n_; n++) {
		if (!cluster_.pool_nodes[n])
			continue;
		place_node &node = nodes.emplace_back();
		node.name = fabric_.node_name(n);
		node.gpu_type = "";
		node.gpus = gpn_;
		node.free_gpus = free_[n];
		node.idle = occupants_[n] == 0;
		node.up = true;
		node.reclaimable = victims[n] > 0 && !blocked[n];
		node.victims = victims[n];
	}
	placement_request request;
	if (j.in->nodes == 0) {
		request.gpus_per_job = j.in->gpus;
	} else {
		request.nodes = j.in->nodes;
		request.gpus_per_node = j.in->gpus / j.in->nodes;
	}
	request.whole_nodes = whole_nodes_;
	request.partition = j.in->partition;
	placement plan = plan_placement(&fabric_, nodes, request, most_alternatives);
	switch (plan.kind) {
	case place_kind::refuse:
		j.st = state::refused;
		return;
	case place_kind::keep:
		return;
	case place_kind::whole_nodes:
		j.want = {plan.nodes, gpn_, plan.nodes * gpn_, true};
		break;
	case place_kind::part_nodes:
		break; // the adapter leaves the GPU request as it was
	}
	for (const std::string &name : plan.switches)
		for (std::size_t sw = 0; sw < fabric_.switch_count(); sw++)
			if (fabric_.switch_name(sw) == name)
				j.alternatives.push_back(sw);
	if (plan.nodes > 1 && plan.ideal_leaves)
		j.ideal = plan.ideal_leaves;
}

void simulator::start(std::size_t id, double now, const std::vector<std::uint32_t> &nodes,
		      const std::vector<std::uint32_t> &gpus)
{
	job &j = jobs_[id];
	j.st = state::running;
	j.start = now;
	j.end = now + static_cast<double>(j.in->duration) + run_overhead * tick_;
	j.nodes = nodes;
	j.node_gpus = gpus;
	j.held = 0;
	for (std::size_t i = 0; i < nodes.size(); i++) {
		free_[nodes[i]] -= gpus[i];
		occupants_[nodes[i]]++;
		j.held += gpus[i];
	}
	if (j.first_reclaim >= 0 && j.reclaim_latency < 0)
		j.reclaim_latency = now - j.first_reclaim;
	events_.push({j.end, id, 0});
	activate(id);
	ledger_dirty_ = true;
	changed_ = true;
}

void simulator::charge(const job &j, double now)
{
	if (s_.config == sim_config::p)
		used_[j.in->account] += j.held * (now - j.start) / tick_ / 60.0;
}

void simulator::finish(std::size_t id, double now)
{
	job &j = jobs_[id];
	if (j.st != state::running || j.end != now)
		return; // preempted since: a stale event
	charge(j, now);
	for (std::size_t i = 0; i < j.nodes.size(); i++) {
		free_[j.nodes[i]] += j.node_gpus[i];
		occupants_[j.nodes[i]]--;
	}
	j.st = state::done;
	deactivate(id);
	ledger_dirty_ = true;
	changed_ = true;
}

// A preempted job's GPUs come back once it has ended; it is pending again.
void simulator::release(std::size_t id, double now)
{
	job &j = jobs_[id];
	for (std::size_t i = 0; i < j.nodes.size(); i++) {
		free_[j.nodes[i]] += j.node_gpus[i];
		occupants_[j.nodes[i]]--;
	}
	j.st = state::pending;
	deactivate(id);
	j.start = j.end = -1;
	j.nodes.clear();
	j.node_gpus.clear();
	j.wait_start = -1;
	incoming_.push_back(id);
	(void) now;
	ledger_dirty_ = true;
	changed_ = true;
}

// BACKFILL: a backfill cycle (every job tried, reservations for blocked ones);
// else the main scheduler, which stops at a partition's first blocked job.
void simulator::pass(double now, bool backfill)
{
	// New pending jobs join the queue in order; priorities are recomputed at
	// their period.
	for (std::size_t id : incoming_)
		priority_of(jobs_[id], now);
	if (now >= next_recalc_) {
		queue_.insert(queue_.end(), incoming_.begin(), incoming_.end());
		refresh_priorities(now);
		next_recalc_ = (std::floor(now / recalc_) + 1) * recalc_;
	} else if (!incoming_.empty()) {
		std::stable_sort(incoming_.begin(), incoming_.end(),
				 [&](std::size_t a, std::size_t b) { return before(a, b); });
		std::vector<std::size_t> merged;
		merged.reserve(queue_.size() + incoming_.size());
		std::merge(queue_.begin(), queue_.end(), incoming_.begin(), incoming_.end(),
			   std::back_inserter(merged),
			   [&](std::size_t a, std::size_t b) { return before(a, b); });
		queue_.swap(merged);
	}
	incoming_.clear();

	std::fill(reserved_at_.begin(), reserved_at_.end(), never);
	std::fill(reserved_gpus_.begin(), reserved_gpus_.end(), 0);
	std::vector<std::size_t> by_end;
	bool by_end_ready = false;
	std::size_t tested = 0, reservations = 0;
	bool started_any = false;
	// Shapes that do not fit even on every free GPU: later jobs of the same shape
	// skip the search (starting jobs only takes GPUs away within a pass).
	std::vector<std::uint64_t> hopeless;
	std::vector<std::uint8_t> usable(n_, 1);
	std::vector<std::uint32_t> nodes, gpus;
	bool blocked[2] = { false, false }; // main scheduler: general, pool partition
	for (std::size_t id : queue_) {
		job &j = jobs_[id];
		if (j.st != state::pending || j.eligible > now || blocked[j.pool])
			continue;
		if (++tested > most_tested)
			break;
		if (j.victims_until > now)
			continue; // its victims are still going
		if (j.wait_start < 0) {
			// Slurm starts a --switches job's wait at its first scheduling attempt.
			j.wait_start = now;
			if (!j.alternatives.empty() && j.ideal > 0)
				events_.push({now + compact_wait_, id, 2});
		}
		bool compact = !j.alternatives.empty() && j.ideal > 0 && now < j.wait_start + compact_wait_;
		std::uint64_t key = (static_cast<std::uint64_t>(j.want.nodes) << 40) ^
				    (static_cast<std::uint64_t>(j.want.per_node) << 20) ^ j.want.gpus ^
				    (j.want.whole ? 1ull << 63 : 0) ^
				    (j.allowed == &cluster_.pool_nodes ? 1ull << 62 : 0);
		bool plain = j.alternatives.empty() && (j.allowed == &cluster_.pool_nodes ||
							 j.allowed == &cluster_.general_nodes);
		if (plain && std::find(hopeless.begin(), hopeless.end(), key) != hopeless.end())
			continue;
		// 1. Now, beside the reservations it would delay.
		bool raw = select(j, free_, occupants_, nullptr, compact, nodes, gpus);
		if (raw) {
			bool clash = false;
			for (std::size_t i = 0; i < nodes.size() && !clash; i++)
				clash = reserved_at_[nodes[i]] < now + j.limit &&
					free_[nodes[i]] < gpus[i] + reserved_gpus_[nodes[i]];
			if (clash) {
				for (std::size_t n = 0; n < n_; n++)
					usable[n] = !(reserved_at_[n] < now + j.limit) ||
						    free_[n] >= reserved_gpus_[n] + (j.want.whole ? gpn_ : j.want.per_node) ;
				raw = select(j, free_, occupants_, &usable, compact, nodes, gpus);
			}
			if (raw) {
				start(id, now, nodes, gpus);
				started_any = true;
				continue;
			}
		} else if (plain && !compact) {
			hopeless.push_back(key);
		}
		// 2. Preemption.
		if (cluster_.preemption && j.pool && try_preempt(id, now))
			continue;
		if (!backfill) {
			blocked[j.pool] = true;
			continue;
		}
		// 3. A reservation.
		if (reservations < most_reservations && !compact) {
			if (!by_end_ready) {
				by_end = active_;
				auto due = [&](std::size_t i) {
					return jobs_[i].st == state::dying ? jobs_[i].release
									   : jobs_[i].start + jobs_[i].limit;
				};
				std::sort(by_end.begin(), by_end.end(),
					  [&](std::size_t a, std::size_t b) { return due(a) < due(b); });
				by_end_ready = true;
			}
			reserve(id, now, by_end);
			reservations++;
		}
	}
	if (started_any)
		queue_.erase(std::remove_if(queue_.begin(), queue_.end(),
					    [&](std::size_t id) { return jobs_[id].st != state::pending; }),
			     queue_.end());
}

std::vector<sim_record> simulator::run()
{
	const double horizon = s_.horizon > 0 ? s_.horizon : never;
	std::size_t next_submit = 0;
	double next_backfill = never; // the next backfill cycle, while jobs wait
	bool backfill_due = false;    // something changed since the last one
	while (true) {
		double next_event = next_backfill;
		if (next_submit < jobs_.size())
			next_event = std::min(next_event, static_cast<double>(jobs_[next_submit].in->submit));
		if (!events_.empty())
			next_event = std::min(next_event, events_.top().time);
		if (next_event == never || next_event > horizon)
			break;
		// Slurm schedules at a submission or an end within the same wall second
		// (the replay's jobs that fit start in the second they were submitted), so
		// a pass follows each moment something happens.
		double now = next_event;
		// Everything up to NOW happens, in time order.
		while (true) {
			double submit_at = next_submit < jobs_.size()
						   ? static_cast<double>(jobs_[next_submit].in->submit)
						   : never;
			double event_at = events_.empty() ? never : events_.top().time;
			if (std::min(submit_at, event_at) > now)
				break;
			if (event_at <= submit_at) {
				event e = events_.top();
				events_.pop();
				if (e.kind == 0)
					finish(e.job, e.time);
				else if (e.kind == 1 && jobs_[e.job].st == state::dying)
					release(e.job, e.time);
				else
					changed_ = true; // a wake-up: eligible, compact wait over
			} else {
				submit(jobs_[next_submit], submit_at);
				next_submit++;
			}
		}
		bool backfill = now >= next_backfill;
		backfill_due = backfill_due || changed_;
		if (changed_ || (backfill && backfill_due))
			pass(now, backfill);
		if (backfill)
			backfill_due = false;
		changed_ = false;
		// Slurm's backfill runs every bf_interval (one wall second); a cycle with
		// nothing changed since the last one would decide the same.
		if (next_backfill <= now || next_backfill == never)
			next_backfill = backfill_due && !(queue_.empty() && incoming_.empty())
						? (std::floor(now / tick_) + 1) * tick_
						: never;
	}

	std::vector<sim_record> records;
	records.reserve(jobs_.size());
	for (const job &j : jobs_) {
		sim_record r;
		r.id = j.in->id;
		r.account = j.in->account;
		r.partition = j.in->partition;
		r.nodes = j.in->nodes;
		r.gpus = j.in->gpus;
		r.duration = static_cast<double>(j.in->duration);
		r.submit = static_cast<double>(j.in->submit);
		r.preemptions = j.preemptions;
		bool started = (j.st == state::running || j.st == state::done || j.st == state::dying) &&
			       j.start >= 0 && j.start <= horizon;
		if (started && j.st != state::dying) {
			r.start = j.start;
			r.end = j.st == state::done && j.end <= horizon ? j.end : -1;
			for (std::uint32_t n : j.nodes)
				r.nodelist.push_back(fabric_.node_name(n));
			r.reclaim_latency = j.reclaim_latency;
		}
		records.push_back(std::move(r));
	}
	return records;
}

} // namespace sim_detail

std::vector<sim_record> run_simulation(const switch_tree &fabric, const std::vector<sim_job> &jobs,
				       const sim_settings &settings)
{
	sim_detail::simulator sim(fabric, jobs, settings);
	return sim.run();
}

} // namespace aishare
