/*
 * job_watch.c - the job_submit plugin's watcher thread.
 *
 * Slurm has no job_submit hook for "a job waits" or "a job started", so a thread
 * looks once a second.  It holds the job write lock (it rewrites reasons) and the
 * node read lock (placement quality reads node states) for one pass over the
 * job list (its cost at tens of thousands of jobs is not measured yet).
 *
 * Copyright (C) 2026 The slurm-aishare authors.  GPL-2.0-or-later.
 */
/* dladdr() and RTLD_NODELETE. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "slurm_compat.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdint.h>
#include <time.h>

#include "src/slurmctld/locks.h"

#include "compact_wait_reason.h"
#include "job_watch.h"
#include "placement_quality.h"

#define WATCH_SECONDS 1

static pthread_mutex_t stop_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t stop_cond = PTHREAD_COND_INITIALIZER;
static unsigned generation; /* a thread runs while it is the generation it was born in */
static bool running;

static bool _current(unsigned born)
{
	bool current;

	pthread_mutex_lock(&stop_lock);
	current = generation == born;
	pthread_mutex_unlock(&stop_lock);
	return current;
}

static void *_watch(void *arg)
{
	slurmctld_lock_t locks = { .job = WRITE_LOCK, .node = READ_LOCK };
	unsigned born = (unsigned) (uintptr_t) arg;
	struct timespec until;

	while (true) {
		pthread_mutex_lock(&stop_lock);
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += WATCH_SECONDS;
		if (generation == born)
			pthread_cond_timedwait(&stop_cond, &stop_lock, &until);
		pthread_mutex_unlock(&stop_lock);
		if (!_current(born))
			break;
		lock_slurmctld(locks);
		/* Stopped while it waited for the locks: touch nothing. */
		if (job_list && _current(born)) {
			time_t now = time(NULL);

			compact_wait_reason_refresh(now);
			placement_quality_record(now);
		}
		unlock_slurmctld(locks);
	}
	return NULL;
}

/*
 * Slurm calls fini() with its locks held when a reconfigure changes
 * JobSubmitPlugins, while this thread may wait for those locks: joining it there
 * would hang slurmctld.  So a stopped thread is detached and ends on its own, and
 * the plugin stays mapped (RTLD_NODELETE) so the code it returns into exists.
 */
static void _stay_mapped(void)
{
	Dl_info self;

	if (!dladdr((void *) job_watch_start, &self) || !self.dli_fname ||
	    !dlopen(self.dli_fname, RTLD_NOW | RTLD_NOLOAD | RTLD_NODELETE))
		error("job_submit/aishare: cannot keep the plugin loaded for its watcher thread (%s); it is not started",
		      dlerror());
	else
		running = true;
}

extern void job_watch_start(void)
{
	pthread_t thread;
	unsigned born;

	placement_quality_init();
	_stay_mapped();
	if (!running)
		return;
	pthread_mutex_lock(&stop_lock);
	born = ++generation;
	pthread_mutex_unlock(&stop_lock);
	if (pthread_create(&thread, NULL, _watch, (void *) (uintptr_t) born)) {
		error("job_submit/aishare: cannot start its watcher thread, compact waits are not explained and placements not recorded: %m");
		running = false;
		return;
	}
	pthread_detach(thread);
}

extern void job_watch_stop(void)
{
	if (!running)
		return;
	pthread_mutex_lock(&stop_lock);
	generation++;
	pthread_cond_broadcast(&stop_cond);
	pthread_mutex_unlock(&stop_lock);
	running = false;
}
