// c_api_nodes.cpp - the extern "C" node profile and node class functions of aishare.h.
// Copyright (C) 2026 The slurm-aishare authors. GPL-2.0-or-later.
//
// Strings handed out (bus ids, models, class names) point into the set: a node's
// stay valid until the set is freed, class names until the next load.
#include "aishare.h"

#include <cstdint>
#include <cstring>
#include <stdexcept>

#include "capi/c_api_node_set.hpp"
#include "capi/c_api_support.hpp"
#include "topology/hwloc_worker.hpp"
#include "topology/node_profile.hpp"
#include "topology/node_profile_cache.hpp"
#include "topology/node_report.hpp"
#include "topology/node_set.hpp"

static_assert(AISHARE_NODE_XML_MAX_BYTES == aishare::max_node_xml_bytes,
	      "aishare.h and topology/node_profile.hpp disagree on the node XML limit");

namespace {

using aishare::guarded;
using aishare::invalid;
using aishare::set_errors;

// Names go into gres.conf lines and messages: one word of printable characters.
bool valid_node_name(const char *node)
{
	if (!node || !*node)
		return false;
	for (const unsigned char *c = reinterpret_cast<const unsigned char *>(node); *c; c++)
		if (*c <= ' ' || *c == 0x7f || *c == ',' || *c == '=')
			return false;
	return true;
}

bool valid_node(const aishare_node_set_t *set, size_t node)
{
	return set && node < set->set.size();
}

// Loads with READ (which returns the profile or throws "ORIGIN: problem").
template <typename F>
int load(aishare_node_set_t *set, const char *node, const std::string &origin, char **errors,
	 F read)
{
	std::string problem;
	int rc = guarded(-1, [&] {
		if (set->set.contains(node)) {
			problem = "node " + std::string(node) + " is loaded twice (" + origin + ")";
			return invalid(-1);
		}
		try {
			set->set.add(node, read());
		} catch (const std::invalid_argument &bad) {
			problem = bad.what();
			return invalid(-1);
		} catch (const std::runtime_error &bad) {
			problem = bad.what();
			errno = EIO;
			return -1;
		}
		return 0;
	});
	if (rc) {
		int saved = errno;
		if (problem.empty())
			problem = origin + ": cannot load node " + node +
				  (saved == ENOMEM ? ": out of memory" : "");
		set_errors(errors, problem);
		errno = saved;
	}
	return rc;
}

} // namespace

aishare_node_set_t *aishare_node_set_create(void)
{
	return guarded<aishare_node_set_t *>(nullptr, [] { return new aishare_node_set; });
}

void aishare_node_set_free(aishare_node_set_t *set)
{
	delete set;
}

int aishare_node_set_load_file(aishare_node_set_t *set, const char *node, const char *path,
			       char **errors)
{
	return aishare_node_set_load_file_cached(set, node, path, nullptr, errors);
}

struct aishare_profile_cache {
	aishare::node_profile_cache cache;
};

aishare_profile_cache_t *aishare_profile_cache_open(const char *path)
{
	if (!path || !*path)
		return invalid(nullptr);
	return guarded<aishare_profile_cache_t *>(nullptr, [&] {
		return new aishare_profile_cache{aishare::node_profile_cache(path)};
	});
}

int aishare_node_set_load_file_cached(aishare_node_set_t *set, const char *node, const char *path,
				      aishare_profile_cache_t *cache, char **errors)
{
	if (errors)
		*errors = nullptr;
	if (!set || !path) {
		set_errors(errors, "no node set or no path given");
		return invalid(-1);
	}
	if (!valid_node_name(node)) {
		set_errors(errors, std::string(path) + ": the node name is empty or not one word");
		return invalid(-1);
	}
	return load(set, node, path, errors, [&] {
		return cache ? cache->cache.load(path) : aishare::load_node_profile(path);
	});
}

