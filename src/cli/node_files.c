/*
 * node_files.c - nodes' hwloc XML files loaded into a node set.
 *
 * Copyright (C) 2026 The slurm-aishare authors.  GPL-2.0-or-later.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "node_files.h"

static int has_xml_suffix(const char *name)
{
	size_t length = strlen(name);

	return length > 4 && !strcmp(name + length - 4, ".xml");
}

int load_node_file(aishare_node_set_t *set, const char *path, aishare_profile_cache_t *cache)
{
	char *copy = strdup(path), *node, *errors = NULL;
	int rc;

	if (!copy) {
		fprintf(stderr, "aishare: out of memory\n");
		return -1;
	}
	node = basename(copy);
	if (has_xml_suffix(node))
		node[strlen(node) - 4] = '\0';
	rc = aishare_node_set_load_file_cached(set, node, path, cache, &errors);
	if (rc)
		fprintf(stderr, "aishare: %s\n", errors ? errors : strerror(errno));
	free(errors);
	free(copy);
	return rc;
}

int load_node_dir(aishare_node_set_t *set, const char *dir, aishare_profile_cache_t *cache)
{
	struct dirent **entries = NULL;
	int count, failed = 0;

	count = scandir(dir, &entries, NULL, alphasort);
	if (count < 0) {
		fprintf(stderr, "aishare: %s: %s\n", dir, strerror(errno));
		return 1;
	}
	for (int i = 0; i < count; i++) {
		char *path = NULL;

		if (has_xml_suffix(entries[i]->d_name) &&
		    asprintf(&path, "%s/%s", dir, entries[i]->d_name) >= 0) {
			failed += load_node_file(set, path, cache) != 0;
			free(path);
		}
		free(entries[i]);
	}
	free(entries);
	return failed;
}

