// fuzz_job_request.cpp - libFuzzer target: a user's GPU request, as job_submit/aishare
// plans it inside slurmctld.
// Copyright (C) 2026 The slurm-aishare authors. GPL-2.0-or-later.
//
// The input is "tres_per_job\0tres_per_node\0" then bytes for the node count and
// flags; the machine is fixed (16 nodes in 4 leaves, two GPU classes, some busy).
// Any request must plan or be refused in one "aishare: ..." line; a plan must be
// consistent (whole nodes have all their class's GPUs, switches are named ones).
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

#include "aishare.h"

namespace {

const char tree[] = "SwitchName=leaf1 Nodes=n01,n02,n03,n04\n"
		    "SwitchName=leaf2 Nodes=n05,n06,n07,n08\n"
		    "SwitchName=leaf3 Nodes=n09,n10,n11,n12\n"
		    "SwitchName=leaf4 Nodes=n13,n14,n15,n16\n"
		    "SwitchName=spine Switches=leaf1,leaf2,leaf3,leaf4\n";

// The tree above names every node: splitting on commas is expansion enough.
char *plain_expand(const char *expression, void *, char **error)
{
	*error = nullptr;
	return strdup(expression);
}

aishare_fabric_t *the_fabric()
{
	static aishare_fabric_t *fabric =
		aishare_fabric_parse(tree, sizeof(tree) - 1, "fuzz", plain_expand, nullptr, nullptr);
	return fabric;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	std::string input(reinterpret_cast<const char *>(data), size);
	std::size_t first = input.find('\0');
	std::size_t second = first == std::string::npos ? first : input.find('\0', first + 1);
	if (second == std::string::npos)
		return 0;
	std::string per_job = input.substr(0, first);
	std::string per_node = input.substr(first + 1, second - first - 1);
	std::string rest = input.substr(second + 1);
	uint32_t nodes = 0;
	std::memcpy(&nodes, rest.data(), std::min<std::size_t>(rest.size(), sizeof(nodes)));
	uint8_t flags = rest.size() > 4 ? static_cast<uint8_t>(rest[4]) : 0;

	static char names[16][4];
	aishare_place_node_t machine[16];
	for (int i = 0; i < 16; i++) {
		snprintf(names[i], sizeof(names[i]), "n%02d", i + 1);
		uint32_t gpus = i < 8 ? 4 : 8;
		bool busy = (flags >> (i % 8)) & 1;
		machine[i] = {names[i], i < 8 ? "l40s" : "h100", gpus, busy ? gpus / 2 : gpus,
			      !busy, i != 15, busy && (i & 1), busy ? 0.5 : 0.0};
	}
	aishare_place_request_t request = {per_job.empty() ? nullptr : per_job.c_str(),
					   per_node.empty() ? nullptr : per_node.c_str(), nodes,
					   flags & 1, (flags >> 1) & 1, "fuzz"};
	aishare_place_plan_t plan;
	if (aishare_place_plan((flags & 4) ? nullptr : the_fabric(), machine, 16, &request, 8,
			       &plan))
		abort(); // only bad arguments or no memory may fail
	switch (plan.kind) {
	case AISHARE_PLACE_KEEP:
		break;
	case AISHARE_PLACE_REFUSE:
		if (!plan.message || std::strncmp(plan.message, "aishare: ", 9) ||
		    std::strchr(plan.message, '\n'))
			abort();
		break;
	case AISHARE_PLACE_WHOLE_NODES:
	case AISHARE_PLACE_PART_NODES:
		if (plan.nodes < 1 || plan.nodes > 16 || plan.gpus_per_node < 1 ||
		    plan.gpus_per_node > 8 || !plan.gpu_type)
			abort();
		if (plan.kind == AISHARE_PLACE_WHOLE_NODES &&
		    plan.gpus_per_node != (std::strcmp(plan.gpu_type, "l40s") ? 8u : 4u))
			abort();
		if (plan.switches && std::strspn(plan.switches, "leafspin1234,") !=
					     std::strlen(plan.switches))
			abort();
		break;
	default:
		abort();
	}
	aishare_place_plan_clear(&plan);
	return 0;
}
