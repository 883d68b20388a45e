/*
 * slurm_compat.h - the one place where Slurm release differences live.
 *
 * The slurmctld plugins include Slurm's internal headers, which change between
 * releases; configure makes sure they come from the release that runs the plugins.
 * Adapters include this header first, instead of Slurm's headers directly.
 *
 * Copyright (C) 2026 The slurm-aishare authors.  GPL-2.0-or-later.
 */
#ifndef AISHARE_SLURM_COMPAT_H
#define AISHARE_SLURM_COMPAT_H

#include "slurm/slurm.h"
#include "slurm/slurm_errno.h"

#if SLURM_VERSION_NUMBER < SLURM_VERSION_NUM(22, 5, 0)
#error "slurm-aishare needs Slurm 22.05 or later"
#endif

/*
 * slurm_xlator.h maps log calls such as error() to their slurm_ names.  Without it
 * the linker binds error() to glibc's error(3), which takes other arguments; the
 * ABI test checks that no adapter imports error@GLIBC.
 */
#include "src/common/slurm_xlator.h"
#include "src/common/log.h"
#include "src/common/read_config.h"
#include "src/slurmctld/slurmctld.h"

/*
 * job_submit's job_modify() gained an err_msg argument in 23.02; adapters define it
 * with AISHARE_JOB_MODIFY_PARAMS and read the message pointer through
 * AISHARE_JOB_MODIFY_ERR_MSG (NULL where Slurm gives none).
 */
#if SLURM_VERSION_NUMBER >= SLURM_VERSION_NUM(23, 2, 0)
#define AISHARE_JOB_MODIFY_PARAMS                                              \
	job_desc_msg_t *job_desc, job_record_t *job_ptr, uint32_t submit_uid,  \
		char **err_msg
#define AISHARE_JOB_MODIFY_ERR_MSG err_msg
#else
#define AISHARE_JOB_MODIFY_PARAMS                                              \
	job_desc_msg_t *job_desc, job_record_t *job_ptr, uint32_t submit_uid
#define AISHARE_JOB_MODIFY_ERR_MSG ((char **) NULL)
#endif

#endif /* AISHARE_SLURM_COMPAT_H */
