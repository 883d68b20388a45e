/*
 * ctld_node_gpus.c - a node's GPUs as placement sees them, from its gres record.
 *
 * Copyright (C) 2026 The slurm-aishare authors.  GPL-2.0-or-later.
 */
#include "ctld_node_gpus.h"

#include <string.h>

#include "src/common/gres.h"

static int _find_gpus(void *x, void *arg)
{
	gres_state_t *gres_state = x;
	gres_node_state_t *gres_ns = gres_state->gres_data;
	ctld_node_gpus_t *out = arg;

	if (!gres_state->gres_name || strcmp(gres_state->gres_name, "gpu") || !gres_ns)
		return 0;
	out->gpus = (uint32_t) MIN(gres_ns->gres_cnt_avail, UINT32_MAX);
	out->free_gpus = gres_ns->gres_cnt_alloc >= gres_ns->gres_cnt_avail ? 0 :
			 (uint32_t) MIN(gres_ns->gres_cnt_avail - gres_ns->gres_cnt_alloc,
					UINT32_MAX);
	out->type = (gres_ns->type_cnt == 1 && gres_ns->type_name && gres_ns->type_name[0]) ?
			    gres_ns->type_name[0] : "";
	return 1;
}

extern ctld_node_gpus_t ctld_node_gpus(node_record_t *node_ptr)
{
	ctld_node_gpus_t gpus = { 0, 0, "" };

	if (node_ptr && node_ptr->gres_list)
		list_find_first(node_ptr->gres_list, _find_gpus, &gpus);
	return gpus;
}
