/*
 * preempt_aishare.c - PreemptType=preempt/aishare: the guaranteed share.
 *
 * Slurm asks this plugin whether one job may preempt another and how.  For now it
 * keeps Slurm's partition-priority behaviour (PriorityTier decides) while it
 * carries the shared configuration; the pool ledger comes next.
 *
 * Slurm calls preempt_p_*() from the scheduling threads with the job write lock.
 *
 * Copyright (C) 2026 The slurm-aishare authors.  GPL-2.0-or-later.
 */
#include "slurm_compat.h"

#include "src/slurmctld/preempt.h"

#include "ctld_params.h"

const char plugin_name[] = "slurm-aishare guaranteed-share preemption";
const char plugin_type[] = "preempt/aishare";
const uint32_t plugin_version = SLURM_VERSION_NUMBER;

static ctld_params_t params = CTLD_PARAMS_INITIALIZER(plugin_type);

extern int init(void)
{
	return ctld_params_load(&params);
}

extern void fini(void)
{
	ctld_params_unload(&params);
}

static uint16_t _preempt_mode(job_record_t *job_ptr)
{
	part_record_t *part_ptr = job_ptr->part_ptr;

	if (part_ptr && (part_ptr->preempt_mode != NO_VAL16))
		return part_ptr->preempt_mode & ~PREEMPT_MODE_GANG;
	return slurm_conf.preempt_mode & ~PREEMPT_MODE_GANG;
}

extern bool preempt_p_job_preempt_check(job_queue_rec_t *preemptor,
					job_queue_rec_t *preemptee)
{
	(void) ctld_params_follow(&params);
	return preemptor->part_ptr && preemptee->part_ptr &&
	       bit_overlap_any(preemptor->part_ptr->node_bitmap,
			       preemptee->part_ptr->node_bitmap) &&
	       (preemptor->part_ptr->priority_tier >
		preemptee->part_ptr->priority_tier);
}

extern bool preempt_p_preemptable(job_record_t *preemptee,
				  job_record_t *preemptor)
{
	(void) ctld_params_follow(&params);
	return preemptee->part_ptr && preemptor->part_ptr &&
	       (preemptee->part_ptr->priority_tier <
		preemptor->part_ptr->priority_tier) &&
	       (preemptee->part_ptr->preempt_mode != PREEMPT_MODE_OFF);
}

extern int preempt_p_get_data(job_record_t *job_ptr,
			      slurm_preempt_data_type_t data_type, void *data)
{
	switch (data_type) {
	case PREEMPT_DATA_ENABLED:
		*(bool *) data = slurm_conf.preempt_mode != PREEMPT_MODE_OFF;
		return SLURM_SUCCESS;
	case PREEMPT_DATA_MODE:
		*(uint16_t *) data = _preempt_mode(job_ptr);
		return SLURM_SUCCESS;
	case PREEMPT_DATA_PRIO:
		/* Smaller jobs first, so that the fewest nodes are preempted. */
		*(uint32_t *) data = MIN(job_ptr->node_cnt, 0xffff);
		return SLURM_SUCCESS;
	case PREEMPT_DATA_GRACE_TIME:
		*(uint32_t *) data =
			job_ptr->part_ptr ? job_ptr->part_ptr->grace_time : 0;
		return SLURM_SUCCESS;
	}
	error("%s: unknown preempt data type %d", plugin_type, data_type);
	return SLURM_ERROR;
}
