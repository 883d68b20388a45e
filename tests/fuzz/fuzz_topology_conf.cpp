// fuzz_topology_conf.cpp - libFuzzer target: the topology.conf reader, its tree
// repairs, the check report and the placement queries.
// Copyright (C) 2026 The slurm-aishare authors. GPL-2.0-or-later.
//
// slurmctld reads topology.conf at every reconfigure; a damaged one must be
// refused with a reason, and an accepted one, however odd its tree, must answer
// queries.  Hostlists go through a small fake expander written here: the target
// is our reader, not Slurm's hostlist code.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "aishare.h"

namespace {

constexpr std::size_t max_fake_names = 10000;

char *fake_message(const char *text)
{
	return strdup(text);
}

// "a,b[1-3],c" -> "a,b1,b2,b3,c": one prefix[low-high] range per item at most.
char *fake_expand(const char *expression, void *, char **error)
{
	*error = nullptr;
	std::string in(expression), out;
	std::size_t names = 0, start = 0;
	while (start <= in.size()) {
		std::size_t comma = in.find(',', start);
		if (comma == std::string::npos)
			comma = in.size();
		std::string item = in.substr(start, comma - start);
		start = comma + 1;
		if (item.empty()) {
			*error = fake_message("empty name");
			return nullptr;
		}
		std::size_t open = item.find('[');
		if (open == std::string::npos) {
			if (++names > max_fake_names) {
				*error = fake_message("too many names");
				return nullptr;
			}
			out += (out.empty() ? "" : ",") + item;
			continue;
		}
		unsigned long low = 0, high = 0;
		char tail = 0;
		if (std::sscanf(item.c_str() + open, "[%lu-%lu%c", &low, &high, &tail) != 3 ||
		    tail != ']' || item.size() != item.find(']') + 1 || low > high ||
		    high - low >= max_fake_names) {
			*error = fake_message("bad range");
			return nullptr;
		}
		for (unsigned long i = low; i <= high; i++) {
			if (++names > max_fake_names) {
				*error = fake_message("too many names");
				return nullptr;
			}
			out += (out.empty() ? "" : ",") + item.substr(0, open) + std::to_string(i);
		}
	}
	return strdup(out.c_str());
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *errors = nullptr;
	aishare_fabric_t *fabric = aishare_fabric_parse(reinterpret_cast<const char *>(data), size,
							"fuzz.conf", fake_expand, nullptr, &errors);
	if (!fabric) {
		// A refusal always says why, naming the file.
		if (!errors || std::strncmp(errors, "fuzz.conf", 9) != 0)
			abort();
		std::free(errors);
		return 0;
	}
	size_t problems = 0;
	for (aishare_format_t format : {AISHARE_FORMAT_TEXT, AISHARE_FORMAT_JSON}) {
		char *report = aishare_topology_check(fabric, nullptr, 0, nullptr, format, &problems);
		if (!report)
			abort();
		std::free(report);
	}
	// Queries: every node free, then every other node, for a few job sizes.
	size_t nodes = aishare_fabric_node_count(fabric);
	std::vector<uint8_t> free_nodes(nodes ? nodes : 1, 1);
	for (int pass = 0; pass < 2; pass++) {
		for (uint32_t want : {1u, 2u, 7u, static_cast<uint32_t>(nodes)}) {
			long bound = aishare_fabric_leaf_bound(fabric, free_nodes.data(), want);
			aishare_switch_choice_t choice;
			int rc = aishare_fabric_lowest_switch(fabric, free_nodes.data(), want, &choice);
			// Both answer, or neither: the core switch holds what the leaves hold.
			if ((bound < 0) != (rc < 0) && aishare_fabric_leaf_count(fabric) &&
			    problems == 0)
				abort();
			if (rc == 0 && (!choice.name || choice.free_nodes < want))
				abort();
		}
		for (size_t i = 0; i < nodes; i += 2)
			free_nodes[i] = 0;
	}
	for (size_t i = 0; i < nodes; i++)
		if (!aishare_fabric_leaf_of(fabric, i) ||
		    aishare_fabric_node_index(fabric, aishare_fabric_node_name(fabric, i)) !=
			    static_cast<long>(i))
			abort();
	aishare_fabric_free(fabric);
	return 0;
}
