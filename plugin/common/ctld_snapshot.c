/*
 * ctld_snapshot.c - describe slurmctld's nodes, partitions and jobs to the ledger.
 *
 * GPUs are counted from gres records, not TRES: gres/gpu is a TRES only when
 * slurmdbd runs, and the guarantee must hold without accounting too.
 *
 * Copyright (C) 2026 The slurm-aishare authors.  GPL-2.0-or-later.
 */
#include "slurm_compat.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "src/common/gres.h"
#include "src/common/node_conf.h"

#include "ctld_snapshot.h"

/* What the last snapshot was taken for; see ctld_snapshot_update(). */
static struct {
	uint32_t jobs_started;
	time_t job_update, node_update, part_update;
	bool valid, with_jobs;
} last;

/* Appends the indices of BITMAP's set bits to OUT; returns how many. */
static size_t _bitmap_indices(bitstr_t *bitmap, uint32_t *out, size_t room)
{
	size_t count = 0;
	int first = bit_ffs(bitmap), last_bit = bit_fls(bitmap);

	for (int i = first; first >= 0 && i <= last_bit && count < room; i++)
		if (bit_test(bitmap, i))
			out[count++] = i;
	return count;
}

typedef struct {
	aishare_job_info_t *jobs;
	size_t *node_offset; /* per job: where its nodes start in job_nodes */
	uint32_t *job_nodes; /* node indices of all running jobs, back to back */
	size_t count, node_used, node_size;
} job_array_t;

static int _sum_gpus(void *x, void *arg)
{
	gres_state_t *gres_state = x;
	gres_job_state_t *gres_js = gres_state->gres_data;
	uint64_t *sum = arg;

	if (gres_state->gres_name && !strcmp(gres_state->gres_name, "gpu") &&
	    gres_js && gres_js->total_gres != NO_VAL64)
		*sum += gres_js->total_gres;
	return 0;
}

extern uint32_t ctld_job_gpus(job_record_t *job_ptr)
{
	List gres = IS_JOB_PENDING(job_ptr) ? job_ptr->gres_list_req :
					      job_ptr->gres_list_alloc;
	uint64_t sum = 0;

	if (gres)
		list_for_each(gres, _sum_gpus, &sum);
	return (uint32_t) MIN(sum, UINT32_MAX);
}

/* Held, waiting on a dependency or on its begin time: it may not start yet. */
static bool _job_held(job_record_t *job_ptr)
{
	return (job_ptr->priority == 0) ||
	       (job_ptr->details && (job_ptr->details->begin_time > time(NULL))) ||
	       (job_ptr->state_reason == WAIT_DEPENDENCY) ||
	       (job_ptr->state_reason == WAIT_DEP_INVALID);
}

static int _add_job(void *x, void *arg)
{
	job_record_t *job_ptr = x;
	job_array_t *array = arg;
	aishare_job_info_t *job = &array->jobs[array->count];
	bool running = IS_JOB_RUNNING(job_ptr) || IS_JOB_SUSPENDED(job_ptr);
	bool finished = !running && !IS_JOB_PENDING(job_ptr);

	/* Ended jobs matter only for reclaim history, and only if they ran. */
	if (finished && !job_ptr->start_time)
		return 0;
	if (!job_ptr->part_ptr)
		return 0;
	memset(job, 0, sizeof(*job));
	job->job_id = job_ptr->job_id;
	job->partition = job_ptr->part_ptr->name;
	job->state = running ? AISHARE_JOB_RUNNING :
		     finished ? AISHARE_JOB_FINISHED :
		     _job_held(job_ptr) ? AISHARE_JOB_HELD : AISHARE_JOB_PENDING;
	job->gpus = ctld_job_gpus(job_ptr);
	job->submit_time = job_ptr->details ? job_ptr->details->submit_time : 0;
	job->start_time = job_ptr->start_time;
	job->time_limit = (job_ptr->time_limit == NO_VAL ||
			   job_ptr->time_limit == INFINITE) ? 0 : job_ptr->time_limit;
	job->priority = job_ptr->priority;
	if (running && job_ptr->node_bitmap) {
		size_t first = array->node_used;

		job->node_count = _bitmap_indices(job_ptr->node_bitmap,
						  array->job_nodes + first,
						  array->node_size - first);
		array->node_used += job->node_count;
		array->node_offset[array->count] = first;
	}
	array->count++;
	return 0;
}

