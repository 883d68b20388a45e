// c_api_fabric.cpp - the extern "C" switch tree and slurm.conf node functions of
// aishare.h.
// Copyright (C) 2026 The slurm-aishare authors. GPL-2.0-or-later.
//
// Called by `aishare topo check` and by the placement plugin at (re)configure
// (parse, load) and per job (the queries, under slurmctld's job and node read
// locks).  The queries allocate nothing after a thread's first call.
#include "aishare.h"

#include <cstdlib>
#include <memory>
#include <stdexcept>

#include "capi/c_api_fabric.hpp"
#include "capi/c_api_support.hpp"
#include "fabric/conf_nodes.hpp"
#include "fabric/switch_records.hpp"
#include "fabric/switch_tree.hpp"
#include "fabric/topology_conf.hpp"

static_assert(AISHARE_TOPOLOGY_CONF_MAX_BYTES == aishare::max_topology_conf_bytes,
	      "aishare.h and fabric/topology_conf.hpp disagree on the topology.conf limit");

namespace {

using aishare::guarded;
using aishare::invalid;
using aishare::set_errors;

// The C caller's EXPAND as the fabric's expander: its malloc()ed answer and
// message are copied, then freed whatever happens.
aishare::hostlist_expander expander_of(aishare_hostlist_expand_fn expand, void *context)
{
	return aishare::hostlist_expander([expand, context](const std::string &expression,
							    std::string &list, std::string &problem) {
		char *error = nullptr;
		std::unique_ptr<char, decltype(&std::free)> answer(
			expand(expression.c_str(), context, &error), &std::free);
		std::unique_ptr<char, decltype(&std::free)> message(error, &std::free);
		if (!answer) {
			if (message)
				problem = message.get();
			return false;
		}
		list = answer.get();
		return true;
	});
}

// Builds a fabric through MAKE, turning a refusal into EINVAL and *ERRORS.
template <typename F> aishare_fabric_t *make_fabric(char **errors, F make)
{
	std::string problem;
	aishare_fabric_t *fabric = guarded<aishare_fabric_t *>(nullptr, [&] {
		try {
			return new aishare_fabric{make()};
		} catch (const std::invalid_argument &refused) {
			problem = refused.what();
			return invalid<aishare_fabric_t *>(nullptr);
		}
	});
	if (!fabric)
		set_errors(errors, problem.empty() ? "cannot read topology.conf" : problem);
	return fabric;
}

} // namespace

aishare_fabric_t *aishare_fabric_parse(const char *text, size_t length, const char *origin,
				       aishare_hostlist_expand_fn expand, void *context,
				       char **errors)
{
	if (errors)
		*errors = nullptr;
	if ((!text && length) || !expand)
		return invalid(nullptr);
	std::string named = origin ? origin : "topology.conf";
	return make_fabric(errors, [&] {
		return aishare::switch_tree(
			aishare::read_topology_conf(std::string(text ? text : "", length), named,
						    expander_of(expand, context)),
			named);
	});
}

aishare_fabric_t *aishare_fabric_load(const char *path, aishare_hostlist_expand_fn expand,
				      void *context, char **errors)
{
	if (errors)
		*errors = nullptr;
	if (!path || !expand)
		return invalid(nullptr);
	return make_fabric(errors, [&] {
		return aishare::switch_tree(
			aishare::load_topology_conf(path, expander_of(expand, context)), path);
	});
}

aishare_fabric_t *aishare_fabric_from_switches(const aishare_switch_t *switches, size_t count,
					       const char *origin,
					       aishare_hostlist_expand_fn expand, void *context,
					       char **errors)
{
	if (errors)
		*errors = nullptr;
	if ((!switches && count) || !expand)
		return invalid(nullptr);
	std::string named = origin ? origin : "the switch table";
	return make_fabric(errors, [&] {
		std::vector<aishare::switch_record> records;
		records.reserve(count);
		for (size_t i = 0; i < count; i++) {
			const aishare_switch_t &given = switches[i];
			if (!given.name || !*given.name)
				throw std::invalid_argument(named + ": switch " + std::to_string(i + 1) +
							    " has no name");
			records.push_back({given.name, given.nodes ? given.nodes : "",
					   given.switches ? given.switches : ""});
		}
		return aishare::switch_tree(
			aishare::read_switch_records(records, named, expander_of(expand, context)),
			named);
	});
}

void aishare_fabric_free(aishare_fabric_t *fabric)
{
	delete fabric;
}

