/*
 * ctld_ledger.c - a plugin's pool ledger, rebuilt when its parameters change.
 *
 * Copyright (C) 2026 The slurm-aishare authors.  GPL-2.0-or-later.
 */
#include "slurm_compat.h"

#include <stdlib.h>

#include "ctld_ledger.h"

extern int ctld_ledger_create(ctld_ledger_t *cl, ctld_params_t *params)
{
	char *errors = NULL;

	cl->params = params;
	cl->built_from = ctld_params_follow(params);
	if (!(cl->ledger = aishare_ledger_create(cl->built_from, &errors))) {
		error("%s: %s", params->plugin_type, errors ? errors : "out of memory");
		free(errors);
		return SLURM_ERROR;
	}
	return SLURM_SUCCESS;
}

extern aishare_ledger_t *ctld_ledger_follow(ctld_ledger_t *cl)
{
	const aishare_params_t *in_force = ctld_params_follow(cl->params);
	char *errors = NULL;

	if (in_force == cl->built_from)
		return cl->ledger;
	/* History is kept across a reconfigure; only the policy changes. */
	if (aishare_ledger_configure(cl->ledger, in_force, &errors))
		error("%s: %s", cl->params->plugin_type, errors ? errors : "cannot reconfigure");
	else
		cl->built_from = in_force;
	free(errors);
	return cl->ledger;
}

extern void ctld_ledger_destroy(ctld_ledger_t *cl)
{
	aishare_ledger_free(cl->ledger);
	cl->ledger = NULL;
	cl->built_from = NULL;
}
