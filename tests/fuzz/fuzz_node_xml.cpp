// fuzz_node_xml.cpp - libFuzzer target: a node's hwloc XML through the C API.
// Copyright (C) 2026 The slurm-aishare authors. GPL-2.0-or-later.
//
// `aishare topo` reads XML copied from compute nodes; a damaged or hostile one
// must be refused with a reason, and an accepted one must give reports (and its
// accessors answer) without crashing.
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "aishare.h"

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
	const aishare_format_t formats[] = {AISHARE_FORMAT_TEXT, AISHARE_FORMAT_JSON};
	for (aishare_format_t format : formats) {
		char *report = aishare_node_set_report(set, format);
		char *gres = aishare_node_set_gres(set, nullptr, format);
		if (!report || !gres)
			abort();
		free(report);
		free(gres);
	}
	size_t gpus = aishare_node_gpu_count(set, 0), nics = aishare_node_nic_count(set, 0);
	for (size_t g = 0; g < gpus; g++) {
		aishare_gpu_info_t gpu;
		if (aishare_node_gpu(set, 0, g, &gpu) != 0 || aishare_node_nvlinks(set, 0, g, g) != -1)
			abort();
		for (size_t n = 0; n < nics; n++)
			aishare_node_locality(set, 0, g, n);
	}
	if (!aishare_node_set_class_name(set, aishare_node_class(set, 0)))
		abort();
	aishare_node_set_free(set);
	return 0;
}
