/*
 * hostlist_text.c - hostlist expressions expanded by libslurm's public API.
 *
 * The core reads topology.conf and slurm.conf node names but has no Slurm header;
 * Slurm's own hostlist code does the expansion so that what we read is exactly
 * what slurmctld reads.
 *
 * Copyright (C) 2026 The slurm-aishare authors.  GPL-2.0-or-later.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <slurm/slurm.h>

#include "hostlist_text.h"

static char *message(const char *format, const char *expression)
{
	char *text = NULL;

	if (asprintf(&text, format, expression) < 0)
		return NULL;
	return text;
}

char *hostlist_text_expand(const char *expression, void *context, char **error)
{
	hostlist_t hosts;
	char *names = NULL, *name;
	size_t used = 0, size = 0;
	int count;

	(void) context;
	*error = NULL;
	/* Slurm splits on whitespace too; a name never holds one. */
	if (!expression || !*expression || strpbrk(expression, " \t\n")) {
		*error = message("\"%s\" is not a hostlist expression", expression ? expression : "");
		return NULL;
	}
	if (!(hosts = slurm_hostlist_create(expression))) {
		*error = message("\"%s\" is not a valid hostlist expression", expression);
		return NULL;
	}
	count = slurm_hostlist_count(hosts);
	if (count <= 0 || count > HOSTLIST_TEXT_MAX_NAMES) {
		slurm_hostlist_destroy(hosts);
		*error = message(count <= 0 ? "\"%s\" names no host"
					    : "\"%s\" names more than 1000000 hosts",
				 expression);
		return NULL;
	}
	while ((name = slurm_hostlist_shift(hosts))) {
		size_t length = strlen(name);

		if (used + length + 2 > size) {
			size_t grown = 2 * size + length + 64;
			char *bigger = realloc(names, grown);

			if (!bigger) {
				free(name);
				free(names);
				slurm_hostlist_destroy(hosts);
				*error = message("out of memory expanding \"%s\"", expression);
				return NULL;
			}
			names = bigger;
			size = grown;
		}
		if (used)
			names[used++] = ',';
		memcpy(names + used, name, length + 1);
		used += length;
		free(name);
	}
	slurm_hostlist_destroy(hosts);
	return names;
}

char *hostlist_text_compress(const char *names)
{
	hostlist_t hosts = slurm_hostlist_create(names);
	char *ranged, *copy;

	if (!hosts)
		return NULL;
	ranged = slurm_hostlist_ranged_string_malloc(hosts);
	slurm_hostlist_destroy(hosts);
	/* libslurm's string is its own allocation: hand back one free() releases. */
	copy = ranged ? strdup(ranged) : NULL;
	free(ranged);
	return copy;
}
