/*
 * ctld_params.h - PrioritySiteFactorParameters as one slurmctld plugin sees it.
 *
 * Each of the three slurmctld plugins holds its own parsed copy: each .so carries
 * its own copy of the core.  On `scontrol reconfigure` Slurm re-reads slurm.conf but
 * calls back only the site_factor plugin; preempt and job_submit plugins are
 * re-initialised only when their plugin type changes.  So every plugin calls
 * ctld_params_follow() before it uses the parameters, and a changed string is parsed
 * then.  A bad string at start-up stops slurmctld; a bad string at reconfigure is
 * logged once and the previous configuration stays in force.
 *
 * Copyright (C) 2026 The slurm-aishare authors.  GPL-2.0-or-later.
 */
#ifndef AISHARE_CTLD_PARAMS_H
#define AISHARE_CTLD_PARAMS_H

#include <pthread.h>

#include "aishare.h"

typedef struct ctld_params {
	const char *plugin_type; /* log prefix, e.g. "preempt/aishare" */
	pthread_mutex_t lock;    /* Slurm calls plugins from several threads */
	aishare_params_t *params; /* the configuration in force */
	char *text;               /* the string it was parsed from */
	char *rejected;           /* last string refused, so it is logged once */
} ctld_params_t;

#define CTLD_PARAMS_INITIALIZER(type)                                          \
	{ .plugin_type = (type), .lock = PTHREAD_MUTEX_INITIALIZER }

/*
 * Parse slurm.conf's string at plugin init().  Logs the summary line and returns
 * SLURM_SUCCESS, or logs the parser's message and returns SLURM_ERROR.
 */
extern int ctld_params_load(ctld_params_t *cp);

/*
 * Re-parse when slurm.conf's string changed since the last call; keep the old
 * configuration when the new one is bad.  Returns the parameters in force, valid
 * until the next call.
 */
extern const aishare_params_t *ctld_params_follow(ctld_params_t *cp);

extern void ctld_params_unload(ctld_params_t *cp);

/* Whether PARTITION (may be NULL) is one of PARAMS' Pools=. */
extern bool ctld_params_is_pool(const aishare_params_t *params, const char *partition);

#endif /* AISHARE_CTLD_PARAMS_H */
