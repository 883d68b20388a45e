/*
 * ctld_ledger.h - a plugin's pool ledger, rebuilt when its parameters change.
 *
 * Copyright (C) 2026 The slurm-aishare authors.  GPL-2.0-or-later.
 */
#ifndef AISHARE_CTLD_LEDGER_H
#define AISHARE_CTLD_LEDGER_H

#include "aishare.h"
#include "ctld_params.h"

typedef struct ctld_ledger {
	ctld_params_t *params;
	const aishare_params_t *built_from; /* the parameters the ledger follows */
	aishare_ledger_t *ledger;
} ctld_ledger_t;

/* After ctld_params_load(): a ledger for the parameters in force.  SLURM_ERROR logged. */
extern int ctld_ledger_create(ctld_ledger_t *cl, ctld_params_t *params);

/* The ledger, reconfigured first if PrioritySiteFactorParameters changed. */
extern aishare_ledger_t *ctld_ledger_follow(ctld_ledger_t *cl);

extern void ctld_ledger_destroy(ctld_ledger_t *cl);

#endif /* AISHARE_CTLD_LEDGER_H */
