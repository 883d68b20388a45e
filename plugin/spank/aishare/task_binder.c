/*
 * task_binder.c - the node side of binding: read the node once, bind each task.
 *
 * Affinity rule: a task is bound to the chosen cores' CPUs that it may use now,
 * i.e. their intersection with the affinity slurmstepd gave it (Slurm's task
 * plugin and cgroup keep their say; we only narrow, never widen).  With the
 * topology from an XML file of another (or emulated) machine, CPUs this machine
 * lacks fall out the same way; when none is left the affinity stays as it was.
 * AISHARE_BINDING always shows both: cpus= (the choice) and affinity= (applied).
 *
 * Copyright (C) 2026 The slurm-aishare authors.  GPL-2.0-or-later.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aishare.h"
#include "task_binder.h"

#define PREFIX "spank/aishare"

static bind_mode_t mode = BIND_OFF;
static aishare_node_set_t *node_set; /* this node only, or NULL */
static char unbound_reason[1024];    /* why node_set is NULL in closest/strict mode */

int bind_mode_from_name(const char *name)
{
	if (!strcmp(name, "off"))
		return BIND_OFF;
	if (!strcmp(name, "closest"))
		return BIND_CLOSEST;
	if (!strcmp(name, "strict"))
		return BIND_STRICT;
	return -1;
}

/* XML_PATH with each "%n" replaced by NODE, into OUT; -1 when it does not fit. */
static int _expand_path(const char *xml_path, const char *node, char *out, size_t size)
{
	size_t used = 0;

	for (const char *at = xml_path; *at; at++) {
		const char *piece = at;
		size_t len = 1;

		if (at[0] == '%' && at[1] == 'n') {
			piece = node;
			len = strlen(node);
			at++;
		}
		if (used + len >= size)
			return -1;
		memcpy(out + used, piece, len);
		used += len;
	}
	out[used] = '\0';
	return 0;
}

/* The node name slurmd knows us by (slurmstepd exports it), else the host name. */
static void _node_name(char *name, size_t size)
{
	const char *slurmd_name = getenv("SLURMD_NODENAME");

	if (slurmd_name && *slurmd_name) {
		snprintf(name, size, "%s", slurmd_name);
		return;
	}
	if (gethostname(name, size) != 0)
		snprintf(name, size, "localhost");
	name[size - 1] = '\0';
	name[strcspn(name, ".")] = '\0';
}

void task_binder_load(bind_mode_t wanted, const char *xml_path)
{
	char node[256], path[PATH_MAX];
	char *errors = NULL;
	int rc;

	task_binder_unload();
	mode = wanted;
	if (mode == BIND_OFF)
		return;
	_node_name(node, sizeof(node));
	if (!(node_set = aishare_node_set_create())) {
		snprintf(unbound_reason, sizeof(unbound_reason), "out of memory");
		return;
	}
	if (xml_path && *xml_path) {
		if (_expand_path(xml_path, node, path, sizeof(path))) {
			snprintf(unbound_reason, sizeof(unbound_reason),
				 "TopologyXml=%s: path too long for node %s", xml_path, node);
			rc = -1;
		} else {
			rc = aishare_node_set_load_file(node_set, node, path, &errors);
		}
	} else {
		rc = aishare_node_set_load_live(node_set, node, &errors);
	}
	/* The worker is slurmstepd's child: it must not outlive the step's start. */
	aishare_hwloc_worker_stop();
	if (rc) {
		if (errors)
			snprintf(unbound_reason, sizeof(unbound_reason), "%s", errors);
		free(errors);
		aishare_node_set_free(node_set);
		node_set = NULL;
		slurm_error(PREFIX ": %s: no topology, tasks run unbound%s", unbound_reason,
			    mode == BIND_STRICT ? " (strict: the step fails)" : "");
		return;
	}
	slurm_verbose(PREFIX ": node %s: %zu GPUs, %zu NICs from %s", node,
		      aishare_node_gpu_count(node_set, 0), aishare_node_nic_count(node_set, 0),
		      xml_path && *xml_path ? path : "hwloc (this machine)");
}

void task_binder_unload(void)
{
	aishare_node_set_free(node_set);
	node_set = NULL;
	unbound_reason[0] = '\0';
}

/* "0-3,8" into SET; -1 for text that is not such a list (never from the core). */
static int _cpu_set_from_list(const char *list, cpu_set_t *set)
{
	CPU_ZERO(set);
	while (*list) {
		char *end;
		long first = strtol(list, &end, 10), last = first;

		if (end == list || first < 0)
			return -1;
		if (*end == '-')
			last = strtol(end + 1, &end, 10);
		if (last < first)
			return -1;
		for (long cpu = first; cpu <= last && cpu < CPU_SETSIZE; cpu++)
			CPU_SET(cpu, set);
		if (*end == ',')
			end++;
		else if (*end)
			return -1;
		list = end;
	}
	return 0;
}

