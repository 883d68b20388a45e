/*
 * job_watch.c - the job_submit plugin's watcher thread.
 *
 * Slurm has no job_submit hook for "a job waits" or "a job started", so a thread
 * looks once a second.  It holds the job write lock (it rewrites reasons) and the
 * node read lock (placement quality reads node states) for one pass over the
 * job list, about a millisecond per 10,000 jobs.
 *
 * Copyright (C) 2026 The slurm-aishare authors.  GPL-2.0-or-later.
 */
#include "slurm_compat.h"

#include <pthread.h>
#include <time.h>

#include "src/slurmctld/locks.h"

#include "compact_wait_reason.h"
#include "job_watch.h"
#include "placement_quality.h"

#define WATCH_SECONDS 1

static pthread_t thread;
static pthread_mutex_t stop_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t stop_cond = PTHREAD_COND_INITIALIZER;
static bool running, stopping;

static void *_watch(void *arg)
{
	slurmctld_lock_t locks = { .job = WRITE_LOCK, .node = READ_LOCK };
	struct timespec until;

	pthread_mutex_lock(&stop_lock);
	while (!stopping) {
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += WATCH_SECONDS;
		pthread_cond_timedwait(&stop_cond, &stop_lock, &until);
		if (stopping)
			break;
		pthread_mutex_unlock(&stop_lock);
		lock_slurmctld(locks);
		if (job_list) {
			time_t now = time(NULL);

			compact_wait_reason_refresh(now);
			placement_quality_record(now);
		}
		unlock_slurmctld(locks);
		pthread_mutex_lock(&stop_lock);
	}
	pthread_mutex_unlock(&stop_lock);
	return NULL;
}

extern void job_watch_start(void)
{
	stopping = false;
	placement_quality_init();
	if (pthread_create(&thread, NULL, _watch, NULL)) {
		error("job_submit/aishare: cannot start its watcher thread, compact waits are not explained and placements not recorded: %m");
		return;
	}
	running = true;
}

extern void job_watch_stop(void)
{
	if (!running)
		return;
	pthread_mutex_lock(&stop_lock);
	stopping = true;
	pthread_cond_signal(&stop_cond);
	pthread_mutex_unlock(&stop_lock);
	pthread_join(thread, NULL);
	running = false;
}
