// node_profile.hpp - what placement needs to know of one GPU node, from its hwloc XML.
// Copyright (C) 2026 The slurm-aishare authors. GPL-2.0-or-later.
//
// A profile is read once (from the XML slurmd or lstopo wrote) and then only
// looked at: GPUs and NICs with their PCIe and NUMA placement, NVLink counts and
// cores.  The topology itself is not kept; the profile holds plain values, so a
// node set of thousands of nodes stays small.
#ifndef AISHARE_NODE_PROFILE_HPP
#define AISHARE_NODE_PROFILE_HPP

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace aishare {

// The XML limit: a larger file is refused before hwloc reads it.
constexpr std::size_t max_node_xml_bytes = 64u << 20;

struct gpu_profile {
	std::string pci_busid;   // "0000:34:00.0"
	std::string vendor;      // "NVIDIA", "AMD", "Intel" or "0x1234"
	std::string model;       // GPU model, else PCI device name, else "[10de:2330]"
	int numa_node = -1;      // OS index, -1 when unknown
	std::string pcie_switch; // upstream port bus id of the nearest switch, "" if none
	std::string cores;       // local cores as Slurm core indexes, "0-17,36-53"
	std::string cpus;        // their PUs as OS CPU numbers (for sched_setaffinity), "0-17,72-89"
	std::string render_node; // DRM render node ("renderD128") when the XML shows one, else ""
};

struct nic_profile {
	std::string name;   // OpenFabrics device ("mlx5_0"), else the netdev
	std::string netdev; // first network interface, or ""
	std::string kind;   // "infiniband", "ethernet" or "other"
	std::string pci_busid;
	int numa_node = -1;
	std::string pcie_switch;
};

struct node_profile {
	std::vector<gpu_profile> gpus; // in PCI bus id order
	std::vector<nic_profile> nics; // in PCI bus id order
	// nvlinks[a][b]: NVLinks joining GPU a and GPU b, -1 on the diagonal.
	std::vector<std::vector<int>> nvlinks;
	bool has_nvlink = false;
	std::map<int, unsigned> numa_cores; // NUMA node OS index -> cores in it
	unsigned cores = 0;                 // all cores of the machine
};

// The profile in the hwloc XML text XML; ORIGIN (a path or a node name) starts
// every message.  Throws std::invalid_argument "ORIGIN: problem" when XML is
// empty, too large or not an hwloc topology.  hwloc reads it in a worker process
// (hwloc_worker.hpp says why).
node_profile parse_node_profile(const std::string &xml, const std::string &origin);

// The same, computed in this process by hwloc: only the worker calls it.
node_profile profile_from_hwloc_xml(const std::string &xml, const std::string &origin);

// This machine's topology as hwloc XML, discovered in this process: only the
// worker calls it.  Throws std::invalid_argument "ORIGIN: problem".
std::string discover_topology_xml(const std::string &origin);

// The profile of the machine this process runs on, discovered by hwloc in the
// worker (with I/O devices, and with the CPUs a cgroup hides from this process,
// so core indexes stay Slurm's).  ORIGIN starts every message.  Throws
// std::invalid_argument when hwloc cannot discover it, std::runtime_error when no
// worker could be started.
node_profile discover_node_profile(const std::string &origin);

// The same for the file at PATH, read with the max_node_xml_bytes limit.
// Throws std::invalid_argument or std::runtime_error "PATH: problem".
node_profile load_node_profile(const std::string &path);

// "0-17,36-53" for the sorted indexes INDEXES.
std::string index_ranges(const std::vector<unsigned> &indexes);

} // namespace aishare

#endif // AISHARE_NODE_PROFILE_HPP
