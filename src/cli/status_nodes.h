/*
 * status_nodes.h - node classes and degraded nodes in `aishare status`.
 *
 * Copyright (C) 2026 The slurm-aishare authors.  GPL-2.0-or-later.
 */
#ifndef AISHARE_CLI_STATUS_NODES_H
#define AISHARE_CLI_STATUS_NODES_H

#include <stdio.h>

#include "aishare.h"

struct status_nodes {
	char *dir;               /* TopologyDir, NULL when not set */
	aishare_node_set_t *set; /* NULL when not set */
	int unreadable;          /* files that could not be read */
};

/* 0, or -1 after a message on stderr. */
int status_nodes_load(struct status_nodes *nodes);
void status_nodes_free(struct status_nodes *nodes);

void status_nodes_text(FILE *out, const struct status_nodes *nodes);
/* {"nodes":{...}} (malloc()ed), or NULL. */
char *status_nodes_json(const struct status_nodes *nodes);
void status_nodes_prometheus(FILE *out, const struct status_nodes *nodes);

#endif
