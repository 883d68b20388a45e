/*
 * compact_wait_reason.c - say in a pending job's reason that it waits for a
 * compact placement.
 *
 * A job given --switches=N@CompactWait (job_shape.c) that Slurm could place now
 * only on more leaves waits; Slurm's reason for it is plain "Resources", and each
 * scheduling pass that tries the job writes that reason again.  So the watcher
 * thread (job_watch.c) rewrites the reason of such jobs every second while their
 * wait lasts:
 * "aishare: waits up to 17 s more for a compact placement on 1 leaf switch, then
 * takes the fewest free".
 * (Slurm's best_switch flag cannot tell: backfill's will-run tests set it again.)
 *
 * Copyright (C) 2026 The slurm-aishare authors.  GPL-2.0-or-later.
 */
#include "slurm_compat.h"

#include "compact_wait_reason.h"

static int _say_why(void *x, void *arg)
{
	job_record_t *job_ptr = x;
	time_t now = *(time_t *) arg;
	long left;

	if (!IS_JOB_PENDING(job_ptr) || !job_ptr->req_switch || !job_ptr->wait4switch_start ||
	    job_ptr->state_reason != WAIT_RESOURCES)
		return 0;
	left = (long) job_ptr->wait4switch - (long) (now - job_ptr->wait4switch_start);
	if (left <= 0)
		return 0; /* the wait is over: Slurm's own reason is the right one */
	xfree(job_ptr->state_desc);
	job_ptr->state_desc = xstrdup_printf(
		"aishare: waits up to %ld s more for a compact placement on %u leaf switch%s, then takes the fewest free",
		left, job_ptr->req_switch, job_ptr->req_switch == 1 ? "" : "es");
	return 0;
}

extern void compact_wait_reason_refresh(time_t now)
{
	list_for_each(job_list, _say_why, &now);
}
