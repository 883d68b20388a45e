/*
 * grant_usage.c - one pass's inputs to the priority model.
 *
 * Grants and membership live in Slurm accounting (sacctmgr), never in a file of
 * ours: an account-level association with GrpTRESMins=gres/gpu=N is a start-up
 * with a grant of N GPU-minutes, its parent account is its fair-share group, and
 * its usage is Slurm's usage_tres_raw for gres/gpu, the very figure Slurm holds
 * against GrpTRESMins.  slurmctld saves that usage in StateSaveLocation, so it
 * survives a restart without us.
 *
 * Copyright (C) 2026 The slurm-aishare authors.  GPL-2.0-or-later.
 */
#include "slurm_compat.h"

#include <stdlib.h>

#include "src/common/assoc_mgr.h"

#include "ctld_snapshot.h"
#include "grant_usage.h"

/* Which grant is ours to read: gres/gpu, when AccountingStorageTRES tracks it. */
static int _gpu_tres_pos(void)
{
	slurmdb_tres_rec_t gpu = { .type = "gres", .name = "gpu" };

	return assoc_mgr_find_tres_pos(&gpu, true);
}

static bool _has_limit(uint64_t value)
{
	return value != INFINITE64 && value != NO_VAL64 && value > 0;
}

/* Account-level associations with a GPU grant.  Caller holds assoc + TRES read. */
static aishare_prio_account_t *_accounts(int pos, size_t *count)
{
	aishare_prio_account_t *accounts = NULL;
	size_t size = 0;
	ListIterator iter;
	slurmdb_assoc_rec_t *assoc;

	*count = 0;
	if (pos < 0 || !assoc_mgr_assoc_list)
		return NULL;
	iter = list_iterator_create(assoc_mgr_assoc_list);
	while ((assoc = list_next(iter))) {
		if (assoc->user || !assoc->acct || !assoc->grp_tres_mins_ctld ||
		    !_has_limit(assoc->grp_tres_mins_ctld[pos]))
			continue;
		if (*count == size) {
			size = size ? 2 * size : 16;
			xrecalloc(accounts, size, sizeof(*accounts));
		}
		accounts[*count] = (aishare_prio_account_t) {
			.name = assoc->acct,
			.parent = assoc->parent_acct,
			.grant_gpu_minutes = (double) assoc->grp_tres_mins_ctld[pos],
			.used_gpu_minutes = (assoc->usage && assoc->usage->usage_tres_raw)
						    ? (double) assoc->usage->usage_tres_raw[pos] / 60.0
						    : 0.0,
		};
		(*count)++;
	}
	list_iterator_destroy(iter);
	return accounts;
}

/* Running jobs: what they ran since Slurm last charged them counts too. */
static aishare_prio_running_t *_running(size_t *count)
{
	aishare_prio_running_t *running = NULL;
	size_t size = 0;
	ListIterator iter;
	job_record_t *job_ptr;

	*count = 0;
	iter = list_iterator_create(job_list);
	while ((job_ptr = list_next(iter))) {
		if (!IS_JOB_RUNNING(job_ptr) || !job_ptr->account)
			continue;
		if (*count == size) {
			size = size ? 2 * size : 64;
			xrecalloc(running, size, sizeof(*running));
		}
		running[*count] = (aishare_prio_running_t) {
			.account = job_ptr->account,
			.gpus = ctld_job_gpus(job_ptr),
			.start_time = job_ptr->start_time,
		};
		(*count)++;
	}
	list_iterator_destroy(iter);
	return running;
}

static aishare_prio_pool_t *_pools(aishare_ledger_t *ledger, size_t *count)
{
	size_t total = ledger ? aishare_ledger_pool_count(ledger) : 0;
	aishare_prio_pool_t *pools = total ? xcalloc(total, sizeof(*pools)) : NULL;
	aishare_pool_status_t status;

	*count = 0;
	for (size_t i = 0; i < total; i++) {
		if (aishare_ledger_pool_status(ledger, i, &status))
			continue;
		pools[(*count)++] = (aishare_prio_pool_t) {
			.partition = status.partition,
			.guarantee = status.guarantee,
			.used = status.used,
			.pending_gpus = status.pending_gpus,
		};
	}
	return pools;
}

extern int grant_usage_update(aishare_prio_model_t *model, aishare_ledger_t *ledger,
			      time_t now, time_t charged_until, const char *plugin_type)
{
	assoc_mgr_lock_t locks = { .assoc = READ_LOCK, .tres = READ_LOCK };
	aishare_prio_account_t *accounts;
	aishare_prio_running_t *running;
	aishare_prio_pool_t *pools;
	size_t account_count, running_count, pool_count;
	char *errors = NULL;
	int rc = SLURM_SUCCESS;

	running = _running(&running_count);
	pools = _pools(ledger, &pool_count);
	/* The model copies the names before the lock is let go. */
	assoc_mgr_lock(&locks);
	accounts = _accounts(_gpu_tres_pos(), &account_count);
	if (aishare_prio_model_update(model, now, charged_until, accounts, account_count,
				      running, running_count, pools, pool_count, &errors)) {
		error("%s: priority inputs refused: %s", plugin_type,
		      errors ? errors : "out of memory");
		rc = SLURM_ERROR;
	}
	assoc_mgr_unlock(&locks);
	free(errors);
	xfree(accounts);
	xfree(running);
	xfree(pools);
	return rc;
}
