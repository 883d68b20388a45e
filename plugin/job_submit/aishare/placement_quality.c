/*
 * placement_quality.c - record how compactly each multi-node job was placed.
 *
 * Called once a second by the watcher thread: the jobs that started in the
 * seconds before (start_time in (recorded_through, now - 1]) are measured on the
 * switch tree and appended to StateSaveLocation/aishare_placement.log.  The free
 * set at a job's start is rebuilt from the job records, so jobs that ended since
 * do not blur it: a node of its class was free unless another job held it then
 * (started no later, not ended before; a job that started or ended in the same
 * second counts as holding it) or it is down now.  A job requeued and started again is a new
 * placement, and a new line.
 *
 * Copyright (C) 2026 The slurm-aishare authors.  GPL-2.0-or-later.
 */
#include "slurm_compat.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "src/common/job_resources.h"
#include "src/common/node_conf.h"

#include "ctld_fabric.h"
#include "ctld_node_gpus.h"
#include "placement_quality.h"

#define PREFIX "job_submit/aishare"

static time_t recorded_through;

/* Whether two nodes are of one class (the same GPU type and count). */
static bool _same_class(ctld_node_gpus_t a, ctld_node_gpus_t b)
{
	return a.gpus == b.gpus && !strcmp(a.type, b.type);
}

static char *_log_path(void)
{
	return xstrdup_printf("%s/%s", slurm_conf.state_save_location, AISHARE_PLACEMENT_LOG);
}

/* Append LINE to the log, starting a new one beyond its size limit. */
static void _append(const char *line)
{
	char *path = _log_path();
	struct stat st;
	int fd;

	if (!stat(path, &st) && st.st_size + (off_t) strlen(line) > AISHARE_PLACEMENT_LOG_MAX_BYTES) {
		char *old = xstrdup_printf("%s.old", path);

		if (rename(path, old))
			error("%s: cannot rename %s: %m", PREFIX, path);
		xfree(old);
	}
	if ((fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600)) < 0 ||
	    write(fd, line, strlen(line)) != (ssize_t) strlen(line))
		error("%s: cannot append to %s: %m", PREFIX, path);
	if (fd >= 0)
		close(fd);
	xfree(path);
}

typedef struct {
	const aishare_fabric_t *fabric;
	size_t count;       /* fabric nodes */
	long *fabric_index; /* per Slurm node index, -1 when not in the tree */
	time_t from, to;
	job_record_t **started; /* found by one pass, measured after it: */
	size_t started_count;   /* Slurm's lists must not be iterated nested */
	size_t started_size;
} scan_t;

/*
 * The nodes a job got.  Slurm clears a job's node_bitmap node by node as it
 * ends; its job_resources keep the allocation.
 */
static bitstr_t *_allocated(job_record_t *job_ptr)
{
	if (job_ptr->job_resrcs && job_ptr->job_resrcs->node_bitmap)
		return job_ptr->job_resrcs->node_bitmap;
	return job_ptr->node_bitmap;
}

typedef struct {
	job_record_t *measured;
	bool *busy; /* per Slurm node index */
} holders_t;

/* Mark the nodes another job held when MEASURED started. */
static int _mark_held(void *x, void *arg)
{
	job_record_t *other = x;
	holders_t *holders = arg;
	time_t start = holders->measured->start_time;
	bitstr_t *nodes = _allocated(other);

	if (other == holders->measured || !nodes || IS_JOB_PENDING(other) ||
	    other->start_time > start ||
	    (!IS_JOB_RUNNING(other) && !IS_JOB_SUSPENDED(other) && other->end_time < start))
		return 0;
	for (int i = bit_ffs(nodes); i >= 0 && i < node_record_count; i++)
		if (bit_test(nodes, i))
			holders->busy[i] = true;
	return 0;
}

