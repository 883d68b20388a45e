/*
 * status_nodes.c - node classes and degraded nodes in `aishare status`, from
 * the nodes' hwloc XML in TopologyDir= (the parameter in force).
 *
 * The files are read at every call, through the same core as `aishare topo show`
 * (about half a millisecond per node).  A file that cannot be read is named on
 * stderr and counted; it does not stop the status.
 *
 * Copyright (C) 2026 The slurm-aishare authors.  GPL-2.0-or-later.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster_snapshot.h"
#include "node_files.h"
#include "status_nodes.h"
#include "status_prometheus.h"

int status_nodes_load(struct status_nodes *out)
{
	aishare_params_t *params;
	const char *dir = NULL;

	memset(out, 0, sizeof(*out));
	if (!(params = cluster_params_load()))
		return -1;
	if (!aishare_params_get_string(params, "TopologyDir", &dir) && dir && *dir)
		out->dir = strdup(dir);
	aishare_params_free(params);
	if (!out->dir)
		return 0;
	if (!(out->set = aishare_node_set_create())) {
		fprintf(stderr, "aishare: out of memory\n");
		return -1;
	}
	out->unreadable = load_node_dir(out->set, out->dir);
	return 0;
}

void status_nodes_free(struct status_nodes *nodes)
{
	aishare_node_set_free(nodes->set);
	free(nodes->dir);
	memset(nodes, 0, sizeof(*nodes));
}

/* Nodes of class CLS in SET, and how many of them are degraded. */
static void class_counts(const aishare_node_set_t *set, size_t cls, size_t *members,
			 size_t *degraded)
{
	*members = *degraded = 0;
	for (size_t node = 0; node < aishare_node_set_count(set); node++) {
		if (aishare_node_class(set, node) != cls)
			continue;
		(*members)++;
		*degraded += aishare_node_degraded(set, node) != NULL;
	}
}

void status_nodes_text(FILE *out, const struct status_nodes *nodes)
{
	size_t members, degraded;

	if (!nodes->set) {
		fprintf(out, "node classes: TopologyDir= is not set (no hwloc XML to read)\n");
		return;
	}
	fprintf(out, "node classes: %zu nodes from %s", aishare_node_set_count(nodes->set),
		nodes->dir);
	if (nodes->unreadable)
		fprintf(out, " (%d files could not be read)", nodes->unreadable);
	fprintf(out, "\n");
	for (size_t cls = 0; cls < aishare_node_set_class_count(nodes->set); cls++) {
		class_counts(nodes->set, cls, &members, &degraded);
		fprintf(out, "  %-48s %zu nodes, %zu degraded\n",
			aishare_node_set_class_name(nodes->set, cls), members, degraded);
	}
	for (size_t node = 0; node < aishare_node_set_count(nodes->set); node++)
		if (aishare_node_degraded(nodes->set, node))
			fprintf(out, "  degraded %s: %s\n", aishare_node_set_name(nodes->set, node),
				aishare_node_degraded(nodes->set, node));
}

/* Appends TEXT as a JSON string to *JSON (freed and replaced; NULL on failure). */
static void append_json_string(char **json, const char *text)
{
	char *longer = NULL, *escaped = calloc(1, 6 * strlen(text) + 1), *at = escaped;

	for (const char *c = text; escaped && *c; c++) {
		if (*c == '"' || *c == '\\')
			at += sprintf(at, "\\%c", *c);
		else if ((unsigned char) *c < 0x20)
			at += sprintf(at, "\\u%04x", (unsigned char) *c);
		else
			*at++ = *c;
	}
	if (!escaped || !*json || asprintf(&longer, "%s\"%s\"", *json, escaped) < 0)
		longer = NULL;
	free(escaped);
	free(*json);
	*json = longer;
}

static void append(char **json, const char *text)
{
	char *longer = NULL;

	if (!*json || asprintf(&longer, "%s%s", *json, text) < 0)
		longer = NULL;
	free(*json);
	*json = longer;
}

char *status_nodes_json(const struct status_nodes *nodes)
{
	char *json = strdup("{\"nodes\":{\"topology_dir\":"), number[96];
	size_t members, degraded;
	int first = 1;

	if (!nodes->set) {
		append(&json, "null,\"classes\":[],\"degraded\":[],\"unreadable_files\":0}}");
		return json;
	}
	append_json_string(&json, nodes->dir);
	append(&json, ",\"classes\":[");
	for (size_t cls = 0; cls < aishare_node_set_class_count(nodes->set); cls++) {
		class_counts(nodes->set, cls, &members, &degraded);
		append(&json, cls ? ",{\"name\":" : "{\"name\":");
		append_json_string(&json, aishare_node_set_class_name(nodes->set, cls));
		snprintf(number, sizeof(number), ",\"nodes\":%zu,\"degraded\":%zu}", members,
			 degraded);
		append(&json, number);
	}
	append(&json, "],\"degraded\":[");
	for (size_t node = 0; node < aishare_node_set_count(nodes->set); node++) {
		const char *why = aishare_node_degraded(nodes->set, node);

		if (!why)
			continue;
		append(&json, first ? "{\"node\":" : ",{\"node\":");
		append_json_string(&json, aishare_node_set_name(nodes->set, node));
		append(&json, ",\"reason\":");
		append_json_string(&json, why);
		append(&json, "}");
		first = 0;
	}
	snprintf(number, sizeof(number), "],\"unreadable_files\":%d}}", nodes->unreadable);
	append(&json, number);
	return json;
}

/* One sample per class; class names come from hwloc XML: label values escaped. */
static void class_sample(FILE *out, const char *family, const char *class_name, size_t value)
{
	fprintf(out, "%s{class=\"", family);
	prometheus_label_value(out, class_name);
	fprintf(out, "\"} %zu\n", value);
}

void status_nodes_prometheus(FILE *out, const struct status_nodes *nodes)
{
	size_t members, degraded;

	fputs("# HELP aishare_node_class_nodes Nodes of each node class (TopologyDir hwloc XML).\n"
	      "# TYPE aishare_node_class_nodes gauge\n", out);
	for (size_t cls = 0; nodes->set && cls < aishare_node_set_class_count(nodes->set); cls++) {
		class_counts(nodes->set, cls, &members, &degraded);
		class_sample(out, "aishare_node_class_nodes",
			     aishare_node_set_class_name(nodes->set, cls), members);
	}
	fputs("# HELP aishare_node_class_degraded_nodes Nodes short of their class "
	      "(fewer GPUs or NICs, no NVLink).\n"
	      "# TYPE aishare_node_class_degraded_nodes gauge\n", out);
	for (size_t cls = 0; nodes->set && cls < aishare_node_set_class_count(nodes->set); cls++) {
		class_counts(nodes->set, cls, &members, &degraded);
		class_sample(out, "aishare_node_class_degraded_nodes",
			     aishare_node_set_class_name(nodes->set, cls), degraded);
	}
	fprintf(out, "# HELP aishare_node_files_unreadable TopologyDir files that could not be "
		     "read.\n# TYPE aishare_node_files_unreadable gauge\n"
		     "aishare_node_files_unreadable %d\n", nodes->unreadable);
}
