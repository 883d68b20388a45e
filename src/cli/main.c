/*
 * main.c - the `aishare` command: one dispatcher over the subcommands.
 *
 * Copyright (C) 2026 The slurm-aishare authors.  GPL-2.0-or-later.
 */
#include <stdio.h>
#include <string.h>

#include "aishare.h"
#include "aishare_cli.h"

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *usage;
} subcommands[] = {
	{ "status", cmd_status,
	  "status [--json|--prometheus]   pools: capacity, guarantee, use, lending, reclaims" },
	{ "topo", cmd_topo,
	  "topo show|gres|check|bound|features ...   node classes, gres.conf, topology checks" },
	{ "explain", cmd_explain,
	  "explain [--json] [--state FILE] JOBID   each term of a pending job's site factor" },
	{ "sim", cmd_sim,
	  "sim --trace FILE|--score RECORDS --topology FILE [--config B1|B3|P] ...   simulate a trace, score records" },
};

static void usage(FILE *out)
{
	fprintf(out, "usage: aishare SUBCOMMAND [ARGS]\n\nsubcommands:\n");
	for (size_t i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		fprintf(out, "  %s\n", subcommands[i].usage);
	fprintf(out, "  version\n");
}

int cli_usage_error(const char *subcommand, const char *argument)
{
	fprintf(stderr, "aishare: %s: unknown argument %s\n", subcommand, argument);
	usage(stderr);
	return 2;
}

int main(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (!strcmp(argv[1], "version") || !strcmp(argv[1], "--version")) {
		printf("slurm-aishare %s\n", aishare_version());
		return 0;
	}
	for (size_t i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		if (!strcmp(argv[1], subcommands[i].name))
			return subcommands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "aishare: unknown subcommand %s\n", argv[1]);
	usage(stderr);
	return 2;
}
