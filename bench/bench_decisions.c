/*
 * bench_decisions.c - what each decision of the plugins costs through the core
 * as the cluster grows (256, 1024, 4096 nodes; 1k, 10k, 50k pending jobs).
 *
 * For every size a synthetic cluster is built from a fixed seed: topology.conf
 * text (leaves of 8 nodes, 16 leaves a spine, one core switch above the spines)
 * read by aishare_fabric_parse; nodes of 8 GPUs; running jobs on about 90% of
 * the nodes (1-4 GPU jobs sharing nodes, 8-GPU jobs, jobs of 2 to 32 nodes), of
 * the ai-startup pool partition (the first half of the nodes) and of the gpu
 * partition (every node, so it borrows the pool's); jobs that ended within
 * MinJobAge; and the pending jobs.  Each decision is then timed with the very
 * calls its adapter makes (plugin/<type>/aishare):
 *
 *   preempt      aishare_ledger_update once the job records changed (Slurm asks
 *                PREEMPT_DATA_ENABLED before it lists a preemptor's candidates),
 *                aishare_ledger_may_preempt for every job of job_list, and
 *                aishare_ledger_victim_rank twice a comparison as Slurm sorts the
 *                candidates (_sort_by_prio in src/slurmctld/preempt.c)
 *   job_submit   aishare_ledger_update without jobs (when nodes changed),
 *                aishare_ledger_nodes_to_avoid and, for a pool job,
 *                aishare_place_plan over the partition's nodes; its watcher
 *                thread's pass once a second (reasons of jobs waiting for a
 *                compact placement; aishare_fabric_node_index for every node,
 *                then aishare_fabric_measure and aishare_placement_line for each
 *                multi-node job that started)
 *   site_factor  a pass: aishare_ledger_update, aishare_prio_model_update,
 *                aishare_prio_model_job for every pending job; then, outside
 *                slurmctld's locks, the state file: aishare_prio_model_state
 *                (a copy under the model's mutex) and aishare_prio_state_save
 *   spank        aishare_task_binding_compute on one node (size-independent)
 *
 * Rows named after a C API function time that call alone; the ledger_update of
 * preempt and the prio_model_update and prio_model_state of site_factor are
 * timed inside the whole decision that makes them.  Rows that are whole
 * decisions (find_preemptable, submission, watch_pass_*, recalc_pass,
 * state_save) also run
 * the adapter's own loops over the job list, written here over plain arrays:
 * walking Slurm's linked list of large job records costs more, so those rows
 * are lower bounds.  A row takes at least 200 samples (p99 needs them) unless
 * it has run for 20 s with 20: a 4096-node, 50k-pending recalculation pass
 * takes most of a second, so its p99 is its largest sample, and the row says so.
 * Stock Slurm's own decisions run inside slurmctld and cannot be timed per
 * call; the trace replay compares with it through sdiag.
 *
 * usage: bench_decisions [--smoke] [--grid] [--json] [--seed S] [--srcdir DIR]
 *
 *   (default)  256 nodes with 1k pending jobs, 1024 with 10k, 4096 with 50k:
 *              about a minute on two cores
 *   --grid     every pair of those node and pending counts (nine sizes)
 *   --smoke    256 nodes, 1k pending, few samples: a second
 *   --json     the rows as JSON on stdout instead of the table
 *
 * Copyright (C) 2026 The slurm-aishare authors.  GPL-2.0-or-later.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "aishare.h"
#include "hostlist_text.h"

#ifndef BENCH_SRCDIR
#define BENCH_SRCDIR "."
#endif

#define GPUS_PER_NODE 8
#define NODES_PER_LEAF 8
#define LEAVES_PER_SPINE 16
#define BUSY_PERCENT 90      /* nodes running jobs */
#define POOL_JOB_PERCENT 15  /* jobs on pool nodes that are the pool's own */
#define PENDING_POOL_PERCENT 40
#define STARTUP_ACCOUNTS 24
#define OTHER_ACCOUNTS 16
#define NOW ((int64_t) 1767225600) /* fixed, so runs compare */

/* Slurm's defaults that set how often a pass runs (slurm.conf(5)). */
#define PRIORITY_CALC_PERIOD 300 /* seconds */
#define DEFAULT_QUEUE_DEPTH 100  /* jobs the main scheduler tries a pass */
/* job_shape.c: switches offered before the fallback. */
#define MOST_ALTERNATIVES 8

enum { PART_POOL, PART_GPU, PART_COUNT };
static const char *const partition_names[PART_COUNT] = { "ai-startup", "gpu" };

/* ------------------------------------------------------------------ figures */

typedef struct {
	const char *plugin, *decision, *per;
	size_t nodes, pending; /* 0: does not depend on the cluster */
	size_t calls;
	double p50, p99; /* seconds */
	double cpu;      /* mean CPU seconds a call (timers included) */
} row_t;

static row_t rows[256];
static size_t row_count;
static FILE *table; /* stdout, or nowhere under --json */

static double clock_seconds(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double now(void)
{
	return clock_seconds(CLOCK_MONOTONIC);
}

static int ascending(const void *a, const void *b)
{
	double x = *(const double *) a, y = *(const double *) b;

	return (x > y) - (x < y);
}

/* Nearest-rank percentile P (0..100) of N sorted samples. */
static double rank_value(const double *sorted, size_t n, double p)
{
	size_t at = (size_t) ceil(p / 100.0 * n);

	return sorted[at ? (at <= n ? at - 1 : n - 1) : 0];
}

/* What reading the clock adds to every sample: the floor of a per-call figure. */
static double clock_read(double *samples, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		double start = now();

		samples[i] = now() - start;
	}
	qsort(samples, n, sizeof(double), ascending);
	return rank_value(samples, n, 50) * 1e6;
}

/* The same decision's row at the first (smallest) size, or NULL. */
static const row_t *base_of(const row_t *row)
{
	for (size_t i = 0; i < row_count; i++)
		if (!strcmp(rows[i].plugin, row->plugin) &&
		    !strcmp(rows[i].decision, row->decision))
			return &rows[i];
	return NULL;
}

static void print_header(void)
{
	fprintf(table, "%-11s %-20s %5s %7s %7s %10s %10s %8s %8s  %s\n", "plugin", "decision",
		"nodes", "pending", "calls", "p50_us", "p99_us", "p99/base", "p50/base", "per");
}

