/*
 * compact_wait_reason.h - say in a pending job's reason that it waits for a
 * compact placement (squeue's REASON, scontrol's Reason=).
 *
 * Copyright (C) 2026 The slurm-aishare authors.  GPL-2.0-or-later.
 */
#ifndef AISHARE_COMPACT_WAIT_REASON_H
#define AISHARE_COMPACT_WAIT_REASON_H

#include <time.h>

/* Rewrite the reasons; called by job_watch.c with the job write lock. */
extern void compact_wait_reason_refresh(time_t now);

#endif /* AISHARE_COMPACT_WAIT_REASON_H */
