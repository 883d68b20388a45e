/*
 * cmd_status.c - `aishare status`: the pools, their guarantee, lending and reclaims,
 * the start-ups' grants and pacing, placement quality, node classes and degraded
 * nodes, as text, JSON (schema: doc/aishare-status.schema.json) or
 * Prometheus metrics.
 *
 * Copyright (C) 2026 The slurm-aishare authors.  GPL-2.0-or-later.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aishare_cli.h"
#include "status_nodes.h"
#include "status_placement.h"
#include "status_pools.h"
#include "status_prometheus.h"
#include "status_startups.h"

enum status_format { STATUS_TEXT, STATUS_JSON, STATUS_PROMETHEUS };

/*
 * The JSON document is one object whose top-level members come from sections:
 * each returns a malloc()ed JSON object and its members are copied into the
 * document.  A new part of the status (placement quality, per-start-up usage)
 * is a new section with its own top-level key, so readers of the existing keys
 * never break; doc/aishare-status.schema.json must describe every key (a test
 * checks it).
 */
struct status_data {
	struct status_pools pools;
	aishare_placement_summary_t placement;
	struct status_startups startups;
	struct status_nodes nodes;
};

typedef char *(*json_section_fn)(const struct status_data *data);

static char *pools_json(const struct status_data *data)
{
	return status_pools_json(&data->pools);
}

static char *placement_json(const struct status_data *data)
{
	return status_placement_json(&data->placement);
}

static char *startups_json(const struct status_data *data)
{
	return status_startups_json(&data->startups);
}

static char *nodes_json(const struct status_data *data)
{
	return status_nodes_json(&data->nodes);
}

static const json_section_fn json_sections[] = {
	pools_json,     /* "pools" */
	startups_json,  /* "startups" */
	placement_json, /* "placement" */
	nodes_json,     /* "nodes" */
};

/* Prints the members of the JSON object OBJECT, each preceded by a comma. */
static int print_json_members(const char *object)
{
	size_t length = object ? strlen(object) : 0;

	if (length < 2 || object[0] != '{' || object[length - 1] != '}')
		return -1;
	if (length > 2)
		printf(",%.*s", (int) (length - 2), object + 1);
	return 0;
}

static int print_json(const struct status_data *data)
{
	int rc = 0;

	/* The version and time first: a sampler (the demo's plot) needs both. */
	printf("{\"aishare_version\":\"%s\",\"time\":%lld", aishare_version(),
	       (long long) time(NULL));
	for (size_t i = 0; i < sizeof(json_sections) / sizeof(json_sections[0]); i++) {
		char *section = json_sections[i](data);

		if (print_json_members(section))
			rc = -1;
		free(section);
	}
	printf("}\n");
	if (rc)
		fprintf(stderr, "aishare: status: out of memory\n");
	return rc;
}

int cmd_status(int argc, char **argv)
{
	enum status_format format = STATUS_TEXT;
	struct status_data data = { 0 };
	int rc = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			format = STATUS_JSON;
		else if (!strcmp(argv[i], "--prometheus"))
			format = STATUS_PROMETHEUS;
		else
			return cli_usage_error("status", argv[i]);
	}
	if (status_pools_load(&data.pools))
		return 1;
	if (status_placement_load(&data.placement) || status_startups_load(&data.startups) ||
	    status_nodes_load(&data.nodes)) {
		status_nodes_free(&data.nodes);
		status_startups_free(&data.startups);
		status_pools_free(&data.pools);
		return 1;
	}
	switch (format) {
	case STATUS_TEXT:
		status_pools_text(stdout, &data.pools);
		status_startups_text(stdout, &data.startups);
		status_placement_text(stdout, &data.placement);
		status_nodes_text(stdout, &data.nodes);
		break;
	case STATUS_JSON:
		rc = print_json(&data);
		break;
	case STATUS_PROMETHEUS:
		status_prometheus_build_info(stdout);
		rc = status_pools_prometheus(stdout, &data.pools);
		status_startups_prometheus(stdout, &data.startups);
		status_placement_prometheus(stdout, &data.placement);
		status_nodes_prometheus(stdout, &data.nodes);
		break;
	}
	status_nodes_free(&data.nodes);
	status_startups_free(&data.startups);
	status_pools_free(&data.pools);
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "aishare: status: cannot write the output\n");
		rc = -1;
	}
	return rc ? 1 : 0;
}
