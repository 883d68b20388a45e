/*
 * job_submit_aishare.c - JobSubmitPlugins=aishare: admission and placement hints.
 *
 * Slurm calls job_submit() and job_modify() with the job write lock held.  For now
 * the plugin accepts every request unchanged while it carries the shared
 * configuration; admission rules and placement hints come with the pool ledger
 * and the topology model.
 *
 * Copyright (C) 2026 The slurm-aishare authors.  GPL-2.0-or-later.
 */
#include "slurm_compat.h"

#include "ctld_params.h"

const char plugin_name[] = "slurm-aishare admission and placement";
const char plugin_type[] = "job_submit/aishare";
const uint32_t plugin_version = SLURM_VERSION_NUMBER;

static ctld_params_t params = CTLD_PARAMS_INITIALIZER(plugin_type);

extern int init(void)
{
	return ctld_params_load(&params);
}

extern int fini(void)
{
	ctld_params_unload(&params);
	return SLURM_SUCCESS;
}

extern int job_submit(job_desc_msg_t *job_desc, uint32_t submit_uid,
		      char **err_msg)
{
	(void) ctld_params_follow(&params);
	return SLURM_SUCCESS;
}

extern int job_modify(AISHARE_JOB_MODIFY_PARAMS)
{
	(void) ctld_params_follow(&params);
	return SLURM_SUCCESS;
}
