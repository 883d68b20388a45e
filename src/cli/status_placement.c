/*
 * status_placement.c - placement quality in `aishare status`.
 *
 * A job "at the bound" spans no more leaf switches than the free nodes of its
 * class offered when it started; "at the ideal", no more than it would need on an
 * empty machine.  Stock Slurm is nearly always at the bound; the ideal is where
 * compact placement shows (see job_submit_aishare(8)).
 *
 * Copyright (C) 2026 The slurm-aishare authors.  GPL-2.0-or-later.
 */
#define _GNU_SOURCE
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <slurm/slurm.h>
#include <slurm/slurm_errno.h>

#include "status_placement.h"

int status_placement_load(aishare_placement_summary_t *summary)
{
	slurm_conf_t *conf = NULL;
	char *path = NULL, *errors = NULL;
	int rc = -1;

	if (slurm_load_ctl_conf(0, &conf)) {
		fprintf(stderr, "aishare: cannot read the cluster from slurmctld: %s\n",
			slurm_strerror(slurm_get_errno()));
		return -1;
	}
	if (asprintf(&path, "%s/%s", conf->state_save_location ? conf->state_save_location : ".",
		     AISHARE_PLACEMENT_LOG) < 0)
		path = NULL;
	if (!path)
		fprintf(stderr, "aishare: out of memory\n");
	else if (aishare_placement_log_summary(path, summary, &errors))
		fprintf(stderr, "aishare: %s\n", errors ? errors : path);
	else
		rc = 0;
	free(errors);
	free(path);
	slurm_free_ctl_conf(conf);
	return rc;
}

static double _share(uint64_t part, uint64_t whole)
{
	return whole ? (double) part / (double) whole : 0.0;
}

void status_placement_text(FILE *out, const aishare_placement_summary_t *sum)
{
	fprintf(out, "placement: %llu multi-node jobs started\n", (unsigned long long) sum->jobs);
	if (!sum->jobs)
		return;
	fprintf(out, "  at the free-set bound  %llu (%.0f%%), mean %.2f leaves over it\n",
		(unsigned long long) sum->at_bound, 100 * _share(sum->at_bound, sum->jobs),
		_share(sum->leaves_over_bound, sum->jobs));
	fprintf(out, "  at the ideal           %llu (%.0f%%), mean %.2f leaves over it\n",
		(unsigned long long) sum->at_ideal, 100 * _share(sum->at_ideal, sum->jobs),
		_share(sum->leaves_over_ideal, sum->jobs));
	if (sum->malformed)
		fprintf(out, "  %llu damaged lines of the placement log passed over\n",
			(unsigned long long) sum->malformed);
}

char *status_placement_json(const aishare_placement_summary_t *sum)
{
	char *json = NULL;

	if (asprintf(&json,
		     "{\"placement\":{\"multi_node_jobs\":%llu,\"at_bound\":%llu,"
		     "\"at_bound_share\":%.4f,\"mean_leaves_over_bound\":%.4f,"
		     "\"at_ideal\":%llu,\"at_ideal_share\":%.4f,\"mean_leaves_over_ideal\":%.4f,"
		     "\"damaged_lines\":%llu}}",
		     (unsigned long long) sum->jobs, (unsigned long long) sum->at_bound,
		     _share(sum->at_bound, sum->jobs), _share(sum->leaves_over_bound, sum->jobs),
		     (unsigned long long) sum->at_ideal, _share(sum->at_ideal, sum->jobs),
		     _share(sum->leaves_over_ideal, sum->jobs),
		     (unsigned long long) sum->malformed) < 0)
		return NULL;
	return json;
}

void status_placement_prometheus(FILE *out, const aishare_placement_summary_t *sum)
{
	static const struct {
		const char *name, *help;
		size_t offset;
	} counters[] = {
		{ "aishare_placement_jobs_total", "Multi-node jobs started and measured.",
		  offsetof(aishare_placement_summary_t, jobs) },
		{ "aishare_placement_at_bound_jobs_total",
		  "Multi-node jobs on no more leaf switches than the free nodes offered at start.",
		  offsetof(aishare_placement_summary_t, at_bound) },
		{ "aishare_placement_leaves_over_bound_total",
		  "Leaf switches spanned beyond the free-set bound, summed over jobs.",
		  offsetof(aishare_placement_summary_t, leaves_over_bound) },
		{ "aishare_placement_at_ideal_jobs_total",
		  "Multi-node jobs on no more leaf switches than on an empty machine.",
		  offsetof(aishare_placement_summary_t, at_ideal) },
		{ "aishare_placement_leaves_over_ideal_total",
		  "Leaf switches spanned beyond the ideal, summed over jobs.",
		  offsetof(aishare_placement_summary_t, leaves_over_ideal) },
	};

	for (size_t i = 0; i < sizeof(counters) / sizeof(counters[0]); i++) {
		const uint64_t *value =
			(const uint64_t *) ((const char *) sum + counters[i].offset);

		fprintf(out, "# HELP %s %s\n# TYPE %s counter\n%s %llu\n", counters[i].name,
			counters[i].help, counters[i].name, counters[i].name,
			(unsigned long long) *value);
	}
}
