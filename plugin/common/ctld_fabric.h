/*
 * ctld_fabric.h - slurmctld's switch tree (topology/tree) as the core's fabric.
 *
 * Slurm already read topology.conf into switch_record_table; the fabric is built
 * from that table, not from the file, so both always agree.  It is rebuilt when
 * the table changes (scontrol reconfigure).  Callers hold slurmctld's node read
 * lock; the fabric stays valid until the next call.
 *
 * Copyright (C) 2026 The slurm-aishare authors.  GPL-2.0-or-later.
 */
#ifndef AISHARE_CTLD_FABRIC_H
#define AISHARE_CTLD_FABRIC_H

#include "aishare.h"


/* The current fabric, or NULL without topology/tree (logged once per change). */
extern const aishare_fabric_t *ctld_fabric_current(const char *plugin_type);

/*
 * Whether every node below switch NAME carries its feature; when not, *MISSING
 * names the first node that lacks it (valid until the next call).
 */
extern bool ctld_switch_feature_complete(const char *name, const char **missing);

extern void ctld_fabric_release(void);

#endif /* AISHARE_CTLD_FABRIC_H */
