/*
 * explain_placement.c - the placement part of `aishare explain JOBID`: why a
 * running job got its nodes, or why a pending one waits.
 *
 * Everything comes from what slurmctld and the plugins already recorded: the
 * job's record (the shape and confinement job_submit/aishare gave it, Slurm's
 * reason, which the plugin rewrites while a compact wait lasts), the pool as
 * `aishare status` computes it, and the job's line in aishare_placement.log.
 *
 * Copyright (C) 2026 The slurm-aishare authors.  GPL-2.0-or-later.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <slurm/slurm.h>
#include <slurm/slurm_errno.h>

#include "aishare.h"
#include "cli_text.h"
#include "cluster_snapshot.h"
#include "explain_placement.h"

static const char *state_name(uint32_t state)
{
	switch (state & JOB_STATE_BASE) {
	case JOB_PENDING:
		return "pending";
	case JOB_RUNNING:
		return "running";
	case JOB_SUSPENDED:
		return "suspended";
	default:
		return "ended";
	}
}

/* The reason squeue would show: the text when there is one. */
static const char *reason_of(const slurm_job_info_t *job, char *buffer, size_t size)
{
	if (job->state_desc && *job->state_desc)
		return job->state_desc;
	switch (job->state_reason) {
	case WAIT_RESOURCES:
		return "Resources (no nodes free for it yet)";
	case WAIT_PRIORITY:
		return "Priority (jobs of higher priority go first)";
	case WAIT_NO_REASON:
		return "none yet (not yet considered by the scheduler)";
	default:
		snprintf(buffer, size, "Slurm reason code %u (see squeue)", job->state_reason);
		return buffer;
	}
}

/* "[sw_leaf2|sw_leaf1|sw_spine]" -> "leaf2, leaf1, spine", or NULL when not ours. */
static char *switches_of(const char *features)
{
	size_t prefix = strlen(AISHARE_SWITCH_FEATURE_PREFIX);
	char *list, *save = NULL, *names = NULL;
	size_t length;

	if (!features || features[0] != '[' || !(length = strlen(features)) ||
	    features[length - 1] != ']' || strncmp(features + 1, AISHARE_SWITCH_FEATURE_PREFIX,
						   prefix))
		return NULL;
	if (!(list = strndup(features + 1, length - 2)))
		return NULL;
	for (char *item = strtok_r(list, "|", &save); item; item = strtok_r(NULL, "|", &save)) {
		char *longer = NULL;

		if (strncmp(item, AISHARE_SWITCH_FEATURE_PREFIX, prefix) ||
		    asprintf(&longer, "%s%s%s", names ? names : "", names ? ", " : "",
			     item + prefix) < 0) {
			free(names);
			names = NULL;
			break;
		}
		free(names);
		names = longer;
	}
	free(list);
	return names;
}

static void add_pool(char **out, const char *partition, int json)
{
	aishare_ledger_t *ledger = cluster_ledger_load();
	aishare_pool_status_t pool;
	int found = 0;

	for (size_t i = 0; ledger && i < aishare_ledger_pool_count(ledger) && !found; i++) {
		if (aishare_ledger_pool_status(ledger, i, &pool) ||
		    strcmp(pool.partition, partition ? partition : ""))
			continue;
		found = 1;
		if (json)
			text_append(out, ",\"pool\":{\"guarantee_gpus\":%u,\"used_gpus\":%u,"
				 "\"lent_gpus\":%u,\"borrowing_jobs\":%u,\"pending_gpus\":%u}",
			    pool.guarantee, pool.used, pool.lent, pool.borrowers, pool.pending_gpus);
		else
			text_append(out, "  pool %s: guarantee %u GPUs, %u used by its jobs, %u lent to "
				 "%u borrowing jobs, %u GPUs pending\n",
			    partition, pool.guarantee, pool.used, pool.lent, pool.borrowers,
			    pool.pending_gpus);
	}
	if (!found)
		text_append(out, json ? ",\"pool\":null" : "  partition %s is no pool\n",
		    partition ? partition : "-");
	aishare_ledger_free(ledger);
}

