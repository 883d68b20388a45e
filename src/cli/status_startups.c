/*
 * status_startups.c - the start-ups in `aishare status`: each account holding a
 * GrpTRESMins=gres/gpu grant, its usage, and where its pacing and fair share
 * stand.
 *
 * Grants and usage come from slurmctld's association manager through the public
 * API (what `scontrol show assoc_mgr` prints); the terms come from the same core
 * model site_factor/aishare runs, with the parameters in force.  Running jobs'
 * time not yet charged by Slurm is not counted here: the figures are Slurm's
 * charged usage, as sshare shows it.
 *
 * Copyright (C) 2026 The slurm-aishare authors.  GPL-2.0-or-later.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <slurm/slurm.h>
#include <slurm/slurmdb.h>

#include "cli_text.h"
#include "cluster_snapshot.h"
#include "status_prometheus.h"
#include "status_startups.h"

/* The position of gres/gpu among the association manager's TRES, or -1. */
static int gpu_index(const assoc_mgr_info_msg_t *info)
{
	for (uint32_t i = 0; i < info->tres_cnt; i++)
		if (info->tres_names && info->tres_names[i] &&
		    !strcmp(info->tres_names[i], "gres/gpu"))
			return (int) i;
	return -1;
}

/* A start-up: an account-level association with a GPU-minutes grant. */
static int grant_of(const slurmdb_assoc_rec_t *assoc, int gpu, double *grant)
{
	uint64_t minutes;

	if (assoc->user || !assoc->acct || !assoc->grp_tres_mins_ctld)
		return 0;
	minutes = assoc->grp_tres_mins_ctld[gpu];
	if (minutes == INFINITE64 || minutes == NO_VAL64 || minutes == 0)
		return 0;
	*grant = (double) minutes;
	return 1;
}

int status_startups_load(struct status_startups *out)
{
	assoc_mgr_info_request_msg_t request = { .flags = ASSOC_MGR_INFO_FLAG_ASSOC };
	assoc_mgr_info_msg_t *info = NULL;
	aishare_params_t *params;
	aishare_prio_account_t *accounts = NULL;
	ListIterator it;
	slurmdb_assoc_rec_t *assoc;
	char *errors = NULL;
	size_t count = 0, size;
	int gpu, rc = -1;

	memset(out, 0, sizeof(*out));
	/* No accounting (or no gres/gpu TRES): no grants, so no start-ups. */
	if (slurm_load_assoc_mgr_info(&request, &info) || !info || !info->assoc_list ||
	    (gpu = gpu_index(info)) < 0) {
		if (info)
			slurm_free_assoc_mgr_info_msg(info);
		return 0;
	}
	size = (size_t) slurm_list_count(info->assoc_list) + 1;
	out->startups = calloc(size, sizeof(*out->startups));
	accounts = calloc(size, sizeof(*accounts));
	if (!out->startups || !accounts)
		goto out;
	it = slurm_list_iterator_create(info->assoc_list);
	while ((assoc = slurm_list_next(it))) {
		struct status_startup *s = &out->startups[count];
		double grant;

		if (!grant_of(assoc, gpu, &grant))
			continue;
		s->account = strdup(assoc->acct);
		s->parent = strdup(assoc->parent_acct ? assoc->parent_acct : "");
		s->grant_gpu_minutes = grant;
		s->used_gpu_minutes = (assoc->usage && assoc->usage->usage_tres_raw) ?
					      (double) assoc->usage->usage_tres_raw[gpu] / 60.0 : 0;
		if (!s->account || !s->parent)
			break;
		accounts[count] = (aishare_prio_account_t){ s->account, s->parent, grant,
							    s->used_gpu_minutes };
		count++;
	}
	slurm_list_iterator_destroy(it);
	out->count = count;

	/* Pacing and fair share as site_factor/aishare computes them now. */
	if (!(params = cluster_params_load()))
		goto out;
	out->model = aishare_prio_model_create(params, &errors);
	aishare_params_free(params);
	if (!out->model ||
	    aishare_prio_model_update(out->model, time(NULL), time(NULL), accounts, count, NULL,
				      0, NULL, 0, &errors)) {
		fprintf(stderr, "aishare: status: start-ups: %s\n", errors ? errors : "out of memory");
		goto out;
	}
	for (size_t i = 0; i < count; i++) {
		aishare_prio_job_t probe = { 0, out->startups[i].account, "", 1, 0 };
		aishare_prio_result_t result;

		if (!aishare_prio_model_job(out->model, &probe, &result)) {
			out->startups[i].pacing = result.pacing;
			out->startups[i].fair_share = result.fair_share;
			out->startups[i].exhausted = result.exhausted;
		}
	}
	rc = 0;
out:
	free(errors);
	free(accounts);
	slurm_free_assoc_mgr_info_msg(info);
	return rc;
}

