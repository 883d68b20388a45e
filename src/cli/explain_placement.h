/*
 * explain_placement.h - the placement part of `aishare explain JOBID`.
 *
 * Copyright (C) 2026 The slurm-aishare authors.  GPL-2.0-or-later.
 */
#ifndef AISHARE_CLI_EXPLAIN_PLACEMENT_H
#define AISHARE_CLI_EXPLAIN_PLACEMENT_H

#include <stdint.h>

/*
 * Text lines, or with JSON one object, on JOB_ID's placement; STATE_DIR is
 * StateSaveLocation.  malloc()ed, or NULL after a message on stderr.
 */
char *explain_placement(uint32_t job_id, const char *state_dir, int json);

#endif
