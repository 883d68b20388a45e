/*
 * status_placement.h - placement quality in `aishare status`: how compactly the
 * multi-node jobs that started were placed (StateSaveLocation/aishare_placement.log,
 * written by job_submit/aishare).
 *
 * Copyright (C) 2026 The slurm-aishare authors.  GPL-2.0-or-later.
 */
#ifndef AISHARE_CLI_STATUS_PLACEMENT_H
#define AISHARE_CLI_STATUS_PLACEMENT_H

#include <stdio.h>

#include "aishare.h"

/* Sum up the log of the cluster's StateSaveLocation; 0, or -1 after a message. */
int status_placement_load(aishare_placement_summary_t *summary);

void status_placement_text(FILE *out, const aishare_placement_summary_t *summary);
/* {"placement":{...}} (malloc()ed), or NULL. */
char *status_placement_json(const aishare_placement_summary_t *summary);
void status_placement_prometheus(FILE *out, const aishare_placement_summary_t *summary);

#endif
