/*
 * bench_topo.c - what the topology model costs as the machine grows.
 *
 *   1. Loading and classifying N node XMLs (default 4096): hwloc's XML import
 *      and our profile extraction per node, then the node classes of the set.
 *      Then the same load as `aishare status` does it at every scrape, through
 *      the node profile cache: once cold (it fills the cache and saves it) and
 *      once warm (no file changed), and the ratio of a scrape's load before the
 *      cache (every file through hwloc) to a warm one.
 *   2. Placement queries on a fabric (default: the real 847-node Lingjun fabric):
 *      the leaf-switch lower bound and the lowest switch for a random job on a
 *      random set of free nodes, p50/p99 per query.
 *
 * The node XMLs are copies of the fixtures in tests/data/hwloc, mostly the 8-GPU
 * node, written to a scratch directory first (not timed).  Prints figures only;
 * it is a benchmark, not a test.
 *
 * usage: bench_topo [--srcdir DIR] [--nodes N] [--queries Q] [--seed S]
 *
 * Copyright (C) 2026 The slurm-aishare authors.  GPL-2.0-or-later.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "aishare.h"
#include "hostlist_text.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *) a, y = *(const double *) b;

	return (x > y) - (x < y);
}

/* The Pth percentile (0..100) of N sorted samples. */
static double percentile(const double *sorted, size_t n, double p)
{
	size_t index = (size_t) (p / 100.0 * (n - 1) + 0.5);

	return sorted[index < n ? index : n - 1];
}

static void report(const char *what, double *samples, size_t n)
{
	qsort(samples, n, sizeof(*samples), by_value);
	printf("  %-34s p50 %9.2f us   p99 %9.2f us   max %9.2f us   (%zu calls)\n", what,
	       percentile(samples, n, 50) * 1e6, percentile(samples, n, 99) * 1e6,
	       samples[n - 1] * 1e6, n);
}

static int copy_file(const char *from, const char *to)
{
	char buffer[1 << 16];
	size_t got;
	FILE *in = fopen(from, "rb"), *out = in ? fopen(to, "wb") : NULL;
	int rc = 0;

	if (!in || !out) {
		rc = -1;
		goto done;
	}
	while ((got = fread(buffer, 1, sizeof(buffer), in)) > 0)
		if (fwrite(buffer, 1, got, out) != got)
			rc = -1;
done:
	if (out && fclose(out))
		rc = -1;
	if (in)
		fclose(in);
	return rc;
}

/* Loads gpu00001.xml... of DIR into a new set through CACHE (NULL: none); the
 * seconds each file took go to LOAD when it is not NULL.  Returns the total
 * seconds, or -1. */
static double load_all(const char *dir, size_t node_count, aishare_profile_cache_t *cache,
		       double *load, aishare_node_set_t **set_out)
{
	aishare_node_set_t *set = aishare_node_set_create();
	double total = 0, start;
	char node[32], path[4096], *errors = NULL;

	if (!set)
		return -1;
	for (size_t i = 0; i < node_count; i++) {
		snprintf(node, sizeof(node), "gpu%05zu", i + 1);
		snprintf(path, sizeof(path), "%s/%s.xml", dir, node);
		start = now();
		if (aishare_node_set_load_file_cached(set, node, path, cache, &errors)) {
			fprintf(stderr, "bench_topo: %s\n", errors ? errors : strerror(errno));
			free(errors);
			aishare_node_set_free(set);
			return -1;
		}
		if (load)
			load[i] = now() - start;
		total += now() - start;
	}
	if (set_out)
		*set_out = set;
	else
		aishare_node_set_free(set);
	return total;
}

/* A status scrape's node load through the cache in DIR/cache, cold then warm. */
static int bench_cache(const char *dir, size_t node_count, double uncached)
{
	char path[4096], *errors = NULL;
	double cold, warm, save, start;
	aishare_profile_cache_t *cache;
	size_t hits;

	snprintf(path, sizeof(path), "%s/cache", dir);
	if (!(cache = aishare_profile_cache_open(path)) ||
	    (cold = load_all(dir, node_count, cache, NULL, NULL)) < 0)
		return -1;
	start = now();
	if (aishare_profile_cache_save(cache, &errors)) {
		fprintf(stderr, "bench_topo: %s\n", errors ? errors : strerror(errno));
		free(errors);
		aishare_profile_cache_free(cache);
		return -1;
	}
	save = now() - start;
	aishare_profile_cache_free(cache);
	start = now();
	if (!(cache = aishare_profile_cache_open(path)))
		return -1;
	warm = load_all(dir, node_count, cache, NULL, NULL);
	hits = aishare_profile_cache_hits(cache);
	aishare_profile_cache_free(cache);
	if (warm < 0)
		return -1;
	warm = now() - start; /* reading the cache file counts too */
	unlink(path);
	printf("  load all, cache cold               %9.3f s (+ %.3f s to save it)\n", cold, save);
	printf("  load all, cache warm               %9.3f s (%zu of %zu from the cache)\n", warm,
	       hits, node_count);
	printf("  a scrape's node load, no cache / warm cache: %.1fx\n", uncached / warm);
	return hits == node_count ? 0 : -1;
}

