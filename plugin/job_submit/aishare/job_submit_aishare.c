/*
 * job_submit_aishare.c - JobSubmitPlugins=aishare: admission and placement hints.
 *
 * A GPU job of a pool partition is shaped for compact placement (job_shape.c):
 * whole nodes of one class, confined to the switches that hold it, a bounded
 * wait for its fewest leaves, and a refusal for a request that can never be met.
 *
 * LendMode=bounded: a pool keeps the fewest nodes whose GPUs reach its guarantee
 * and lends them only to jobs that end within its LendWindow, so a pool job waits
 * at most LendWindow and nothing is preempted.  This plugin keeps longer jobs of
 * other partitions off those nodes by adding them to the job's excluded nodes.
 *
 * Slurm calls job_submit() with its locks held for reading only (batch
 * submissions since 22.05, every submission since 23.02), so several may run at
 * once, and job_modify() with the job write lock; neither inside an iteration of
 * its job or partition lists.  Both share the plugin's parameters, ledger,
 * snapshot and fabric, so they take plugin_lock: one at a time.
 *
 * Copyright (C) 2026 The slurm-aishare authors.  GPL-2.0-or-later.
 */
#include "slurm_compat.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "src/common/hostlist.h"

#include "ctld_fabric.h"
#include "ctld_ledger.h"
#include "ctld_params.h"
#include "ctld_snapshot.h"
#include "job_shape.h"
#include "job_watch.h"

const char plugin_name[] = "slurm-aishare admission and placement";
const char plugin_type[] = "job_submit/aishare";
const uint32_t plugin_version = SLURM_VERSION_NUMBER;

static ctld_params_t params = CTLD_PARAMS_INITIALIZER(plugin_type);
static ctld_ledger_t pools;
static pthread_mutex_t plugin_lock = PTHREAD_MUTEX_INITIALIZER;

extern int init(void)
{
	if ((ctld_params_load(&params) != SLURM_SUCCESS) ||
	    (ctld_ledger_create(&pools, &params) != SLURM_SUCCESS))
		return SLURM_ERROR;
	job_watch_start();
	return SLURM_SUCCESS;
}

extern int fini(void)
{
	job_watch_stop();
	ctld_ledger_destroy(&pools);
	ctld_fabric_release();
	ctld_params_unload(&params);
	return SLURM_SUCCESS;
}

/* The time limit the job will run with, in minutes; 0 when it has none. */
static uint32_t _time_limit(uint32_t asked, part_record_t *part_ptr)
{
	uint32_t limit = asked;

	if (limit == NO_VAL && part_ptr)
		limit = (part_ptr->default_time != NO_VAL) ? part_ptr->default_time :
							       part_ptr->max_time;
	return (limit == NO_VAL || limit == INFINITE) ? 0 : limit;
}

/* Nodes of AVOID (comma-separated) that HOSTS (a hostlist expression) names. */
static char *_named_in(const char *avoid, const char *hosts)
{
	hostlist_t hl = hostlist_create(hosts);
	char *copy = xstrdup(avoid), *save = NULL, *found = NULL;

	for (char *name = strtok_r(copy, ",", &save); hl && name;
	     name = strtok_r(NULL, ",", &save))
		if (hostlist_find(hl, name) >= 0)
			xstrfmtcat(found, "%s%s", found ? "," : "", name);
	if (hl)
		hostlist_destroy(hl);
	xfree(copy);
	return found;
}

