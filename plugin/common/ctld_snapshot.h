/*
 * ctld_snapshot.h - describe slurmctld's nodes, partitions and jobs to the ledger.
 *
 * Copyright (C) 2026 The slurm-aishare authors.  GPL-2.0-or-later.
 */
#ifndef AISHARE_CTLD_SNAPSHOT_H
#define AISHARE_CTLD_SNAPSHOT_H

#include <stdint.h>

#include "aishare.h"

/*
 * Give LEDGER a snapshot of Slurm's records when they may have changed since the
 * last one: when one of Slurm's last_*_update stamps or its count of started jobs
 * differs.  The stamps have one-second resolution; the count catches jobs started
 * within the same second, the one change that could let a pool exceed its
 * guarantee (jobs that end late in the snapshot only make it more cautious).
 *
 * WITH_JOBS false describes nodes and partitions only (what node-level decisions
 * need), at a cost independent of the number of jobs.
 *
 * The caller holds at least the job, node and partition read locks, and must not
 * be inside an iteration of job_list or part_list: Slurm's lists refuse a nested
 * read lock and slurmctld would abort.  Logs and returns SLURM_ERROR when the
 * core refuses the snapshot.
 */
extern int ctld_snapshot_update(aishare_ledger_t *ledger, const char *plugin_type,
				bool with_jobs);

/* GPUs a job requested (pending) or holds (running), from its gres records. */
extern uint32_t ctld_job_gpus(job_record_t *job_ptr);

#endif /* AISHARE_CTLD_SNAPSHOT_H */