static int bench_nodes(const char *srcdir, size_t node_count)
{
	/* A site of current 8-GPU nodes with a few degraded ones and older classes. */
	static const char *const mix[] = { "gpu8-nic8", "gpu8-nic8", "gpu8-nic8", "gpu8-nic8",
					   "gpu8-nic8", "gpu8-nic8", "gpu4-pcie", "gpu8-nic8",
					   "gpu8-nic8", "gpu8-nic8", "gpu8-nic8", "gpu8-nic8",
					   "gpu8-nic8", "gpu8-nic8", "nvidiaDGX2", "gpu8-nic8-missing-gpu" };
	char dir[] = "/tmp/aishare-bench-topo.XXXXXX", path[4096], from[4096];
	double *load = calloc(node_count, sizeof(double)), start, total_load, classify;
	aishare_node_set_t *set = NULL;
	size_t mix_size = sizeof(mix) / sizeof(mix[0]);
	int rc = 1;

	if (!load || !mkdtemp(dir)) {
		fprintf(stderr, "bench_topo: cannot set up: %s\n", strerror(errno));
		goto out;
	}
	for (size_t i = 0; i < node_count; i++) {
		snprintf(from, sizeof(from), "%s/tests/data/hwloc/%s.xml", srcdir, mix[i % mix_size]);
		snprintf(path, sizeof(path), "%s/gpu%05zu.xml", dir, i + 1);
		if (copy_file(from, path)) {
			fprintf(stderr, "bench_topo: cannot copy %s to %s\n", from, path);
			goto cleanup;
		}
	}
	if ((total_load = load_all(dir, node_count, NULL, load, &set)) < 0)
		goto cleanup;
	start = now();
	size_t classes = aishare_node_set_class_count(set);
	size_t degraded = 0;

	for (size_t i = 0; i < node_count; i++)
		degraded += aishare_node_degraded(set, i) != NULL;
	classify = now() - start;
	printf("node XMLs: %zu nodes, %zu classes, %zu degraded\n", node_count, classes, degraded);
	printf("  load all                           %9.3f s (hwloc import + profile)\n",
	       total_load);
	printf("  classify all                       %9.3f ms\n", classify * 1e3);
	report("load one node XML", load, node_count);
	rc = bench_cache(dir, node_count, total_load) ? 1 : 0;
cleanup:
	for (size_t i = 0; i < node_count; i++) {
		snprintf(path, sizeof(path), "%s/gpu%05zu.xml", dir, i + 1);
		unlink(path);
	}
	rmdir(dir);
out:
	aishare_node_set_free(set);
	free(load);
	return rc;
}

static int bench_fabric(const char *path, size_t queries, unsigned seed)
{
	char *errors = NULL;
	aishare_fabric_t *fabric = aishare_fabric_load(path, hostlist_text_expand, NULL, &errors);
	double *bound = calloc(queries, sizeof(double)), *lowest = calloc(queries, sizeof(double));
	size_t nodes, fitted = 0;
	uint8_t *free_nodes;
	int rc = 1;

	if (!fabric) {
		fprintf(stderr, "bench_topo: %s\n", errors ? errors : strerror(errno));
		goto out;
	}
	nodes = aishare_fabric_node_count(fabric);
	if (!(free_nodes = malloc(nodes)) || !bound || !lowest)
		goto out;
	srand(seed);
	for (size_t q = 0; q < queries; q++) {
		/* A machine between 10% and 90% busy, a job of 1 to 64 nodes. */
		unsigned busy = 10 + rand() % 81;
		uint32_t job = 1 + rand() % 64;
		aishare_switch_choice_t choice;
		double start;

		for (size_t n = 0; n < nodes; n++)
			free_nodes[n] = (unsigned) (rand() % 100) >= busy;
		start = now();
		long leaves = aishare_fabric_leaf_bound(fabric, free_nodes, job);
		bound[q] = now() - start;
		start = now();
		int found = aishare_fabric_lowest_switch(fabric, free_nodes, job, &choice);
		lowest[q] = now() - start;
		fitted += leaves >= 0 && found == 0;
	}
	printf("fabric %s: %zu nodes, %zu leaf switches; %zu random queries, %zu fit\n", path,
	       nodes, aishare_fabric_leaf_count(fabric), queries, fitted);
	report("leaf-switch lower bound", bound, queries);
	report("lowest switch holding the job", lowest, queries);
	rc = 0;
	free(free_nodes);
out:
	free(errors);
	free(bound);
	free(lowest);
	aishare_fabric_free(fabric);
	return rc;
}

int main(int argc, char **argv)
{
	const char *srcdir = ".";
	size_t node_count = 4096, queries = 10000;
	unsigned seed = 1;
	char fabric[4096];

	for (int i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--srcdir"))
			srcdir = argv[i + 1];
		else if (!strcmp(argv[i], "--nodes"))
			node_count = strtoul(argv[i + 1], NULL, 10);
		else if (!strcmp(argv[i], "--queries"))
			queries = strtoul(argv[i + 1], NULL, 10);
		else if (!strcmp(argv[i], "--seed"))
			seed = strtoul(argv[i + 1], NULL, 10);
		else {
			fprintf(stderr, "usage: bench_topo [--srcdir DIR] [--nodes N] "
				"[--queries Q] [--seed S]\n");
			return 2;
		}
	}
	if (!node_count || !queries) {
		fprintf(stderr, "bench_topo: --nodes and --queries must be positive\n");
		return 2;
	}
	snprintf(fabric, sizeof(fabric), "%s/tests/data/topology/lingjun_847.conf", srcdir);
	if (bench_nodes(srcdir, node_count) || bench_fabric(fabric, queries, seed))
		return 1;
	return 0;
}