/* The kept nodes a job of PARTITIONS (comma-separated) with TIME_LIMIT must avoid. */
static char *_nodes_to_avoid(aishare_ledger_t *ledger, const char *partitions,
			     uint32_t time_limit)
{
	char *parts = xstrdup(partitions), *save = NULL, *avoid = NULL;

	for (char *name = strtok_r(parts, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
		part_record_t *part_ptr = find_part_record(name);
		char *nodes = aishare_ledger_nodes_to_avoid(ledger, name,
							    _time_limit(time_limit, part_ptr));

		if (nodes && *nodes)
			xstrfmtcat(avoid, "%s%s", avoid ? "," : "", nodes);
		free(nodes);
	}
	xfree(parts);
	return avoid;
}

/* EXCLUDED (may be NULL) with AVOID added, as a new xmalloc()ed list. */
static char *_with_excluded(const char *excluded, const char *avoid)
{
	if (excluded && *excluded)
		return xstrdup_printf("%s,%s", excluded, avoid);
	return xstrdup(avoid);
}

/*
 * Keep a job of a non-pool partition whose time limit exceeds a bounded pool's
 * LendWindow (or any job, for a pool that lends nothing) off that pool's kept
 * nodes.  A job submitted to several partitions avoids what any of them must.
 */
static int _keep_off_pool_nodes(job_desc_msg_t *job_desc, char **err_msg)
{
	aishare_ledger_t *ledger = ctld_ledger_follow(&pools);
	const char *partitions = job_desc->partition ? job_desc->partition :
				 default_part_loc ? default_part_loc->name : NULL;
	char *avoid, *clash, *excluded;
	int rc = SLURM_SUCCESS;

	if (!partitions || ctld_snapshot_update(ledger, plugin_type, false))
		return SLURM_SUCCESS; /* logged; never refuse a job for our own trouble */
	if (!(avoid = _nodes_to_avoid(ledger, partitions, job_desc->time_limit)))
		return SLURM_SUCCESS;

	if (job_desc->req_nodes && (clash = _named_in(avoid, job_desc->req_nodes))) {
		if (err_msg)
			*err_msg = xstrdup_printf(
				"aishare: %s kept for a guaranteed pool and lent only to jobs "
				"within its LendWindow; ask for a shorter --time or other nodes",
				clash);
		xfree(clash);
		rc = ESLURM_INVALID_NODE_NAME;
	} else {
		excluded = _with_excluded(job_desc->exc_nodes, avoid);
		xfree(job_desc->exc_nodes);
		job_desc->exc_nodes = excluded;
	}
	debug2("%s: job of partition %s kept off pool nodes %s", plugin_type, partitions,
	       avoid);
	xfree(avoid);
	return rc;
}

extern int job_submit(job_desc_msg_t *job_desc, uint32_t submit_uid,
		      char **err_msg)
{
	int rc;

	slurm_mutex_lock(&plugin_lock);
	rc = _keep_off_pool_nodes(job_desc, err_msg);
	if (rc == SLURM_SUCCESS)
		rc = job_shape_gpu_job(job_desc, ctld_params_follow(&params), err_msg);
	slurm_mutex_unlock(&plugin_lock);
	return rc;
}

/*
 * A longer time limit or another partition may put a job under the kept-node
 * rule: a pending job gains the exclusion, a running job on kept nodes is refused
 * the change (it would hold the pool's nodes beyond its LendWindow).
 */
static int _modify(job_desc_msg_t *job_desc, job_record_t *job_ptr, char **err_msg)
{
	aishare_ledger_t *ledger = ctld_ledger_follow(&pools);
	const char *partitions;
	uint32_t time_limit;
	char *avoid, *clash = NULL;
	int rc = SLURM_SUCCESS;

	if ((job_desc->time_limit == NO_VAL) && !job_desc->partition)
		return SLURM_SUCCESS;
	partitions = job_desc->partition ? job_desc->partition : job_ptr->partition;
	time_limit = (job_desc->time_limit != NO_VAL) ? job_desc->time_limit :
							job_ptr->time_limit;
	if (!partitions || ctld_snapshot_update(ledger, plugin_type, false) ||
	    !(avoid = _nodes_to_avoid(ledger, partitions, time_limit)))
		return SLURM_SUCCESS;

	if (IS_JOB_PENDING(job_ptr)) {
		const char *excluded = job_desc->exc_nodes ? job_desc->exc_nodes :
				       job_ptr->details ? job_ptr->details->exc_nodes : NULL;
		char *merged = _with_excluded(excluded, avoid);

		xfree(job_desc->exc_nodes);
		job_desc->exc_nodes = merged;
	} else if (job_ptr->nodes && (clash = _named_in(avoid, job_ptr->nodes))) {
		info("%s: refusing the new time limit or partition of %pJ: it runs on %s, kept for a guaranteed pool and lent only within its LendWindow",
		     plugin_type, job_ptr, clash);
		if (err_msg)
			*err_msg = xstrdup_printf(
				"aishare: the job runs on %s, kept for a guaranteed pool and "
				"lent only within its LendWindow; keep its time limit", clash);
		rc = ESLURM_INVALID_TIME_LIMIT;
	}
	xfree(clash);
	xfree(avoid);
	return rc;
}

extern int job_modify(AISHARE_JOB_MODIFY_PARAMS)
{
	int rc;

	slurm_mutex_lock(&plugin_lock);
	rc = _modify(job_desc, job_ptr, AISHARE_JOB_MODIFY_ERR_MSG);
	slurm_mutex_unlock(&plugin_lock);
	return rc;
}
