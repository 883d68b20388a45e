// fuzz_node_xml.cpp - libFuzzer target: a node's hwloc XML through the C API.
// Copyright (C) 2026 The slurm-aishare authors. GPL-2.0-or-later.
//
// `aishare topo` reads XML copied from compute nodes; a damaged or hostile one
// must be refused with a reason, and an accepted one must give reports (and its
// accessors and task binding answer) without crashing.
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "aishare.h"
#include "fuzz_node_queries.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	aishare_node_set_t *set = aishare_node_set_create();
	if (!set)
		return 0;
	char *errors = nullptr;
	if (aishare_node_set_load_xml(set, "fuzz01", reinterpret_cast<const char *>(data), size,
				      &errors) != 0) {
		if (!errors || !*errors)
			abort();
		free(errors);
		aishare_node_set_free(set);
		return 0;
	}
	if (errors)
		abort();
	// A profile read from XML marks each GPU's NVLinks to itself -1.
	for (size_t g = 0; g < aishare_node_gpu_count(set, 0); g++)
		if (aishare_node_nvlinks(set, 0, g, g) != -1)
			abort();
	fuzz_query_node_set(set);
	aishare_node_set_free(set);
	return 0;
}
