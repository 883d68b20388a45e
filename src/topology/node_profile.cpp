// node_profile.cpp - one node's profile through hwloc's own XML import.
// Copyright (C) 2026 The slurm-aishare authors. GPL-2.0-or-later.
//
// The XML comes from another machine (a compute node's slurmd spool, or a file an
// admin saved with lstopo), so nothing here may look at the host it runs on: the
// topology is only ever built with hwloc_topology_set_xmlbuffer, never loaded
// from the live system, and the file is read by us, with a size limit, before
// hwloc sees a byte of it.  We never parse XML ourselves.
#include "topology/node_profile.hpp"

#include <algorithm>
#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <numeric>
#include <stdexcept>
#include <tuple>

#include <hwloc.h>

#include "base/file_io.hpp"
#include "topology/hwloc_worker.hpp"

#if HWLOC_API_VERSION < 0x00020500 || HWLOC_API_VERSION >= 0x00030000
#error "node_profile.cpp needs hwloc 2.5 or later 2.x (heterogeneous distances, osdev types)"
#endif

namespace aishare {
namespace {

struct topology_deleter {
	void operator()(hwloc_topology *topology) const { hwloc_topology_destroy(topology); }
};
using topology_ptr = std::unique_ptr<hwloc_topology, topology_deleter>;

// A PCI address as a sortable key and as text.
using pci_key = std::tuple<unsigned, unsigned, unsigned, unsigned>;

std::string busid_text(unsigned domain, unsigned bus, unsigned dev, unsigned func)
{
	char text[32];
	std::snprintf(text, sizeof(text), "%04x:%02x:%02x.%01x", domain, bus, dev, func);
	return text;
}

pci_key device_key(hwloc_obj_t pci)
{
	const auto &a = pci->attr->pcidev;
	return pci_key(a.domain, a.bus, a.dev, a.func);
}

std::string device_busid(hwloc_obj_t pci)
{
	const auto &a = pci->attr->pcidev;
	return busid_text(a.domain, a.bus, a.dev, a.func);
}

std::string info(hwloc_obj_t obj, const char *name)
{
	const char *value = hwloc_obj_get_info_by_name(obj, name);
	return value ? value : "";
}

std::string vendor_name(unsigned vendor_id)
{
	switch (vendor_id) {
	case 0x10de:
		return "NVIDIA";
	case 0x1002:
		return "AMD";
	case 0x8086:
		return "Intel";
	}
	char text[16];
	std::snprintf(text, sizeof(text), "0x%04x", vendor_id);
	return text;
}

// hwloc's XML import stores whatever number the file has in osdev.type and the
// bridge types; reading a number outside an enum as the enum is undefined, so
// their bytes are read instead.
template <typename E> int enum_value(const E &field)
{
	int value;
	static_assert(sizeof(value) == sizeof(field), "hwloc enums are ints");
	std::memcpy(&value, &field, sizeof(value));
	return value;
}

int osdev_type(hwloc_obj_t osdev)
{
	return enum_value(osdev->attr->osdev.type);
}

bool pci_upstream(hwloc_obj_t bridge)
{
	return bridge && bridge->type == HWLOC_OBJ_BRIDGE &&
	       enum_value(bridge->attr->bridge.upstream_type) == HWLOC_OBJ_BRIDGE_PCI;
}

bool is_compute_osdev(hwloc_obj_t osdev)
{
	if (osdev_type(osdev) != HWLOC_OBJ_OSDEV_GPU && osdev_type(osdev) != HWLOC_OBJ_OSDEV_COPROC)
		return false;
	std::string backend = info(osdev, "Backend");
	return backend == "NVML" || backend == "CUDA" || backend == "RSMI" ||
	       backend == "LevelZero" || backend == "OpenCL";
}

// hwloc's Linux backend shows a GPU's DRM devices as OS devices named after
// their /dev/dri files: "card1", "renderD129".  The render node is what Slurm's
// gres.conf names for an AMD or Intel GPU.
bool is_render_node(hwloc_obj_t osdev)
{
	const char *name = osdev->name;
	if (!name || std::strncmp(name, "renderD", 7) != 0 || !name[7])
		return false;
	for (const char *digit = name + 7; *digit; digit++)
		if (*digit < '0' || *digit > '9')
			return false;
	return std::strlen(name) <= 12;
}

// Compute GPUs, not the server's VGA chip: 3D and display controllers of any
// vendor; VGA only from NVIDIA or when a compute runtime saw it.
bool is_gpu(hwloc_obj_t pci)
{
	unsigned class_id = pci->attr->pcidev.class_id;
	if (class_id == 0x0302 || class_id == 0x0380)
		return true;
	if (class_id != 0x0300)
		return false;
	if (pci->attr->pcidev.vendor_id == 0x10de)
		return true;
	for (hwloc_obj_t child = pci->io_first_child; child; child = child->next_sibling)
		if (child->type == HWLOC_OBJ_OS_DEVICE && is_compute_osdev(child))
			return true;
	return false;
}

// The nearest PCIe switch above DEVICE, named by its upstream port: the device's
// bridge is a downstream port, and when that port hangs below another PCI-to-PCI
// bridge, that one is the switch's upstream port.  A bridge right below a host
// bridge is a root port: no switch.
std::string pcie_switch_of(hwloc_obj_t device)
{
	hwloc_obj_t port = device->parent;
	if (!pci_upstream(port))
		return "";
	hwloc_obj_t upstream = port->parent;
	if (!pci_upstream(upstream))
		return "";
	const auto &a = upstream->attr->bridge.upstream.pci;
	return busid_text(a.domain, a.bus, a.dev, a.func);
}

struct placement {
	int numa_node = -1;
	std::string cores;
	std::string cpus;
};

placement placement_of(hwloc_topology_t topology, hwloc_obj_t device)
{
	placement where;
	hwloc_obj_t local = hwloc_get_non_io_ancestor_obj(topology, device);
	if (!local)
		return where;
	if (local->nodeset && !hwloc_bitmap_iszero(local->nodeset))
		where.numa_node = hwloc_bitmap_first(local->nodeset);
	if (!local->cpuset)
		return where;
	// Slurm numbers cores in hwloc's logical order, so that is what Cores= takes.
	// sched_setaffinity takes OS CPU numbers: the PUs of those cores.
	std::vector<unsigned> cores, cpus;
	hwloc_obj_t core = nullptr;
	while ((core = hwloc_get_next_obj_by_type(topology, HWLOC_OBJ_CORE, core)))
		if (core->cpuset && hwloc_bitmap_intersects(core->cpuset, local->cpuset)) {
			cores.push_back(core->logical_index);
			for (int pu = hwloc_bitmap_first(core->cpuset); pu >= 0;
			     pu = hwloc_bitmap_next(core->cpuset, pu))
				cpus.push_back(static_cast<unsigned>(pu));
		}
	std::sort(cpus.begin(), cpus.end());
	where.cores = index_ranges(cores);
	where.cpus = index_ranges(cpus);
	return where;
}

// NVLink counts from hwloc's "NVLinkBandwidth" matrix (MB/s between NVML GPUs,
// and, on NVSwitch machines, between GPUs and the switches' PCI devices).
//
// One link's bandwidth is the greatest common divisor of the nonzero entries: on
// the machines we know it equals the smallest entry (one link, 25000 on V100),
// and unlike the smallest it stays right when every entry holds several links
// (an HGX H100 board joins each GPU to its four NVSwitch chips by 5, 4, 4 and 5).
// links(a, b) is then what gres.conf's Links= means, how many NVLinks join the
// two GPUs: the direct links when there are any; else, when both reach switches,
// the smaller of the two GPUs' links into the switch fabric (traffic between them
// cannot use more links than the lesser side has); else 0.
void read_nvlinks(hwloc_topology_t topology, const std::vector<hwloc_obj_t> &gpu_objs,
		  node_profile &profile)
{
	std::size_t count = gpu_objs.size();
	profile.nvlinks.assign(count, std::vector<int>(count, 0));
	for (std::size_t i = 0; i < count; i++)
		profile.nvlinks[i][i] = -1;
	profile.has_nvlink = false;

	unsigned nr = 1;
	hwloc_distances_s *matrix = nullptr;
	if (hwloc_distances_get_by_name(topology, "NVLinkBandwidth", &nr, &matrix, 0) != 0 ||
	    nr == 0 || !matrix)
		return;
	struct release {
		hwloc_topology_t topology;
		hwloc_distances_s *matrix;
		~release() { hwloc_distances_release(topology, matrix); }
	} releaser{topology, matrix};

	// Each matrix object: our GPU (by its PCI device), a switch (another PCI
	// device, the NVSwitch), or something else, which is passed over.
	const long other = -2, nvswitch = -1;
	unsigned n = matrix->nbobjs;
	std::vector<long> role(n, other);
	for (unsigned i = 0; i < n; i++) {
		hwloc_obj_t obj = matrix->objs[i];
		if (!obj)
			continue;
		hwloc_obj_t pci = obj;
		if (obj->type == HWLOC_OBJ_OS_DEVICE)
			pci = obj->parent;
		if (!pci || pci->type != HWLOC_OBJ_PCI_DEVICE)
			continue;
		auto found = std::find(gpu_objs.begin(), gpu_objs.end(), pci);
		if (found != gpu_objs.end())
			role[i] = found - gpu_objs.begin();
		else if (obj->type == HWLOC_OBJ_PCI_DEVICE)
			role[i] = nvswitch;
	}
	auto bandwidth = [&](unsigned i, unsigned j) {
		hwloc_uint64_t there = matrix->values[i * n + j], back = matrix->values[j * n + i];
		return std::max(there, back);
	};
	hwloc_uint64_t unit = 0;
	for (unsigned i = 0; i < n; i++)
		for (unsigned j = 0; j < n; j++)
			if (i != j && role[i] != other && role[j] != other && bandwidth(i, j))
				unit = std::gcd(unit, bandwidth(i, j));
	if (!unit)
		return;

	auto links = [&](unsigned i, unsigned j) {
		hwloc_uint64_t count = bandwidth(i, j) / unit;
		return static_cast<int>(std::min<hwloc_uint64_t>(count, 1u << 20));
	};
	std::vector<long> to_switches(count, 0);
	for (unsigned i = 0; i < n; i++)
		for (unsigned j = 0; j < n; j++) {
			if (i == j || role[i] < 0)
				continue;
			if (role[j] >= 0 && role[j] != role[i]) {
				int &direct = profile.nvlinks[role[i]][role[j]];
				direct = std::max(direct, links(i, j));
			} else if (role[j] == nvswitch) {
				to_switches[role[i]] += links(i, j);
			}
		}
	for (std::size_t a = 0; a < count; a++)
		for (std::size_t b = 0; b < count; b++) {
			if (a == b)
				continue;
			int &joined = profile.nvlinks[a][b];
			if (!joined && to_switches[a] && to_switches[b])
				joined = static_cast<int>(
					std::min({to_switches[a], to_switches[b], 1l << 20}));
			if (joined > 0)
				profile.has_nvlink = true;
		}
}

} // namespace

std::string index_ranges(const std::vector<unsigned> &indexes)
{
	std::string text;
	for (std::size_t i = 0; i < indexes.size();) {
		std::size_t last = i;
		while (last + 1 < indexes.size() && indexes[last + 1] == indexes[last] + 1)
			last++;
		if (!text.empty())
			text += ',';
		text += std::to_string(indexes[i]);
		if (last > i)
			text += '-' + std::to_string(indexes[last]);
		i = last + 1;
	}
	return text;
}

// The format version in the XML's <topology version="M.N"> tag, "" when there is
// none (hwloc 1.x wrote none).  Only the head of the file is looked at.
std::string xml_format_version(const std::string &xml)
{
	std::size_t tag = xml.find("<topology");
	if (tag == std::string::npos || tag > 4096)
		return "";
	std::size_t end = xml.find('>', tag);
	std::size_t attr = xml.find("version=\"", tag);
	if (attr == std::string::npos || attr > end)
		return "";
	attr += 9;
	std::size_t close = xml.find('"', attr);
	if (close == std::string::npos || close > end || close - attr > 16)
		return "";
	return xml.substr(attr, close - attr);
}

node_profile parse_node_profile(const std::string &xml, const std::string &origin)
{
	if (xml.empty())
		throw std::invalid_argument(origin + ": empty, not an hwloc XML topology");
	if (xml.size() > max_node_xml_bytes)
		throw std::invalid_argument(origin + ": larger than " +
					    std::to_string(max_node_xml_bytes) + " bytes");
	// hwloc 2.x refuses a newer format with only a warning on stderr; say what
	// the file is and how to get one this build reads.
	std::string format = xml_format_version(xml);
	if (!format.empty() && std::atoi(format.c_str()) > 2)
		throw std::invalid_argument(
			origin + ": hwloc XML format " + format + ", written by hwloc " +
			format.substr(0, format.find('.')) + ".x or later; this build uses hwloc " +
			HWLOC_VERSION + ", which reads formats up to 2.x: export it again with "
			"`lstopo --of xml --export-xml-flags v2` (hwloc 3) or with hwloc 2's lstopo");
	return profile_in_hwloc_worker(xml, origin);
}

node_profile profile_from_hwloc_xml(const std::string &xml, const std::string &origin)
{
	hwloc_topology_t raw = nullptr;
	if (hwloc_topology_init(&raw) != 0)
		throw std::bad_alloc();
	topology_ptr topology(raw);
	// KEEP_ALL: the bridges are how we see PCIe switches.  The length given to
	// hwloc counts the terminating NUL that std::string guarantees, as hwloc's
	// own exported buffers do.
	if (hwloc_topology_set_io_types_filter(raw, HWLOC_TYPE_FILTER_KEEP_ALL) != 0 ||
	    hwloc_topology_set_xmlbuffer(raw, xml.c_str(), static_cast<int>(xml.size() + 1)) != 0 ||
	    hwloc_topology_load(raw) != 0)
		throw std::invalid_argument(origin +
					    ": not an hwloc XML topology (hwloc cannot import it)");

	node_profile profile;
	std::vector<std::pair<pci_key, hwloc_obj_t>> gpu_objs, nic_objs;
	hwloc_obj_t pci = nullptr;
	while ((pci = hwloc_get_next_pcidev(raw, pci))) {
		if (is_gpu(pci)) {
			gpu_objs.emplace_back(device_key(pci), pci);
			continue;
		}
		for (hwloc_obj_t child = pci->io_first_child; child; child = child->next_sibling)
			if (child->type == HWLOC_OBJ_OS_DEVICE &&
			    (osdev_type(child) == HWLOC_OBJ_OSDEV_NETWORK ||
			     osdev_type(child) == HWLOC_OBJ_OSDEV_OPENFABRICS)) {
				nic_objs.emplace_back(device_key(pci), pci);
				break;
			}
	}
	std::sort(gpu_objs.begin(), gpu_objs.end());
	std::sort(nic_objs.begin(), nic_objs.end());

	std::vector<hwloc_obj_t> gpus;
	for (const auto &entry : gpu_objs) {
		hwloc_obj_t obj = entry.second;
		gpu_profile gpu;
		gpu.pci_busid = device_busid(obj);
		gpu.vendor = vendor_name(obj->attr->pcidev.vendor_id);
		for (hwloc_obj_t child = obj->io_first_child; child && gpu.model.empty();
		     child = child->next_sibling)
			if (child->type == HWLOC_OBJ_OS_DEVICE)
				gpu.model = info(child, "GPUModel");
		for (hwloc_obj_t child = obj->io_first_child; child; child = child->next_sibling)
			if (child->type == HWLOC_OBJ_OS_DEVICE && is_render_node(child))
				gpu.render_node = child->name;
		if (gpu.model.empty())
			gpu.model = info(obj, "PCIDevice");
		if (gpu.model.empty()) {
			char ids[24];
			std::snprintf(ids, sizeof(ids), "[%04x:%04x]", obj->attr->pcidev.vendor_id,
				      obj->attr->pcidev.device_id);
			gpu.model = ids;
		}
		placement where = placement_of(raw, obj);
		gpu.numa_node = where.numa_node;
		gpu.cores = where.cores;
		gpu.cpus = where.cpus;
		gpu.pcie_switch = pcie_switch_of(obj);
		profile.gpus.push_back(std::move(gpu));
		gpus.push_back(obj);
	}

	for (const auto &entry : nic_objs) {
		hwloc_obj_t obj = entry.second;
		nic_profile nic;
		std::string fabric;
		for (hwloc_obj_t child = obj->io_first_child; child; child = child->next_sibling) {
			if (child->type != HWLOC_OBJ_OS_DEVICE || !child->name)
				continue;
			if (osdev_type(child) == HWLOC_OBJ_OSDEV_OPENFABRICS && fabric.empty())
				fabric = child->name;
			if (osdev_type(child) == HWLOC_OBJ_OSDEV_NETWORK && nic.netdev.empty())
				nic.netdev = child->name;
		}
		nic.name = fabric.empty() ? nic.netdev : fabric;
		unsigned class_id = obj->attr->pcidev.class_id;
		if (!fabric.empty() || class_id == 0x0207)
			nic.kind = "infiniband";
		else if (class_id == 0x0200)
			nic.kind = "ethernet";
		else
			nic.kind = "other";
		nic.pci_busid = device_busid(obj);
		nic.numa_node = placement_of(raw, obj).numa_node;
		nic.pcie_switch = pcie_switch_of(obj);
		profile.nics.push_back(std::move(nic));
	}

	read_nvlinks(raw, gpus, profile);

	profile.cores = static_cast<unsigned>(std::max(0, hwloc_get_nbobjs_by_type(raw, HWLOC_OBJ_CORE)));
	hwloc_obj_t numa = nullptr;
	while ((numa = hwloc_get_next_obj_by_type(raw, HWLOC_OBJ_NUMANODE, numa))) {
		unsigned cores = 0;
		hwloc_obj_t core = nullptr;
		while ((core = hwloc_get_next_obj_by_type(raw, HWLOC_OBJ_CORE, core)))
			if (numa->cpuset && core->cpuset &&
			    hwloc_bitmap_intersects(core->cpuset, numa->cpuset))
				cores++;
		profile.numa_cores[static_cast<int>(numa->os_index)] = cores;
	}
	return profile;
}

std::string discover_topology_xml(const std::string &origin)
{
	hwloc_topology_t raw = nullptr;
	if (hwloc_topology_init(&raw) != 0)
		throw std::bad_alloc();
	topology_ptr topology(raw);
	// INCLUDE_DISALLOWED: slurmstepd may sit in a cgroup of a few CPUs, but
	// Slurm's core indexes count the whole machine, and so must ours.
	char *xml = nullptr;
	int length = 0;
	if (hwloc_topology_set_io_types_filter(raw, HWLOC_TYPE_FILTER_KEEP_ALL) != 0 ||
	    hwloc_topology_set_flags(raw, HWLOC_TOPOLOGY_FLAG_INCLUDE_DISALLOWED) != 0 ||
	    hwloc_topology_load(raw) != 0 ||
	    hwloc_topology_export_xmlbuffer(raw, &xml, &length, 0) != 0 || !xml)
		throw std::invalid_argument(origin + ": hwloc cannot discover this machine: " +
					    std::strerror(errno));
	std::string text(xml);
	hwloc_free_xmlbuffer(raw, xml);
	return text;
}

node_profile discover_node_profile(const std::string &origin)
{
	// An empty XML asks the worker for this machine (parse_node_profile refuses
	// empty files before they reach it, so the two never mix).
	return profile_in_hwloc_worker(std::string(), origin);
}

node_profile load_node_profile(const std::string &path)
{
	return parse_node_profile(read_input_file(path, max_node_xml_bytes), path);
}

} // namespace aishare
