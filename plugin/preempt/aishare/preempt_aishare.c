/*
 * preempt_aishare.c - PreemptType=preempt/aishare: the guaranteed share.
 *
 * A job of a pool partition (Pools=) may preempt only jobs that borrow the pool's
 * idle guaranteed GPUs, and only while the pool stays within its guarantee
 * G = floor(Share x C); pool jobs may use idle GPUs beyond G but never preempt for
 * them.  Victims are ordered so that the fewest jobs go: more GPUs first, then the
 * youngest, then the lowest priority.  The decisions live in the core's pool
 * ledger; this file turns Slurm's records into its snapshot and back.
 *
 * Slurm calls preempt_p_*() from its scheduling threads with the job write lock
 * held, which also serialises every use of the ledger below.
 *
 * Copyright (C) 2026 The slurm-aishare authors.  GPL-2.0-or-later.
 */
#include "slurm_compat.h"

#include <stdlib.h>
#include <time.h>

#include "src/slurmctld/preempt.h"

#include "ctld_ledger.h"
#include "ctld_params.h"
#include "ctld_snapshot.h"

const char plugin_name[] = "slurm-aishare guaranteed-share preemption";
const char plugin_type[] = "preempt/aishare";
const uint32_t plugin_version = SLURM_VERSION_NUMBER;

#define STATE_FILE "aishare_ledger.state"

static ctld_params_t params = CTLD_PARAMS_INITIALIZER(plugin_type);
static ctld_ledger_t pools;
static aishare_ledger_t *ledger; /* pools.ledger, the same for the plugin's life */
static char *state_path;

static uint64_t saved_events; /* completed reclaims in the state file */

static uint64_t _reclaim_events(void)
{
	aishare_pool_status_t pool;
	uint64_t sum = 0;

	for (size_t i = 0; i < aishare_ledger_pool_count(ledger); i++)
		if (!aishare_ledger_pool_status(ledger, i, &pool))
			sum += pool.reclaim_events;
	return sum;
}

static void _save_state(void)
{
	char *errors = NULL;

	if (aishare_ledger_save(ledger, state_path, &errors))
		error("%s: %s", plugin_type, errors ? errors : "cannot save the ledger");
	else
		saved_events = _reclaim_events();
	free(errors);
}

/*
 * A damaged state file costs reclaim counters, never jobs: usage is rebuilt from
 * Slurm's job records at every snapshot.  It is kept aside for a person to read.
 */
static void _load_state(void)
{
	char *errors = NULL, *aside;

	if (!aishare_ledger_load(ledger, state_path, &errors))
		return;
	aside = xstrdup_printf("%s.damaged", state_path);
	error("%s: %s; starting with empty reclaim history, the file is kept as %s",
	      plugin_type, errors ? errors : "cannot load the ledger", aside);
	if (rename(state_path, aside))
		error("%s: cannot rename %s: %m", plugin_type, state_path);
	xfree(aside);
	free(errors);
}

/*
 * A snapshot may complete reclaims (their pool job started) and a reconfigure may
 * bring new parameters: the state file keeps both for `aishare status`.
 */
static void _refresh_snapshot(void)
{
	const aishare_params_t *before = pools.built_from;

	(void) ctld_ledger_follow(&pools);
	if (pools.built_from != before)
		_save_state();
	if (ctld_snapshot_update(ledger, plugin_type, true) == SLURM_SUCCESS &&
	    _reclaim_events() != saved_events)
		_save_state();
}

extern int init(void)
{
	if ((ctld_params_load(&params) != SLURM_SUCCESS) ||
	    (ctld_ledger_create(&pools, &params) != SLURM_SUCCESS))
		return SLURM_ERROR;
	ledger = pools.ledger;
	state_path = xstrdup_printf("%s/%s", slurm_conf.state_save_location, STATE_FILE);
	_load_state();
	_save_state(); /* the parameters in force, for aishare status */
	return SLURM_SUCCESS;
}

extern void fini(void)
{
	if (ledger)
		_save_state();
	ctld_ledger_destroy(&pools);
	ledger = NULL;
	xfree(state_path);
	ctld_params_unload(&params);
}

static bool _in_pool(part_record_t *part_ptr)
{
	return part_ptr && ctld_params_is_pool(ctld_params_follow(&params), part_ptr->name);
}

/*
 * Slurm sorts its pending queue with this: a pool job goes ahead of a job of
 * another partition on the same nodes, so start-ups run first inside the pool.
 */
extern bool preempt_p_job_preempt_check(job_queue_rec_t *preemptor,
					job_queue_rec_t *preemptee)
{
	return preemptor->part_ptr && preemptee->part_ptr &&
	       bit_overlap_any(preemptor->part_ptr->node_bitmap,
			       preemptee->part_ptr->node_bitmap) &&
	       _in_pool(preemptor->part_ptr) && !_in_pool(preemptee->part_ptr);
}

extern bool preempt_p_preemptable(job_record_t *preemptee,
				  job_record_t *preemptor)
{
	int answer;

	if (!preemptee->part_ptr ||
	    (preemptee->part_ptr->preempt_mode == PREEMPT_MODE_OFF))
		return false;
	answer = aishare_ledger_may_preempt(ledger, preemptor->job_id,
					    preemptee->job_id);
	debug2("%s: %pJ %s preempt %pJ", plugin_type, preemptor,
	       answer == 1 ? "may" : "may not", preemptee);
	return answer == 1;
}

static uint16_t _preempt_mode(job_record_t *job_ptr)
{
	part_record_t *part_ptr = job_ptr->part_ptr;

	if (part_ptr && (part_ptr->preempt_mode != NO_VAL16))
		return part_ptr->preempt_mode & ~PREEMPT_MODE_GANG;
	return slurm_conf.preempt_mode & ~PREEMPT_MODE_GANG;
}

extern int preempt_p_get_data(job_record_t *job_ptr,
			      slurm_preempt_data_type_t data_type, void *data)
{
	switch (data_type) {
	case PREEMPT_DATA_ENABLED:
		/*
		 * Slurm asks this before it lists a preemptor's candidates, outside
		 * its iteration of job_list: the one moment a snapshot can be taken.
		 * A preemptor missing from it (submitted since) preempts nothing
		 * until the next scheduling pass.
		 */
		_refresh_snapshot();
		*(bool *) data = slurm_conf.preempt_mode != PREEMPT_MODE_OFF;
		return SLURM_SUCCESS;
	case PREEMPT_DATA_MODE:
		*(uint16_t *) data = _preempt_mode(job_ptr);
		return SLURM_SUCCESS;
	case PREEMPT_DATA_PRIO:
		/* Slurm preempts candidates in ascending order of this value. */
		*(uint32_t *) data = aishare_ledger_victim_rank(ledger, job_ptr->job_id);
		return SLURM_SUCCESS;
	case PREEMPT_DATA_GRACE_TIME:
		/* Asked exactly when Slurm preempts a job: count the reclaim. */
		aishare_ledger_note_preemption(ledger, job_ptr->job_id, time(NULL));
		_save_state();
		info("%s: reclaiming %u GPUs of %pJ", plugin_type,
		     ctld_job_gpus(job_ptr), job_ptr);
		*(uint32_t *) data =
			job_ptr->part_ptr ? job_ptr->part_ptr->grace_time : 0;
		return SLURM_SUCCESS;
	}
	error("%s: unknown preempt data type %d", plugin_type, data_type);
	return SLURM_ERROR;
}
