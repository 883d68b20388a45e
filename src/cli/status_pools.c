/*
 * status_pools.c - the pools in `aishare status`: each pool partition's share,
 * capacity, guarantee, use, lending and reclaims, from the cluster read through
 * libslurm into the ledger preempt/aishare keeps (cluster_snapshot.c).
 *
 * The Prometheus families are written metric by metric, each with every pool,
 * because the exposition format wants all samples of a family together after
 * its TYPE line.
 *
 * Copyright (C) 2026 The slurm-aishare authors.  GPL-2.0-or-later.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cluster_snapshot.h"
#include "status_pools.h"
#include "status_prometheus.h"

enum field_kind {
	FIELD_U32,        /* a uint32_t of aishare_pool_status_t */
	FIELD_U64,        /* a uint64_t */
	FIELD_DOUBLE,     /* a double */
	FIELD_KEPT_NODES, /* the number of names in kept_nodes */
};

static const struct pool_metric {
	const char *name;
	const char *type;
	const char *help;
	enum field_kind kind;
	size_t offset;
} pool_metrics[] = {
	{ "aishare_pool_share_ratio", "gauge",
	  "Fraction of the pool partition's usable GPUs guaranteed to its jobs (Share).",
	  FIELD_DOUBLE, offsetof(aishare_pool_status_t, share) },
	{ "aishare_pool_capacity_gpus", "gauge",
	  "GPUs of the pool partition's usable (not DOWN, DRAIN or FAIL) nodes.",
	  FIELD_U32, offsetof(aishare_pool_status_t, capacity) },
	{ "aishare_pool_guarantee_gpus", "gauge",
	  "GPUs guaranteed to the pool's jobs: floor(Share x capacity).",
	  FIELD_U32, offsetof(aishare_pool_status_t, guarantee) },
	{ "aishare_pool_used_gpus", "gauge", "GPUs held by the pool's running jobs.",
	  FIELD_U32, offsetof(aishare_pool_status_t, used) },
	{ "aishare_pool_lent_gpus", "gauge",
	  "Guaranteed GPUs the pool does not use that borrowing jobs hold.",
	  FIELD_U32, offsetof(aishare_pool_status_t, lent) },
	{ "aishare_pool_borrowed_gpus", "gauge",
	  "GPUs that jobs of other partitions hold on the pool's nodes.",
	  FIELD_U32, offsetof(aishare_pool_status_t, borrowed) },
	{ "aishare_pool_borrowing_jobs", "gauge",
	  "Running jobs of other partitions on the pool's nodes.",
	  FIELD_U32, offsetof(aishare_pool_status_t, borrowers) },
	{ "aishare_pool_pending_gpus", "gauge", "GPUs requested by the pool's pending jobs.",
	  FIELD_U32, offsetof(aishare_pool_status_t, pending_gpus) },
	{ "aishare_pool_kept_nodes", "gauge",
	  "Nodes kept for the pool (LendMode=bounded or none; 0 in preempt mode).",
	  FIELD_KEPT_NODES, 0 },
	{ "aishare_pool_preempted_jobs_total", "counter",
	  "Borrowing jobs preempted to give GPUs back to the pool.",
	  FIELD_U64, offsetof(aishare_pool_status_t, reclaims) },
	{ "aishare_pool_reclaim_latency_max_seconds", "gauge",
	  "Longest reclaim: seconds from the first victim's preemption to the pool job's start.",
	  FIELD_DOUBLE, offsetof(aishare_pool_status_t, reclaim_latency_max) },
};

static void print_sample_head(FILE *out, const char *name, const char *suffix,
			      const aishare_pool_status_t *pool)
{
	fprintf(out, "%s%s{pool=\"", name, suffix);
	prometheus_label_value(out, pool->partition);
	fputs("\"} ", out);
}

static unsigned count_names(const char *list)
{
	unsigned count = 0;

	if (!list || !*list)
		return 0;
	for (count = 1; *list; list++)
		count += *list == ',';
	return count;
}

