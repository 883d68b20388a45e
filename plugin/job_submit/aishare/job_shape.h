/*
 * job_shape.h - shape a pool partition's GPU job at submission (placement).
 *
 * Copyright (C) 2026 The slurm-aishare authors.  GPL-2.0-or-later.
 */
#ifndef AISHARE_JOB_SHAPE_H
#define AISHARE_JOB_SHAPE_H

#include "slurm_compat.h"

#include "aishare.h"

/*
 * For a GPU job of one of PARAMS' pools: refuse a request that can never be met
 * (ESLURM_REQUESTED_NODE_CONFIG_UNAVAILABLE, one sentence in *ERR_MSG); round a
 * job of at least a node's GPUs up to whole exclusive nodes of one node class;
 * confine it to the switches that hold it compactly, preferred first, with
 * Slurm's matching-OR constraint over the switch features; and let a multi-node
 * job wait up to CompactWait for its fewest leaves (--switches).  Called with
 * slurmctld's job write, node read and partition read locks.
 */
extern int job_shape_gpu_job(job_desc_msg_t *job_desc, const aishare_params_t *params,
			     char **err_msg);

#endif /* AISHARE_JOB_SHAPE_H */
