// fuzz_node_queries.hpp - what the node set targets ask of a set they loaded.
// Copyright (C) 2026 The slurm-aishare authors. GPL-2.0-or-later.
//
// fuzz_node_xml (a node read from XML through the hwloc worker) and
// fuzz_node_profile (profiles as the worker sends them) ask the same: both
// report and gres.conf formats, then per node its GPUs, NICs, NVLinks, GPU-NIC
// locality, class, and the binding of a task on its first GPU and on all of
// them.  An answer that must come and does not is a crash (abort).
#ifndef AISHARE_FUZZ_NODE_QUERIES_HPP
#define AISHARE_FUZZ_NODE_QUERIES_HPP

#include <cstdlib>
#include <string>

#include "aishare.h"

inline void fuzz_query_node(const aishare_node_set_t *set, size_t node)
{
	size_t gpus = aishare_node_gpu_count(set, node), nics = aishare_node_nic_count(set, node);
	for (size_t g = 0; g < gpus; g++) {
		aishare_gpu_info_t gpu;
		if (aishare_node_gpu(set, node, g, &gpu) != 0)
			abort();
		aishare_node_nvlinks(set, node, g, gpus - 1 - g);
		for (size_t n = 0; n < nics; n++)
			aishare_node_locality(set, node, g, n);
	}
	for (size_t n = 0; n < nics; n++) {
		aishare_nic_info_t nic;
		if (aishare_node_nic(set, node, n, &nic) != 0)
			abort();
	}
	if (!aishare_node_set_class_name(set, aishare_node_class(set, node)))
		abort();
	aishare_node_degraded(set, node);
	// The first GPU alone, then all of them, as SLURM_STEP_GPUS names them: only
	// a node without GPUs may refuse, and must say why.
	const std::string lists[] = {"0", "0-" + std::to_string(gpus ? gpus - 1 : 0)};
	for (const std::string &list : lists) {
		aishare_task_binding_t binding;
		char *errors = nullptr;
		if (aishare_task_binding_compute(set, node, list.c_str(), &binding, &errors) != 0) {
			if (gpus || !errors || !*errors)
				abort();
			free(errors);
			continue;
		}
		aishare_task_binding_clear(&binding);
	}
}

inline void fuzz_query_node_set(const aishare_node_set_t *set)
{
	const aishare_format_t formats[] = {AISHARE_FORMAT_TEXT, AISHARE_FORMAT_JSON};
	for (aishare_format_t format : formats) {
		char *report = aishare_node_set_report(set, format);
		char *gres = aishare_node_set_gres(set, nullptr, format);
		if (!report || !gres)
			abort();
		free(report);
		free(gres);
	}
	for (size_t node = 0; node < aishare_node_set_count(set); node++)
		fuzz_query_node(set, node);
}

#endif // AISHARE_FUZZ_NODE_QUERIES_HPP