static void print_pool_value(FILE *out, const struct pool_metric *metric,
			     const aishare_pool_status_t *pool)
{
	const char *field = (const char *) pool + metric->offset;
	uint32_t u32;
	uint64_t u64;
	double real;

	switch (metric->kind) {
	case FIELD_U32:
		memcpy(&u32, field, sizeof(u32));
		fprintf(out, "%u\n", u32);
		break;
	case FIELD_U64:
		memcpy(&u64, field, sizeof(u64));
		fprintf(out, "%llu\n", (unsigned long long) u64);
		break;
	case FIELD_DOUBLE:
		memcpy(&real, field, sizeof(real));
		fprintf(out, "%.9g\n", real);
		break;
	case FIELD_KEPT_NODES:
		fprintf(out, "%u\n", count_names(pool->kept_nodes));
		break;
	}
}

int status_pools_load(struct status_pools *pools)
{
	memset(pools, 0, sizeof(*pools));
	pools->ledger = cluster_ledger_load();
	return pools->ledger ? 0 : -1;
}

void status_pools_free(struct status_pools *pools)
{
	aishare_ledger_free(pools->ledger);
	memset(pools, 0, sizeof(*pools));
}

void status_pools_text(FILE *out, const struct status_pools *pools)
{
	const aishare_ledger_t *ledger = pools->ledger;
	aishare_pool_status_t pool;

	for (size_t i = 0; i < aishare_ledger_pool_count(ledger); i++) {
		if (aishare_ledger_pool_status(ledger, i, &pool))
			continue;
		fprintf(out, "pool %s: share %g%%\n", pool.partition, pool.share * 100);
		fprintf(out, "  capacity   %u GPUs on usable nodes\n", pool.capacity);
		fprintf(out, "  guarantee  %u GPUs\n", pool.guarantee);
		fprintf(out, "  used       %u GPUs by the pool's jobs\n", pool.used);
		fprintf(out, "  lent       %u GPUs of the guarantee, to %u borrowing jobs "
			"(%u GPUs borrowed on the pool's nodes)\n",
			pool.lent, pool.borrowers, pool.borrowed);
		fprintf(out, "  pending    %u GPUs requested by the pool's pending jobs\n",
			pool.pending_gpus);
		if (*pool.kept_nodes)
			fprintf(out, "  kept       %s\n", pool.kept_nodes);
		fprintf(out, "  reclaims   %llu jobs preempted, %llu reclaims completed, "
			"latency mean %.1f s, max %.1f s\n",
			(unsigned long long) pool.reclaims,
			(unsigned long long) pool.reclaim_events, pool.reclaim_latency_mean,
			pool.reclaim_latency_max);
	}
}

char *status_pools_json(const struct status_pools *pools)
{
	return aishare_ledger_json(pools->ledger);
}

int status_pools_prometheus(FILE *out, const struct status_pools *pools)
{
	const aishare_ledger_t *ledger = pools->ledger;
	size_t count = aishare_ledger_pool_count(ledger);
	aishare_pool_status_t pool;

	for (size_t m = 0; m < sizeof(pool_metrics) / sizeof(pool_metrics[0]); m++) {
		fprintf(out, "# HELP %s %s\n# TYPE %s %s\n", pool_metrics[m].name,
			pool_metrics[m].help, pool_metrics[m].name, pool_metrics[m].type);
		for (size_t i = 0; i < count; i++) {
			if (aishare_ledger_pool_status(ledger, i, &pool))
				continue;
			print_sample_head(out, pool_metrics[m].name, "", &pool);
			print_pool_value(out, &pool_metrics[m], &pool);
		}
	}

	/* Completed reclaims as a summary without quantiles: _count and _sum give
	 * the mean latency over any range with rate(). */
	fputs("# HELP aishare_pool_reclaim_latency_seconds Completed reclaims: seconds from "
	      "the first victim's preemption to the pool job's start.\n"
	      "# TYPE aishare_pool_reclaim_latency_seconds summary\n", out);
	for (size_t i = 0; i < count; i++) {
		if (aishare_ledger_pool_status(ledger, i, &pool))
			continue;
		print_sample_head(out, "aishare_pool_reclaim_latency_seconds", "_sum", &pool);
		fprintf(out, "%.9g\n", pool.reclaim_latency_mean * (double) pool.reclaim_events);
		print_sample_head(out, "aishare_pool_reclaim_latency_seconds", "_count", &pool);
		fprintf(out, "%llu\n", (unsigned long long) pool.reclaim_events);
	}
	return ferror(out) ? -1 : 0;
}
