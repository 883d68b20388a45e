// node_profile_codec.cpp - a node profile as bytes: little-endian fixed-width
// integers and length-prefixed strings, in the order of the structs' fields.
// Copyright (C) 2026 The slurm-aishare authors. GPL-2.0-or-later.
#include "topology/node_profile_codec.hpp"

#include <cstdint>
#include <stdexcept>

namespace aishare {
namespace {

class writer {
public:
	void u32(std::uint32_t value)
	{
		for (int shift = 0; shift < 32; shift += 8)
			bytes += static_cast<char>((value >> shift) & 0xff);
	}
	void i32(int value) { u32(static_cast<std::uint32_t>(value)); }
	void text(const std::string &value)
	{
		u32(static_cast<std::uint32_t>(value.size()));
		bytes += value;
	}
	std::string bytes;
};

class reader {
public:
	explicit reader(const std::string &bytes) : bytes_(bytes) {}
	std::uint32_t u32()
	{
		need(4);
		std::uint32_t value = 0;
		for (int shift = 0; shift < 32; shift += 8)
			value |= static_cast<std::uint32_t>(
					 static_cast<unsigned char>(bytes_[at_++]))
				 << shift;
		return value;
	}
	int i32() { return static_cast<int>(u32()); }
	std::string text()
	{
		std::uint32_t size = u32();
		need(size);
		std::string value = bytes_.substr(at_, size);
		at_ += size;
		return value;
	}
	// A count of items of at least MIN_BYTES each must fit in what is left.
	std::uint32_t count(std::size_t min_bytes)
	{
		std::uint32_t n = u32();
		need(static_cast<std::size_t>(n) * min_bytes);
		return n;
	}
	bool done() const { return at_ == bytes_.size(); }

private:
	void need(std::size_t size) const
	{
		if (size > bytes_.size() - at_)
			throw std::invalid_argument("truncated node profile");
	}
	const std::string &bytes_;
	std::size_t at_ = 0;
};

} // namespace

std::string encode_node_profile(const node_profile &profile)
{
	writer out;
	out.u32(static_cast<std::uint32_t>(profile.gpus.size()));
	for (const gpu_profile &gpu : profile.gpus) {
		out.text(gpu.pci_busid);
		out.text(gpu.vendor);
		out.text(gpu.model);
		out.i32(gpu.numa_node);
		out.text(gpu.pcie_switch);
		out.text(gpu.cores);
		out.text(gpu.cpus);
		out.text(gpu.render_node);
	}
	out.u32(static_cast<std::uint32_t>(profile.nics.size()));
	for (const nic_profile &nic : profile.nics) {
		out.text(nic.name);
		out.text(nic.netdev);
		out.text(nic.kind);
		out.text(nic.pci_busid);
		out.i32(nic.numa_node);
		out.text(nic.pcie_switch);
	}
	out.u32(static_cast<std::uint32_t>(profile.nvlinks.size()));
	for (const std::vector<int> &row : profile.nvlinks) {
		out.u32(static_cast<std::uint32_t>(row.size()));
		for (int links : row)
			out.i32(links);
	}
	out.u32(profile.has_nvlink);
	out.u32(static_cast<std::uint32_t>(profile.numa_cores.size()));
	for (const auto &numa : profile.numa_cores) {
		out.i32(numa.first);
		out.u32(numa.second);
	}
	out.u32(profile.cores);
	return out.bytes;
}

node_profile decode_node_profile(const std::string &bytes)
{
	reader in(bytes);
	node_profile profile;
	profile.gpus.resize(in.count(32)); // 7 strings and an int
	for (gpu_profile &gpu : profile.gpus) {
		gpu.pci_busid = in.text();
		gpu.vendor = in.text();
		gpu.model = in.text();
		gpu.numa_node = in.i32();
		gpu.pcie_switch = in.text();
		gpu.cores = in.text();
		gpu.cpus = in.text();
		gpu.render_node = in.text();
	}
	profile.nics.resize(in.count(24)); // 5 strings and an int
	for (nic_profile &nic : profile.nics) {
		nic.name = in.text();
		nic.netdev = in.text();
		nic.kind = in.text();
		nic.pci_busid = in.text();
		nic.numa_node = in.i32();
		nic.pcie_switch = in.text();
	}
	profile.nvlinks.resize(in.count(4));
	for (std::vector<int> &row : profile.nvlinks) {
		row.resize(in.count(4));
		for (int &links : row)
			links = in.i32();
	}
	profile.has_nvlink = in.u32() != 0;
	std::uint32_t numa_nodes = in.count(8);
	for (std::uint32_t i = 0; i < numa_nodes; i++) {
		int numa = in.i32();
		profile.numa_cores[numa] = in.u32();
	}
	profile.cores = in.u32();
	if (!in.done())
		throw std::invalid_argument("node profile followed by stray bytes");
	// The NVLink matrix is a row per GPU and an entry per GPU in each row, even
	// without NVLink (profile_from_hwloc_xml makes it so), or the reports and
	// aishare_node_nvlinks would index past it.
	if (profile.nvlinks.size() != profile.gpus.size())
		throw std::invalid_argument("NVLink matrix does not match the GPUs");
	for (const std::vector<int> &row : profile.nvlinks)
		if (row.size() != profile.gpus.size())
			throw std::invalid_argument("NVLink matrix does not match the GPUs");
	return profile;
}

} // namespace aishare
