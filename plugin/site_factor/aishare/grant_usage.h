/*
 * grant_usage.h - one pass's inputs to the priority model, from slurmctld's
 * association records, running jobs and the pool ledger.
 *
 * Copyright (C) 2026 The slurm-aishare authors.  GPL-2.0-or-later.
 */
#ifndef AISHARE_GRANT_USAGE_H
#define AISHARE_GRANT_USAGE_H

#include <time.h>

#include "aishare.h"

/*
 * Give MODEL the accounts (account-level associations: GrpTRESMins gres/gpu as
 * the grant, usage_tres_raw of gres/gpu as what was used, parent account as the
 * group), running jobs (GPUs and start, for the part Slurm has not charged since
 * CHARGED_UNTIL) and pools (from LEDGER's latest snapshot; NULL: none).
 *
 * The caller holds the job write (or read), node and partition read locks and is
 * not iterating job_list; assoc_mgr's association and TRES read locks are taken
 * here.  Logs and returns SLURM_ERROR when the model refuses the inputs.
 */
extern int grant_usage_update(aishare_prio_model_t *model, aishare_ledger_t *ledger,
			      time_t now, time_t charged_until, const char *plugin_type);

#endif /* AISHARE_GRANT_USAGE_H */
