/*
 * node_files.h - nodes' hwloc XML files (<nodename>.xml, the TopologyDir layout)
 * loaded into a node set, for `aishare topo` and `aishare status`.
 *
 * Copyright (C) 2026 The slurm-aishare authors.  GPL-2.0-or-later.
 */
#ifndef AISHARE_CLI_NODE_FILES_H
#define AISHARE_CLI_NODE_FILES_H

#include "aishare.h"

/*
 * Loads PATH as the node its file name names, through CACHE unless it is NULL;
 * prints the core's message on failure.
 */
int load_node_file(aishare_node_set_t *set, const char *path, aishare_profile_cache_t *cache);

/* Every <node>.xml in DIR, in name order.  Returns the number that failed. */
int load_node_dir(aishare_node_set_t *set, const char *dir, aishare_profile_cache_t *cache);

#endif