int aishare_profile_cache_save(aishare_profile_cache_t *cache, char **errors)
{
	if (errors)
		*errors = nullptr;
	if (!cache)
		return invalid(-1);
	std::string problem;
	int rc = guarded(-1, [&] {
		try {
			cache->cache.save();
		} catch (const std::runtime_error &bad) {
			problem = bad.what();
			errno = EIO;
			return -1;
		}
		return 0;
	});
	if (rc && !problem.empty())
		set_errors(errors, problem);
	return rc;
}

size_t aishare_profile_cache_hits(const aishare_profile_cache_t *cache)
{
	return cache ? cache->cache.hits() : 0;
}

size_t aishare_profile_cache_misses(const aishare_profile_cache_t *cache)
{
	return cache ? cache->cache.misses() : 0;
}

void aishare_profile_cache_free(aishare_profile_cache_t *cache)
{
	delete cache;
}

int aishare_node_set_load_xml(aishare_node_set_t *set, const char *node, const char *xml,
			      size_t length, char **errors)
{
	if (errors)
		*errors = nullptr;
	if (!set || (!xml && length)) {
		set_errors(errors, "no node set or no XML given");
		return invalid(-1);
	}
	if (!valid_node_name(node)) {
		set_errors(errors, "the node name is empty or not one word");
		return invalid(-1);
	}
	std::string origin = std::string("node ") + node;
	return load(set, node, origin, errors, [&] {
		if (length > AISHARE_NODE_XML_MAX_BYTES)
			throw std::invalid_argument(origin + ": XML larger than " +
						    std::to_string(AISHARE_NODE_XML_MAX_BYTES) +
						    " bytes");
		return aishare::parse_node_profile(std::string(xml ? xml : "", length), origin);
	});
}

int aishare_node_set_load_live(aishare_node_set_t *set, const char *node, char **errors)
{
	if (errors)
		*errors = nullptr;
	if (!set) {
		set_errors(errors, "no node set given");
		return invalid(-1);
	}
	if (!valid_node_name(node)) {
		set_errors(errors, "the node name is empty or not one word");
		return invalid(-1);
	}
	std::string origin = std::string("node ") + node + " (this machine, read by hwloc)";
	return load(set, node, origin, errors,
		    [&] { return aishare::discover_node_profile(origin); });
}

void aishare_hwloc_worker_stop(void)
{
	guarded(0, [] {
		aishare::stop_hwloc_worker();
		return 0;
	});
}

size_t aishare_node_set_count(const aishare_node_set_t *set)
{
	return set ? set->set.size() : invalid<size_t>(0);
}

const char *aishare_node_set_name(const aishare_node_set_t *set, size_t node)
{
	if (!valid_node(set, node))
		return invalid(nullptr);
	return set->set.node(node).name.c_str();
}

long aishare_node_set_find(const aishare_node_set_t *set, const char *node)
{
	if (!set || !node)
		return invalid(-1L);
	return guarded(-1L, [&] {
		long index = set->set.find(node);
		if (index < 0)
			errno = ENOENT;
		return index;
	});
}

size_t aishare_node_gpu_count(const aishare_node_set_t *set, size_t node)
{
	if (!valid_node(set, node))
		return invalid<size_t>(0);
	return set->set.node(node).profile.gpus.size();
}

int aishare_node_gpu(const aishare_node_set_t *set, size_t node, size_t gpu,
		     aishare_gpu_info_t *info)
{
	if (!valid_node(set, node) || !info || gpu >= set->set.node(node).profile.gpus.size())
		return invalid(-1);
	const aishare::gpu_profile &g = set->set.node(node).profile.gpus[gpu];
	info->pci_busid = g.pci_busid.c_str();
	info->vendor = g.vendor.c_str();
	info->model = g.model.c_str();
	info->numa_node = g.numa_node;
	info->pcie_switch = g.pcie_switch.c_str();
	info->cores = g.cores.c_str();
	info->cpus = g.cpus.c_str();
	return 0;
}

