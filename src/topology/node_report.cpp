// node_report.cpp - `aishare topo show` and `aishare topo gres` over a node set.
// Copyright (C) 2026 The slurm-aishare authors. GPL-2.0-or-later.
//
// Golden tests diff these, and admins paste the gres lines into gres.conf: the
// output depends only on the set (nodes in name order, devices in PCI order).
#include "topology/node_report.hpp"

#include <set>

#include "base/json_text.hpp"

namespace aishare {
namespace {

std::string or_dash(const std::string &text)
{
	return text.empty() ? "-" : text;
}

std::string links_row(const node_profile &profile, std::size_t gpu)
{
	std::string row;
	for (int links : profile.nvlinks[gpu])
		row += (row.empty() ? "" : ",") + std::to_string(links);
	return row;
}

// gres.conf's Type= is one word; model names come from the node's XML, so each
// run of anything but letters, digits, '.' and '-' becomes one '_', none at the
// ends ("[10de:06d2]" gives "10de_06d2").
std::string gres_type(const std::string &model)
{
	std::string type;
	bool gap = false;
	for (char c : model) {
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '.' || c == '-') {
			if (gap && !type.empty())
				type += '_';
			type += c;
			gap = false;
		} else {
			gap = true;
		}
	}
	return type.empty() ? "gpu" : type;
}

void text_report(const node_set &set, std::string &out)
{
	const auto &classes = set.classes();
	for (std::size_t c = 0; c < classes.size(); c++) {
		out += "class " + std::to_string(c) + ": " + classes[c].name + "\n";
		out += "  nodes:";
		for (std::size_t node : classes[c].nodes)
			out += " " + set.node(node).name;
		out += "\n";
		for (std::size_t node : classes[c].nodes)
			if (!set.node(node).degraded.empty())
				out += "  degraded: " + set.node(node).name + " (" +
				       set.node(node).degraded + ")\n";
	}
	for (std::size_t n = 0; n < set.size(); n++) {
		const node_entry &node = set.node(n);
		const node_profile &p = node.profile;
		out += "\nnode " + node.name + ": class " + std::to_string(node.cls) + "\n";
		if (!node.degraded.empty())
			out += "  degraded: " + node.degraded + "\n";
		out += "  cores: " + std::to_string(p.cores);
		for (const auto &numa : p.numa_cores)
			out += ", NUMA " + std::to_string(numa.first) + ": " +
			       std::to_string(numa.second);
		out += "\n";
		for (std::size_t g = 0; g < p.gpus.size(); g++) {
			const gpu_profile &gpu = p.gpus[g];
			out += "  gpu " + std::to_string(g) + ": " + gpu.pci_busid + " " + gpu.vendor +
			       " \"" + gpu.model + "\" numa " + std::to_string(gpu.numa_node) +
			       " switch " + or_dash(gpu.pcie_switch) + " cores " + or_dash(gpu.cores);
			if (p.has_nvlink)
				out += " nvlinks " + links_row(p, g);
			out += "\n";
		}
		for (std::size_t i = 0; i < p.nics.size(); i++) {
			const nic_profile &nic = p.nics[i];
			out += "  nic " + std::to_string(i) + ": " + nic.pci_busid + " " +
			       or_dash(nic.name) + " netdev " + or_dash(nic.netdev) + " " + nic.kind +
			       " numa " + std::to_string(nic.numa_node) + " switch " +
			       or_dash(nic.pcie_switch) + "\n";
		}
	}
}

void json_report(const node_set &set, std::string &out)
{
	const auto &classes = set.classes();
	out += "{\"classes\":[";
	for (std::size_t c = 0; c < classes.size(); c++) {
		out += c ? "," : "";
		out += "{\"index\":" + std::to_string(c) + ",\"name\":" + json_string(classes[c].name) +
		       ",\"nodes\":[";
		std::string degraded;
		for (std::size_t i = 0; i < classes[c].nodes.size(); i++) {
			const node_entry &node = set.node(classes[c].nodes[i]);
			out += (i ? "," : "") + json_string(node.name);
			if (!node.degraded.empty())
				degraded += std::string(degraded.empty() ? "" : ",") + "{\"node\":" +
					    json_string(node.name) +
					    ",\"reason\":" + json_string(node.degraded) + "}";
		}
		out += "],\"degraded\":[" + degraded + "]}";
	}
	out += "],\"nodes\":[";
	for (std::size_t n = 0; n < set.size(); n++) {
		const node_entry &node = set.node(n);
		const node_profile &p = node.profile;
		out += n ? "," : "";
		out += "{\"name\":" + json_string(node.name) + ",\"class\":" + std::to_string(node.cls) +
		       ",\"degraded\":" + (node.degraded.empty() ? "null" : json_string(node.degraded)) +
		       ",\"cores\":" + std::to_string(p.cores) + ",\"numa_cores\":[";
		bool first = true;
		for (const auto &numa : p.numa_cores) {
			out += std::string(first ? "" : ",") + "{\"numa_node\":" +
			       std::to_string(numa.first) + ",\"cores\":" + std::to_string(numa.second) +
			       "}";
			first = false;
		}
		out += "],\"nvlink\":" + std::string(p.has_nvlink ? "true" : "false") + ",\"gpus\":[";
		for (std::size_t g = 0; g < p.gpus.size(); g++) {
			const gpu_profile &gpu = p.gpus[g];
			out += g ? "," : "";
			out += "{\"index\":" + std::to_string(g) + ",\"pci_busid\":" +
			       json_string(gpu.pci_busid) + ",\"vendor\":" + json_string(gpu.vendor) +
			       ",\"model\":" + json_string(gpu.model) +
			       ",\"numa_node\":" + std::to_string(gpu.numa_node) +
			       ",\"pcie_switch\":" + json_string(gpu.pcie_switch) +
			       ",\"cores\":" + json_string(gpu.cores) + ",\"nvlinks\":[" +
			       links_row(p, g) + "]}";
		}
		out += "],\"nics\":[";
		for (std::size_t i = 0; i < p.nics.size(); i++) {
			const nic_profile &nic = p.nics[i];
			out += i ? "," : "";
			out += "{\"index\":" + std::to_string(i) + ",\"name\":" + json_string(nic.name) +
			       ",\"netdev\":" + json_string(nic.netdev) +
			       ",\"kind\":" + json_string(nic.kind) +
			       ",\"pci_busid\":" + json_string(nic.pci_busid) +
			       ",\"numa_node\":" + std::to_string(nic.numa_node) +
			       ",\"pcie_switch\":" + json_string(nic.pcie_switch) + "}";
		}
		out += "]}";
	}
	out += "]}\n";
}

} // namespace

