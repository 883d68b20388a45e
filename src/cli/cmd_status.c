/*
 * cmd_status.c - `aishare status`: the pools, their guarantee, lending and reclaims.
 *
 * Copyright (C) 2026 The slurm-aishare authors.  GPL-2.0-or-later.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aishare_cli.h"
#include "cluster_snapshot.h"

static void print_text(const aishare_ledger_t *ledger)
{
	aishare_pool_status_t pool;

	for (size_t i = 0; i < aishare_ledger_pool_count(ledger); i++) {
		if (aishare_ledger_pool_status(ledger, i, &pool))
			continue;
		printf("pool %s: share %g%%\n", pool.partition, pool.share * 100);
		printf("  capacity   %u GPUs on usable nodes\n", pool.capacity);
		printf("  guarantee  %u GPUs\n", pool.guarantee);
		printf("  used       %u GPUs by the pool's jobs\n", pool.used);
		printf("  lent       %u GPUs of the guarantee, to %u borrowing jobs "
		       "(%u GPUs borrowed on the pool's nodes)\n",
		       pool.lent, pool.borrowers, pool.borrowed);
		printf("  pending    %u GPUs requested by the pool's pending jobs\n",
		       pool.pending_gpus);
		if (*pool.kept_nodes)
			printf("  kept       %s\n", pool.kept_nodes);
		printf("  reclaims   %llu jobs preempted, %llu reclaims completed, "
		       "latency mean %.1f s, max %.1f s\n",
		       (unsigned long long) pool.reclaims,
		       (unsigned long long) pool.reclaim_events, pool.reclaim_latency_mean,
		       pool.reclaim_latency_max);
	}
}

int cmd_status(int argc, char **argv)
{
	int json = 0;
	aishare_ledger_t *ledger;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			json = 1;
		else
			return cli_usage_error("status", argv[i]);
	}
	if (!(ledger = cluster_ledger_load()))
		return 1;
	if (json) {
		char *text = aishare_ledger_json(ledger);

		if (!text) {
			fprintf(stderr, "aishare: out of memory\n");
			aishare_ledger_free(ledger);
			return 1;
		}
		printf("%s\n", text);
		free(text);
	} else {
		print_text(ledger);
	}
	aishare_ledger_free(ledger);
	return 0;
}
