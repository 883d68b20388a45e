/*
 * site_factor_aishare.c - PrioritySiteFactorPlugin=site_factor/aishare.
 *
 * priority/multifactor adds each job's site_factor (less NICE_OFFSET) to its
 * priority.  This plugin sets it from four terms computed by the core's priority
 * model (aishare.h, "priority"): pool deficit, fair share between start-ups, pacing
 * of GPU-hour grants, anti-starvation of large jobs.  Start-ups are the accounts
 * holding a GrpTRESMins=gres/gpu grant (sacctmgr), grouped by parent account;
 * their usage is what Slurm charges against that grant (usage_tres_raw).
 *
 * A pass gathers the inputs (Slurm's association records, the pool ledger, running
 * jobs) and recomputes every pending job.  Slurm runs one at each PriorityCalcPeriod
 * (whole minutes) through site_factor_p_update(); a thread of ours runs one every
 * RecalcInterval in between, so that fair share follows jobs of a few minutes.
 * Each pass's terms go to StateSaveLocation/aishare_priority.state for `aishare explain`,
 * written by the recalculation thread outside slurmctld's locks.
 *
 * Locks: a pass holds slurmctld's job write, node and partition read locks, then
 * assoc_mgr's association and TRES read locks (Slurm's order).  site_factor_p_set()
 * is called by priority/multifactor under the job write lock and only reads the
 * model; the model's mutex is always taken after slurmctld's locks.
 *
 * Copyright (C) 2026 The slurm-aishare authors.  GPL-2.0-or-later.
 */
#include "slurm_compat.h"

#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "src/common/assoc_mgr.h"
#include "src/slurmctld/locks.h"

#include "ctld_ledger.h"
#include "ctld_params.h"
#include "ctld_snapshot.h"
#include "grant_usage.h"

const char plugin_name[] = "slurm-aishare start-up priority";
const char plugin_type[] = "site_factor/aishare";
const uint32_t plugin_version = SLURM_VERSION_NUMBER;

#define STATE_FILE "aishare_priority.state"

static ctld_params_t params = CTLD_PARAMS_INITIALIZER(plugin_type);
static ctld_ledger_t pools;

static pthread_mutex_t model_lock = PTHREAD_MUTEX_INITIALIZER;
static aishare_prio_model_t *model;          /* under model_lock */
static const aishare_params_t *model_params; /* the parameters it follows */
static time_t charged_until;  /* Slurm charged running jobs up to here */
static char *state_path;
static char *last_save_error; /* logged once until it changes */
static bool state_changed;     /* under model_lock: a pass since the last save */

static pthread_t recalc_thread;
static bool recalc_running;
static pthread_mutex_t recalc_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t recalc_cond = PTHREAD_COND_INITIALIZER;
static bool recalc_stop;

/* Follow a reconfigure: new weights for the model.  Caller holds model_lock. */
static void _follow_params(void)
{
	const aishare_params_t *in_force = ctld_params_follow(&params);
	char *errors = NULL;

	if (in_force == model_params)
		return;
	if (aishare_prio_model_configure(model, in_force, &errors))
		error("%s: %s", plugin_type, errors ? errors : "cannot reconfigure");
	else
		model_params = in_force;
	free(errors);
}

static uint32_t _site_factor(int64_t terms)
{
	int64_t value = (int64_t) NICE_OFFSET + terms;

	/* The weights' ranges keep this far inside; an input is still untrusted. */
	if (value < 0)
		return 0;
	if (value > (int64_t) UINT32_MAX - 1)
		return UINT32_MAX - 1;
	return (uint32_t) value;
}

