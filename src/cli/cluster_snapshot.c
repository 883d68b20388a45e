/*
 * cluster_snapshot.c - the running cluster as a pool ledger, through libslurm.
 *
 * Copyright (C) 2026 The slurm-aishare authors.  GPL-2.0-or-later.
 */
#define _POSIX_C_SOURCE 200809L
#include "cluster_snapshot.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <slurm/slurm.h>

/* Slurm's index pairs (first, last, ..., -1) into a list of node indices. */
static uint32_t *indices_of(const int32_t *pairs, size_t *count)
{
	size_t n = 0, used = 0;
	uint32_t *out;

	for (size_t i = 0; pairs && pairs[i] >= 0 && pairs[i + 1] >= 0; i += 2)
		n += pairs[i + 1] - pairs[i] + 1;
	if (!(out = calloc(n ? n : 1, sizeof(*out))))
		return NULL;
	for (size_t i = 0; pairs && pairs[i] >= 0 && pairs[i + 1] >= 0; i += 2)
		for (int32_t k = pairs[i]; k <= pairs[i + 1]; k++)
			out[used++] = k;
	*count = used;
	return out;
}

static aishare_job_state_t state_of(const slurm_job_info_t *job)
{
	switch (job->job_state & JOB_STATE_BASE) {
	case JOB_PENDING:
		return AISHARE_JOB_PENDING;
	case JOB_RUNNING:
	case JOB_SUSPENDED:
		return AISHARE_JOB_RUNNING;
	}
	return AISHARE_JOB_FINISHED;
}

/*
 * A pending job's request, a running job's allocation; libslurm's strings are
 * read by the core's GPU request parser, as job_submit/aishare reads them.
 */
static uint32_t job_gpus(const slurm_job_info_t *job)
{
	uint64_t gpus;

	if (state_of(job) == AISHARE_JOB_PENDING) {
		if ((gpus = aishare_gpus_in_list(job->tres_per_job)))
			return gpus;
		return aishare_gpus_in_list(job->tres_per_node) *
		       (job->num_nodes ? job->num_nodes : 1);
	}
	if ((gpus = aishare_gpus_in_list(job->gres_total)))
		return gpus;
	return aishare_gpus_in_list(job->tres_alloc_str);
}

static int usable(uint32_t state)
{
	uint32_t base = state & NODE_STATE_BASE;

	return base != NODE_STATE_DOWN && base != NODE_STATE_FUTURE &&
	       !(state & (NODE_STATE_DRAIN | NODE_STATE_FAIL));
}

/*
 * The policy and the reclaim history come from the state file preempt/aishare
 * writes in StateSaveLocation: Slurm 22.05 does not send
 * PrioritySiteFactorParameters to clients, and the file holds the parameters
 * actually in force (a string refused at reconfigure never gets there).  So the
 * command runs where that directory is readable, on the controller's host.
 */
static aishare_params_t *params_from_state(const char *state_dir, char *path, size_t size)
{
	char *text, *errors = NULL;
	aishare_params_t *params;

	snprintf(path, size, "%s/aishare_ledger.state", state_dir ? state_dir : ".");
	if (!(text = aishare_ledger_state_params(path, &errors))) {
		fprintf(stderr, "aishare: %s\n", errors ? errors : path);
		free(errors);
		return NULL;
	}
	if (!(params = aishare_params_parse(AISHARE_PARAMS_CONTROLLER, text, &errors)))
		fprintf(stderr, "aishare: %s: parameters: %s\n", path,
			errors ? errors : "out of memory");
	free(errors);
	free(text);
	return params;
}

aishare_params_t *cluster_params_load(void)
{
	slurm_conf_t *conf = NULL;
	aishare_params_t *params;
	char path[4096];

	if (slurm_load_ctl_conf(0, &conf)) {
		fprintf(stderr, "aishare: cannot read the cluster from slurmctld: %s\n",
			slurm_strerror(slurm_get_errno()));
		return NULL;
	}
	params = params_from_state(conf->state_save_location, path, sizeof(path));
	slurm_free_ctl_conf(conf);
	return params;
}

