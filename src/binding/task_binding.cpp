// task_binding.cpp - which NIC(s) and cores a task should use, given its GPUs.
// Copyright (C) 2026 The slurm-aishare authors. GPL-2.0-or-later.
#include "binding/task_binding.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <set>
#include <stdexcept>

#include "topology/node_set.hpp"

namespace aishare {
namespace {

// "0-3,8" -> {0,1,2,3,8} into INDEXES; false when TEXT is not such a list.
bool read_ranges(const std::string &text, std::set<std::size_t> &indexes)
{
	// A list longer than any machine's CPUs is not ours to expand.
	constexpr unsigned long max_index = 1u << 20;
	const char *at = text.c_str();
	while (*at) {
		char *end = nullptr;
		errno = 0;
		if (!std::isdigit(static_cast<unsigned char>(*at)))
			return false;
		unsigned long first = std::strtoul(at, &end, 10);
		if (errno || first > max_index)
			return false;
		unsigned long last = first;
		at = end;
		if (*at == '-') {
			at++;
			if (!std::isdigit(static_cast<unsigned char>(*at)))
				return false;
			last = std::strtoul(at, &end, 10);
			if (errno || last > max_index || last < first)
				return false;
			at = end;
		}
		for (unsigned long i = first; i <= last; i++)
			indexes.insert(i);
		if (*at == ',' && at[1])
			at++;
		else if (*at)
			return false;
	}
	return true;
}

std::string union_of_ranges(const std::vector<std::string> &lists)
{
	std::set<std::size_t> all;
	for (const auto &list : lists)
		read_ranges(list, all); // profile text, written by index_ranges
	return index_ranges(std::vector<unsigned>(all.begin(), all.end()));
}

std::string gpu_name(const node_profile &profile, std::size_t gpu)
{
	const gpu_profile &g = profile.gpus[gpu];
	std::string text = "GPU " + std::to_string(gpu) + " (" + g.pci_busid;
	if (g.numa_node >= 0)
		text += ", NUMA node " + std::to_string(g.numa_node);
	return text + ")";
}

bool has_rdma_device(const nic_profile &nic)
{
	// The profile names a NIC by its OpenFabrics device when it has one, else by
	// its network interface.
	return !nic.name.empty() && nic.name != nic.netdev;
}

// The NICs closest to GPU, in PCI order, and how close they are.
std::vector<std::size_t> closest_nics(const node_profile &profile, std::size_t gpu, pairing &how)
{
	std::vector<std::size_t> best;
	int best_locality = 3;
	for (std::size_t nic = 0; nic < profile.nics.size(); nic++) {
		int locality = nic_locality(profile, gpu, nic);
		if (locality < best_locality) {
			best.clear();
			best_locality = locality;
		}
		if (locality == best_locality)
			best.push_back(nic);
	}
	how = static_cast<pairing>(best_locality);
	// Among equally close NICs, those with an RDMA device are what NCCL and UCX
	// would use; a management Ethernet port beside a ConnectX is not a choice.
	std::vector<std::size_t> rdma;
	for (std::size_t nic : best)
		if (has_rdma_device(profile.nics[nic]))
			rdma.push_back(nic);
	return rdma.empty() ? best : rdma;
}

// The NIC for GPU among its closest: GPUs sharing the same closest NICs take
// them in turn, so the k-th such GPU (in PCI order) gets the k-th NIC (modulo).
std::size_t nic_for_gpu(const node_profile &profile, std::size_t gpu,
			const std::vector<std::size_t> &closest)
{
	std::size_t turn = 0;
	for (std::size_t other = 0; other < gpu; other++) {
		pairing ignored;
		if (closest_nics(profile, other, ignored) == closest)
			turn++;
	}
	return closest[turn % closest.size()];
}

std::string joined(const std::vector<std::string> &words, const char *separator)
{
	std::string text;
	for (const auto &word : words)
		text += (text.empty() ? "" : separator) + word;
	return text;
}

} // namespace

std::vector<std::size_t> parse_gpu_list(const std::string &text)
{
	std::set<std::size_t> gpus;
	if (text.empty() || !read_ranges(text, gpus))
		throw std::invalid_argument("GPU list \"" + text +
					    "\": expected GPU indexes like 0,3 or 0-3");
	return std::vector<std::size_t>(gpus.begin(), gpus.end());
}

const char *pairing_name(pairing how)
{
	switch (how) {
	case pairing::pcie_switch:
		return "pcie-switch";
	case pairing::numa:
		return "numa";
	case pairing::machine:
		return "machine";
	case pairing::no_nic:
		break;
	}
	return "none";
}

task_binding bind_task(const node_profile &profile, const std::vector<std::size_t> &gpus)
{
	if (gpus.empty())
		throw std::invalid_argument("no GPU to bind");
	task_binding binding;
	binding.gpus = gpus;
	std::sort(binding.gpus.begin(), binding.gpus.end());
	binding.gpus.erase(std::unique(binding.gpus.begin(), binding.gpus.end()),
			   binding.gpus.end());
	binding.worst = pairing::pcie_switch;
	std::vector<std::string> cores, cpus, problems;
	for (std::size_t gpu : binding.gpus) {
		if (gpu >= profile.gpus.size())
			throw std::invalid_argument(
				"GPU " + std::to_string(gpu) + " is not on this node (it has " +
				std::to_string(profile.gpus.size()) + " GPUs)");
		cores.push_back(profile.gpus[gpu].cores);
		cpus.push_back(profile.gpus[gpu].cpus);
		pairing how;
		std::vector<std::size_t> closest = closest_nics(profile, gpu, how);
		binding.worst = std::max(binding.worst, how);
		if (closest.empty()) {
			problems.push_back("the node has no NIC to pair " + gpu_name(profile, gpu) +
					   " with");
			continue;
		}
		std::size_t nic = nic_for_gpu(profile, gpu, closest);
		if (std::find(binding.nics.begin(), binding.nics.end(), nic) == binding.nics.end())
			binding.nics.push_back(nic);
		if (how == pairing::machine) {
			const nic_profile &n = profile.nics[nic];
			problems.push_back(
				gpu_name(profile, gpu) +
				" has no NIC under its PCIe switch or on its NUMA node (nearest: " +
				n.name +
				(n.numa_node >= 0 ? " on NUMA node " + std::to_string(n.numa_node)
						  : std::string()) +
				")");
		}
	}
	binding.cores = union_of_ranges(cores);
	binding.cpus = union_of_ranges(cpus);
	binding.problem = joined(problems, "; ");
	return binding;
}

device_variables device_variables_for(const node_profile &profile, const task_binding &binding)
{
	std::vector<std::string> hcas, ucx, ifnames;
	for (std::size_t nic : binding.nics) {
		const nic_profile &n = profile.nics.at(nic);
		if (has_rdma_device(n)) {
			hcas.push_back(n.name);
			ucx.push_back(n.name + ":1");
		} else if (!n.netdev.empty()) {
			ifnames.push_back(n.netdev);
			ucx.push_back(n.netdev);
		}
	}
	device_variables vars;
	// "=" makes NCCL match names exactly: "mlx5_1" alone would also take mlx5_10.
	if (!hcas.empty())
		vars.nccl_ib_hca = "=" + joined(hcas, ",");
	if (!ifnames.empty())
		vars.nccl_socket_ifname = "=" + joined(ifnames, ",");
	vars.ucx_net_devices = joined(ucx, ",");
	return vars;
}

std::string describe(const node_profile &profile, const task_binding &binding)
{
	std::vector<std::string> gpus, nics;
	for (std::size_t gpu : binding.gpus)
		gpus.push_back(std::to_string(gpu));
	for (std::size_t nic : binding.nics)
		nics.push_back(profile.nics.at(nic).name);
	return "gpu=" + joined(gpus, ",") + " nic=" + (nics.empty() ? "none" : joined(nics, ",")) +
	       " pairing=" + pairing_name(binding.worst) +
	       " cores=" + (binding.cores.empty() ? "none" : binding.cores) +
	       " cpus=" + (binding.cpus.empty() ? "none" : binding.cpus);
}

} // namespace aishare