/* Caller holds the job write lock and model_lock. */
static void _set_site_factor(job_record_t *job_ptr)
{
	aishare_prio_job_t job = {
		.job_id = job_ptr->job_id,
		.account = job_ptr->account,
		.partition = job_ptr->part_ptr ? job_ptr->part_ptr->name : job_ptr->partition,
		.gpus = ctld_job_gpus(job_ptr),
	};
	aishare_prio_result_t result;

	/* A job deferred with --begin waits from then, not from its submission. */
	if (job_ptr->details)
		job.eligible_time = MAX(job_ptr->details->submit_time,
					job_ptr->details->begin_time);
	if (aishare_prio_model_job(model, &job, &result)) {
		debug("%s: %pJ: no site factor: %m", plugin_type, job_ptr);
		return;
	}
	job_ptr->site_factor = _site_factor(result.site_factor);
	log_flag(PRIO, "%s: %pJ site factor %" PRId64 " (deficit %" PRId64
		 " fair share %" PRId64 " pacing %" PRId64 " large job %" PRId64 "%s%s)",
		 plugin_type, job_ptr, result.site_factor, result.deficit,
		 result.fair_share, result.pacing, result.large_job,
		 result.exhausted ? ", grant exhausted" : "",
		 result.starving ? ", starving" : "");
}

/*
 * Called by the recalculation thread outside slurmctld's locks, and by fini():
 * model_lock is held only to copy the terms; formatting and writing them takes
 * most of a second at 50,000 pending jobs (bench/bench_decisions), which under
 * the job write lock would stop slurmctld that long at every pass.
 */
static void _save_state(void)
{
	aishare_prio_state_t *state = NULL;
	char *errors = NULL;
	bool wanted;
	int rc = -1;

	slurm_mutex_lock(&model_lock);
	wanted = model && state_changed;
	if (wanted)
		state = aishare_prio_model_state(model); /* NULL: out of memory */
	state_changed = false;
	slurm_mutex_unlock(&model_lock);
	if (!wanted)
		return;
	if (state)
		rc = aishare_prio_state_save(state, state_path, &errors);
	aishare_prio_state_free(state);
	if (!rc) {
		xfree(last_save_error);
		free(errors);
		return;
	}
	if (xstrcmp(errors, last_save_error))
		error("%s: %s", plugin_type, errors ? errors : "cannot save the priority state");
	xfree(last_save_error);
	last_save_error = xstrdup(errors);
	free(errors);
}

/*
 * One pass: inputs to the model, then every pending job.  RECOMPUTE_PRIORITY
 * asks Slurm to recompute the whole priority (our thread); from Slurm's own pass
 * only site_factor is set, since priority/multifactor recomputes right after.
 * Caller holds the job write, node read and partition read locks.
 */
static void _pass(bool recompute_priority)
{
	aishare_ledger_t *ledger = ctld_ledger_follow(&pools);
	time_t now = time(NULL);
	ListIterator iter;
	job_record_t *job_ptr;

	if (!job_list)
		return;
	if (ctld_snapshot_update(ledger, plugin_type, true) != SLURM_SUCCESS)
		ledger = NULL; /* logged; no deficit term this pass */

	slurm_mutex_lock(&model_lock);
	_follow_params();
	if (grant_usage_update(model, ledger, now, charged_until, plugin_type) !=
	    SLURM_SUCCESS) {
		slurm_mutex_unlock(&model_lock);
		return;
	}
	iter = list_iterator_create(job_list);
	while ((job_ptr = list_next(iter))) {
		if (!IS_JOB_PENDING(job_ptr))
			continue;
		/* Held (0) and operator-set priorities are left as they are. */
		if (recompute_priority && job_ptr->priority && !job_ptr->direct_set_prio) {
			slurm_mutex_unlock(&model_lock);
			set_job_prio(job_ptr); /* calls site_factor_p_set() */
			slurm_mutex_lock(&model_lock);
		} else {
			_set_site_factor(job_ptr);
		}
	}
	list_iterator_destroy(iter);
	state_changed = true;
	slurm_mutex_unlock(&model_lock);
}

static uint64_t _recalc_interval(void)
{
	uint64_t seconds = 0;

	if (aishare_params_get_uint(ctld_params_follow(&params), AISHARE_KEY_RECALC_INTERVAL, &seconds))
		seconds = 0;
	return seconds;
}

static void *_recalc_loop(void *arg)
{
	slurmctld_lock_t job_write_lock = { .job = WRITE_LOCK, .node = READ_LOCK,
					    .part = READ_LOCK };

	slurm_mutex_lock(&recalc_lock);
	while (!recalc_stop) {
		uint64_t interval = _recalc_interval();
		struct timespec until = { .tv_sec = time(NULL) + (interval ? interval : 10) };

		slurm_cond_timedwait(&recalc_cond, &recalc_lock, &until);
		if (recalc_stop)
			continue;
		slurm_mutex_unlock(&recalc_lock);
		if (interval) {
			lock_slurmctld(job_write_lock);
			_pass(true);
			unlock_slurmctld(job_write_lock);
		}
		_save_state(); /* this pass's, or the last one Slurm ran */
		slurm_mutex_lock(&recalc_lock);
	}
	slurm_mutex_unlock(&recalc_lock);
	return NULL;
}