static aishare_ledger_t *ledger_from_state(const char *state_dir)
{
	char path[4096], *errors = NULL;
	aishare_params_t *params;
	aishare_ledger_t *ledger = NULL;

	if (!(params = params_from_state(state_dir, path, sizeof(path))))
		return NULL;
	if (!(ledger = aishare_ledger_create(params, &errors)))
		fprintf(stderr, "aishare: %s\n", errors ? errors : "out of memory");
	else if (aishare_ledger_load(ledger, path, &errors))
		fprintf(stderr, "aishare: %s\n", errors ? errors : path);
	free(errors);
	aishare_params_free(params);
	return ledger;
}

aishare_ledger_t *cluster_ledger_load(void)
{
	slurm_conf_t *conf = NULL;
	node_info_msg_t *nodes = NULL;
	partition_info_msg_t *parts = NULL;
	job_info_msg_t *jobs = NULL;
	aishare_ledger_t *ledger = NULL;
	aishare_node_info_t *node_infos = NULL;
	aishare_partition_info_t *part_infos = NULL;
	aishare_job_info_t *job_infos = NULL;
	uint32_t **index_lists = NULL;
	size_t lists = 0;
	char *errors = NULL;

	if (slurm_load_ctl_conf(0, &conf) || slurm_load_node(0, &nodes, SHOW_ALL) ||
	    slurm_load_partitions(0, &parts, SHOW_ALL) || slurm_load_jobs(0, &jobs, SHOW_ALL)) {
		fprintf(stderr, "aishare: cannot read the cluster from slurmctld: %s\n",
			slurm_strerror(slurm_get_errno()));
		goto out;
	}
	if (!(ledger = ledger_from_state(conf->state_save_location)))
		goto out;

	node_infos = calloc(nodes->record_count + 1, sizeof(*node_infos));
	part_infos = calloc(parts->record_count + 1, sizeof(*part_infos));
	job_infos = calloc(jobs->record_count + 1, sizeof(*job_infos));
	index_lists = calloc(parts->record_count + jobs->record_count + 1, sizeof(*index_lists));
	if (!node_infos || !part_infos || !job_infos || !index_lists)
		goto nomem;
	for (uint32_t i = 0; i < nodes->record_count; i++) {
		const node_info_t *node = &nodes->node_array[i];

		node_infos[i].name = node->name ? node->name : "";
		node_infos[i].gpus = aishare_gpus_in_list(node->gres);
		node_infos[i].usable = node->name && usable(node->node_state);
	}
	for (uint32_t i = 0; i < parts->record_count; i++) {
		const partition_info_t *part = &parts->partition_array[i];

		part_infos[i].name = part->name;
		if (!(index_lists[lists] = indices_of(part->node_inx, &part_infos[i].node_count)))
			goto nomem;
		part_infos[i].nodes = index_lists[lists++];
	}
	for (uint32_t i = 0; i < jobs->record_count; i++) {
		const slurm_job_info_t *job = &jobs->job_array[i];
		aishare_job_info_t *info = &job_infos[i];

		info->job_id = job->job_id;
		info->partition = job->partition ? job->partition : "";
		info->state = state_of(job);
		info->gpus = job_gpus(job);
		info->submit_time = job->submit_time;
		info->start_time = info->state == AISHARE_JOB_PENDING ? 0 : job->start_time;
		info->priority = job->priority;
		if (info->state == AISHARE_JOB_RUNNING) {
			if (!(index_lists[lists] = indices_of(job->node_inx, &info->node_count)))
				goto nomem;
			info->nodes = index_lists[lists++];
		}
	}
	if (aishare_ledger_update(ledger, node_infos, nodes->record_count, part_infos,
				  parts->record_count, job_infos, jobs->record_count, &errors)) {
		fprintf(stderr, "aishare: %s\n", errors ? errors : "cannot build the ledger");
		aishare_ledger_free(ledger);
		ledger = NULL;
	}
	goto out;
nomem:
	fprintf(stderr, "aishare: out of memory\n");
	aishare_ledger_free(ledger);
	ledger = NULL;
out:
	for (size_t i = 0; i < lists; i++)
		free(index_lists[i]);
	free(index_lists);
	free(node_infos);
	free(part_infos);
	free(job_infos);
	free(errors);
	slurm_free_job_info_msg(jobs);
	slurm_free_partition_info_msg(parts);
	slurm_free_node_info_msg(nodes);
	slurm_free_ctl_conf(conf);
	return ledger;
}
