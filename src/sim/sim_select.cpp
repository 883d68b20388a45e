// sim_select.cpp - `aishare sim`: where a job fits, as select/cons_tres with
// topology/tree places it (stock), or within the switches job_submit/aishare
// confined it to (P).  The model is described at the top of sim_engine.cpp.
// Copyright (C) 2026 The slurm-aishare authors. GPL-2.0-or-later.
#include "sim/sim_simulator.hpp"

#include <algorithm>
#include <cmath>

namespace aishare {
namespace sim_detail {

bool simulator::node_fits(const job &j, std::size_t n, const std::vector<std::uint32_t> &free,
			  const std::vector<std::uint32_t> &occupants) const
{
	if (!(*j.allowed)[n])
		return false;
	if (j.want.whole)
		return occupants[n] == 0 && free[n] == gpn_;
	if (j.want.nodes == 0)
		return free[n] > 0;
	return free[n] >= j.want.per_node;
}

// Stock selection of WANT.nodes nodes among FITS, inside switch WITHIN.
bool simulator::pick_stock(const job &j, const std::vector<std::uint8_t> &fits,
			   const std::vector<std::uint32_t> &free, std::size_t within,
			   std::vector<std::uint32_t> &nodes)
{
	nodes.clear();
	std::uint32_t count = j.want.nodes;
	const std::vector<std::uint32_t> &leaves = switch_leaves_[within];
	if (count == 1) {
		long best = -1;
		for (std::uint32_t leaf : leaves)
			for (std::uint32_t n : leaf_nodes_[leaf])
				if (fits[n] && (best < 0 || free[n] < free[static_cast<std::size_t>(best)] ||
						(free[n] == free[static_cast<std::size_t>(best)] &&
						 n < static_cast<std::uint32_t>(best))))
					best = n;
		if (best < 0)
			return false;
		nodes.push_back(static_cast<std::uint32_t>(best));
		return true;
	}
	std::vector<std::pair<std::uint32_t, std::uint32_t>> have; // (free nodes, leaf)
	for (std::uint32_t leaf : leaves) {
		std::uint32_t c = 0;
		for (std::uint32_t n : leaf_nodes_[leaf])
			c += fits[n];
		if (c)
			have.push_back({c, leaf});
	}
	while (count > 0 && !have.empty()) {
		// The leaf holding the rest with the fewest free nodes, else the fullest.
		std::size_t pick = have.size();
		for (std::size_t i = 0; i < have.size(); i++)
			if (have[i].first >= count && (pick == have.size() || have[i].first < have[pick].first))
				pick = i;
		if (pick == have.size())
			for (std::size_t i = 0; i < have.size(); i++)
				if (pick == have.size() || have[i].first > have[pick].first)
					pick = i;
		for (std::uint32_t n : leaf_nodes_[have[pick].second])
			if (fits[n] && count > 0) {
				nodes.push_back(n);
				count--;
			}
		have.erase(have.begin() + static_cast<long>(pick));
	}
	return count == 0;
}

// The nodes J gets now over FREE/OCCUPANTS (USABLE: nodes not held back by a
// reservation, or null), honouring P's confinement; COMPACT: its compact wait lasts.
bool simulator::select(const job &j, const std::vector<std::uint32_t> &free,
		       const std::vector<std::uint32_t> &occupants,
		       const std::vector<std::uint8_t> *usable, bool compact,
		       std::vector<std::uint32_t> &nodes, std::vector<std::uint32_t> &gpus)
{
	thread_local std::vector<std::uint8_t> fits;
	fits.assign(n_, 0);
	std::size_t count = 0;
	std::uint64_t free_sum = 0;
	for (std::size_t n = 0; n < n_; n++)
		if (node_fits(j, n, free, occupants) && (!usable || (*usable)[n])) {
			fits[n] = 1;
			count++;
			free_sum += free[n];
		}
	nodes.clear();
	gpus.clear();
	if (j.want.nodes == 0) {
		// Spread: the lowest switch whose free GPUs hold it (fewest such GPUs on a
		// tie), then the nodes with the most free GPUs first.
		if (free_sum < j.want.gpus)
			return false;
		long best = -1;
		std::uint64_t best_sum = 0;
		for (std::size_t sw = 0; sw < switch_leaves_.size(); sw++) {
			std::uint64_t sum = 0;
			for (std::uint32_t leaf : switch_leaves_[sw])
				for (std::uint32_t n : leaf_nodes_[leaf])
					sum += fits[n] ? free[n] : 0;
			if (sum < j.want.gpus)
				continue;
			if (best < 0 || switch_level_[sw] < switch_level_[static_cast<std::size_t>(best)] ||
			    (switch_level_[sw] == switch_level_[static_cast<std::size_t>(best)] && sum < best_sum)) {
				best = static_cast<long>(sw);
				best_sum = sum;
			}
		}
		if (best < 0)
			return false;
		std::vector<std::uint32_t> under;
		for (std::uint32_t leaf : switch_leaves_[static_cast<std::size_t>(best)])
			for (std::uint32_t n : leaf_nodes_[leaf])
				if (fits[n])
					under.push_back(n);
		std::stable_sort(under.begin(), under.end(),
				 [&](std::uint32_t a, std::uint32_t b) { return free[a] > free[b]; });
		std::uint32_t left = j.want.gpus;
		for (std::uint32_t n : under) {
			if (!left)
				break;
			std::uint32_t take = std::min(left, free[n]);
			nodes.push_back(n);
			gpus.push_back(take);
			left -= take;
		}
		return true;
	}
	if (count < j.want.nodes)
		return false;
	bool ok = false;
	if (j.alternatives.empty()) {
		switch_pick pick{};
		if (j.want.nodes == 1) {
			// One node: best fit over every node, the lowest index on a tie.
			long best = -1;
			for (std::size_t n = 0; n < n_; n++)
				if (fits[n] && (best < 0 || free[n] < free[static_cast<std::size_t>(best)]))
					best = static_cast<long>(n);
			if (best >= 0) {
				nodes.assign(1, static_cast<std::uint32_t>(best));
				ok = true;
			}
		} else if (fabric_.lowest_switch(fits.data(), j.want.nodes, pick)) {
			ok = pick_stock(j, fits, free, pick.index, nodes);
		}
	} else {
		thread_local std::vector<std::uint8_t> inside;
		for (std::size_t sw : j.alternatives) {
			inside.assign(n_, 0);
			std::size_t have = 0;
			for (std::uint32_t leaf : switch_leaves_[sw])
				for (std::uint32_t n : leaf_nodes_[leaf])
					if (fits[n]) {
						inside[n] = 1;
						have++;
					}
			if (have < j.want.nodes)
				continue;
			if (compact && j.ideal > 0 && j.want.nodes > 1 &&
			    fabric_.leaf_bound(inside.data(), j.want.nodes) > static_cast<long>(j.ideal))
				continue;
			switch_pick pick{};
			if (j.want.nodes == 1)
				ok = pick_stock(j, inside, free, sw, nodes);
			else if (fabric_.lowest_switch(inside.data(), j.want.nodes, pick))
				ok = pick_stock(j, inside, free, pick.index, nodes);
			if (ok)
				break;
		}
	}
	if (!ok)
		return false;
	gpus.assign(nodes.size(), j.want.whole ? gpn_ : j.want.per_node);
	return true;
}

} // namespace sim_detail
} // namespace aishare
