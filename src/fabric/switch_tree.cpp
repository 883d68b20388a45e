// switch_tree.cpp - the fabric as a tree of switches: built, checked, queried.
// Copyright (C) 2026 The slurm-aishare authors. GPL-2.0-or-later.
#include "fabric/switch_tree.hpp"

#include <algorithm>
#include <stdexcept>
#include <unordered_set>


namespace aishare {
namespace {

// Roots named in the "several roots" problem.
constexpr std::size_t max_roots_named = 10;
// Where a problem's switch is defined: "switch s1 ... (line 12)".
constexpr const char *at_line = " (line ";

} // namespace

void switch_tree::add_problem(const char *kind, const std::string &detail)
{
	problems_.push_back({kind, detail});
}

// Resolves names into the tree, repairing what check reports: every later
// duplicate loses, so a query sees one consistent tree.
switch_tree::switch_tree(std::vector<switch_entry> switches, const std::string &origin)
{
	switches_.reserve(switches.size());
	for (switch_entry &entry : switches)
		switches_.emplace_back(std::move(entry));
	if (switches_.empty()) {
		add_problem("empty_tree", origin + " defines no switch");
		return;
	}
	std::unordered_map<std::string, std::size_t> by_name = keep_first_definitions();
	check_switch_kinds();
	link_parents(by_name);
	break_cycles();
	std::vector<std::size_t> roots = find_roots();
	order_leaves(roots);
	assign_nodes();
}

// Phase 1: one switch per name, the first definition; returns name -> index.
std::unordered_map<std::string, std::size_t> switch_tree::keep_first_definitions()
{
	std::unordered_map<std::string, std::size_t> by_name;
	std::vector<switch_def> kept;
	kept.reserve(switches_.size());
	for (switch_def &def : switches_) {
		auto found = by_name.find(def.name);
		if (found != by_name.end()) {
			add_problem("duplicate_switch",
				    "switch " + def.name + " is defined twice (lines " +
					    std::to_string(kept[found->second].line) + " and " +
					    std::to_string(def.line) + "); the second is ignored");
			continue;
		}
		by_name.emplace(def.name, kept.size());
		kept.push_back(std::move(def));
	}
	switches_ = std::move(kept);
	return by_name;
}

// Phase 2: switches with neither or both of Nodes and Switches are reported.
void switch_tree::check_switch_kinds()
{
	// Both are kept as they are: one with both is a leaf that has children.
	for (switch_def &def : switches_) {
		if (!def.has_nodes && !def.has_switches)
			add_problem("childless_switch", "switch " + def.name +
								" has neither Nodes nor Switches" + at_line +
								std::to_string(def.line) + ")");
		if (def.has_nodes && def.has_switches)
			add_problem("mixed_switch", "switch " + def.name +
							    " has both Nodes and Switches" + at_line +
							    std::to_string(def.line) + ")");
	}
}

// Phase 3: parents and children, each switch's first parent (in file order) kept.
void switch_tree::link_parents(const std::unordered_map<std::string, std::size_t> &by_name)
{
	for (std::size_t s = 0; s < switches_.size(); s++) {
		switch_def &def = switches_[s];
		std::unordered_set<std::string> named;
		for (const std::string &child : def.child_names) {
			if (!named.insert(child).second)
				continue; // named twice by one parent: harmless
			auto found = by_name.find(child);
			if (found == by_name.end()) {
				add_problem("undefined_switch",
					    "switch " + def.name + " names switch " + child +
						    ", which is never defined" + at_line +
						    std::to_string(def.line) + ")");
				continue;
			}
			switch_def &target = switches_[found->second];
			if (target.parent >= 0) {
				const switch_def &first = switches_[target.parent];
				add_problem("two_parents",
					    "switch " + child + " is a child of both " + first.name +
						    " and " + def.name + " (lines " +
						    std::to_string(first.line) + " and " +
						    std::to_string(def.line) + "); the first is kept");
				continue;
			}
			target.parent = static_cast<long>(s);
			def.children.push_back(found->second);
		}
	}
}

// Phase 4: no cycle, so following parents from any switch reaches a root.
void switch_tree::break_cycles()
{
	// With one parent each, following parents either reaches a root or loops.
	// Each loop is reported and broken by dropping the edge into its
	// first-defined member, which then becomes a root.
	std::vector<uint8_t> state(switches_.size(), 0); // 0 new, 1 on the path, 2 done
	for (std::size_t s = 0; s < switches_.size(); s++) {
		std::vector<std::size_t> path;
		long at = static_cast<long>(s);
		while (at >= 0 && state[at] == 0) {
			state[at] = 1;
			path.push_back(static_cast<std::size_t>(at));
			at = switches_[at].parent;
		}
		if (at >= 0 && state[at] == 1) {
			auto first = std::find(path.begin(), path.end(), static_cast<std::size_t>(at));
			std::vector<std::size_t> loop(first, path.end());
			// Parent before child reads as the file does: a -> b means a names b.
			std::reverse(loop.begin(), loop.end());
			std::size_t cut = *std::min_element(loop.begin(), loop.end());
			std::rotate(loop.begin(), std::find(loop.begin(), loop.end(), cut), loop.end());
			std::string detail = "switches form a cycle: ";
			for (std::size_t member : loop)
				detail += switches_[member].name + " -> ";
			add_problem("cycle", detail + switches_[cut].name);
			switch_def &parent = switches_[switches_[cut].parent];
			parent.children.erase(
				std::find(parent.children.begin(), parent.children.end(), cut));
			switches_[cut].parent = -1;
		}
		for (std::size_t member : path)
			state[member] = 2;
	}
}

// Phase 5: the roots, in definition order; more than one is reported.
std::vector<std::size_t> switch_tree::find_roots()
{
	std::vector<std::size_t> roots;
	for (std::size_t s = 0; s < switches_.size(); s++)
		if (switches_[s].parent < 0)
			roots.push_back(s);
	if (roots.size() > 1) {
		std::string detail = std::to_string(roots.size()) + " roots (disconnected trees): ";
		for (std::size_t i = 0; i < roots.size() && i < max_roots_named; i++)
			detail += (i ? ", " : "") + switches_[roots[i]].name;
		if (roots.size() > max_roots_named)
			detail += " and " + std::to_string(roots.size() - max_roots_named) + " more";
		add_problem("several_roots", detail);
	}
	return roots;
}

// Phase 6: leaf_order_, each switch's range of it and its level, level_count_.
void switch_tree::order_leaves(const std::vector<std::size_t> &roots)
{
	// Depth first from the roots, without recursion (a hostile file may chain
	// a million switches): pre-order gives each subtree's leaves one contiguous
	// range of leaf_order_, so a query sums a range instead of walking a tree.
	std::vector<std::size_t> order;
	order.reserve(switches_.size());
	std::vector<std::size_t> stack;
	for (auto root = roots.rbegin(); root != roots.rend(); ++root)
		stack.push_back(*root);
	while (!stack.empty()) {
		std::size_t s = stack.back();
		stack.pop_back();
		order.push_back(s);
		switch_def &def = switches_[s];
		def.leaf_begin = leaf_order_.size();
		if (def.has_nodes)
			leaf_order_.push_back(s);
		for (auto child = def.children.rbegin(); child != def.children.rend(); ++child)
			stack.push_back(*child);
	}
	// Children follow their parent in pre-order, so reverse order finishes them first.
	for (auto it = order.rbegin(); it != order.rend(); ++it) {
		switch_def &def = switches_[*it];
		def.leaf_end = def.leaf_begin + (def.has_nodes ? 1 : 0);
		// A switch with Nodes is a leaf (level 0) unless it also has children.
		def.level = 0;
		for (std::size_t child : def.children) {
			def.leaf_end = std::max(def.leaf_end, switches_[child].leaf_end);
			def.level = std::max(def.level, switches_[child].level + 1);
		}
		level_count_ = std::max(level_count_, def.level + 1);
	}
}

// Phase 7: nodes_, node_index_, node_leaf_, largest_leaf_; the names dropped.
void switch_tree::assign_nodes()
{
	// The first leaf (in leaf order) that names a node keeps it.
	std::vector<std::size_t> position(switches_.size(), 0);
	for (std::size_t p = 0; p < leaf_order_.size(); p++)
		position[leaf_order_[p]] = p;
	std::vector<uint32_t> per_leaf(leaf_order_.size(), 0);
	// Nodes are numbered in file order (first seen), whatever the leaf order.
	for (const switch_def &def : switches_) {
		if (!def.has_nodes)
			continue;
		uint32_t leaf = static_cast<uint32_t>(position[&def - switches_.data()]);
		for (const std::string &node : def.node_names) {
			auto found = node_index_.find(node);
			if (found == node_index_.end()) {
				node_index_.emplace(node, static_cast<uint32_t>(nodes_.size()));
				nodes_.push_back(node);
				node_leaf_.push_back(leaf);
				per_leaf[leaf]++;
				continue;
			}
			const switch_def &first = switches_[leaf_order_[node_leaf_[found->second]]];
			if (&first == &def)
				add_problem("duplicate_node", "node " + node + " is named twice by switch " +
								      def.name + at_line +
								      std::to_string(def.line) + ")");
			else
				add_problem("node_in_two_leaves",
					    "node " + node + " is in leaf switches " + first.name +
						    " (line " + std::to_string(first.line) + ") and " +
						    def.name + at_line + std::to_string(def.line) +
						    "); the first is kept");
		}
	}
	for (uint32_t count : per_leaf)
		largest_leaf_ = std::max(largest_leaf_, count);
	// The names served their purpose; the tree keeps indexes only.
	for (switch_def &def : switches_) {
		std::vector<std::string>().swap(def.node_names);
		std::vector<std::string>().swap(def.child_names);
	}
}

long switch_tree::node_index(const std::string &name) const
{
	auto found = node_index_.find(name);
	return found == node_index_.end() ? -1 : static_cast<long>(found->second);
}

const std::vector<uint32_t> &switch_tree::count_free(const uint8_t *free) const
{
	// One vector per thread, reused: a query allocates only on a thread's first call.
	thread_local std::vector<uint32_t> leaf_free;
	leaf_free.assign(leaf_order_.size(), 0);
	for (std::size_t node = 0; node < nodes_.size(); node++)
		if (free[node])
			leaf_free[node_leaf_[node]]++;
	return leaf_free;
}

// The k leaves holding the most free nodes hold more than any other k leaves, so
// the smallest k whose k largest counts reach NODES is the exact minimum: no
// search over subsets is needed.  Counts are at most largest_leaf_, so a counting
// sort over a histogram takes the place of sorting.
long switch_tree::fewest_leaves(const std::vector<uint32_t> &leaf_free, std::size_t begin,
				std::size_t end, uint32_t nodes) const
{
	if (nodes == 0)
		return 0;
	thread_local std::vector<uint32_t> histogram;
	histogram.assign(largest_leaf_ + 1, 0);
	uint64_t total = 0;
	for (std::size_t p = begin; p < end; p++) {
		histogram[leaf_free[p]]++;
		total += leaf_free[p];
	}
	if (total < nodes)
		return -1;
	long leaves = 0;
	uint64_t sum = 0;
	for (uint32_t count = largest_leaf_; count > 0; count--) {
		uint32_t have = histogram[count];
		if (!have)
			continue;
		uint64_t missing = nodes - sum;
		// Leaves of this count needed to cover what is missing, at most HAVE.
		uint64_t take = std::min<uint64_t>(have, (missing + count - 1) / count);
		leaves += static_cast<long>(take);
		sum += take * count;
		if (sum >= nodes)
			return leaves;
	}
	return -1; // not reached: total >= nodes
}

long switch_tree::leaf_bound(const uint8_t *free, uint32_t nodes) const
{
	const std::vector<uint32_t> &leaf_free = count_free(free);
	return fewest_leaves(leaf_free, 0, leaf_free.size(), nodes);
}

bool switch_tree::lowest_switch(const uint8_t *free, uint32_t nodes, switch_pick &pick) const
{
	const std::vector<uint32_t> &leaf_free = count_free(free);
	thread_local std::vector<uint64_t> prefix;
	prefix.assign(leaf_free.size() + 1, 0);
	for (std::size_t p = 0; p < leaf_free.size(); p++)
		prefix[p + 1] = prefix[p] + leaf_free[p];

	bool found = false;
	for (std::size_t s = 0; s < switches_.size(); s++) {
		const switch_def &def = switches_[s];
		uint64_t have = prefix[def.leaf_end] - prefix[def.leaf_begin];
		if (have < nodes)
			continue;
		if (found && def.level > pick.level)
			continue;
		uint32_t leaves = static_cast<uint32_t>(
			fewest_leaves(leaf_free, def.leaf_begin, def.leaf_end, nodes));
		uint32_t free_nodes = static_cast<uint32_t>(have);
		// Strictly better only: on a full tie the first defined stays.
		if (!found || def.level < pick.level ||
		    (leaves < pick.leaves ||
		     (leaves == pick.leaves && free_nodes < pick.free_nodes))) {
			pick = {s, def.level, leaves, free_nodes};
			found = true;
		}
	}
	return found;
}

std::vector<std::size_t> switch_tree::switches_above(std::size_t node) const
{
	std::vector<std::size_t> path;
	// Parents form no cycle once the tree is built: build() cut them.
	for (long s = static_cast<long>(leaf_of(node)); s >= 0; s = switches_[s].parent)
		path.push_back(static_cast<std::size_t>(s));
	return path;
}

confinement switch_tree::confine(const placement_view &view, uint32_t nodes,
				 std::size_t most) const
{
	confinement result;
	// count_free() reuses one buffer per thread: keep copies of the counts.
	const std::vector<uint32_t> member_count = count_free(view.members);
	const std::vector<uint32_t> idle_count = count_free(view.idle);
	const std::vector<uint32_t> reclaim_count = count_free(view.reclaimable);
	const std::vector<uint32_t> fit_count = count_free(view.fits);
	std::vector<double> leaf_victims(leaf_order_.size(), 0.0);
	for (std::size_t node = 0; node < nodes_.size(); node++)
		if (view.reclaimable[node])
			leaf_victims[node_leaf_[node]] += view.victims[node];
	long ideal = fewest_leaves(member_count, 0, member_count.size(), nodes);
	if (ideal < 0 || nodes == 0)
		return result;
	result.ideal_leaves = static_cast<uint32_t>(ideal);

	auto sum = [](const auto &count, const switch_def &def) {
		double total = 0;
		for (std::size_t p = def.leaf_begin; p < def.leaf_end; p++)
			total += count[p];
		return total;
	};
	// Better first: holds it now, then by reclaim, then neither.
	enum class holds { now = 0, by_reclaim = 1, later = 2 };
	struct ranked {
		std::size_t index;
		holds when;
		long leaves;    // fewest leaves holding it now, when it does
		double idle;    // idle nodes below it
		double fit;     // fitting nodes below it
		double victims; // borrower jobs to preempt below it
	};
	std::vector<ranked> candidates;
	uint32_t level = UINT32_MAX;
	for (std::size_t s = 0; s < switches_.size(); s++) {
		const switch_def &def = switches_[s];
		if (def.level > level || sum(member_count, def) < nodes)
			continue;
		if (def.level < level) {
			level = def.level;
			candidates.clear();
		}
		long leaves = fewest_leaves(fit_count, def.leaf_begin, def.leaf_end, nodes);
		holds when = leaves >= 0 ? holds::now :
			     sum(fit_count, def) + sum(reclaim_count, def) >= nodes ? holds::by_reclaim :
										     holds::later;
		candidates.push_back({s, when, leaves, sum(idle_count, def), sum(fit_count, def),
				      sum(leaf_victims, def)});
	}
	// Stable: on a full tie the switch defined first comes first.
	std::stable_sort(candidates.begin(), candidates.end(),
			 [](const ranked &a, const ranked &b) {
				 if (a.when != b.when)
					 return a.when < b.when;
				 if (a.when == holds::by_reclaim && a.victims != b.victims)
					 return a.victims < b.victims;
				 if (a.when != holds::now)
					 return a.fit > b.fit;
				 if (a.leaves != b.leaves)
					 return a.leaves < b.leaves;
				 if (a.idle != b.idle)
					 return a.idle < b.idle;
				 return a.fit < b.fit;
			 });
	result.level = level;
	for (std::size_t i = 0; i < candidates.size() && i < most; i++)
		result.switches.push_back(candidates[i].index);
	// The fallback once the compact wait is over: the whole tree below a root.
	for (std::size_t s = 0; s < switches_.size(); s++) {
		const switch_def &def = switches_[s];
		if (def.parent < 0 && def.level > level && sum(member_count, def) >= nodes)
			result.switches.push_back(s);
	}
	return result;
}

} // namespace aishare
