/*
 * pmix_binding_report.c - one line per rank: what PMIx and the binding say.
 *
 * Run by test_task_binding.py under `srun --mpi=pmix`: each rank initialises
 * PMIx (so the step really is a PMIx job), reads its rank, host and locality
 * through PMIx_Get, and prints them with the binding the SPANK plugin exported
 * and the CPU affinity it runs with:
 *
 *   rank=3 local_rank=3 host=node01 locality=- affinity=0-1 nccl_ib_hca==mlx5_3
 *   ucx=mlx5_3:1 binding="gpu=3 ..."
 *
 * Slurm 22.05's PMIx server posts no PMIX_LOCALITY_STRING (OpenPMIx's own servers
 * compute it with hwloc): "-" then.
 * Copyright (C) 2026 The slurm-aishare authors.  GPL-2.0-or-later.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pmix.h>

/* KEY of this process as a string (PMIx gives strings for these keys), or NOT_GIVEN. */
static void _get_string(const pmix_proc_t *me, const char *key, char *out, size_t size,
			const char *not_given)
{
	pmix_value_t *value = NULL;

	snprintf(out, size, "%s", not_given);
	if (PMIx_Get(me, key, NULL, 0, &value) != PMIX_SUCCESS || !value)
		return;
	if (value->type == PMIX_STRING && value->data.string)
		snprintf(out, size, "%s", value->data.string);
	PMIX_VALUE_RELEASE(value);
}

/* KEY of this process as a number, or -1 when PMIx does not give it. */
static long _get_number(const pmix_proc_t *me, const char *key)
{
	pmix_value_t *value = NULL;
	long number = -1;

	if (PMIx_Get(me, key, NULL, 0, &value) != PMIX_SUCCESS || !value)
		return -1;
	if (value->type == PMIX_UINT16)
		number = value->data.uint16;
	else if (value->type == PMIX_UINT32)
		number = value->data.uint32;
	PMIX_VALUE_RELEASE(value);
	return number;
}

static void _affinity(char *text, size_t size)
{
	cpu_set_t set;
	size_t used = 0;

	text[0] = '\0';
	if (sched_getaffinity(0, sizeof(set), &set) != 0)
		return;
	for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
		int last = cpu;

		if (!CPU_ISSET(cpu, &set))
			continue;
		while (last + 1 < CPU_SETSIZE && CPU_ISSET(last + 1, &set))
			last++;
		used += snprintf(text + used, used < size ? size - used : 0,
				 last > cpu ? "%s%d-%d" : "%s%d", used ? "," : "", cpu, last);
		cpu = last;
	}
}

static const char *_env(const char *name)
{
	const char *value = getenv(name);

	return value && *value ? value : "-";
}

int main(void)
{
	pmix_proc_t me, wildcard;
	pmix_status_t rc;
	char host[256], locality[256], affinity[1024];

	if ((rc = PMIx_Init(&me, NULL, 0)) != PMIX_SUCCESS) {
		fprintf(stderr, "pmix_binding_report: PMIx_Init: %s\n", PMIx_Error_string(rc));
		return 1;
	}
	/* Job-level keys (the host) are posted under the wildcard rank. */
	PMIX_LOAD_PROCID(&wildcard, me.nspace, PMIX_RANK_WILDCARD);
	_get_string(&me, PMIX_HOSTNAME, host, sizeof(host), "");
	if (!*host)
		_get_string(&wildcard, PMIX_HOSTNAME, host, sizeof(host), _env("SLURMD_NODENAME"));
	_get_string(&me, PMIX_LOCALITY_STRING, locality, sizeof(locality), "-");
	_affinity(affinity, sizeof(affinity));
	printf("rank=%u local_rank=%ld host=%s locality=%s affinity=%s nccl_ib_hca=%s ucx=%s "
	       "binding=\"%s\"\n",
	       me.rank, _get_number(&me, PMIX_LOCAL_RANK), host, locality, affinity,
	       _env("NCCL_IB_HCA"), _env("UCX_NET_DEVICES"), _env("AISHARE_BINDING"));
	fflush(stdout);
	/* Every rank reached here: the PMIx wire-up across nodes works. */
	if ((rc = PMIx_Fence(NULL, 0, NULL, 0)) != PMIX_SUCCESS)
		fprintf(stderr, "pmix_binding_report: PMIx_Fence: %s\n", PMIx_Error_string(rc));
	PMIx_Finalize(NULL, 0);
	return rc == PMIX_SUCCESS ? 0 : 1;
}