std::string node_set_report(const node_set &set, bool json)
{
	std::string out;
	if (json)
		json_report(set, out);
	else
		text_report(set, out);
	return out;
}

namespace {

// The device file of GPU G: an NVIDIA GPU is FILE_PREFIX<i> ("/dev/nvidia<i>"),
// numbered in PCI order among the node's NVIDIA GPUs, as the driver numbers
// them; any other GPU is its DRM render node when the XML shows one.  "" when
// the file cannot be known from the XML (the caller says why).
std::string device_file(const node_profile &p, std::size_t g, const std::string &file_prefix)
{
	const gpu_profile &gpu = p.gpus[g];
	if (gpu.vendor == "NVIDIA") {
		std::size_t index = 0;
		for (std::size_t other = 0; other < g; other++)
			index += p.gpus[other].vendor == "NVIDIA" ? 1 : 0;
		return file_prefix + std::to_string(index);
	}
	return gpu.render_node.empty() ? "" : "/dev/dri/" + gpu.render_node;
}

std::string no_file_reason(const gpu_profile &gpu)
{
	return "the XML names no DRM render node for the " + gpu.vendor + " GPU at " +
	       gpu.pci_busid + "; write File=/dev/dri/renderD<N> from `ls -l /dev/dri/by-path/pci-" +
	       gpu.pci_busid + "-render` on the node";
}

// "AMD, NVIDIA" when the node's GPUs come from several vendors, else "".
std::string mixed_vendors(const node_profile &p)
{
	std::set<std::string> vendors;
	for (const gpu_profile &gpu : p.gpus)
		vendors.insert(gpu.vendor);
	if (vendors.size() < 2)
		return "";
	std::string list;
	for (const std::string &vendor : vendors)
		list += (list.empty() ? "" : ", ") + vendor;
	return list;
}

} // namespace

std::string node_set_gres(const node_set &set, const std::string &file_prefix, bool json)
{
	std::string out = json ? "[" : "";
	bool first = true;
	for (std::size_t n = 0; n < set.size(); n++) {
		const node_entry &node = set.node(n);
		const node_profile &p = node.profile;
		std::string vendors = mixed_vendors(p);
		if (!json && !vendors.empty())
			out += "# NodeName=" + node.name + ": GPUs of several vendors (" + vendors +
			       "): Slurm's AutoDetect serves one vendor per node, so keep these "
			       "File= lines and leave AutoDetect off for this node\n";
		for (std::size_t g = 0; g < p.gpus.size(); g++) {
			const gpu_profile &gpu = p.gpus[g];
			std::string type = gres_type(gpu.model);
			std::string file = device_file(p, g, file_prefix);
			std::string links = p.has_nvlink ? links_row(p, g) : "";
			if (json) {
				out += first ? "" : ",";
				out += "{\"node_name\":" + json_string(node.name) +
				       ",\"name\":\"gpu\",\"type\":" + json_string(type) +
				       ",\"vendor\":" + json_string(gpu.vendor) + ",\"file\":" +
				       (file.empty() ? "null" : json_string(file));
				if (!gpu.cores.empty())
					out += ",\"cores\":" + json_string(gpu.cores);
				if (!links.empty())
					out += ",\"links\":" + json_string(links);
				if (!vendors.empty())
					out += ",\"mixed_vendors\":true";
				if (file.empty())
					out += ",\"problem\":" + json_string(no_file_reason(gpu));
				out += "}";
			} else {
				// A GPU whose file is unknown is written commented out with
				// the reason: pasted into gres.conf it does no harm.
				out += std::string(file.empty() ? "# " : "") + "NodeName=" + node.name +
				       " Name=gpu Type=" + type + (file.empty() ? "" : " File=" + file);
				if (!gpu.cores.empty())
					out += " Cores=" + gpu.cores;
				if (!links.empty())
					out += " Links=" + links;
				if (file.empty())
					out += ": no File=: " + no_file_reason(gpu);
				out += "\n";
			}
			first = false;
		}
	}
	if (json)
		out += "]\n";
	return out;
}

} // namespace aishare