static void print_row(const row_t *row)
{
	const row_t *base = row ? base_of(row) : NULL;
	char nodes[24] = "-", pending[24] = "-", ratio[24] = "-", ratio50[24] = "-";
	const char *few;

	if (!row)
		return;
	/* Nearest rank: of 100 samples or fewer, the p99 is the largest. */
	few = row->calls <= 100 ? "; p99 = the largest sample" : "";
	if (row->nodes) {
		snprintf(nodes, sizeof(nodes), "%zu", row->nodes);
		snprintf(pending, sizeof(pending), "%zu", row->pending);
		snprintf(ratio, sizeof(ratio), "%.2f", row->p99 / base->p99);
		snprintf(ratio50, sizeof(ratio50), "%.2f", row->p50 / base->p50);
	}
	fprintf(table, "%-11s %-20s %5s %7s %7zu %10.3f %10.3f %8s %8s  %s%s\n", row->plugin,
		row->decision, nodes, pending, row->calls, row->p50 * 1e6, row->p99 * 1e6, ratio,
		ratio50, row->per, few);
	fflush(table);
}

/* ------------------------------------------------------------------ random */

static uint64_t random_state;

/* splitmix64: the same figures on every libc, unlike rand(). */
static uint64_t next_random(void)
{
	uint64_t z = (random_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint32_t below(uint32_t n)
{
	return (uint32_t) (next_random() % n);
}

/* ------------------------------------------------------------------ cluster */

/* What the adapters read of one Slurm job record. */
typedef struct {
	uint32_t id;
	int part;
	aishare_job_state_t state;
	uint32_t gpus;
	size_t first_node, node_count; /* running: its nodes in cluster.job_nodes */
	int64_t submit_time, start_time, end_time;
	uint32_t time_limit, priority;
	const char *account;
	/* pending: the request job_submit saw, and a --switches wait */
	char tres[24];
	int tres_per_node;
	uint32_t nodes_asked;
	uint32_t req_switch, wait4switch;
	int64_t wait4switch_start;
	char *state_desc;
} job_t;

typedef struct {
	size_t nodes, pending, pool_nodes;
	char **names;
	uint32_t *used_gpus;
	int *up;
	aishare_fabric_t *fabric;
	size_t leaves, spines;

	job_t *jobs;
	size_t job_count, running, finished;
	uint32_t *job_nodes;
	size_t job_node_count;
	size_t *pool_pending; /* the pool's pending jobs, indexes into jobs */
	size_t pool_pending_count;

	/* what ctld_snapshot.c gives the ledger */
	aishare_node_info_t *node_info;
	uint32_t *partition_nodes;
	aishare_partition_info_t partitions[PART_COUNT];
	aishare_job_info_t *job_info;

	char accounts[STARTUP_ACCOUNTS + OTHER_ACCOUNTS][16];
	aishare_prio_account_t grants[STARTUP_ACCOUNTS];
} cluster_t;

static char *topology_text(size_t nodes, size_t *leaves, size_t *spines)
{
	size_t size = 128 + 96 * (nodes / NODES_PER_LEAF + nodes / NODES_PER_LEAF /
						     LEAVES_PER_SPINE + 1);
	char *text = malloc(size), *at = text;

	*leaves = nodes / NODES_PER_LEAF;
	*spines = (*leaves + LEAVES_PER_SPINE - 1) / LEAVES_PER_SPINE;
	if (!text)
		return NULL;
	at += sprintf(at, "# synthetic fabric: %zu nodes\n", nodes);
	for (size_t l = 0; l < *leaves; l++)
		at += sprintf(at, "SwitchName=leaf%04zu Nodes=gpu[%05zu-%05zu]\n", l,
			      l * NODES_PER_LEAF + 1, (l + 1) * NODES_PER_LEAF);
	for (size_t s = 0; s < *spines; s++) {
		size_t last = (s + 1) * LEAVES_PER_SPINE;

		at += sprintf(at, "SwitchName=spine%03zu Switches=leaf[%04zu-%04zu]\n", s,
			      s * LEAVES_PER_SPINE, (last < *leaves ? last : *leaves) - 1);
	}
	sprintf(at, "SwitchName=core Switches=spine[000-%03zu]\n", *spines - 1);
	return text;
}

static job_t *new_job(cluster_t *c, int part, aishare_job_state_t state)
{
	job_t *job = &c->jobs[c->job_count];

	memset(job, 0, sizeof(*job));
	job->id = (uint32_t) ++c->job_count + 1000;
	job->part = part;
	job->state = state;
	job->priority = 1000 + below(100000);
	job->time_limit = 60 * (1 + below(48));
	/* Pool jobs are the start-ups'; a fifth of the others' are too. */
	job->account = c->accounts[part == PART_POOL || below(5) == 0 ?
					   below(STARTUP_ACCOUNTS) :
					   STARTUP_ACCOUNTS + below(OTHER_ACCOUNTS)];
	return job;
}

static void add_running(cluster_t *c, int part, const uint32_t *nodes, size_t count,
			uint32_t gpus)
{
	job_t *job = new_job(c, part, AISHARE_JOB_RUNNING);

	job->gpus = gpus;
	job->first_node = c->job_node_count;
	job->node_count = count;
	for (size_t i = 0; i < count; i++) {
		c->job_nodes[c->job_node_count++] = nodes[i];
		c->used_gpus[nodes[i]] += gpus / count;
	}
	job->start_time = NOW - 60 - below(4 * 3600);
	job->submit_time = job->start_time - below(3600);
	/* Some borrowers fit a one-hour LendWindow. */
	if (part == PART_GPU && below(10) < 3)
		job->time_limit = 30 + below(31);
	c->running++;
}

/* Nodes from AT on, skipping idle ones, up to COUNT (and the pool's end for a pool job). */
static size_t take_nodes(const cluster_t *c, const uint8_t *idle, size_t at, size_t count,
			 int part, uint32_t *out, size_t *next)
{
	size_t got = 0, end = part == PART_POOL ? c->pool_nodes : c->nodes;

	for (; at < end && got < count; at++)
		if (!idle[at])
			out[got++] = (uint32_t) at;
	*next = at;
	return got;
}

static void fill_running(cluster_t *c)
{
	static const uint32_t small[] = { 1, 1, 2, 4 };
	static const uint32_t spans[] = { 2, 2, 4, 4, 8, 16, 32 };
	uint8_t *idle = calloc(c->nodes, 1);
	uint32_t taken[32];
	size_t at = 0;

	/* Idle nodes are scattered, as churn leaves them; a tenth of them drained. */
	for (size_t i = 0; i < c->nodes; i++)
		if (below(100) >= BUSY_PERCENT) {
			idle[i] = 1;
			c->up[i] = below(10) != 0;
		}
	while (at < c->nodes) {
		int part = at < c->pool_nodes && below(100) < POOL_JOB_PERCENT ? PART_POOL :
										  PART_GPU;
		uint32_t kind = below(100), fill;
		size_t got;

		if (idle[at]) {
			at++;
		} else if (kind < 45) {
			/*
			 * 1-4 GPU jobs sharing a node, leaving some GPUs free.  With 8-GPU
			 * jobs at 50% and multi-node ones at 5% of the draws, each kind
			 * holds about a third of the busy nodes.
			 */
			fill = 4 + below(GPUS_PER_NODE - 3);
			for (uint32_t used = 0, gpus; used < fill; used += gpus) {
				gpus = small[below(4)];
				gpus = gpus < fill - used ? gpus : fill - used;
				taken[0] = (uint32_t) at;
				add_running(c, part, taken, 1, gpus);
				part = at < c->pool_nodes && below(100) < POOL_JOB_PERCENT ?
					       PART_POOL : PART_GPU;
			}
			at++;
		} else if (kind < 95) {
			taken[0] = (uint32_t) at++;
			add_running(c, part, taken, 1, GPUS_PER_NODE);
		} else {
			got = take_nodes(c, idle, at, spans[below(7)], part, taken, &at);
			add_running(c, part, taken, got, GPUS_PER_NODE * (uint32_t) got);
		}
	}
	free(idle);
}

static void fill_pending(cluster_t *c)
{
	static const uint32_t sizes[] = { 1, 2, 4, 8, 8, 16, 32, 64 };

	/* Ended within MinJobAge (300 s): still in job_list, history for the ledger. */
	for (size_t i = 0, ended = c->running / 25; i < ended; i++) {
		job_t *job = new_job(c, below(100) < POOL_JOB_PERCENT ? PART_POOL : PART_GPU,
				     AISHARE_JOB_FINISHED);

		job->gpus = sizes[below(8)];
		job->end_time = NOW - below(300);
		job->start_time = job->end_time - 60 - below(7200);
		job->submit_time = job->start_time - below(3600);
		c->finished++;
	}
	for (size_t i = 0; i < c->pending; i++) {
		int part = below(100) < PENDING_POOL_PERCENT ? PART_POOL : PART_GPU;
		job_t *job = new_job(c, part, AISHARE_JOB_PENDING);

		job->gpus = sizes[below(8)];
		job->submit_time = NOW - below(86400);
		job->tres_per_node = job->gpus < GPUS_PER_NODE;
		snprintf(job->tres, sizeof(job->tres), "gres:gpu:%u", job->gpus);
		if (!job->tres_per_node && below(2))
			job->nodes_asked = job->gpus / GPUS_PER_NODE;
		/* job_shape.c gave multi-node pool jobs --switches=N@CompactWait */
		if (part == PART_POOL && job->gpus > GPUS_PER_NODE) {
			uint32_t nodes = job->gpus / GPUS_PER_NODE;

			job->req_switch = (nodes + NODES_PER_LEAF - 1) / NODES_PER_LEAF;
			job->wait4switch = 300;
			job->wait4switch_start = NOW - below(600);
		}
		if (part == PART_POOL)
			c->pool_pending[c->pool_pending_count++] = (size_t) (job - c->jobs);
	}
}

/* The arrays ctld_snapshot.c builds for aishare_ledger_update. */
static void describe(cluster_t *c)
{
	for (size_t i = 0; i < c->nodes; i++) {
		c->node_info[i] = (aishare_node_info_t) { c->names[i], GPUS_PER_NODE, c->up[i] };
		c->partition_nodes[i] = (uint32_t) i;
	}
	c->partitions[PART_POOL] = (aishare_partition_info_t) {
		partition_names[PART_POOL], c->partition_nodes, c->pool_nodes };
	c->partitions[PART_GPU] = (aishare_partition_info_t) {
		partition_names[PART_GPU], c->partition_nodes, c->nodes };
	for (size_t j = 0; j < c->job_count; j++) {
		const job_t *job = &c->jobs[j];

		c->job_info[j] = (aishare_job_info_t) {
			.job_id = job->id,
			.partition = partition_names[job->part],
			.state = job->state,
			.gpus = job->gpus,
			.nodes = job->node_count ? c->job_nodes + job->first_node : NULL,
			.node_count = job->node_count,
			.submit_time = job->submit_time,
			.start_time = job->start_time,
			.time_limit = job->time_limit,
			.priority = job->priority,
		};
	}
}

static void make_accounts(cluster_t *c)
{
	for (size_t a = 0; a < STARTUP_ACCOUNTS + OTHER_ACCOUNTS; a++)
		snprintf(c->accounts[a], sizeof(c->accounts[a]), a < STARTUP_ACCOUNTS ?
			 "startup%02zu" : "hpc%02zu", a);
	for (size_t a = 0; a < STARTUP_ACCOUNTS; a++) {
		double grant = 10000.0 * (1 + below(50));

		c->grants[a] = (aishare_prio_account_t) { c->accounts[a], "startups", grant,
							  grant * below(120) / 100.0 };
	}
}

static void cluster_free(cluster_t *c)
{
	for (size_t i = 0; c->names && i < c->nodes; i++)
		free(c->names[i]);
	for (size_t j = 0; c->jobs && j < c->job_count; j++)
		free(c->jobs[j].state_desc);
	free(c->names);
	free(c->used_gpus);
	free(c->up);
	aishare_fabric_free(c->fabric);
	free(c->jobs);
	free(c->job_nodes);
	free(c->pool_pending);
	free(c->node_info);
	free(c->partition_nodes);
	free(c->job_info);
	memset(c, 0, sizeof(*c));
}

static int cluster_build(cluster_t *c, size_t nodes, size_t pending, unsigned seed)
{
	size_t most_jobs = nodes * GPUS_PER_NODE * 2 + pending;
	char *text, *errors = NULL;

	memset(c, 0, sizeof(*c));
	random_state = seed;
	c->nodes = nodes;
	c->pending = pending;
	c->pool_nodes = nodes / 2;
	c->names = calloc(nodes, sizeof(char *));
	c->used_gpus = calloc(nodes, sizeof(uint32_t));
	c->up = malloc(nodes * sizeof(int));
	c->jobs = calloc(most_jobs, sizeof(job_t));
	c->job_nodes = calloc(nodes * GPUS_PER_NODE, sizeof(uint32_t));
	c->pool_pending = calloc(pending, sizeof(size_t));
	c->node_info = calloc(nodes, sizeof(aishare_node_info_t));
	c->partition_nodes = calloc(nodes, sizeof(uint32_t));
	c->job_info = calloc(most_jobs, sizeof(aishare_job_info_t));
	if (!c->names || !c->used_gpus || !c->up || !c->jobs || !c->job_nodes ||
	    !c->pool_pending || !c->node_info || !c->partition_nodes || !c->job_info)
		goto fail;
	for (size_t i = 0; i < nodes; i++) {
		c->up[i] = 1;
		if (asprintf(&c->names[i], "gpu%05zu", i + 1) < 0)
			goto fail;
	}
	if (!(text = topology_text(nodes, &c->leaves, &c->spines)))
		goto fail;
	c->fabric = aishare_fabric_parse(text, strlen(text), "synthetic topology.conf",
					 hostlist_text_expand, NULL, &errors);
	free(text);
	if (!c->fabric || aishare_fabric_node_count(c->fabric) != nodes) {
		fprintf(stderr, "bench_decisions: synthetic fabric: %s\n",
			errors ? errors : "wrong node count");
		free(errors);
		goto fail;
	}
	make_accounts(c);
	fill_running(c);
	fill_pending(c);
	describe(c);
	return 0;
fail:
	cluster_free(c);
	return -1;
}

/* ---------------------------------------------------------------- timing */

typedef struct bench bench_t;
typedef void (*decision_fn)(bench_t *b, size_t call);

/* Calls timed inside a whole decision (its parts), at most. */
#define MOST_PARTS 2

struct bench {
	cluster_t c;
	size_t least, most; /* samples a row */
	size_t fewest;      /* ... and, for a row past its cap, at least these */
	double budget;      /* seconds a row may take beyond its least samples */
	double cap;         /* seconds after which a row stops short of LEAST */
	double *samples, *part_samples[MOST_PARTS];
	double part[MOST_PARTS]; /* seconds, set by a decision for each of its parts */
	char dir[64], log_path[128], state_path[128];

	aishare_params_t *params, *bounded_params;
	aishare_ledger_t *ledger, *bounded;
	aishare_prio_model_t *model;
	uint32_t *candidates;
	uint64_t candidate_sum, preemptors;
	aishare_place_node_t *place_nodes;
	aishare_prio_running_t *running;
	size_t running_count;
	size_t started_job; /* watcher: the job that started in the last second */
	uint64_t recorded;  /* watcher: placement lines written (a check it measured) */
	aishare_node_set_t *node_set;
};

static void add_row(const bench_t *b, const char *plugin, const char *decision,
		    const char *per, double *samples, size_t n, double cpu)
{
	row_t *row = &rows[row_count++];

	qsort(samples, n, sizeof(double), ascending);
	*row = (row_t) { plugin, decision, per, b->c.nodes, b->c.pending, n,
			 rank_value(samples, n, 50), rank_value(samples, n, 99), cpu };
	if (!strcmp(plugin, "spank"))
		row->nodes = row->pending = 0;
}

/*
 * Call FN until the row has LEAST samples and BUDGET seconds went by (or MOST
 * samples), or, for a slow decision, until CAP seconds went by with at least
 * FEWEST.  A row per part that FN times inside itself comes from the same calls.
 */
static int time_decision(bench_t *b, const char *plugin, const char *decision,
			 const char *per, decision_fn fn, const char *const *parts)
{
	double began = now(), cpu = clock_seconds(CLOCK_THREAD_CPUTIME_ID), elapsed = 0;
	size_t n = 0, part_count = 0;

	while (parts && parts[2 * part_count])
		part_count++;
	if (part_count > MOST_PARTS || row_count + 1 + part_count > sizeof(rows) / sizeof(rows[0]))
		return -1;
	while (n < b->most && (n < b->least ? n < b->fewest || elapsed < b->cap :
					      elapsed < b->budget)) {
		double start = now();

		fn(b, n);
		b->samples[n] = now() - start;
		for (size_t k = 0; k < part_count; k++)
			b->part_samples[k][n] = b->part[k];
		n++;
		elapsed = now() - began;
	}
	cpu = (clock_seconds(CLOCK_THREAD_CPUTIME_ID) - cpu) / n;
	add_row(b, plugin, decision, per, b->samples, n, cpu);
	for (size_t k = 0; k < part_count; k++)
		add_row(b, plugin, parts[2 * k], parts[2 * k + 1], b->part_samples[k], n, NAN);
	return 0;
}

/* ------------------------------------------------------------ preempt/aishare */

static int update_ledger(aishare_ledger_t *ledger, const cluster_t *c, int with_jobs)
{
	return aishare_ledger_update(ledger, c->node_info, c->nodes, c->partitions, PART_COUNT,
				     with_jobs ? c->job_info : NULL, with_jobs ? c->job_count : 0,
				     NULL);
}

static void preempt_may(bench_t *b, size_t call)
{
	const cluster_t *c = &b->c;
	const job_t *preemptor = &c->jobs[c->pool_pending[call % c->pool_pending_count]];

	aishare_ledger_may_preempt(b->ledger, preemptor->id, c->jobs[call % c->job_count].id);
}

static void preempt_rank(bench_t *b, size_t call)
{
	(void) call;
	aishare_ledger_victim_rank(b->ledger, b->c.jobs[below(b->c.running)].id);
}

static const aishare_ledger_t *sorting; /* qsort has no argument for it */

/* Slurm's _sort_by_prio: PREEMPT_DATA_PRIO of both jobs, every comparison. */
static int by_victim_rank(const void *a, const void *b)
{
	uint32_t x = aishare_ledger_victim_rank(sorting, *(const uint32_t *) a);
	uint32_t y = aishare_ledger_victim_rank(sorting, *(const uint32_t *) b);

	return (x > y) - (x < y);
}

/* slurm_find_preemptable_jobs() for one pool job, with the job records changed. */
static void preempt_find(bench_t *b, size_t call)
{
	const cluster_t *c = &b->c;
	uint32_t preemptor = c->jobs[c->pool_pending[call % c->pool_pending_count]].id;
	size_t found = 0;
	double start = now();

	update_ledger(b->ledger, c, 1);
	b->part[0] = now() - start;
	for (size_t j = 0; j < c->job_count; j++)
		if (aishare_ledger_may_preempt(b->ledger, preemptor, c->jobs[j].id) == 1)
			b->candidates[found++] = c->jobs[j].id;
	sorting = b->ledger;
	qsort(b->candidates, found, sizeof(uint32_t), by_victim_rank);
	b->candidate_sum += found;
	b->preemptors++;
}

static int bench_preempt(bench_t *b)
{
	static const char *const parts[] = { "ledger_update", "rebuild, all jobs", NULL };

	b->candidate_sum = b->preemptors = 0;
	if (update_ledger(b->ledger, &b->c, 1))
		return -1;
	return time_decision(b, "preempt", "may_preempt", "job in job_list", preempt_may, NULL) ||
	       time_decision(b, "preempt", "victim_rank", "rank asked (2 a comparison)",
			     preempt_rank, NULL) ||
	       time_decision(b, "preempt", "find_preemptable", "pool job tried (whole)",
			     preempt_find, parts);
}

/* --------------------------------------------------------- job_submit/aishare */

static void submit_snapshot(bench_t *b, size_t call)
{
	(void) call;
	update_ledger(b->bounded, &b->c, 0);
}

static void submit_avoid(bench_t *b, size_t call)
{
	const job_t *job = &b->c.jobs[b->c.running + b->c.finished + call % b->c.pending];

	free(aishare_ledger_nodes_to_avoid(b->bounded, partition_names[job->part],
					   job->time_limit));
}

/* job_shape.c's _partition_nodes(): borrowers and blockers from job_list, then the pool's nodes. */
static void pool_nodes(bench_t *b)
{
	const cluster_t *c = &b->c;
	double *victims = calloc(c->nodes, sizeof(double));
	uint8_t *blocked = calloc(c->nodes, 1);

	for (size_t j = 0; victims && blocked && j < c->job_count; j++) {
		const job_t *job = &c->jobs[j];

		if (job->state != AISHARE_JOB_RUNNING || !job->node_count)
			continue;
		for (size_t k = 0; k < job->node_count; k++) {
			uint32_t node = c->job_nodes[job->first_node + k];

			if (job->part == PART_POOL)
				blocked[node] = 1;
			else
				victims[node] += 1.0 / job->node_count;
		}
	}
	for (size_t i = 0; victims && blocked && i < c->pool_nodes; i++)
		b->place_nodes[i] = (aishare_place_node_t) {
			.name = c->names[i],
			.gpu_type = "h100",
			.gpus = GPUS_PER_NODE,
			.free_gpus = GPUS_PER_NODE - c->used_gpus[i],
			.idle = c->used_gpus[i] == 0,
			.up = c->up[i],
			.reclaimable = victims[i] > 0 && !blocked[i],
			.victims = victims[i],
		};
	free(victims);
	free(blocked);
}

static void plan_one(bench_t *b, size_t call)
{
	const job_t *job = &b->c.jobs[b->c.pool_pending[call % b->c.pool_pending_count]];
	aishare_place_request_t request = {
		.tres_per_job = job->tres_per_node ? NULL : job->tres,
		.tres_per_node = job->tres_per_node ? job->tres : NULL,
		.nodes = job->nodes_asked,
		.whole_nodes = 1,
		.partition = partition_names[PART_POOL],
	};
	aishare_place_plan_t plan;

	if (!aishare_place_plan(b->c.fabric, b->place_nodes, b->c.pool_nodes, &request,
				MOST_ALTERNATIVES, &plan))
		aishare_place_plan_clear(&plan);
}

static void submit_plan(bench_t *b, size_t call)
{
	plan_one(b, call);
}

/* job_submit() for a pool job: the kept nodes to avoid, then its shape. */
static void submit_whole(bench_t *b, size_t call)
{
	free(aishare_ledger_nodes_to_avoid(b->bounded, partition_names[PART_POOL], 0));
	pool_nodes(b);
	plan_one(b, call);
}

/* compact_wait_reason.c: rewrite the reason of each job still in its compact wait. */
static void watch_reasons(cluster_t *c, int64_t at)
{
	for (size_t j = 0; j < c->job_count; j++) {
		job_t *job = &c->jobs[j];
		long left;

		if (job->state != AISHARE_JOB_PENDING || !job->req_switch || !job->wait4switch_start)
			continue;
		left = (long) job->wait4switch - (long) (at - job->wait4switch_start);
		if (left <= 0)
			continue;
		free(job->state_desc);
		if (asprintf(&job->state_desc, "aishare: waits up to %ld s more for a compact placement on %u leaf switch%s, then takes the fewest free",
			     left, job->req_switch, job->req_switch == 1 ? "" : "es") < 0)
			job->state_desc = NULL;
	}
}

static void append_line(const char *path, const char *line)
{
	struct stat st;
	int fd;

	if (!stat(path, &st) && st.st_size + (off_t) strlen(line) > AISHARE_PLACEMENT_LOG_MAX_BYTES)
		unlink(path);
	if ((fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600)) < 0)
		return;
	if (write(fd, line, strlen(line)) < 0)
		perror("bench_decisions: placement log");
	close(fd);
}

/* placement_quality.c's _measure(): the free set at its start, from job_list. */
static void watch_measure(bench_t *b, const job_t *started, const long *fabric_index)
{
	const cluster_t *c = &b->c;
	uint8_t *busy = calloc(c->nodes, 1), *mine = calloc(c->nodes, 1);
	uint8_t *job = calloc(c->nodes, 1), *free_nodes = calloc(c->nodes, 1),
		*members = calloc(c->nodes, 1);
	aishare_placement_record_t record;
	char *line;

	for (size_t j = 0; busy && j < c->job_count; j++) {
		const job_t *other = &c->jobs[j];

		if (other == started || !other->node_count || other->state == AISHARE_JOB_PENDING ||
		    other->start_time > started->start_time ||
		    (other->state != AISHARE_JOB_RUNNING && other->end_time < started->start_time))
			continue;
		for (size_t k = 0; k < other->node_count; k++)
			busy[c->job_nodes[other->first_node + k]] = 1;
	}
	for (size_t k = 0; mine && k < started->node_count; k++)
		mine[c->job_nodes[started->first_node + k]] = 1;
	for (size_t i = 0; busy && mine && job && free_nodes && members && i < c->nodes; i++) {
		long at = fabric_index[i];

		if (at < 0)
			continue;
		job[at] = mine[i];
		members[at] = 1; /* one node class */
		free_nodes[at] = !busy[i] && c->up[i];
	}
	if (busy && mine && job && free_nodes && members &&
	    !aishare_fabric_measure(c->fabric, job, free_nodes, members, &record) &&
	    record.nodes > 1) {
		record.job_id = started->id;
		record.start_time = started->start_time;
		if ((line = aishare_placement_line(&record))) {
			append_line(b->log_path, line);
			free(line);
			b->recorded++;
		}
	}
	free(busy);
	free(mine);
	free(job);
	free(free_nodes);
	free(members);
}

/* job_watch.c's pass: reasons, then placements of the jobs started in the last second. */
static void watch_pass(bench_t *b, int64_t from, int64_t to)
{
	cluster_t *c = &b->c;
	long *fabric_index = malloc(c->nodes * sizeof(long));
	const job_t **started = NULL;
	size_t started_count = 0, started_size = 0;

	watch_reasons(c, to + 1);
	if (!fabric_index)
		return;
	for (size_t i = 0; i < c->nodes; i++)
		fabric_index[i] = aishare_fabric_node_index(c->fabric, c->names[i]);
	for (size_t j = 0; j < c->job_count; j++) {
		const job_t *job = &c->jobs[j];

		if (job->state == AISHARE_JOB_PENDING || !job->node_count ||
		    job->start_time <= from || job->start_time > to || job->node_count < 2)
			continue;
		if (started_count == started_size) {
			const job_t **grown;

			started_size = 2 * started_size + 16;
			if (!(grown = realloc(started, started_size * sizeof(*started))))
				break;
			started = grown;
		}
		started[started_count++] = job;
	}
	for (size_t i = 0; i < started_count; i++)
		watch_measure(b, started[i], fabric_index);
	free(started);
	free(fabric_index);
}

static void watch_idle(bench_t *b, size_t call)
{
	(void) call;
	watch_pass(b, NOW - 2, NOW - 1);
}

/* A pass in whose second one multi-node job started (taking turns among them). */
static void watch_start(bench_t *b, size_t call)
{
	cluster_t *c = &b->c;
	job_t *job;
	int64_t started_at;

	(void) call;
	for (size_t tried = 0; tried < c->running; tried++) {
		b->started_job = (b->started_job + 1) % c->running;
		if (c->jobs[b->started_job].node_count >= 2)
			break;
	}
	job = &c->jobs[b->started_job];
	started_at = job->start_time;
	job->start_time = NOW - 1;
	watch_pass(b, NOW - 2, NOW - 1);
	job->start_time = started_at;
}

static int bench_submit(bench_t *b)
{
	if (update_ledger(b->bounded, &b->c, 0))
		return -1;
	pool_nodes(b);
	b->started_job = 0;
	b->recorded = 0;
	return time_decision(b, "job_submit", "ledger_update", "rebuild, nodes changed",
			     submit_snapshot, NULL) ||
	       time_decision(b, "job_submit", "nodes_to_avoid", "submission, LendMode=bounded",
			     submit_avoid, NULL) ||
	       time_decision(b, "job_submit", "place_plan", "pool job submitted", submit_plan,
			     NULL) ||
	       time_decision(b, "job_submit", "submission", "pool job submitted (whole)",
			     submit_whole, NULL) ||
	       time_decision(b, "job_submit", "watch_pass_idle", "second, no job started (whole)",
			     watch_idle, NULL) ||
	       time_decision(b, "job_submit", "watch_pass_start",
			     "second, 1 multi-node start (whole)", watch_start, NULL);
}

/* -------------------------------------------------------- site_factor/aishare */

/* grant_usage.c: running jobs and the pools' state, then the model's inputs (timed). */
static int prio_update(bench_t *b, double *seconds)
{
	const cluster_t *c = &b->c;
	aishare_pool_status_t status;
	aishare_prio_pool_t pool = { 0 };
	size_t pools = 0;
	double start;
	int rc;

	b->running_count = 0;
	for (size_t j = 0; j < c->job_count; j++)
		if (c->jobs[j].state == AISHARE_JOB_RUNNING)
			b->running[b->running_count++] = (aishare_prio_running_t) {
				c->jobs[j].account, c->jobs[j].gpus, c->jobs[j].start_time };
	if (aishare_ledger_pool_count(b->ledger) &&
	    !aishare_ledger_pool_status(b->ledger, 0, &status)) {
		pool = (aishare_prio_pool_t) { status.partition, status.guarantee, status.used,
					       status.pending_gpus };
		pools = 1;
	}
	start = now();
	rc = aishare_prio_model_update(b->model, NOW, NOW - 60, c->grants, STARTUP_ACCOUNTS,
				       b->running, b->running_count, &pool, pools, NULL);
	*seconds = now() - start;
	return rc;
}

static void prio_job(bench_t *b, const job_t *job)
{
	aishare_prio_job_t asked = { job->id, job->account, partition_names[job->part],
				     job->gpus, job->submit_time };
	aishare_prio_result_t result;

	aishare_prio_model_job(b->model, &asked, &result);
}

static void site_job(bench_t *b, size_t call)
{
	prio_job(b, &b->c.jobs[b->c.running + b->c.finished + call % b->c.pending]);
}

/* site_factor_aishare.c's _pass(), under slurmctld's job write lock: snapshot,
 * inputs, every pending job. */
static void site_pass(bench_t *b, size_t call)
{
	const cluster_t *c = &b->c;

	(void) call;
	update_ledger(b->ledger, c, 1);
	prio_update(b, &b->part[0]);
	for (size_t j = 0; j < c->job_count; j++)
		if (c->jobs[j].state == AISHARE_JOB_PENDING)
			prio_job(b, &c->jobs[j]);
}

/* Its _save_state(), after the locks are let go: copy, then format and write. */
static void state_save(bench_t *b, size_t call)
{
	aishare_prio_state_t *state;
	double start = now();

	(void) call;
	state = aishare_prio_model_state(b->model);
	b->part[0] = now() - start;
	aishare_prio_state_save(state, b->state_path, NULL);
	aishare_prio_state_free(state);
}

static int bench_site_factor(bench_t *b)
{
	static const char *const pass_parts[] = { "prio_model_update", "pass", NULL };
	static const char *const save_parts[] = {
		"prio_model_state", "pass, every pending job (model mutex held)", NULL
	};
	double seconds;

	if (time_decision(b, "site_factor", "recalc_pass", "pass (whole)", site_pass,
			  pass_parts) ||
	    time_decision(b, "site_factor", "state_save", "pass, no slurmctld lock (whole)",
			  state_save, save_parts) ||
	    update_ledger(b->ledger, &b->c, 1) || prio_update(b, &seconds))
		return -1;
	/* As in a pass: each job's terms recorded anew after the update. */
	return time_decision(b, "site_factor", "prio_model_job", "pending job", site_job, NULL);
}

/* ------------------------------------------------------------- spank/aishare */

static void spank_bind(bench_t *b, size_t call)
{
	static const char *const gpus[] = { "0", "3", "0-1", "4,5", "0-3", "0-7" };
	aishare_task_binding_t binding;

	if (!aishare_task_binding_compute(b->node_set, 0, gpus[call % 6], &binding, NULL))
		aishare_task_binding_clear(&binding);
}

static int bench_spank(bench_t *b, const char *srcdir)
{
	char path[4096], *errors = NULL;
	int rc;

	snprintf(path, sizeof(path), "%s/tests/data/hwloc/gpu8-nic8.xml", srcdir);
	if (!(b->node_set = aishare_node_set_create()) ||
	    aishare_node_set_load_file(b->node_set, "gpu00001", path, &errors)) {
		fprintf(stderr, "bench_decisions: %s\n", errors ? errors : strerror(errno));
		free(errors);
		return -1;
	}
	aishare_hwloc_worker_stop(); /* as slurmstepd does once its node is loaded */
	rc = time_decision(b, "spank", "task_binding_compute", "task (node-local)", spank_bind,
			   NULL);
	print_row(&rows[row_count - 1]);
	return rc;
}

/* ------------------------------------------------------------------ a size */

/* The rows of a size, in the order printed: the adapters' calls, then whole decisions. */
static const char *const sized_rows[][2] = {
	{ "preempt", "ledger_update" },	       { "preempt", "may_preempt" },
	{ "preempt", "victim_rank" },	       { "preempt", "find_preemptable" },
	{ "job_submit", "ledger_update" },     { "job_submit", "nodes_to_avoid" },
	{ "job_submit", "place_plan" },	       { "job_submit", "submission" },
	{ "job_submit", "watch_pass_idle" },   { "job_submit", "watch_pass_start" },
	{ "site_factor", "prio_model_update" }, { "site_factor", "prio_model_job" },
	{ "site_factor", "prio_model_state" }, { "site_factor", "recalc_pass" },
	{ "site_factor", "state_save" },
};

static const row_t *find_row(const char *plugin, const char *decision, size_t nodes,
			     size_t pending)
{
	for (size_t i = 0; i < row_count; i++)
		if (!strcmp(rows[i].plugin, plugin) && !strcmp(rows[i].decision, decision) &&
		    rows[i].nodes == nodes && rows[i].pending == pending)
			return &rows[i];
	return NULL;
}


static int bench_size(bench_t *b, size_t nodes, size_t pending, unsigned seed)
{
	cluster_t *c = &b->c;
	aishare_pool_status_t pool;
	size_t most_jobs = nodes * GPUS_PER_NODE * 2 + pending;
	int rc = -1;

	if (cluster_build(c, nodes, pending, seed))
		return -1;
	b->candidates = calloc(most_jobs, sizeof(uint32_t));
	b->place_nodes = calloc(nodes, sizeof(aishare_place_node_t));
	b->running = calloc(most_jobs, sizeof(aishare_prio_running_t));
	if (!b->candidates || !b->place_nodes || !b->running ||
	    !(b->ledger = aishare_ledger_create(b->params, NULL)) ||
	    !(b->bounded = aishare_ledger_create(b->bounded_params, NULL)) ||
	    !(b->model = aishare_prio_model_create(b->params, NULL)))
		goto out;
	if (bench_preempt(b) || bench_submit(b) || bench_site_factor(b))
		goto out;
	aishare_ledger_pool_status(b->ledger, 0, &pool);
	fprintf(table, "# %zu nodes (%zu leaves, %zu spines), %zu GPUs; "
		"jobs: %zu running, %zu ended, %zu pending (%zu of the pool); "
		"pool %s: capacity %u GPUs, guarantee %u, used %u, borrowed %u by %u jobs; "
		"%.1f preemption candidates a pool job; %" PRIu64 " placement lines written\n",
		nodes, c->leaves, c->spines, nodes * GPUS_PER_NODE, c->running, c->finished,
		c->pending, c->pool_pending_count, pool.partition, pool.capacity, pool.guarantee,
		pool.used, pool.borrowed, pool.borrowers,
		b->preemptors ? (double) b->candidate_sum / b->preemptors : 0.0, b->recorded);
	for (size_t i = 0; i < sizeof(sized_rows) / sizeof(sized_rows[0]); i++)
		print_row(find_row(sized_rows[i][0], sized_rows[i][1], nodes, pending));
	rc = 0;
out:
	if (rc)
		fprintf(stderr, "bench_decisions: %zu nodes, %zu pending: %s\n", nodes, pending,
			strerror(errno));
	aishare_prio_model_free(b->model);
	aishare_ledger_free(b->bounded);
	aishare_ledger_free(b->ledger);
	b->model = NULL;
	b->bounded = b->ledger = NULL;
	free(b->candidates);
	free(b->place_nodes);
	free(b->running);
	cluster_free(c);
	return rc;
}

/* ------------------------------------------------------------------ summary */


/* A pass run RATE times a second: the CPU it takes, and how long it holds the lock. */
static void print_share(const char *what, const row_t *row, double rate)
{
	fprintf(table, "  %-48s %9.4f%% %9.4f%% %9.4f%%\n", what, row->cpu * rate * 100,
		row->p50 * rate * 100, row->p99 * rate * 100);
}

/* What the passes cost at their real rates, at the largest size run. */
static void print_shares(const aishare_params_t *params, size_t nodes, size_t pending)
{
	const row_t *idle = find_row("job_submit", "watch_pass_idle", nodes, pending);
	const row_t *start = find_row("job_submit", "watch_pass_start", nodes, pending);
	const row_t *recalc = find_row("site_factor", "recalc_pass", nodes, pending);
	const row_t *save = find_row("site_factor", "state_save", nodes, pending);
	const row_t *find = find_row("preempt", "find_preemptable", nodes, pending);
	const row_t *submit = find_row("job_submit", "submission", nodes, pending);
	uint64_t interval = 0;
	char what[64];

	if (!idle || !start || !recalc || !save || !find || !submit)
		return;
	(void) aishare_params_get_uint(params, AISHARE_KEY_RECALC_INTERVAL, &interval);
	fprintf(table, "\nshare of one core at %zu nodes / %zu pending: a pass's mean CPU time, and its\n"
		"wall time p50 and p99 (slurmctld's job write lock is held throughout, but not\n"
		"for the state file), times its rate\n"
		"  %-48s %10s %10s %10s\n", nodes, pending, "pass, rate", "CPU", "lock p50",
		"lock p99");
	print_share("watcher, 1/s, a second without a start", idle, 1.0);
	print_share("watcher, 1/s, a second with a multi-node start", start, 1.0);
	if (interval) {
		snprintf(what, sizeof(what), "recalculation, every %" PRIu64 " s (RecalcInterval)",
			 interval);
		print_share(what, recalc, 1.0 / interval);
		snprintf(what, sizeof(what), "state file, every %" PRIu64 " s, no lock", interval);
		print_share(what, save, 1.0 / interval);
	}
	snprintf(what, sizeof(what), "recalculation, every %d s (PriorityCalcPeriod)",
		 PRIORITY_CALC_PERIOD);
	print_share(what, recalc, 1.0 / PRIORITY_CALC_PERIOD);
	fprintf(table, "per call, at rates the site sets:\n"
		"  find_preemptable: a main scheduling pass trying %d pool jobs (default_queue_depth)\n"
		"    spends %.1f ms (p50) in it, the job records having changed before each\n"
		"  submission of a pool job: one core sustains %.0f a second (p50)\n",
		DEFAULT_QUEUE_DEPTH, find->p50 * DEFAULT_QUEUE_DEPTH * 1e3, 1.0 / submit->p50);
}

static void print_json(void)
{
	printf("{\"rows\":[");
	for (size_t i = 0; i < row_count; i++) {
		const row_t *row = &rows[i], *base = base_of(row);

		printf("%s\n{\"plugin\":\"%s\",\"decision\":\"%s\",\"per\":\"%s\",\"nodes\":%zu,"
		       "\"pending\":%zu,\"calls\":%zu,\"p50_us\":%.3f,\"p99_us\":%.3f,"
		       "\"p99_ratio\":%.3f,\"p50_ratio\":%.3f,\"cpu_mean_us\":",
		       i ? "," : "", row->plugin, row->decision, row->per, row->nodes,
		       row->pending, row->calls, row->p50 * 1e6, row->p99 * 1e6,
		       row->p99 / base->p99, row->p50 / base->p50);
		/* A part of a whole decision has no CPU time of its own. */
		if (isnan(row->cpu))
			printf("null}");
		else
			printf("%.3f}", row->cpu * 1e6);
	}
	printf("]}\n");
}

static int usage(void)
{
	fprintf(stderr, "usage: bench_decisions [--smoke] [--grid] [--json] [--seed S] "
			"[--srcdir DIR]\n");
	return 2;
}

int main(int argc, char **argv)
{
	static const size_t node_sizes[] = { 256, 1024, 4096 };
	static const size_t pending_sizes[] = { 1000, 10000, 50000 };
	const char *srcdir = BENCH_SRCDIR;
	size_t sizes = 3, last;
	unsigned seed = 1;
	int smoke = 0, json = 0, grid = 0, rc = 1;
	/* A 4096-node, 50k-pending recalculation pass takes about a second: capped. */
	bench_t b = { .least = 200, .most = 20000, .fewest = 20, .budget = 0.2, .cap = 20 };

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--smoke"))
			smoke = 1;
		else if (!strcmp(argv[i], "--json"))
			json = 1;
		else if (!strcmp(argv[i], "--grid"))
			grid = 1;
		else if (!strcmp(argv[i], "--seed") && i + 1 < argc)
			seed = strtoul(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--srcdir") && i + 1 < argc)
			srcdir = argv[++i];
		else
			return usage();
	}
	if (smoke) {
		sizes = 1;
		b.least = b.fewest = 20;
		b.most = 200;
		b.budget = 0.01;
	}
	last = sizes - 1;
	/* JSON alone on stdout: the table goes nowhere. */
	if (!(table = json ? fopen("/dev/null", "w") : stdout))
		return 1;
	if (!(b.samples = malloc(b.most * sizeof(double))) ||
	    !(b.part_samples[0] = malloc(b.most * sizeof(double))) ||
	    !(b.part_samples[1] = malloc(b.most * sizeof(double))) ||
	    !(b.params = aishare_params_parse(AISHARE_PARAMS_CONTROLLER, "Pools=ai-startup", NULL)) ||
	    !(b.bounded_params = aishare_params_parse(AISHARE_PARAMS_CONTROLLER,
						      "Pools=ai-startup,LendMode=bounded", NULL)))
		goto out;
	strcpy(b.dir, "/tmp/aishare-bench-decisions.XXXXXX");
	if (!mkdtemp(b.dir)) {
		perror("bench_decisions: mkdtemp");
		goto out;
	}
	snprintf(b.log_path, sizeof(b.log_path), "%s/%s", b.dir, AISHARE_PLACEMENT_LOG);
	snprintf(b.state_path, sizeof(b.state_path), "%s/aishare_priority.state", b.dir);

	fprintf(table, "bench_decisions: slurm-aishare %s, seed %u, %ld CPUs online; wall times in\n"
		"microseconds, each with one clock read (p50 %.3f us)\n", aishare_version(), seed,
		sysconf(_SC_NPROCESSORS_ONLN), clock_read(b.samples, b.least));
	print_header();
	if (bench_spank(&b, srcdir))
		goto cleanup;
	/* The cluster and its queue grow together; --grid crosses every pair. */
	for (size_t n = 0; n < sizes; n++)
		for (size_t p = grid ? 0 : n; p < (grid ? sizes : n + 1); p++)
			if (bench_size(&b, node_sizes[n], pending_sizes[p], seed))
				goto cleanup;
	print_shares(b.params, node_sizes[last], pending_sizes[last]);
	rc = 0;
cleanup:
	unlink(b.log_path);
	unlink(b.state_path);
	rmdir(b.dir);
out:
	if (json && !rc)
		print_json();
	if (table != stdout)
		fclose(table);
	aishare_node_set_free(b.node_set);
	aishare_params_free(b.params);
	aishare_params_free(b.bounded_params);
	free(b.samples);
	free(b.part_samples[0]);
	free(b.part_samples[1]);
	return rc;
}
