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
 * Loads slurmctld's nodes, partitions and jobs into a ledger built from the state
 * file of preempt/aishare (StateSaveLocation/aishare_ledger.state: the parameters
 * in force and the reclaim history).  Returns NULL after printing
 * "aishare: <problem>" on stderr.
 */
aishare_ledger_t *cluster_ledger_load(void);

/*
 * The controller parameters in force, from the same state file (Slurm 22.05 does
 * not send PrioritySiteFactorParameters to clients).  NULL after a message.
 */
aishare_params_t *cluster_params_load(void);

#endif
