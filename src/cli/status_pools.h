/*
 * status_pools.h - the pools in `aishare status`: capacity, guarantee, use,
 * lending and reclaims.
 *
 * Copyright (C) 2026 The slurm-aishare authors.  GPL-2.0-or-later.
 */
#ifndef AISHARE_CLI_STATUS_POOLS_H
#define AISHARE_CLI_STATUS_POOLS_H

#include <stdio.h>

#include "aishare.h"

struct status_pools {
	aishare_ledger_t *ledger; /* the cluster as preempt/aishare's ledger */
};

/* 0, or -1 after a message on stderr. */
int status_pools_load(struct status_pools *pools);
void status_pools_free(struct status_pools *pools);

void status_pools_text(FILE *out, const struct status_pools *pools);
/* {"pools":[...]} (malloc()ed), or NULL. */
char *status_pools_json(const struct status_pools *pools);
/*
 * One family per metric (# HELP, # TYPE, then one sample per pool, labelled
 * pool="<partition>").  Returns 0, or -1 on a write error.
 */
int status_pools_prometheus(FILE *out, const struct status_pools *pools);

#endif
