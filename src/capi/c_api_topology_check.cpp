// topology_check.cpp - `aishare topo check`: topology.conf's problems, and where
// slurm.conf, topology.conf and the nodes' hwloc XML disagree.
// Copyright (C) 2026 The slurm-aishare authors. GPL-2.0-or-later.
//
// The report is diffed by golden tests: every list is in a fixed order (tree
// problems in file order, then nodes in topology.conf order, slurm.conf order,
// node set order), never in hash order.
#include "aishare.h"

#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "capi/c_api_fabric.hpp"
#include "capi/c_api_support.hpp"
#include "base/json_text.hpp"
#include "fabric/switch_tree.hpp"

namespace {

using aishare::check_problem;
using aishare::json_string;

struct check_summary {
	std::vector<check_problem> problems;
	std::size_t checked = 0;     // slurm.conf nodes compared with their XML
	std::size_t not_checked = 0; // slurm.conf nodes without XML
	uint64_t slurm_gpus = 0;
};

check_summary run_check(const aishare_fabric_t *fabric, const aishare_conf_node_t *slurm_nodes,
			size_t slurm_node_count, const aishare_node_set_t *set)
{
	check_summary out;
	std::unordered_map<std::string, std::size_t> in_slurm;
	if (slurm_nodes)
		for (size_t i = 0; i < slurm_node_count; i++) {
			in_slurm.emplace(slurm_nodes[i].name, i);
			out.slurm_gpus += slurm_nodes[i].gpus;
		}

	if (fabric) {
		const aishare::switch_tree &tree = fabric->tree;
		out.problems = tree.problems();
		if (slurm_nodes) {
			for (std::size_t n = 0; n < tree.node_count(); n++)
				if (!in_slurm.count(tree.node_name(n)))
					out.problems.push_back(
						{"unknown_node",
						 "node " + tree.node_name(n) + " of leaf switch " +
							 tree.switch_name(tree.leaf_of(n)) +
							 " is not defined in slurm.conf"});
			for (size_t i = 0; i < slurm_node_count; i++)
				if (tree.node_index(slurm_nodes[i].name) < 0)
					out.problems.push_back({"missing_node",
								std::string("node ") + slurm_nodes[i].name +
									" is missing from topology.conf"});
		}
	}

	if (set && slurm_nodes) {
		std::unordered_map<std::string, std::size_t> in_set;
		std::size_t count = aishare_node_set_count(set);
		for (std::size_t n = 0; n < count; n++)
			if (const char *name = aishare_node_set_name(set, n))
				in_set.emplace(name, n);
		for (size_t i = 0; i < slurm_node_count; i++) {
			auto found = in_set.find(slurm_nodes[i].name);
			if (found == in_set.end()) {
				out.not_checked++; // no XML: nothing to compare, not a problem
				continue;
			}
			out.checked++;
			std::size_t gpus = aishare_node_gpu_count(set, found->second);
			if (gpus != slurm_nodes[i].gpus)
				out.problems.push_back(
					{"gpu_count",
					 std::string("node ") + slurm_nodes[i].name + " has " +
						 std::to_string(slurm_nodes[i].gpus) +
						 " GPUs in slurm.conf but " + std::to_string(gpus) +
						 " in its hwloc XML"});
		}
		for (std::size_t n = 0; n < count; n++) {
			const char *name = aishare_node_set_name(set, n);
			if (name && !in_slurm.count(name))
				out.problems.push_back({"unknown_xml_node",
							std::string("node ") + name +
								" has hwloc XML but is not defined in slurm.conf"});
		}
	}
	return out;
}

std::string text_report(const aishare_fabric_t *fabric, const aishare_conf_node_t *slurm_nodes,
			size_t slurm_node_count, const aishare_node_set_t *set,
			const check_summary &check)
{
	std::string out;
	if (fabric) {
		const aishare::switch_tree &tree = fabric->tree;
		out += "topology.conf: " + std::to_string(tree.switch_count()) + " switches, " +
		       std::to_string(tree.leaf_count()) + " leaves, " +
		       std::to_string(tree.level_count()) + " levels, " +
		       std::to_string(tree.node_count()) + " nodes\n";
	} else {
		out += "topology.conf: not given\n";
	}
	if (slurm_nodes)
		out += "slurm.conf: " + std::to_string(slurm_node_count) + " nodes, " +
		       std::to_string(check.slurm_gpus) + " GPUs\n";
	else
		out += "slurm.conf: not given\n";
	if (set && slurm_nodes)
		out += "hwloc XML: " + std::to_string(check.checked) + " nodes checked, " +
		       std::to_string(check.not_checked) + " not checked (no XML)\n";
	else if (set)
		out += "hwloc XML: not compared (no slurm.conf)\n";
	for (const check_problem &problem : check.problems)
		out += "problem: " + problem.detail + "\n";
	std::size_t count = check.problems.size();
	out += std::to_string(count) + (count == 1 ? " problem\n" : " problems\n");
	return out;
}

std::string json_report(const aishare_fabric_t *fabric, const aishare_conf_node_t *slurm_nodes,
			size_t slurm_node_count, const aishare_node_set_t *set,
			const check_summary &check)
{
	// Absent inputs are null, so a script can tell "not given" from zero.
	auto number = [](bool given, uint64_t value) {
		return given ? std::to_string(value) : std::string("null");
	};
	const aishare::switch_tree *tree = fabric ? &fabric->tree : nullptr;
	bool compared = set && slurm_nodes;
	std::string out = "{";
	out += "\"switches\":" + number(tree, tree ? tree->switch_count() : 0);
	out += ",\"leaves\":" + number(tree, tree ? tree->leaf_count() : 0);
	out += ",\"levels\":" + number(tree, tree ? tree->level_count() : 0);
	out += ",\"nodes\":" + number(tree, tree ? tree->node_count() : 0);
	out += ",\"slurm_nodes\":" + number(slurm_nodes, slurm_node_count);
	out += ",\"slurm_gpus\":" + number(slurm_nodes, check.slurm_gpus);
	out += ",\"checked\":" + number(compared, check.checked);
	out += ",\"not_checked\":" + number(compared, check.not_checked);
	out += ",\"problems\":[";
	for (std::size_t i = 0; i < check.problems.size(); i++)
		out += std::string(i ? "," : "") + "{\"kind\":" + json_string(check.problems[i].kind) +
		       ",\"detail\":" + json_string(check.problems[i].detail) + "}";
	out += "],\"problem_count\":" + std::to_string(check.problems.size()) + "}\n";
	return out;
}

} // namespace

char *aishare_topology_check(const aishare_fabric_t *fabric,
			     const aishare_conf_node_t *slurm_nodes, size_t slurm_node_count,
			     const aishare_node_set_t *set, aishare_format_t format,
			     size_t *problems)
{
	if (problems)
		*problems = 0;
	if (slurm_node_count && !slurm_nodes)
		return aishare::invalid(nullptr);
	bool json = false;
	if (!aishare::read_format(format, json))
		return aishare::invalid(nullptr);
	for (size_t i = 0; i < slurm_node_count; i++)
		if (!slurm_nodes[i].name)
			return aishare::invalid(nullptr);
	return aishare::guarded<char *>(nullptr, [&] {
		check_summary check = run_check(fabric, slurm_nodes, slurm_node_count, set);
		std::string text =
			json ? json_report(fabric, slurm_nodes, slurm_node_count, set, check)
				: text_report(fabric, slurm_nodes, slurm_node_count, set, check);
		char *copy = aishare::c_string(text);
		if (problems)
			*problems = check.problems.size();
		return copy;
	});
}
