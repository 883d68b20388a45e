// task_binding.hpp - which NIC(s) and cores a task should use, given its GPUs.
// Copyright (C) 2026 The slurm-aishare authors. GPL-2.0-or-later.
//
// The SPANK plugin asks this once per task on the node, with the GPUs Slurm gave
// the task.  Each GPU is paired with the NICs closest to it: under the same PCIe
// switch, else on the same NUMA node, else anywhere in the machine.  When several
// GPUs share the same set of closest NICs (two GPUs and two NICs under one switch,
// or two GPUs and one NIC on a socket) they take those NICs in turn, in PCI bus
// order, so GPU pairs spread over NIC pairs instead of all using the first.
// Among equally close NICs only those with an RDMA device count when there are
// any (a management port is never preferred to a ConnectX).  The
// task's cores are those local to its GPUs (their NUMA node).  Pure computation
// on a profile: no hwloc, no Slurm, cheap enough to run in every task.
#ifndef AISHARE_TASK_BINDING_HPP
#define AISHARE_TASK_BINDING_HPP

#include <cstddef>
#include <string>
#include <vector>

#include "topology/node_profile.hpp"

namespace aishare {

// How a GPU was paired; the values are aishare_locality_t's, plus "no NIC".
enum class pairing { pcie_switch = 0, numa = 1, machine = 2, no_nic = 3 };

struct task_binding {
	std::vector<std::size_t> gpus; // sorted, distinct
	std::vector<std::size_t> nics; // chosen NICs, distinct, in the order of gpus
	pairing worst = pairing::no_nic; // the weakest pairing among the task's GPUs
	std::string cores; // Slurm core indexes local to the GPUs
	std::string cpus;  // the OS CPU numbers of those cores
	std::string problem; // why this is not a good pairing (for strict mode), or ""
};

// "0,3" or "0-3" (SLURM_STEP_GPUS's form) as sorted distinct indexes.  Throws
// std::invalid_argument naming TEXT when it is not a list of GPU indexes.
std::vector<std::size_t> parse_gpu_list(const std::string &text);

// The binding of a task holding GPUS of PROFILE.  Throws std::invalid_argument
// naming the index when a GPU is not on the node, or when GPUS is empty.
task_binding bind_task(const node_profile &profile, const std::vector<std::size_t> &gpus);

// "pcie-switch", "numa", "machine", "none".
const char *pairing_name(pairing how);

// What NCCL and UCX read, for the chosen NICs: NCCL_IB_HCA ("=mlx5_0,mlx5_1",
// exact names) and UCX_NET_DEVICES ("mlx5_0:1") list the NICs with an RDMA
// device; NCCL_SOCKET_IFNAME ("=eth2") the network interfaces of those without.
// Empty strings mean "leave the variable alone".
struct device_variables {
	std::string nccl_ib_hca;
	std::string nccl_socket_ifname;
	std::string ucx_net_devices;
};
device_variables device_variables_for(const node_profile &profile, const task_binding &binding);

// One line for AISHARE_BINDING and logs:
// "gpu=0 nic=mlx5_0 pairing=pcie-switch cores=0-15 cpus=0-15".
std::string describe(const node_profile &profile, const task_binding &binding);

} // namespace aishare

#endif // AISHARE_TASK_BINDING_HPP