extern int init(void)
{
	char *errors = NULL;

	/*
	 * priority/multifactor ignores a failed site_factor init and would run
	 * without us, so a bad configuration at start-up must stop slurmctld here.
	 */
	if (ctld_params_load(&params) != SLURM_SUCCESS)
		fatal("%s: refusing to start with a bad PrioritySiteFactorParameters",
		      plugin_type);
	if (ctld_ledger_create(&pools, &params) != SLURM_SUCCESS)
		return SLURM_ERROR;
	model_params = ctld_params_follow(&params);
	if (!(model = aishare_prio_model_create(model_params, &errors))) {
		error("%s: %s", plugin_type, errors ? errors : "out of memory");
		free(errors);
		return SLURM_ERROR;
	}
	/*
	 * Slurm 22.05 charges a finished job's usage (priority_g_job_end) only
	 * with limits enforced; without, jobs shorter than PriorityCalcPeriod are
	 * never charged and fair share and pacing see no usage at all.
	 */
	if (!slurm_with_slurmdbd())
		info("%s: no slurmdbd: no grants, so only the pool deficit and large-job "
		     "terms apply", plugin_type);
	else if (!(slurm_conf.accounting_storage_enforce & ACCOUNTING_ENFORCE_LIMITS))
		error("%s: AccountingStorageEnforce lacks \"limits\": Slurm does not charge "
		      "finished jobs' usage, so fair share and grant pacing see too little; "
		      "set AccountingStorageEnforce=associations,limits", plugin_type);
	/* Slurm charged running jobs at its last decay pass, before we started. */
	charged_until = time(NULL);
	state_path = xstrdup_printf("%s/%s", slurm_conf.state_save_location, STATE_FILE);
	recalc_stop = false;
	slurm_thread_create(&recalc_thread, _recalc_loop, NULL);
	recalc_running = true;
	return SLURM_SUCCESS;
}

extern int fini(void)
{
	if (recalc_running) {
		slurm_mutex_lock(&recalc_lock);
		recalc_stop = true;
		slurm_cond_broadcast(&recalc_cond);
		slurm_mutex_unlock(&recalc_lock);
		pthread_join(recalc_thread, NULL);
		recalc_running = false;
	}
	_save_state();
	slurm_mutex_lock(&model_lock);
	aishare_prio_model_free(model);
	model = NULL;
	model_params = NULL;
	slurm_mutex_unlock(&model_lock);
	ctld_ledger_destroy(&pools);
	xfree(state_path);
	xfree(last_save_error);
	ctld_params_unload(&params);
	return SLURM_SUCCESS;
}

/* Called by priority/multifactor on `scontrol reconfigure`. */
extern void site_factor_p_reconfig(void)
{
	slurm_mutex_lock(&model_lock);
	_follow_params();
	slurm_mutex_unlock(&model_lock);
	/* A changed RecalcInterval takes effect now, not after the old one. */
	slurm_mutex_lock(&recalc_lock);
	slurm_cond_broadcast(&recalc_cond);
	slurm_mutex_unlock(&recalc_lock);
}

/*
 * At submission and whenever Slurm recomputes one job's priority: the terms as
 * of the last pass (a new account counts from the next one).
 */
extern void site_factor_p_set(job_record_t *job_ptr)
{
	slurm_mutex_lock(&model_lock);
	if (model)
		_set_site_factor(job_ptr);
	slurm_mutex_unlock(&model_lock);
}

/*
 * Slurm's decay pass (every PriorityCalcPeriod), under the job write lock; it
 * charges running jobs' usage right after this returns, up to now.
 */
extern void site_factor_p_update(void)
{
	_pass(false);
	slurm_mutex_lock(&model_lock);
	charged_until = time(NULL);
	slurm_mutex_unlock(&model_lock);
}