static int _count_job_nodes(void *x, void *arg)
{
	job_record_t *job_ptr = x;
	size_t *sum = arg;

	if ((IS_JOB_RUNNING(job_ptr) || IS_JOB_SUSPENDED(job_ptr)) && job_ptr->node_bitmap)
		*sum += bit_set_count(job_ptr->node_bitmap);
	return 0;
}

typedef struct {
	aishare_partition_info_t *parts;
	size_t *node_offset; /* per partition: where its nodes start in part_nodes */
	uint32_t *part_nodes;
	size_t count, used;
} part_array_t;

static int _add_partition(void *x, void *arg)
{
	part_record_t *part_ptr = x;
	part_array_t *array = arg;
	aishare_partition_info_t *part = &array->parts[array->count];
	size_t first = array->used;

	part->name = part_ptr->name;
	if (part_ptr->node_bitmap)
		array->used += _bitmap_indices(part_ptr->node_bitmap,
					       array->part_nodes + first,
					       node_record_count);
	part->node_count = array->used - first;
	array->node_offset[array->count++] = first;
	return 0;
}

extern int ctld_snapshot_update(aishare_ledger_t *ledger, const char *plugin_type,
				bool with_jobs)
{
	aishare_node_info_t *nodes = NULL;
	part_array_t parts = { 0 };
	job_array_t jobs = { 0 };
	node_record_t *node_ptr;
	char *errors = NULL;
	int rc = SLURM_SUCCESS;

	if (last.valid && last.with_jobs == with_jobs &&
	    (!with_jobs || (last.jobs_started == slurmctld_diag_stats.jobs_started &&
			    last.job_update == last_job_update)) &&
	    last.node_update == last_node_update && last.part_update == last_part_update)
		return SLURM_SUCCESS;

	nodes = xcalloc(MAX(node_record_count, 1), sizeof(*nodes));
	for (int i = 0; (node_ptr = next_node(&i)); i++) {
		/* next_node() skips holes; keep the index equal to Slurm's bit index. */
		nodes[i].name = node_ptr->name;
		nodes[i].gpus = (uint32_t) MIN(gres_node_config_cnt(node_ptr->gres_list, "gpu"),
					       UINT32_MAX);
		nodes[i].usable = !IS_NODE_DOWN(node_ptr) && !IS_NODE_DRAIN(node_ptr) &&
				  !IS_NODE_FAIL(node_ptr);
	}

	/* Node index arrays are filled first and pointed into once complete. */
	parts.parts = xcalloc(MAX(list_count(part_list), 1), sizeof(*parts.parts));
	parts.node_offset = xcalloc(MAX(list_count(part_list), 1), sizeof(size_t));
	parts.part_nodes = xcalloc((size_t) MAX(node_record_count, 1) *
				   MAX(list_count(part_list), 1), sizeof(uint32_t));
	list_for_each(part_list, _add_partition, &parts);
	for (size_t i = 0; i < parts.count; i++)
		parts.parts[i].nodes = parts.part_nodes + parts.node_offset[i];

	if (with_jobs) {
		jobs.jobs = xcalloc(MAX(list_count(job_list), 1), sizeof(*jobs.jobs));
		jobs.node_offset = xcalloc(MAX(list_count(job_list), 1), sizeof(size_t));
		list_for_each(job_list, _count_job_nodes, &jobs.node_size);
		jobs.job_nodes = xcalloc(MAX(jobs.node_size, 1), sizeof(uint32_t));
		list_for_each(job_list, _add_job, &jobs);
	}
	for (size_t i = 0; i < jobs.count; i++)
		if (jobs.jobs[i].node_count)
			jobs.jobs[i].nodes = jobs.job_nodes + jobs.node_offset[i];

	if (aishare_ledger_update(ledger, nodes, node_record_count, parts.parts,
				  parts.count, jobs.jobs, jobs.count, &errors)) {
		error("%s: cannot take a snapshot of the cluster: %s", plugin_type,
		      errors ? errors : "out of memory");
		rc = SLURM_ERROR;
		last.valid = false;
	} else {
		last.jobs_started = slurmctld_diag_stats.jobs_started;
		last.with_jobs = with_jobs;
		last.job_update = last_job_update;
		last.node_update = last_node_update;
		last.part_update = last_part_update;
		last.valid = true;
	}
	free(errors);
	xfree(nodes);
	xfree(parts.parts);
	xfree(parts.node_offset);
	xfree(parts.part_nodes);
	xfree(jobs.jobs);
	xfree(jobs.node_offset);
	xfree(jobs.job_nodes);
	return rc;
}
