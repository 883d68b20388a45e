// node_set.hpp - the profiles of many nodes, sorted into node classes.
// Copyright (C) 2026 The slurm-aishare authors. GPL-2.0-or-later.
//
// A node class is a set of nodes a job may mix: the same GPU family and the same
// shape (GPUs, NICs, NVLink).  A node that lost a GPU, a NIC or its NVLink stays
// in its class as a degraded member, so the scheduler places it last instead of
// seeing a new kind of machine; a node with more than its class forms a class of
// its own, since jobs sized for it would not fit the others.
#ifndef AISHARE_NODE_SET_HPP
#define AISHARE_NODE_SET_HPP

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "topology/node_profile.hpp"

namespace aishare {

struct node_entry {
	std::string name;
	node_profile profile;
	std::size_t cls = 0;  // index into node_set::classes()
	std::string degraded; // why, or "" when it is not
};

struct node_class {
	std::string name; // "8x NVIDIA H100 80GB HBM3, NVLink, 8 NICs"
	std::vector<std::size_t> nodes;
};

class node_set {
public:
	// Adds NAME; throws std::invalid_argument "node NAME is loaded twice" when it
	// is there already (the set is then unchanged).
	void add(const std::string &name, node_profile profile);
	bool contains(const std::string &name) const;

	std::size_t size() const { return nodes_.size(); }
	// Nodes in name order; an entry stays at its address until the set is freed.
	// Its class and degraded reason are current (classified on first use after
	// an add, so loading N nodes classifies once, not N times).
	const node_entry &node(std::size_t index) const
	{
		classify_if_changed();
		return *nodes_[index];
	}
	long find(const std::string &name) const;
	const std::vector<node_class> &classes() const
	{
		classify_if_changed();
		return classes_;
	}

private:
	// Const because classes are derived from the nodes; a set is used by one
	// thread at a time (the CLI, or a plugin under its own lock).
	void classify_if_changed() const;

	std::vector<std::unique_ptr<node_entry>> nodes_;
	mutable std::vector<node_class> classes_;
	mutable bool classified_ = true;
};

// How close NIC is to GPU on PROFILE: 0 same PCIe switch, 1 same NUMA node, 2 elsewhere.
int nic_locality(const node_profile &profile, std::size_t gpu, std::size_t nic);

} // namespace aishare

#endif // AISHARE_NODE_SET_HPP
