// switch_tree.hpp - the fabric as a tree of switches, and the queries placement
// asks of it (fewest leaf switches for a job, lowest switch that holds it).
// Copyright (C) 2026 The slurm-aishare authors. GPL-2.0-or-later.
//
// Built once per (re)configure from the switch entries of one source (a reader:
// topology_conf.hpp, switch_records.hpp); immutable afterwards, so the const
// queries may run from any thread (their scratch space is thread_local).
// Problems of the tree (a node in two leaves, a cycle, several roots, ...) are
// kept in problems() for `aishare topo check`, and the tree is repaired so that
// queries still answer: the first definition, the first parent and the first
// leaf win, and one edge of every cycle is dropped.
#ifndef AISHARE_SWITCH_TREE_HPP
#define AISHARE_SWITCH_TREE_HPP

#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "fabric/switch_entry.hpp"

namespace aishare {

// One finding of `aishare topo check`: KIND is a stable identifier for scripts,
// DETAIL a sentence for people.
struct check_problem {
	std::string kind;
	std::string detail;
};

// Per fabric node, what switch_tree::confine() weighs (one entry per node).
struct placement_view {
	const uint8_t *members;     // of the job's node class
	const uint8_t *fits;        // the job could start there now
	const uint8_t *idle;        // no job runs there
	const uint8_t *reclaimable; // fits once the borrowers running there are preempted
	const double *victims;      // borrower jobs there, each job counted 1/its node count
};

// Where a job may be confined, best first: see switch_tree::confine().
struct confinement {
	std::vector<std::size_t> switches; // alternatives, preferred first
	uint32_t level = 0;                // level of the first alternatives
	uint32_t ideal_leaves = 0;         // fewest leaves on an empty machine
};

// lowest_switch()'s answer.
struct switch_pick {
	std::size_t index;   // the switch
	uint32_t level;      // 0 for a leaf, parents one more than their highest child
	uint32_t leaves;     // fewest of its leaves whose free nodes hold the job
	uint32_t free_nodes; // free nodes below it
};

class switch_tree {
public:
	// The tree of SWITCHES, as a reader gives them (ORIGIN names the source in
	// problems): checked and repaired, never refused.
	switch_tree(std::vector<switch_entry> switches, const std::string &origin);

	std::size_t switch_count() const { return switches_.size(); }
	const std::string &switch_name(std::size_t s) const { return switches_[s].name; }
	uint32_t switch_level(std::size_t s) const { return switches_[s].level; }
	std::size_t leaf_count() const { return leaf_order_.size(); }
	// Levels in use: 1 for leaves only, 0 for an empty tree.
	uint32_t level_count() const { return level_count_; }

	std::size_t node_count() const { return nodes_.size(); }
	const std::string &node_name(std::size_t node) const { return nodes_[node]; }
	long node_index(const std::string &name) const;
	// The (first) leaf switch of NODE.
	std::size_t leaf_of(std::size_t node) const { return leaf_order_[node_leaf_[node]]; }
	// NODE's leaf switch and every switch above it, leaf first.
	std::vector<std::size_t> switches_above(std::size_t node) const;

	const std::vector<check_problem> &problems() const { return problems_; }

	// Fewest leaves whose free nodes (FREE: one flag per node) hold NODES, or -1.
	long leaf_bound(const uint8_t *free, uint32_t nodes) const;
	// The lowest switch whose free nodes hold NODES; of that level the one
	// needing the fewest leaves, then the fewest free nodes (best fit), then the
	// first defined.  False when none can.
	bool lowest_switch(const uint8_t *free, uint32_t nodes, switch_pick &pick) const;
	// The switches of the lowest level whose members (the nodes a job may ever
	// use) hold NODES, ranked: those holding it now on the fewest leaves, then
	// with the fewest idle nodes (so partly used switches fill first and whole
	// ones stay whole), then the fewest fitting nodes (best fit); then those that
	// hold it once borrowers are reclaimed, fewest victims first; then those
	// closest to holding it.  At most MOST of them, followed by the roots that hold
	// it as the fallback.  Empty when the members are too few.
	confinement confine(const placement_view &nodes, uint32_t count, std::size_t most) const;

private:
	struct switch_def : switch_entry {
		explicit switch_def(switch_entry entry) : switch_entry(std::move(entry)) {}
		std::vector<std::size_t> children; // resolved, the tree after repairs
		long parent = -1;
		uint32_t level = 0;
		// Its subtree's leaves: positions [leaf_begin, leaf_end) of leaf_order_.
		std::size_t leaf_begin = 0;
		std::size_t leaf_end = 0;
	};

	// The constructor's phases, in this order: each relies on what the ones before it
	// established (switch_tree.cpp says what each establishes).
	std::unordered_map<std::string, std::size_t> keep_first_definitions();
	void check_switch_kinds();
	void link_parents(const std::unordered_map<std::string, std::size_t> &by_name);
	void break_cycles();
	std::vector<std::size_t> find_roots();
	void order_leaves(const std::vector<std::size_t> &roots);
	void assign_nodes();
	void add_problem(const char *kind, const std::string &detail);
	// Free nodes per leaf position, into the thread's scratch space.
	const std::vector<uint32_t> &count_free(const uint8_t *free) const;
	// Fewest leaves in positions [BEGIN, END) of LEAF_FREE holding NODES, or -1.
	long fewest_leaves(const std::vector<uint32_t> &leaf_free, std::size_t begin,
			   std::size_t end, uint32_t nodes) const;

	std::vector<switch_def> switches_;
	std::vector<std::string> nodes_;
	std::unordered_map<std::string, uint32_t> node_index_;
	std::vector<uint32_t> node_leaf_;      // node -> position in leaf_order_
	std::vector<std::size_t> leaf_order_;  // leaf switches, depth first from the roots
	uint32_t largest_leaf_ = 0;            // most nodes of one leaf
	uint32_t level_count_ = 0;
	std::vector<check_problem> problems_;
};

} // namespace aishare

#endif // AISHARE_SWITCH_TREE_HPP
