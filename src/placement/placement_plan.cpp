// placement_plan.cpp - shape a GPU job into one node class and confine it to switches.
// Copyright (C) 2026 The slurm-aishare authors. GPL-2.0-or-later.
#include "placement/placement_plan.hpp"

#include <algorithm>

namespace aishare {
namespace {

// Nodes with the same GPU type and count: a job never mixes classes, because a
// training step runs at the pace of its slowest GPU.
struct node_class {
	std::string type;
	uint32_t gpus = 0;
	std::vector<std::size_t> members; // indexes into the caller's nodes
};

// What the job becomes on one class.
struct shape {
	const node_class *cls = nullptr;
	uint64_t nodes = 0;
	uint64_t gpus_per_node = 0; // GPUs it needs free on each node
	bool whole = false;
	std::vector<uint8_t> fits;        // per node: it could start there now
	std::vector<uint8_t> idle;        // per node: a member no job uses
	std::vector<uint8_t> reclaimable; // per node: it fits once borrowers go
	std::size_t fit_count = 0;
	long free_bound = -1;
};

std::string class_name(const node_class &cls)
{
	return std::to_string(cls.members.size()) + " nodes of " + std::to_string(cls.gpus) +
	       (cls.type.empty() ? " GPUs" : " " + cls.type);
}

std::vector<node_class> classes_of(const std::vector<place_node> &nodes)
{
	std::vector<node_class> classes;
	for (std::size_t i = 0; i < nodes.size(); i++) {
		const place_node &node = nodes[i];
		if (!node.gpus)
			continue;
		std::string type(node.gpu_type);
		auto found = std::find_if(classes.begin(), classes.end(), [&](const node_class &c) {
			return c.gpus == node.gpus && c.type == type;
		});
		if (found == classes.end()) {
			classes.push_back({type, node.gpus, {}});
			found = classes.end() - 1;
		}
		found->members.push_back(i);
	}
	return classes;
}

// The request on class CLS; false when CLS can never hold it.
bool shape_on(const node_class &cls, const placement_request &request, shape &out)
{
	uint64_t asked_nodes = std::max<uint64_t>(request.nodes, 1);
	out.cls = &cls;
	if (request.gpus_per_job) {
		uint64_t gpus = request.gpus_per_job;
		out.whole = request.exclusive || (request.whole_nodes && gpus >= cls.gpus);
		if (out.whole) {
			out.nodes = std::max<uint64_t>(asked_nodes, (gpus + cls.gpus - 1) / cls.gpus);
			out.gpus_per_node = cls.gpus;
		} else {
			// Shared nodes: at least as many as its GPUs need.
			out.nodes = std::max<uint64_t>(asked_nodes, (gpus + cls.gpus - 1) / cls.gpus);
			out.gpus_per_node = (gpus + out.nodes - 1) / out.nodes;
		}
	} else {
		out.nodes = asked_nodes;
		out.gpus_per_node = request.gpus_per_node;
		out.whole = request.exclusive ||
			    (request.whole_nodes && request.gpus_per_node == cls.gpus);
		if (out.whole)
			out.gpus_per_node = cls.gpus;
	}
	return out.gpus_per_node <= cls.gpus && out.nodes <= cls.members.size();
}

void find_fits(const std::vector<place_node> &nodes, shape &s)
{
	s.fits.assign(nodes.size(), 0);
	s.idle.assign(nodes.size(), 0);
	s.reclaimable.assign(nodes.size(), 0);
	s.fit_count = 0;
	for (std::size_t i : s.cls->members) {
		const place_node &node = nodes[i];
		bool fits = node.up && (s.whole ? node.idle : node.free_gpus >= s.gpus_per_node);
		s.fits[i] = fits;
		s.idle[i] = node.up && node.idle;
		s.reclaimable[i] = node.up && !fits && node.reclaimable;
		s.fit_count += fits;
	}
}

// Per fabric node, the flags FLAGS gives per caller's node (0 for nodes the
// caller did not give).
template <typename T>
std::vector<T> on_fabric(const switch_tree &fabric, const std::vector<place_node> &nodes,
			 const std::vector<T> &values)
{
	std::vector<T> mapped(fabric.node_count(), T{});
	for (std::size_t i = 0; i < nodes.size(); i++) {
		// No fabric node is called "" (hostlists name none), so a nameless node
		// maps nowhere.
		long at = values[i] && !nodes[i].name.empty()
				  ? fabric.node_index(std::string(nodes[i].name))
				  : -1;
		if (at >= 0)
			mapped[static_cast<std::size_t>(at)] = values[i];
	}
	return mapped;
}

std::string refusal_for(const std::vector<node_class> &classes, const placement_request &request)
{
	const std::string prefix = "aishare: ";
	const std::string part = "partition " + request.partition;
	uint32_t most_gpus = 0;
	const node_class *largest = &classes.front(); // most GPUs in all
	for (const node_class &c : classes) {
		most_gpus = std::max(most_gpus, c.gpus);
		if (c.members.size() * c.gpus > largest->members.size() * largest->gpus)
			largest = &c;
	}
	if (!request.gpus_per_job && request.gpus_per_node > most_gpus)
		return prefix + std::to_string(request.gpus_per_node) + " GPUs per node asked but no node of " +
		       part + " has more than " + std::to_string(most_gpus) +
		       "; ask for at most " + std::to_string(most_gpus) +
		       " per node, or for --gpus=" + std::to_string(request.gpus_per_node) +
		       " to spread them over whole nodes";
	uint64_t most = largest->members.size() * static_cast<uint64_t>(largest->gpus);
	if (request.gpus_per_job > most)
		return prefix + std::to_string(request.gpus_per_job) + " GPUs asked but " + part +
		       " has at most " + std::to_string(most) + " of one class (" +
		       class_name(*largest) + "); ask for at most " + std::to_string(most) +
		       " GPUs";
	std::size_t most_nodes = 0;
	for (const node_class &c : classes)
		most_nodes = std::max(most_nodes, c.members.size());
	return prefix + std::to_string(std::max<uint64_t>(request.nodes, 1)) +
	       " nodes asked but " + part + " has at most " + std::to_string(most_nodes) +
	       " nodes of one GPU class, and a job never mixes classes; ask for at most " +
	       std::to_string(most_nodes) + " nodes";
}

placement refuse(const std::string &why)
{
	placement plan;
	plan.kind = place_kind::refuse;
	plan.refusal = why;
	return plan;
}

} // namespace

placement plan_placement(const switch_tree *fabric, const std::vector<place_node> &nodes,
			 const placement_request &request, std::size_t most_alternatives)
{
	placement plan;
	if (!request.gpus_per_job && !request.gpus_per_node)
		return plan; // not a GPU job: nothing to shape

	std::vector<node_class> classes = classes_of(nodes);
	if (classes.empty())
		return refuse("aishare: partition " + request.partition +
			      " has no GPU nodes; submit GPU jobs to a partition with GPUs");
	if (!request.gpu_type.empty()) {
		std::string types;
		for (const node_class &c : classes)
			if (types.find(c.type.empty() ? "(untyped)" : c.type) == std::string::npos)
				types += (types.empty() ? "" : ", ") +
					 (c.type.empty() ? std::string("(untyped)") : c.type);
		classes.erase(std::remove_if(classes.begin(), classes.end(),
					     [&](const node_class &c) {
						     return c.type != request.gpu_type;
					     }),
			      classes.end());
		if (classes.empty())
			return refuse("aishare: no node of partition " + request.partition +
				      " has GPUs of type " + request.gpu_type +
				      "; its GPU types are " + types);
	}

	// Each class that can ever hold the job, and how it would start there now.
	std::vector<shape> shapes;
	for (const node_class &cls : classes) {
		shape s;
		if (!shape_on(cls, request, s))
			continue;
		find_fits(nodes, s);
		if (fabric) {
			std::vector<uint8_t> fits = on_fabric(*fabric, nodes, s.fits);
			s.free_bound = fabric->leaf_bound(fits.data(), static_cast<uint32_t>(s.nodes));
		} else {
			s.free_bound = s.fit_count >= s.nodes ? 1 : -1;
		}
		shapes.push_back(std::move(s));
	}
	if (shapes.empty())
		return refuse(refusal_for(classes, request));

	// The class where it starts now on the fewest leaves, else the one with the
	// most room; the first listed on a tie.
	auto better = [](const shape &a, const shape &b) {
		bool a_now = a.free_bound >= 0, b_now = b.free_bound >= 0;
		if (a_now != b_now)
			return a_now;
		if (a_now && a.free_bound != b.free_bound)
			return a.free_bound < b.free_bound;
		return a.fit_count > b.fit_count;
	};
	const shape &chosen = *std::min_element(shapes.begin(), shapes.end(),
						  [&](const shape &a, const shape &b) {
							  return better(a, b);
						  });

	plan.kind = chosen.whole ? place_kind::whole_nodes : place_kind::part_nodes;
	plan.nodes = static_cast<uint32_t>(chosen.nodes);
	plan.gpus_per_node = static_cast<uint32_t>(chosen.gpus_per_node);
	plan.gpu_type = chosen.cls->type;
	plan.free_bound = chosen.free_bound;
	if (fabric) {
		std::vector<uint8_t> members(nodes.size(), 0);
		std::vector<double> victims(nodes.size(), 0.0);
		for (std::size_t i : chosen.cls->members) {
			members[i] = 1;
			victims[i] = nodes[i].victims;
		}
		std::vector<uint8_t> fabric_members = on_fabric(*fabric, nodes, members);
		std::vector<uint8_t> fabric_fits = on_fabric(*fabric, nodes, chosen.fits);
		std::vector<uint8_t> fabric_idle = on_fabric(*fabric, nodes, chosen.idle);
		std::vector<uint8_t> fabric_reclaimable = on_fabric(*fabric, nodes, chosen.reclaimable);
		std::vector<double> fabric_victims = on_fabric(*fabric, nodes, victims);
		placement_view view{fabric_members.data(), fabric_fits.data(), fabric_idle.data(),
				    fabric_reclaimable.data(), fabric_victims.data()};
		confinement where = fabric->confine(view, plan.nodes, most_alternatives);
		for (std::size_t s : where.switches)
			plan.switches.push_back(fabric->switch_name(s));
		plan.ideal_leaves = where.ideal_leaves;
	}
	return plan;
}

} // namespace aishare