void status_startups_free(struct status_startups *s)
{
	for (size_t i = 0; i < s->count; i++) {
		free(s->startups[i].account);
		free(s->startups[i].parent);
	}
	free(s->startups);
	aishare_prio_model_free(s->model);
	memset(s, 0, sizeof(*s));
}

void status_startups_text(FILE *out, const struct status_startups *s)
{
	fprintf(out, "start-ups: %zu accounts with a GrpTRESMins=gres/gpu grant\n", s->count);
	for (size_t i = 0; i < s->count; i++) {
		const struct status_startup *a = &s->startups[i];

		fprintf(out, "  %-16s %.1f of %.1f GPU-min used (%.0f%%), pacing %+lld, "
			     "fair share %+lld%s\n",
			a->account, a->used_gpu_minutes, a->grant_gpu_minutes,
			100 * a->used_gpu_minutes / a->grant_gpu_minutes, (long long) a->pacing,
			(long long) a->fair_share, a->exhausted ? ", grant exhausted" : "");
	}
}

char *status_startups_json(const struct status_startups *s)
{
	char *json = strdup("{\"startups\":[");

	for (size_t i = 0; i < s->count; i++) {
		const struct status_startup *a = &s->startups[i];

		text_append(&json, "%s{\"account\":", i ? "," : "");
		text_append_json(&json, a->account);
		text_append(&json, ",\"parent\":");
		text_append_json(&json, a->parent);
		text_append(&json,
			    ",\"grant_gpu_minutes\":%.3f,\"used_gpu_minutes\":%.3f,\"pacing\":%lld,"
			    "\"fair_share\":%lld,\"exhausted\":%s}",
			    a->grant_gpu_minutes, a->used_gpu_minutes, (long long) a->pacing,
			    (long long) a->fair_share, a->exhausted ? "true" : "false");
	}
	text_append(&json, "]}");
	return json;
}

void status_startups_prometheus(FILE *out, const struct status_startups *s)
{
	static const struct {
		const char *name, *help;
		int field; /* 0 grant, 1 used, 2 pacing, 3 fair share */
	} families[] = {
		{ "aishare_startup_grant_gpu_minutes", "The account's GrpTRESMins=gres/gpu grant.", 0 },
		{ "aishare_startup_used_gpu_minutes", "GPU-minutes Slurm charged to the account.", 1 },
		{ "aishare_startup_pacing_points", "The pacing term of the account's jobs' site factor.", 2 },
		{ "aishare_startup_fair_share_points", "The fair-share term of the account's jobs' site factor.", 3 },
	};

	for (size_t f = 0; f < sizeof(families) / sizeof(families[0]); f++) {
		fprintf(out, "# HELP %s %s\n# TYPE %s gauge\n", families[f].name, families[f].help,
			families[f].name);
		for (size_t i = 0; i < s->count; i++) {
			const struct status_startup *a = &s->startups[i];
			double value = families[f].field == 0 ? a->grant_gpu_minutes :
				       families[f].field == 1 ? a->used_gpu_minutes :
				       families[f].field == 2 ? (double) a->pacing :
								(double) a->fair_share;
			fprintf(out, "%s{account=\"", families[f].name);
			prometheus_label_value(out, a->account);
			fprintf(out, "\"} %.9g\n", value);
		}
	}
}
