/*
 * site_factor_aishare.c - PrioritySiteFactorPlugin=site_factor/aishare.
 *
 * priority/multifactor adds each job's site_factor to its priority.  This plugin
 * will compute it from pool deficit, fair share and grant pacing; for now it owns
 * the reconfigure path of the shared parameters and leaves site_factor alone.
 *
 * Copyright (C) 2026 The slurm-aishare authors.  GPL-2.0-or-later.
 */
#include "slurm_compat.h"

#include "ctld_params.h"

const char plugin_name[] = "slurm-aishare start-up priority";
const char plugin_type[] = "site_factor/aishare";
const uint32_t plugin_version = SLURM_VERSION_NUMBER;

static ctld_params_t params = CTLD_PARAMS_INITIALIZER(plugin_type);

extern int init(void)
{
	/*
	 * priority/multifactor ignores a failed site_factor init and would run
	 * without us, so a bad configuration at start-up must stop slurmctld here.
	 */
	if (ctld_params_load(&params) != SLURM_SUCCESS)
		fatal("%s: refusing to start with a bad PrioritySiteFactorParameters",
		      plugin_type);
	return SLURM_SUCCESS;
}

extern int fini(void)
{
	ctld_params_unload(&params);
	return SLURM_SUCCESS;
}

/* Called by priority/multifactor on `scontrol reconfigure`. */
extern void site_factor_p_reconfig(void)
{
	(void) ctld_params_follow(&params);
}

extern void site_factor_p_set(job_record_t *job_ptr)
{
	(void) ctld_params_follow(&params);
}

extern void site_factor_p_update(void)
{
	(void) ctld_params_follow(&params);
}