char *explain_placement(uint32_t job_id, const char *state_dir, int json)
{
	job_info_msg_t *jobs = NULL;
	const slurm_job_info_t *job;
	aishare_placement_record_t record;
	char *out = strdup("");
	char reason[64], *path = NULL, *switches, *errors = NULL;
	int placed = 0, pending, whole;

	if (slurm_load_job(&jobs, job_id, SHOW_DETAIL) || !jobs || jobs->record_count < 1) {
		fprintf(stderr, "aishare: explain: job %u: %s\n", job_id,
			slurm_strerror(slurm_get_errno()));
		if (jobs)
			slurm_free_job_info_msg(jobs);
		return NULL;
	}
	job = &jobs->job_array[0];
	pending = (job->job_state & JOB_STATE_BASE) == JOB_PENDING;
	whole = job->shared == 0;
	switches = switches_of(job->features);
	if (asprintf(&path, "%s/%s", state_dir ? state_dir : ".", AISHARE_PLACEMENT_LOG) >= 0)
		placed = aishare_placement_log_find(path, job_id, &record, &errors);
	if (placed < 0)
		fprintf(stderr, "aishare: explain: %s\n", errors ? errors : "placement log");

	if (json) {
		text_append(&out, "{\"state\":\"%s\",\"partition\":", state_name(job->job_state));
		text_append_json(&out, job->partition);
		text_append(&out, ",\"nodes\":%u,\"node_list\":", job->num_nodes);
		text_append_json(&out, pending ? "" : job->nodes);
		text_append(&out, ",\"whole_nodes\":%s,\"gpus_per_node\":", whole ? "true" : "false");
		text_append_json(&out, job->tres_per_node);
		text_append(&out, ",\"switches\":");
		text_append_json(&out, switches);
		text_append(&out, ",\"leaf_switches_wanted\":%u,\"compact_wait_s\":%u,\"reason\":",
		    job->req_switch, job->req_switch ? job->wait4switch : 0);
		text_append_json(&out, pending ? reason_of(job, reason, sizeof(reason)) : "");
		if (placed > 0)
			text_append(&out, ",\"placed\":{\"leaves\":%u,\"free_set_bound\":%u,\"ideal\":%u}",
			    record.leaves, record.free_bound, record.ideal);
		else
			text_append(&out, ",\"placed\":null");
		add_pool(&out, job->partition, 1);
		text_append(&out, "}");
	} else {
		text_append(&out, "placement: job %u is %s in partition %s\n", job_id,
		    state_name(job->job_state), job->partition ? job->partition : "-");
		if (pending)
			text_append(&out, "  waits: %s\n", reason_of(job, reason, sizeof(reason)));
		else
			text_append(&out, "  runs on %s (%u node%s)\n", job->nodes ? job->nodes : "-",
			    job->num_nodes, job->num_nodes == 1 ? "" : "s");
		text_append(&out, "  asks %s%s%s\n", whole ? "whole exclusive nodes, " : "shared nodes, ",
		    job->tres_per_node ? "per node " : "", job->tres_per_node ? job->tres_per_node :
		    job->tres_per_job ? job->tres_per_job : "no GPUs");
		if (switches)
			text_append(&out, "  confined to one switch of: %s (tried in this order; the last "
				  "is the fallback)\n", switches);
		else
			text_append(&out, "  not confined to a switch (its own --constraint or --nodelist, "
				  "no switch features, or no topology)\n");
		if (job->req_switch)
			text_append(&out, "  compact wait: at most %u s for %u leaf switch%s, then the fewest "
				  "free (--switches=%u@%u)\n", job->wait4switch, job->req_switch,
			    job->req_switch == 1 ? "" : "es", job->req_switch, job->wait4switch);
		if (placed > 0)
			text_append(&out, "  placed on %u leaf switch%s; the free nodes of its class offered "
				  "at best %u when it started, %u on an empty machine\n",
			    record.leaves, record.leaves == 1 ? "" : "es", record.free_bound,
			    record.ideal);
		else if (!pending && job->num_nodes == 1)
			text_append(&out, "  one node: compact by itself\n");
		add_pool(&out, job->partition, 0);
	}
	free(errors);
	free(path);
	free(switches);
	slurm_free_job_info_msg(jobs);
	if (!out)
		fprintf(stderr, "aishare: explain: out of memory\n");
	return out;
}
