/*
 * status_nodes.c - node classes and degraded nodes in `aishare status`, from
 * the nodes' hwloc XML in TopologyDir= (the parameter in force).
 *
 * The files are read through the same core as `aishare topo show`, and their
 * profiles kept in a cache file between calls (see profile_cache_path), so a
 * scrape every few seconds runs hwloc only for files that changed.  A file that
 * cannot be read is named on stderr and counted; it does not stop the status.
 *
 * Copyright (C) 2026 The slurm-aishare authors.  GPL-2.0-or-later.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli_text.h"
#include "cluster_snapshot.h"
#include "node_files.h"
#include "status_nodes.h"
#include "status_prometheus.h"

/*
 * $AISHARE_CACHE_DIR/node-profiles, else $XDG_CACHE_HOME/aishare/node-profiles,
 * else ~/.cache/aishare/node-profiles; the directory is made (0700) if need be.
 * NULL when there is no such place: the status is then read without a cache.
 */
static char *profile_cache_path(void)
{
	const char *base = getenv("AISHARE_CACHE_DIR"), *home = getenv("HOME");
	char *dir = NULL, *path = NULL;

	if (base && *base)
		dir = strdup(base);
	else if ((base = getenv("XDG_CACHE_HOME")) && *base)
		(void) !asprintf(&dir, "%s/aishare", base);
	else if (home && *home)
		(void) !asprintf(&dir, "%s/.cache/aishare", home);
	if (!dir)
		return NULL;
	/* One level above may be missing too (~/.cache on a new account). */
	for (char *slash = strchr(dir + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		(void) mkdir(dir, 0700);
		*slash = '/';
	}
	if ((mkdir(dir, 0700) == 0 || errno == EEXIST) &&
	    asprintf(&path, "%s/node-profiles", dir) < 0)
		path = NULL;
	free(dir);
	return path;
}

/* The cache is a help, not a need: a failed save says why once and goes on. */
static int load_through_cache(aishare_node_set_t *set, const char *dir)
{
	char *path = profile_cache_path(), *errors = NULL;
	aishare_profile_cache_t *cache = path ? aishare_profile_cache_open(path) : NULL;
	int unreadable = load_node_dir(set, dir, cache);

	if (cache && aishare_profile_cache_save(cache, &errors))
		fprintf(stderr, "aishare: node profile cache not saved: %s\n",
			errors ? errors : strerror(errno));
	free(errors);
	aishare_profile_cache_free(cache);
	free(path);
	return unreadable;
}

int status_nodes_load(struct status_nodes *out)
{
	aishare_params_t *params;
	const char *dir = NULL;

	memset(out, 0, sizeof(*out));
	if (!(params = cluster_params_load()))
		return -1;
	if (!aishare_params_get_string(params, AISHARE_KEY_TOPOLOGY_DIR, &dir) && dir && *dir)
		out->dir = strdup(dir);
	aishare_params_free(params);
	if (!out->dir)
		return 0;
	if (!(out->set = aishare_node_set_create())) {
		fprintf(stderr, "aishare: out of memory\n");
		return -1;
	}
	out->unreadable = load_through_cache(out->set, out->dir);
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

char *status_nodes_json(const struct status_nodes *nodes)
{
	char *json = strdup("{\"nodes\":{\"topology_dir\":");
	size_t members, degraded;
	int first = 1;

	if (!nodes->set) {
		text_append(&json, "%s", "null,\"classes\":[],\"degraded\":[],\"unreadable_files\":0}}");
		return json;
	}
	text_append_json(&json, nodes->dir);
	text_append(&json, "%s", ",\"classes\":[");
	for (size_t cls = 0; cls < aishare_node_set_class_count(nodes->set); cls++) {
		class_counts(nodes->set, cls, &members, &degraded);
		text_append(&json, "%s", cls ? ",{\"name\":" : "{\"name\":");
		text_append_json(&json, aishare_node_set_class_name(nodes->set, cls));
		text_append(&json, ",\"nodes\":%zu,\"degraded\":%zu}", members, degraded);
	}
	text_append(&json, "%s", "],\"degraded\":[");
	for (size_t node = 0; node < aishare_node_set_count(nodes->set); node++) {
		const char *why = aishare_node_degraded(nodes->set, node);

		if (!why)
			continue;
		text_append(&json, "%s", first ? "{\"node\":" : ",{\"node\":");
		text_append_json(&json, aishare_node_set_name(nodes->set, node));
		text_append(&json, "%s", ",\"reason\":");
		text_append_json(&json, why);
		text_append(&json, "%s", "}");
		first = 0;
	}
	text_append(&json, "],\"unreadable_files\":%d}}", nodes->unreadable);
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
