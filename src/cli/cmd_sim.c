/*
 * cmd_sim.c - `aishare sim`: replay a job trace through the core (pool ledger,
 * placement planner, priority model) on a modelled Slurm, write per-job records
 * and print their score; or score records written by anyone (bench/replay.py
 * takes them from a real Slurm) with the same code.
 *
 * Everything is computed by the core (aishare.h, "simulation"); this file reads
 * the options, loads topology.conf with libslurm's hostlist expansion and prints.
 *
 * Copyright (C) 2026 The slurm-aishare authors.  GPL-2.0-or-later.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "aishare.h"
#include "aishare_cli.h"
#include "hostlist_text.h"

#define MOST_GRANTS 4096

static void usage(FILE *out)
{
	fprintf(out,
		"usage: aishare sim --trace FILE --topology FILE [--config B1|B3|P] [--params TEXT]\n"
		"                   [--gpus-per-node N] [--speedup K] [--horizon S] [--requeue-delay S]\n"
		"                   [--grant ACCOUNT=GPU_MINUTES]... [--records OUT.csv] [--plots DIR] [--json]\n"
		"       aishare sim --score RECORDS.csv --topology FILE [--config B1|B3|P] [--params TEXT]\n"
		"                   [--gpus-per-node N] [--speedup K] [--horizon S] [--plots DIR] [--json]\n");
}

/* A number in [LOW, HIGH]; -1 and a message naming OPTION otherwise. */
static int read_number(const char *option, const char *text, double low, double high, double *value)
{
	char *end = NULL;

	errno = 0;
	*value = strtod(text, &end);
	if (errno || !end || *end || end == text || !(*value >= low && *value <= high)) {
		fprintf(stderr, "aishare: sim: %s %s: expected a number from %g to %g\n", option,
			text, low, high);
		return -1;
	}
	return 0;
}

static int read_config(const char *text, aishare_sim_config_t *config)
{
	if (!strcasecmp(text, "B1"))
		*config = AISHARE_SIM_B1;
	else if (!strcasecmp(text, "B3"))
		*config = AISHARE_SIM_B3;
	else if (!strcasecmp(text, "P"))
		*config = AISHARE_SIM_P;
	else {
		fprintf(stderr, "aishare: sim: --config %s: expected B1, B3 or P\n", text);
		return -1;
	}
	return 0;
}

static void say(const char *what, char *errors)
{
	fprintf(stderr, "aishare: sim: %s\n", errors ? errors : (what ? what : strerror(errno)));
	free(errors);
}

int cmd_sim(int argc, char **argv)
{
	aishare_sim_options_t options = { .config = AISHARE_SIM_P, .requeue_delay = -1 };
	const char *trace_path = NULL, *score_path = NULL, *topology = NULL, *records_path = NULL,
		   *plots = NULL;
	const char *grants[MOST_GRANTS];
	aishare_format_t format = AISHARE_FORMAT_TEXT;
	aishare_fabric_t *fabric = NULL;
	aishare_sim_trace_t *trace = NULL;
	aishare_sim_records_t *records = NULL;
	aishare_sim_score_t score;
	char *errors = NULL, *text;
	double number;
	int rc = 1;

	for (int i = 1; i < argc; i++) {
		const char *opt = argv[i];
		const char *arg = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(opt, "--help") || !strcmp(opt, "-h")) {
			usage(stdout);
			return 0;
		}
		if (!strcmp(opt, "--json")) {
			format = AISHARE_FORMAT_JSON;
			continue;
		}
		if (!arg)
			return cli_usage_error("sim", opt);
		i++;
		if (!strcmp(opt, "--trace"))
			trace_path = arg;
		else if (!strcmp(opt, "--score"))
			score_path = arg;
		else if (!strcmp(opt, "--topology"))
			topology = arg;
		else if (!strcmp(opt, "--records"))
			records_path = arg;
		else if (!strcmp(opt, "--plots"))
			plots = arg;
		else if (!strcmp(opt, "--params"))
			options.params = arg;
		else if (!strcmp(opt, "--config")) {
			if (read_config(arg, &options.config))
				return 2;
		} else if (!strcmp(opt, "--gpus-per-node")) {
			if (read_number(opt, arg, 1, 1024, &number) || number != (uint32_t) number)
				return 2;
			options.gpus_per_node = (uint32_t) number;
		} else if (!strcmp(opt, "--speedup")) {
			if (read_number(opt, arg, 1e-3, 1e6, &options.speedup))
				return 2;
		} else if (!strcmp(opt, "--horizon")) {
			if (read_number(opt, arg, 1, 1e10, &options.horizon))
				return 2;
		} else if (!strcmp(opt, "--requeue-delay")) {
			if (read_number(opt, arg, 0, 1e6, &options.requeue_delay))
				return 2;
		} else if (!strcmp(opt, "--grant")) {
			if (options.grant_count == MOST_GRANTS) {
				fprintf(stderr, "aishare: sim: more than %d --grant options\n", MOST_GRANTS);
				return 2;
			}
			grants[options.grant_count++] = arg;
		} else {
			return cli_usage_error("sim", opt);
		}
	}
	options.grants = grants;
	if (!topology || !trace_path == !score_path || (score_path && records_path)) {
		fprintf(stderr, "aishare: sim: give --topology and either --trace (to simulate) or --score (to score records)\n");
		usage(stderr);
		return 2;
	}
	if (plots) {
		struct stat st;

		if (stat(plots, &st) || !S_ISDIR(st.st_mode)) {
			fprintf(stderr, "aishare: sim: --plots %s: not a directory (create it first)\n", plots);
			return 2;
		}
	}

	if (!(fabric = aishare_fabric_load(topology, hostlist_text_expand, NULL, &errors))) {
		say(NULL, errors);
		goto out;
	}
	if (trace_path) {
		if (!(trace = aishare_sim_trace_load(trace_path, &errors))) {
			say(NULL, errors);
			goto out;
		}
		if (!(records = aishare_sim_run(fabric, trace, &options, &errors))) {
			say(NULL, errors);
			goto out;
		}
		if (records_path && aishare_sim_records_save(records, records_path, &errors)) {
			say(NULL, errors);
			goto out;
		}
	} else if (!(records = aishare_sim_records_load(score_path, &errors))) {
		say(NULL, errors);
		goto out;
	}
	if (aishare_sim_score(fabric, records, &options, &score, &errors)) {
		say(NULL, errors);
		goto out;
	}
	if (plots && aishare_sim_plots(fabric, records, &options, plots, &errors)) {
		say(NULL, errors);
		goto out;
	}
	if (!(text = aishare_sim_score_text(&score, format))) {
		say("cannot format the score", NULL);
		goto out;
	}
	fputs(text, stdout);
	free(text);
	rc = 0;
out:
	aishare_sim_records_free(records);
	aishare_sim_trace_free(trace);
	aishare_fabric_free(fabric);
	return rc;
}