size_t aishare_fabric_node_count(const aishare_fabric_t *fabric)
{
	if (!fabric)
		return invalid(0);
	return fabric->tree.node_count();
}

const char *aishare_fabric_node_name(const aishare_fabric_t *fabric, size_t node)
{
	if (!fabric || node >= fabric->tree.node_count())
		return invalid(nullptr);
	return fabric->tree.node_name(node).c_str();
}

long aishare_fabric_node_index(const aishare_fabric_t *fabric, const char *name)
{
	if (!fabric || !name)
		return invalid(-1);
	return guarded(-1L, [&] {
		long index = fabric->tree.node_index(name);
		if (index < 0)
			errno = ENOENT;
		return index;
	});
}

size_t aishare_fabric_leaf_count(const aishare_fabric_t *fabric)
{
	if (!fabric)
		return invalid(0);
	return fabric->tree.leaf_count();
}

const char *aishare_fabric_leaf_of(const aishare_fabric_t *fabric, size_t node)
{
	if (!fabric || node >= fabric->tree.node_count())
		return invalid(nullptr);
	return fabric->tree.switch_name(fabric->tree.leaf_of(node)).c_str();
}

char *aishare_fabric_switch_features(const aishare_fabric_t *fabric, size_t node)
{
	if (!fabric || node >= fabric->tree.node_count())
		return invalid(nullptr);
	return guarded<char *>(nullptr, [&] {
		std::string features;
		for (std::size_t s : fabric->tree.switches_above(node))
			features += (features.empty() ? "" : ",") +
				    std::string(AISHARE_SWITCH_FEATURE_PREFIX) +
				    fabric->tree.switch_name(s);
		return aishare::c_string(features);
	});
}

long aishare_fabric_leaf_bound(const aishare_fabric_t *fabric, const uint8_t *free_nodes,
			       uint32_t nodes)
{
	if (!fabric || (!free_nodes && fabric->tree.node_count()))
		return invalid(-1);
	return guarded(-1L, [&] {
		long leaves = fabric->tree.leaf_bound(free_nodes, nodes);
		if (leaves < 0)
			errno = ENOSPC;
		return leaves;
	});
}

int aishare_fabric_lowest_switch(const aishare_fabric_t *fabric, const uint8_t *free_nodes,
				 uint32_t nodes, aishare_switch_choice_t *choice)
{
	if (!fabric || !choice || (!free_nodes && fabric->tree.node_count()))
		return invalid(-1);
	return guarded(-1, [&] {
		aishare::switch_pick pick{};
		if (!fabric->tree.lowest_switch(free_nodes, nodes, pick)) {
			errno = ENOSPC;
			return -1;
		}
		choice->name = fabric->tree.switch_name(pick.index).c_str();
		choice->level = pick.level;
		choice->leaves = pick.leaves;
		choice->free_nodes = pick.free_nodes;
		return 0;
	});
}

aishare_conf_node_t *aishare_conf_nodes_load(const char *path, aishare_hostlist_expand_fn expand,
					     void *context, size_t *count, char **errors)
{
	if (errors)
		*errors = nullptr;
	if (count)
		*count = 0;
	if (!path || !expand || !count)
		return invalid(nullptr);
	std::string problem;
	aishare_conf_node_t *nodes = guarded<aishare_conf_node_t *>(nullptr, [&] {
		std::vector<aishare::conf_node> read;
		try {
			read = aishare::load_conf_nodes(path, expander_of(expand, context));
		} catch (const std::invalid_argument &refused) {
			problem = refused.what();
			return invalid<aishare_conf_node_t *>(nullptr);
		}
		// calloc: a partly built array frees cleanly (NULL names) on bad_alloc.
		auto *array = static_cast<aishare_conf_node_t *>(
			std::calloc(read.size() ? read.size() : 1, sizeof(aishare_conf_node_t)));
		if (!array)
			throw std::bad_alloc();
		try {
			for (std::size_t i = 0; i < read.size(); i++) {
				array[i].name = aishare::c_string(read[i].name);
				array[i].gpus = read[i].gpus;
			}
		} catch (...) {
			aishare_conf_nodes_free(array, read.size());
			throw;
		}
		*count = read.size();
		return array;
	});
	if (!nodes)
		set_errors(errors, problem.empty() ? std::string(path) + ": cannot read" : problem);
	return nodes;
}

void aishare_conf_nodes_free(aishare_conf_node_t *nodes, size_t count)
{
	if (!nodes)
		return;
	for (size_t i = 0; i < count; i++)
		std::free(const_cast<char *>(nodes[i].name));
	std::free(nodes);
}
