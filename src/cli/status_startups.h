/*
 * status_startups.h - the start-ups in `aishare status`: grants, usage, pacing.
 *
 * Copyright (C) 2026 The slurm-aishare authors.  GPL-2.0-or-later.
 */
#ifndef AISHARE_CLI_STATUS_STARTUPS_H
#define AISHARE_CLI_STATUS_STARTUPS_H

#include <stdio.h>

#include "aishare.h"

struct status_startup {
	char *account, *parent;
	double grant_gpu_minutes, used_gpu_minutes;
	int64_t pacing, fair_share; /* the terms of the account's jobs' site factor */
	int exhausted;
};

struct status_startups {
	struct status_startup *startups;
	size_t count;
	aishare_prio_model_t *model;
};

/* 0 (none without accounting), or -1 after a message on stderr. */
int status_startups_load(struct status_startups *startups);
void status_startups_free(struct status_startups *startups);

void status_startups_text(FILE *out, const struct status_startups *startups);
/* {"startups":[...]} (malloc()ed), or NULL. */
char *status_startups_json(const struct status_startups *startups);
void status_startups_prometheus(FILE *out, const struct status_startups *startups);

#endif
