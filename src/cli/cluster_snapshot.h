/*
 * cluster_snapshot.h - the running cluster, read through libslurm's public API, as
 * a pool ledger: the same core code that preempt/aishare runs inside slurmctld.
 *
 * Copyright (C) 2026 The slurm-aishare authors.  GPL-2.0-or-later.
 */
#ifndef AISHARE_CLI_CLUSTER_SNAPSHOT_H
#define AISHARE_CLI_CLUSTER_SNAPSHOT_H

#include "aishare.h"

/*
 * Loads slurmctld's configuration, nodes, partitions and jobs, builds a ledger
 * from its PrioritySiteFactorParameters with the reclaim history of its state file
 * (StateSaveLocation/aishare_ledger.state, when readable here).  Returns NULL after
 * printing "aishare: <problem>" on stderr.
 */
aishare_ledger_t *cluster_ledger_load(void);

/* GPUs in a gres or TRES list such as "gpu:4", "gres:gpu:a100:2" or "gres/gpu=8". */
unsigned long gpus_in_list(const char *list);

#endif