/* SET as "0-3,8" into TEXT ("" for an empty set). */
static void _cpu_list(const cpu_set_t *set, char *text, size_t size)
{
	size_t used = 0;

	text[0] = '\0';
	for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
		int last = cpu;

		if (!CPU_ISSET(cpu, set))
			continue;
		while (last + 1 < CPU_SETSIZE && CPU_ISSET(last + 1, set))
			last++;
		used += snprintf(text + used, used < size ? size - used : 0,
				 last > cpu ? "%s%d-%d" : "%s%d", used ? "," : "", cpu, last);
		cpu = last;
	}
}

/* Narrow this task's affinity to CPUS (see the rule above); APPLIED says what it got. */
static void _apply_affinity(const char *cpus, char *applied, size_t size)
{
	cpu_set_t chosen, allowed, both;

	if (!*cpus || _cpu_set_from_list(cpus, &chosen)) {
		snprintf(applied, size, "unchanged");
		return;
	}
	if (sched_getaffinity(0, sizeof(allowed), &allowed) != 0) {
		snprintf(applied, size, "unchanged");
		return;
	}
	CPU_AND(&both, &chosen, &allowed);
	if (!CPU_COUNT(&both) || sched_setaffinity(0, sizeof(both), &both) != 0) {
		snprintf(applied, size, "unchanged");
		return;
	}
	_cpu_list(&both, applied, size);
}

/* Export NAME=VALUE unless VALUE is empty or the user set NAME already. */
static void _export(spank_t sp, const char *name, const char *value)
{
	if (*value && spank_setenv(sp, name, value, 0) == ESPANK_ENV_EXISTS)
		slurm_verbose(PREFIX ": %s is set by the user: kept", name);
}

/* The task's GPUs as Slurm numbers them on the node (gres.conf order). */
static int _task_gpus(spank_t sp, char *gpus, size_t size)
{
	/* Per task with --gpus-per-task or --gpu-bind; the batch script has the job's. */
	if (spank_getenv(sp, "SLURM_STEP_GPUS", gpus, size) == ESPANK_SUCCESS && *gpus)
		return 0;
	if (spank_getenv(sp, "SLURM_JOB_GPUS", gpus, size) == ESPANK_SUCCESS && *gpus)
		return 0;
	return -1;
}

static int _local_task_id(spank_t sp)
{
	int task = -1;

	if (spank_get_item(sp, S_TASK_ID, &task) != ESPANK_SUCCESS)
		return -1;
	return task;
}

/* Unbound, saying why: in AISHARE_BINDING, and once per node on the task's stderr. */
static int _unbound(spank_t sp, const char *why, int warn)
{
	char text[1200];

	snprintf(text, sizeof(text), "unbound: %s", why);
	spank_setenv(sp, "AISHARE_BINDING", text, 1);
	if (warn && _local_task_id(sp) == 0)
		fprintf(stderr, "aishare: warning: %s; tasks run unbound\n", why);
	return 0;
}

int task_binder_bind(spank_t sp, int verbose)
{
	char gpus[256], applied[1024], text[4096], *errors = NULL;
	aishare_task_binding_t binding;

	if (mode == BIND_OFF) {
		spank_setenv(sp, "AISHARE_BINDING", "off", 1);
		return 0;
	}
	if (!node_set) {
		if (mode == BIND_STRICT) {
			fprintf(stderr, "aishare: --aishare-bind=strict: %s; "
					"fix the topology or use --aishare-bind=closest\n",
				unbound_reason);
			return -1;
		}
		return _unbound(sp, unbound_reason, 1);
	}
	if (_task_gpus(sp, gpus, sizeof(gpus)))
		return _unbound(sp, "no GPU allocated to this task", 0);
	if (aishare_task_binding_compute(node_set, 0, gpus, &binding, &errors)) {
		snprintf(text, sizeof(text), "SLURM_STEP_GPUS=%s: %s", gpus,
			 errors ? errors : "out of memory");
		free(errors);
		if (mode == BIND_STRICT) {
			fprintf(stderr, "aishare: --aishare-bind=strict: %s\n", text);
			return -1;
		}
		return _unbound(sp, text, 1);
	}
	if (mode == BIND_STRICT && *binding.problem) {
		fprintf(stderr, "aishare: --aishare-bind=strict: %s; "
				"use --aishare-bind=closest to accept the nearest NIC\n",
			binding.problem);
		aishare_task_binding_clear(&binding);
		return -1;
	}
	_apply_affinity(binding.cpus, applied, sizeof(applied));
	snprintf(text, sizeof(text), "%s affinity=%s", binding.summary, applied);
	spank_setenv(sp, "AISHARE_BINDING", text, 1);
	_export(sp, "NCCL_IB_HCA", binding.nccl_ib_hca);
	_export(sp, "NCCL_SOCKET_IFNAME", binding.nccl_socket_ifname);
	_export(sp, "UCX_NET_DEVICES", binding.ucx_net_devices);
	if (verbose)
		slurm_info(PREFIX ": task %d: %s", _local_task_id(sp), text);
	else
		slurm_debug(PREFIX ": task %d: %s", _local_task_id(sp), text);
	aishare_task_binding_clear(&binding);
	return 0;
}