size_t aishare_node_nic_count(const aishare_node_set_t *set, size_t node)
{
	if (!valid_node(set, node))
		return invalid<size_t>(0);
	return set->set.node(node).profile.nics.size();
}

int aishare_node_nic(const aishare_node_set_t *set, size_t node, size_t nic,
		     aishare_nic_info_t *info)
{
	if (!valid_node(set, node) || !info || nic >= set->set.node(node).profile.nics.size())
		return invalid(-1);
	const aishare::nic_profile &n = set->set.node(node).profile.nics[nic];
	info->name = n.name.c_str();
	info->netdev = n.netdev.c_str();
	info->kind = n.kind.c_str();
	info->pci_busid = n.pci_busid.c_str();
	info->numa_node = n.numa_node;
	info->pcie_switch = n.pcie_switch.c_str();
	return 0;
}

int aishare_node_nvlinks(const aishare_node_set_t *set, size_t node, size_t gpu_a,
			 size_t gpu_b)
{
	// -1 is also the answer for A == B; callers tell them apart by the indexes.
	if (!valid_node(set, node))
		return invalid(-1);
	const aishare::node_profile &p = set->set.node(node).profile;
	if (gpu_a >= p.gpus.size() || gpu_b >= p.gpus.size())
		return invalid(-1);
	return p.nvlinks[gpu_a][gpu_b];
}

aishare_locality_t aishare_node_locality(const aishare_node_set_t *set, size_t node,
					 size_t gpu, size_t nic)
{
	// Bad indexes answer MACHINE (the farthest) with errno EINVAL.
	if (!valid_node(set, node))
		return invalid(AISHARE_LOCALITY_MACHINE);
	const aishare::node_profile &p = set->set.node(node).profile;
	if (gpu >= p.gpus.size() || nic >= p.nics.size())
		return invalid(AISHARE_LOCALITY_MACHINE);
	switch (aishare::nic_locality(p, gpu, nic)) {
	case 0:
		return AISHARE_LOCALITY_PCIE_SWITCH;
	case 1:
		return AISHARE_LOCALITY_NUMA;
	}
	return AISHARE_LOCALITY_MACHINE;
}

size_t aishare_node_set_class_count(const aishare_node_set_t *set)
{
	return set ? set->set.classes().size() : invalid<size_t>(0);
}

const char *aishare_node_set_class_name(const aishare_node_set_t *set, size_t cls)
{
	if (!set || cls >= set->set.classes().size())
		return invalid(nullptr);
	return set->set.classes()[cls].name.c_str();
}

size_t aishare_node_class(const aishare_node_set_t *set, size_t node)
{
	// SIZE_MAX with errno EINVAL for a bad node.
	if (!valid_node(set, node))
		return invalid(SIZE_MAX);
	return set->set.node(node).cls;
}

const char *aishare_node_degraded(const aishare_node_set_t *set, size_t node)
{
	if (!valid_node(set, node))
		return invalid(nullptr);
	const std::string &reason = set->set.node(node).degraded;
	return reason.empty() ? nullptr : reason.c_str();
}

char *aishare_node_set_report(const aishare_node_set_t *set, aishare_format_t format)
{
	bool json = false;
	if (!set || !aishare::read_format(format, json))
		return invalid(nullptr);
	return guarded<char *>(nullptr, [&] {
		return aishare::c_string(aishare::node_set_report(set->set, json));
	});
}

char *aishare_node_set_gres(const aishare_node_set_t *set, const char *file_prefix,
			    aishare_format_t format)
{
	bool json = false;
	if (!set || !aishare::read_format(format, json))
		return invalid(nullptr);
	return guarded<char *>(nullptr, [&] {
		return aishare::c_string(aishare::node_set_gres(
			set->set, file_prefix ? file_prefix : "/dev/nvidia", json));
	});
}
