/*
 * cmd_explain.c - `aishare explain [--json] JOBID`: each term of a pending job's
 * site factor with its inputs, then its placement (explain_placement.c): why it
 * waits or why it got its nodes.
 *
 * The terms are those slurmctld used: site_factor/aishare writes them after every
 * pass to StateSaveLocation/aishare_priority.state.  Slurm's public API gives the
 * site factor (sprio's SITE) but not the grants, usage and pool figures behind
 * it, and a client recomputing them would explain a number slurmctld never used.
 * StateSaveLocation comes from slurmctld (slurm_load_ctl_conf); --state FILE
 * reads another file, e.g. a copy.
 *
 * Copyright (C) 2026 The slurm-aishare authors.  GPL-2.0-or-later.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <slurm/slurm.h>

#include "aishare.h"
#include "aishare_cli.h"
#include "explain_placement.h"

#define STATE_FILE "aishare_priority.state"

/* "123" or "123_4" is refused: array tasks have their own job ids. */
static int parse_job_id(const char *text, uint32_t *job_id)
{
	char *end = NULL;
	unsigned long value;

	errno = 0;
	value = strtoul(text, &end, 10);
	if (errno || !end || *end || end == text || text[0] == '-' || !value ||
	    value >= UINT32_MAX)
		return -1;
	*job_id = (uint32_t) value;
	return 0;
}

int cmd_explain(int argc, char **argv)
{
	aishare_format_t format = AISHARE_FORMAT_TEXT;
	const char *state = NULL, *job_text = NULL;
	char path[PATH_MAX], state_dir[PATH_MAX] = ".", *text, *errors = NULL, *placement;
	uint32_t job_id = 0;
	int json;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			format = AISHARE_FORMAT_JSON;
		else if (!strcmp(argv[i], "--state") && i + 1 < argc)
			state = argv[++i];
		else if (!job_text && argv[i][0] != '-')
			job_text = argv[i];
		else
			return cli_usage_error("explain", argv[i]);
	}
	if (!job_text) {
		fprintf(stderr, "aishare: explain: which job? usage: aishare explain [--json] "
				"[--state FILE] JOBID\n");
		return 2;
	}
	if (parse_job_id(job_text, &job_id)) {
		fprintf(stderr, "aishare: explain: %s: not a job id (expected a number, e.g. "
				"1234; for an array task give its own job id from squeue -r)\n",
			job_text);
		return 2;
	}
	{
		slurm_conf_t *conf = NULL;

		if (slurm_load_ctl_conf(0, &conf) != SLURM_SUCCESS) {
			fprintf(stderr, "aishare: explain: cannot reach slurmctld: %s\n",
				slurm_strerror(slurm_get_errno()));
			return 1;
		}
		if (conf->state_save_location)
			snprintf(state_dir, sizeof(state_dir), "%s", conf->state_save_location);
		slurm_free_ctl_conf(conf);
	}
	if (!state) {
		snprintf(path, sizeof(path), "%s/%s", state_dir, STATE_FILE);
		state = path;
	}
	json = format == AISHARE_FORMAT_JSON;
	if (!(placement = explain_placement(job_id, state_dir, json)))
		return 1;
	/* Terms are recorded for pending jobs only: a running job has placement alone. */
	text = aishare_prio_explain(state, job_id, format, &errors);
	if (!text && errno != ENOENT) {
		fprintf(stderr, "aishare: explain: %s\n", errors ? errors : strerror(errno));
		free(errors);
		free(placement);
		return 1;
	}
	if (json) {
		size_t length = text ? strlen(text) : 0;

		/* The terms' object gains a "placement" member. */
		while (length && (text[length - 1] == '\n' || text[length - 1] == '}'))
			if (text[--length] == '}')
				break;
		if (text)
			printf("%.*s,\"placement\":%s}\n", (int) length, text, placement);
		else
			printf("{\"job_id\":%u,\"priority\":null,\"placement\":%s}\n", job_id,
			       placement);
	} else {
		if (text)
			fputs(text, stdout);
		else
			printf("job %u: no priority terms (recorded for pending jobs at each pass "
			       "of site_factor/aishare)\n", job_id);
		fputs(placement, stdout);
	}
	free(errors);
	free(text);
	free(placement);
	return 0;
}
