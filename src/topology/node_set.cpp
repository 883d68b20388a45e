// node_set.cpp - node profiles in name order, and their node classes.
// Copyright (C) 2026 The slurm-aishare authors. GPL-2.0-or-later.
#include "topology/node_set.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>
#include <tuple>

namespace aishare {
namespace {

// What a job sized for a node relies on: GPUs, NICs, NVLink.
struct shape {
	std::size_t gpus = 0;
	std::size_t nics = 0;
	bool nvlink = false;

	auto key() const { return std::make_tuple(gpus, nics, nvlink); }
	bool operator<(const shape &other) const { return key() < other.key(); }
	bool operator==(const shape &other) const { return key() == other.key(); }
};

shape shape_of(const node_profile &profile)
{
	return {profile.gpus.size(), profile.nics.size(), profile.has_nvlink};
}

std::string gpu_name(const gpu_profile &gpu)
{
	// NVML's models already start with the vendor ("NVIDIA H100 80GB HBM3").
	if (gpu.model.compare(0, gpu.vendor.size() + 1, gpu.vendor + " ") == 0)
		return gpu.model;
	return gpu.vendor + " " + gpu.model;
}

// The GPU family: the one model, or the sorted models of a mixed node.
std::string family_of(const node_profile &profile)
{
	std::set<std::string> models;
	for (const gpu_profile &gpu : profile.gpus)
		models.insert(gpu_name(gpu));
	if (models.empty())
		return "no GPU";
	std::string family;
	for (const std::string &model : models)
		family += (family.empty() ? "" : " + ") + model;
	return family;
}

// The GPUs as a name says them: "8x NVIDIA H100", or per model on a node that
// mixes models, "2x AMD Instinct MI210 + 2x NVIDIA L40S".
std::string gpu_counts(const node_profile &profile)
{
	std::map<std::string, std::size_t> models;
	for (const gpu_profile &gpu : profile.gpus)
		models[gpu_name(gpu)]++;
	std::string text;
	for (const auto &model : models)
		text += (text.empty() ? "" : " + ") + std::to_string(model.second) + "x " + model.first;
	return text;
}

std::string plural(std::size_t count, const char *what)
{
	return std::to_string(count) + " " + what + (count == 1 ? "" : "s");
}

// PROFILE is a member of the class that has its own shape S (not a degraded one).
std::string class_name(const node_profile &profile, const shape &s)
{
	std::string nics = plural(s.nics, "NIC");
	if (!s.gpus)
		return "no GPU, " + nics;
	return gpu_counts(profile) + ", " + (s.nvlink ? "NVLink" : "PCIe only") + ", " + nics;
}

// Why S falls short of REFERENCE, "" when it does not.
std::string shortfall(const shape &s, const shape &reference)
{
	std::vector<std::string> reasons;
	if (s.gpus < reference.gpus)
		reasons.push_back(plural(s.gpus, "GPU") + ", its class has " +
				  std::to_string(reference.gpus));
	if (s.nics < reference.nics)
		reasons.push_back(plural(s.nics, "NIC") + ", its class has " +
				  std::to_string(reference.nics));
	if (!s.nvlink && reference.nvlink)
		reasons.push_back("no NVLink, its class has NVLink");
	std::string text;
	for (const std::string &reason : reasons)
		text += (text.empty() ? "" : "; ") + reason;
	return text;
}

} // namespace

bool node_set::contains(const std::string &name) const
{
	return find(name) >= 0;
}

long node_set::find(const std::string &name) const
{
	auto at = std::lower_bound(nodes_.begin(), nodes_.end(), name,
				   [](const std::unique_ptr<node_entry> &entry,
				      const std::string &key) { return entry->name < key; });
	if (at == nodes_.end() || (*at)->name != name)
		return -1;
	return at - nodes_.begin();
}

void node_set::add(const std::string &name, node_profile profile)
{
	if (contains(name))
		throw std::invalid_argument("node " + name + " is loaded twice");
	auto entry = std::make_unique<node_entry>();
	entry->name = name;
	entry->profile = std::move(profile);
	auto at = std::lower_bound(nodes_.begin(), nodes_.end(), name,
				   [](const std::unique_ptr<node_entry> &other,
				      const std::string &key) { return other->name < key; });
	nodes_.insert(at, std::move(entry));
	classified_ = false;
}

// Families, then each family's reference shape: the most common shape among its
// nodes, ties going to the larger one.  A node short of its reference in anything
// is a degraded member of the reference class; a node at least as large in all
// and larger in something gets a class of its own shape.  Classes come in the
// order of their first node's name.
void node_set::classify_if_changed() const
{
	if (classified_)
		return;
	std::map<std::string, std::map<shape, std::size_t>> shapes;
	std::vector<std::string> families(nodes_.size());
	for (std::size_t i = 0; i < nodes_.size(); i++) {
		families[i] = family_of(nodes_[i]->profile);
		shapes[families[i]][shape_of(nodes_[i]->profile)]++;
	}
	std::map<std::string, shape> reference;
	for (const auto &family : shapes) {
		auto best = family.second.begin();
		for (auto at = family.second.begin(); at != family.second.end(); ++at)
			if (at->second > best->second ||
			    (at->second == best->second && best->first < at->first))
				best = at;
		reference[family.first] = best->first;
	}

	// Computed aside and swapped in (no-throw): a failure (bad_alloc) changes nothing
	// and the next use tries again.
	std::vector<node_class> classes;
	std::vector<std::string> degraded(nodes_.size());
	std::vector<std::size_t> member_of(nodes_.size());
	std::map<std::pair<std::string, shape>, std::size_t> index;
	for (std::size_t i = 0; i < nodes_.size(); i++) {
		const shape &ref = reference[families[i]];
		shape own = shape_of(nodes_[i]->profile);
		degraded[i] = shortfall(own, ref);
		auto key = std::make_pair(families[i], degraded[i].empty() ? own : ref);
		auto found = index.find(key);
		if (found == index.end()) {
			found = index.emplace(key, classes.size()).first;
			classes.push_back({"", {}});
		}
		member_of[i] = found->second;
		classes[found->second].nodes.push_back(i);
		// Named after a full member, not a degraded one that lacks GPUs.  Every
		// class has one: its shape is the family's most common one or a node's own.
		if (degraded[i].empty() && classes[found->second].name.empty())
			classes[found->second].name = class_name(nodes_[i]->profile, own);
	}
	for (std::size_t i = 0; i < nodes_.size(); i++) {
		nodes_[i]->degraded.swap(degraded[i]);
		nodes_[i]->cls = member_of[i];
	}
	classes_.swap(classes);
	classified_ = true;
}

int nic_locality(const node_profile &profile, std::size_t gpu, std::size_t nic)
{
	const gpu_profile &g = profile.gpus.at(gpu);
	const nic_profile &n = profile.nics.at(nic);
	if (!g.pcie_switch.empty() && g.pcie_switch == n.pcie_switch)
		return 0;
	if (g.numa_node >= 0 && g.numa_node == n.numa_node)
		return 1;
	return 2;
}

} // namespace aishare
