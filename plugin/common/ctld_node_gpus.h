/*
 * ctld_node_gpus.h - a node's GPUs as placement sees them, from its gres record.
 *
 * Copyright (C) 2026 The slurm-aishare authors.  GPL-2.0-or-later.
 */
#ifndef AISHARE_CTLD_NODE_GPUS_H
#define AISHARE_CTLD_NODE_GPUS_H

#include "slurm_compat.h"

#include "src/common/node_conf.h"

typedef struct {
	uint32_t gpus;      /* GPUs it has (0: none) */
	uint32_t free_gpus; /* GPUs no job holds */
	const char *type;   /* their gres type, "" when untyped or mixed; valid while
			       the node's record is (callers hold the node read lock) */
} ctld_node_gpus_t;

/*
 * NODE_PTR's GPUs.  A node class is a (type, count) pair: one type per node, a
 * node of mixed GPUs counts as untyped.
 */
extern ctld_node_gpus_t ctld_node_gpus(node_record_t *node_ptr);

#endif /* AISHARE_CTLD_NODE_GPUS_H */
