// c_api_binding.cpp - the extern "C" task binding functions of aishare.h.
// Copyright (C) 2026 The slurm-aishare authors. GPL-2.0-or-later.
//
// Called by the SPANK plugin in each task's process just before exec: it must not
// throw, and a failure leaves *binding empty so the plugin can clear it anyway.
#include "aishare.h"

#include <cstdlib>
#include <cstring>
#include <stdexcept>

#include "capi/c_api_node_set.hpp"
#include "capi/c_api_support.hpp"
#include "binding/task_binding.hpp"

using aishare::c_string;
using aishare::guarded;
using aishare::invalid;
using aishare::set_errors;

int aishare_task_binding_compute(const aishare_node_set_t *set, size_t node, const char *gpus,
				 aishare_task_binding_t *binding, char **errors)
{
	if (errors)
		*errors = nullptr;
	if (!binding) {
		set_errors(errors, "no binding to fill");
		return invalid(-1);
	}
	std::memset(binding, 0, sizeof(*binding));
	if (!set || node >= set->set.size() || !gpus) {
		set_errors(errors, "no node set, node or GPU list given");
		return invalid(-1);
	}
	std::string problem;
	int rc = guarded(-1, [&] {
		const aishare::node_profile &profile = set->set.node(node).profile;
		aishare::task_binding chosen;
		try {
			chosen = aishare::bind_task(profile, aishare::parse_gpu_list(gpus));
		} catch (const std::invalid_argument &bad) {
			problem = bad.what();
			return invalid(-1);
		}
		aishare::device_variables vars = aishare::device_variables_for(profile, chosen);
		std::string gpu_list, nic_list;
		for (std::size_t gpu : chosen.gpus)
			gpu_list += (gpu_list.empty() ? "" : ",") + std::to_string(gpu);
		for (std::size_t nic : chosen.nics)
			nic_list += (nic_list.empty() ? "" : ",") + profile.nics[nic].name;
		aishare_task_binding_t made{};
		try {
			made.gpus = c_string(gpu_list);
			made.nics = c_string(nic_list);
			made.cores = c_string(chosen.cores);
			made.cpus = c_string(chosen.cpus);
			made.nccl_ib_hca = c_string(vars.nccl_ib_hca);
			made.nccl_socket_ifname = c_string(vars.nccl_socket_ifname);
			made.ucx_net_devices = c_string(vars.ucx_net_devices);
			made.summary = c_string(aishare::describe(profile, chosen));
			made.problem = c_string(chosen.problem);
		} catch (...) {
			aishare_task_binding_clear(&made);
			throw;
		}
		made.has_nic = !profile.nics.empty();
		// With no NIC the weakest pairing is reported as MACHINE: nothing is close.
		made.pairing = chosen.worst == aishare::pairing::no_nic
				       ? AISHARE_LOCALITY_MACHINE
				       : static_cast<aishare_locality_t>(chosen.worst);
		*binding = made;
		return 0;
	});
	if (rc) {
		int saved = errno;
		set_errors(errors, problem.empty() ? std::string("cannot bind GPUs ") + gpus +
							     (saved == ENOMEM ? ": out of memory" : "")
						   : problem);
		errno = saved;
	}
	return rc;
}

void aishare_task_binding_clear(aishare_task_binding_t *binding)
{
	if (!binding)
		return;
	for (char **text : {&binding->gpus, &binding->nics, &binding->cores, &binding->cpus,
			    &binding->nccl_ib_hca, &binding->nccl_socket_ifname,
			    &binding->ucx_net_devices, &binding->summary, &binding->problem}) {
		std::free(*text);
		*text = nullptr;
	}
}
