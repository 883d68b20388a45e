/*
 * placement_quality.h - one line in StateSaveLocation/aishare_placement.log per
 * multi-node job that starts: leaves spanned, free-set bound, ideal.
 *
 * Copyright (C) 2026 The slurm-aishare authors.  GPL-2.0-or-later.
 */
#ifndef AISHARE_PLACEMENT_QUALITY_H
#define AISHARE_PLACEMENT_QUALITY_H

#include <time.h>

extern void placement_quality_init(void);

/* Record the jobs that started since the last call; job write, node read locks. */
extern void placement_quality_record(time_t now);

#endif /* AISHARE_PLACEMENT_QUALITY_H */
