/*
 * job_watch.h - the job_submit plugin's one thread: once a second, under
 * slurmctld's job write and node read locks, it keeps compact-wait reasons up to
 * date and records the placement of multi-node jobs that started.
 *
 * Copyright (C) 2026 The slurm-aishare authors.  GPL-2.0-or-later.
 */
#ifndef AISHARE_JOB_WATCH_H
#define AISHARE_JOB_WATCH_H

extern void job_watch_start(void);
extern void job_watch_stop(void);

#endif /* AISHARE_JOB_WATCH_H */