static void _measure(job_record_t *job_ptr, scan_t *scan)
{
	holders_t holders = { job_ptr, xcalloc(MAX(node_record_count, 1), sizeof(bool)) };
	uint8_t *job = xcalloc(scan->count, 1), *free_nodes = xcalloc(scan->count, 1),
		*members = xcalloc(scan->count, 1);
	bitstr_t *nodes = _allocated(job_ptr);
	ctld_node_gpus_t job_class;
	char *line;
	aishare_placement_record_t record;
	node_record_t *node_ptr;

	list_for_each(job_list, _mark_held, &holders);
	node_ptr = node_record_table_ptr[bit_ffs(nodes)];
	job_class = ctld_node_gpus(node_ptr);
	for (int i = 0; (node_ptr = next_node(&i)); i++) {
		long at = scan->fabric_index[i];

		if (at < 0)
			continue;
		if (bit_test(nodes, i))
			job[at] = 1;
		if (_same_class(ctld_node_gpus(node_ptr), job_class)) {
			members[at] = 1;
			free_nodes[at] = !holders.busy[i] && !IS_NODE_DOWN(node_ptr) &&
					 !IS_NODE_DRAIN(node_ptr);
		}
	}
	if (!aishare_fabric_measure(scan->fabric, job, free_nodes, members, &record) &&
	    record.nodes > 1) {
		record.job_id = job_ptr->job_id;
		record.start_time = job_ptr->start_time;
		if ((line = aishare_placement_line(&record))) {
			_append(line);
			free(line);
		}
		debug2("%s: %pJ placed on %u leaves, free-set bound %u, ideal %u", PREFIX,
		       job_ptr, record.leaves, record.free_bound, record.ideal);
	}
	xfree(holders.busy);
	xfree(job);
	xfree(free_nodes);
	xfree(members);
}

static int _note_if_started(void *x, void *arg)
{
	job_record_t *job_ptr = x;
	scan_t *scan = arg;

	/* A job that started and already ended (cancelled, failed) was placed too. */
	if (IS_JOB_PENDING(job_ptr) || !_allocated(job_ptr) ||
	    job_ptr->start_time <= scan->from || job_ptr->start_time > scan->to ||
	    bit_set_count(_allocated(job_ptr)) < 2)
		return 0;
	if (scan->started_count == scan->started_size) {
		scan->started_size = 2 * scan->started_size + 16;
		xrecalloc(scan->started, scan->started_size, sizeof(*scan->started));
	}
	scan->started[scan->started_count++] = job_ptr;
	return 0;
}

extern void placement_quality_init(void)
{
	aishare_placement_summary_t logged;
	char *path = _log_path();
	time_t now = time(NULL);

	/*
	 * Go on from the last start in the log: a job that started in the second
	 * or two before slurmctld was killed was not measured yet.  Every job of a
	 * second is recorded at once, so that second itself is done.
	 */
	recorded_through = now - 1;
	if (!aishare_placement_log_summary(path, &logged, NULL) && logged.last_start > 0)
		recorded_through = MIN(logged.last_start, now - 1);
	xfree(path);
}

extern void placement_quality_record(time_t now)
{
	scan_t scan = { .from = recorded_through, .to = now - 1 };
	node_record_t *node_ptr;

	if (scan.to <= scan.from || !(scan.fabric = ctld_fabric_current(PREFIX)))
		return;
	scan.count = aishare_fabric_node_count(scan.fabric);
	scan.fabric_index = xcalloc(MAX(node_record_count, 1), sizeof(long));
	for (int i = 0; i < node_record_count; i++)
		scan.fabric_index[i] = -1;
	for (int i = 0; (node_ptr = next_node(&i)); i++)
		scan.fabric_index[i] = aishare_fabric_node_index(scan.fabric, node_ptr->name);
	list_for_each(job_list, _note_if_started, &scan);
	for (size_t i = 0; i < scan.started_count; i++)
		_measure(scan.started[i], &scan);
	xfree(scan.started);
	xfree(scan.fabric_index);
	recorded_through = scan.to;
}
