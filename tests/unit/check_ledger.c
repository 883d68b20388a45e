/*
 * check_ledger.c - unit tests of the pool ledger (the guarantee) through the C API.
 *
 * Copyright (C) 2026 The slurm-aishare authors.  GPL-2.0-or-later.
 */
#define _POSIX_C_SOURCE 200809L
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aishare.h"
#include "check_main.h"

/* A 16-node cluster of 4 GPUs each; partitions gpu and ai-startup over all nodes. */
#define NODES 16
static aishare_node_info_t nodes[NODES];
static uint32_t all_nodes[NODES];
static aishare_partition_info_t parts[2];

/* Running jobs hold one node each unless said otherwise. */
static uint32_t job_nodes[64][NODES];
static aishare_job_info_t jobs[64];
static size_t job_count;

static void cluster_reset(void)
{
	static char names[NODES][8];

	for (int i = 0; i < NODES; i++) {
		snprintf(names[i], sizeof(names[i]), "node%02d", i + 1);
		nodes[i] = (aishare_node_info_t){ names[i], 4, 1 };
		all_nodes[i] = i;
	}
	parts[0] = (aishare_partition_info_t){ "gpu", all_nodes, NODES };
	parts[1] = (aishare_partition_info_t){ "ai-startup", all_nodes, NODES };
	job_count = 0;
}

/* Adds a job; FIRST_NODE < 0 makes it pending.  Returns its id. */
static uint32_t add_job(const char *partition, uint32_t gpus, int first_node, size_t node_count,
			int64_t start_time)
{
	aishare_job_info_t *job = &jobs[job_count];
	uint32_t id = 100 + job_count;

	*job = (aishare_job_info_t){ .job_id = id, .partition = partition, .gpus = gpus,
				     .submit_time = 1000, .priority = 1 };
	if (first_node >= 0) {
		for (size_t i = 0; i < node_count; i++)
			job_nodes[job_count][i] = first_node + i;
		job->state = AISHARE_JOB_RUNNING;
		job->nodes = job_nodes[job_count];
		job->node_count = node_count;
		job->start_time = start_time;
	}
	job_count++;
	return id;
}

static aishare_ledger_t *ledger_for(const char *text)
{
	char *errors = NULL;
	aishare_params_t *params = aishare_params_parse(AISHARE_PARAMS_CONTROLLER, text, &errors);
	aishare_ledger_t *ledger;

	ck_assert_msg(params, "%s: %s", text, errors ? errors : "");
	ledger = aishare_ledger_create(params, &errors);
	ck_assert_ptr_nonnull(ledger);
	aishare_params_free(params);
	return ledger;
}

static void update(aishare_ledger_t *ledger)
{
	char *errors = NULL;

	ck_assert_msg(!aishare_ledger_update(ledger, nodes, NODES, parts, 2, jobs, job_count,
					     &errors),
		      "update: %s", errors ? errors : "");
}

static aishare_pool_status_t pool(aishare_ledger_t *ledger, size_t index)
{
	aishare_pool_status_t status;

	ck_assert_int_eq(aishare_ledger_pool_status(ledger, index, &status), 0);
	return status;
}

START_TEST(test_capacity_and_guarantee)
{
	aishare_ledger_t *ledger = ledger_for("Share=25%");

	cluster_reset();
	update(ledger);
	ck_assert_uint_eq(aishare_ledger_pool_count(ledger), 1);
	ck_assert_str_eq(pool(ledger, 0).partition, "ai-startup");
	ck_assert_uint_eq(pool(ledger, 0).capacity, 64);
	ck_assert_uint_eq(pool(ledger, 0).guarantee, 16);

	/* A DOWN node leaves the capacity: G = floor(0.25 x 60) = 15. */
	nodes[3].usable = 0;
	update(ledger);
	ck_assert_uint_eq(pool(ledger, 0).capacity, 60);
	ck_assert_uint_eq(pool(ledger, 0).guarantee, 15);
	aishare_ledger_free(ledger);
}
END_TEST

START_TEST(test_usage_and_lending)
{
	aishare_ledger_t *ledger = ledger_for("Share=25%");

	cluster_reset();
	add_job("ai-startup", 4, 0, 1, 10);
	for (int n = 1; n < NODES; n++)
		add_job("gpu", 4, n, 1, 10);
	add_job("ai-startup", 8, -1, 0, 0);
	update(ledger);
	ck_assert_uint_eq(pool(ledger, 0).used, 4);
	ck_assert_uint_eq(pool(ledger, 0).borrowed, 60);
	ck_assert_uint_eq(pool(ledger, 0).borrowers, 15);
	ck_assert_uint_eq(pool(ledger, 0).lent, 12); /* G - used */
	ck_assert_uint_eq(pool(ledger, 0).pending_gpus, 8);
	aishare_ledger_free(ledger);
}
END_TEST

START_TEST(test_reclaim_within_guarantee_only)
{
	aishare_ledger_t *ledger = ledger_for("Share=25%");
	uint32_t general[NODES], within, beyond, pool_job;

	cluster_reset();
	for (int n = 0; n < NODES; n++)
		general[n] = add_job("gpu", 4, n, 1, 10 + n);
	within = add_job("ai-startup", 16, -1, 0, 0);
	beyond = add_job("ai-startup", 20, -1, 0, 0);
	update(ledger);
	ck_assert_int_eq(aishare_ledger_may_preempt(ledger, within, general[0]), 1);
	ck_assert_int_eq(aishare_ledger_may_preempt(ledger, beyond, general[0]), 0);
	/* General jobs never preempt, pending jobs are never victims. */
	ck_assert_int_eq(aishare_ledger_may_preempt(ledger, general[1], general[0]), 0);
	ck_assert_int_eq(aishare_ledger_may_preempt(ledger, within, beyond), 0);

	/* With 12 GPUs in use the pool may reclaim only 4 more. */
	cluster_reset();
	add_job("ai-startup", 12, 0, 3, 5);
	for (int n = 3; n < NODES; n++)
		general[n] = add_job("gpu", 4, n, 1, 10 + n);
	within = add_job("ai-startup", 4, -1, 0, 0);
	beyond = add_job("ai-startup", 8, -1, 0, 0);
	pool_job = jobs[0].job_id;
	update(ledger);
	ck_assert_int_eq(aishare_ledger_may_preempt(ledger, within, general[5]), 1);
	ck_assert_int_eq(aishare_ledger_may_preempt(ledger, beyond, general[5]), 0);
	ck_assert_int_eq(aishare_ledger_may_preempt(ledger, within, pool_job), 0);
	errno = 0;
	ck_assert_int_eq(aishare_ledger_may_preempt(ledger, 9999, general[5]), -1);
	ck_assert_int_eq(errno, ENOENT);
	aishare_ledger_free(ledger);
}
END_TEST

/*
 * Slurm preempts for several pending jobs in one pass before any starts: each
 * alone fits in the guarantee, together they would pass it.  The guarantee goes
 * to them in priority order; a held job claims none of it.
 */
START_TEST(test_pending_jobs_share_one_guarantee)
{
	aishare_ledger_t *ledger = ledger_for("Share=25%");
	uint32_t general[NODES], first, second, small, held;

	cluster_reset();
	for (int n = 0; n < NODES; n++)
		general[n] = add_job("gpu", 4, n, 1, 10 + n);
	held = add_job("ai-startup", 12, -1, 0, 0);
	jobs[job_count - 1].state = AISHARE_JOB_HELD;
	jobs[job_count - 1].priority = 9;
	second = add_job("ai-startup", 12, -1, 0, 0);
	first = add_job("ai-startup", 12, -1, 0, 0);
	jobs[job_count - 1].priority = 2;
	small = add_job("ai-startup", 4, -1, 0, 0);
	update(ledger);
	ck_assert_int_eq(aishare_ledger_may_preempt(ledger, first, general[0]), 1);
	ck_assert_int_eq(aishare_ledger_may_preempt(ledger, second, general[0]), 0);
	ck_assert_int_eq(aishare_ledger_may_preempt(ledger, small, general[0]), 1);
	ck_assert_int_eq(aishare_ledger_may_preempt(ledger, held, general[0]), 0);
	ck_assert_uint_eq(pool(ledger, 0).pending_gpus, 28); /* not the held job's */
	aishare_ledger_free(ledger);
}
END_TEST

START_TEST(test_lend_modes_without_preemption)
{
	const char *modes[] = { "LendMode=bounded", "LendMode=none" };

	for (size_t m = 0; m < 2; m++) {
		aishare_ledger_t *ledger = ledger_for(modes[m]);
		uint32_t general, waiting;

		cluster_reset();
		general = add_job("gpu", 4, 0, 1, 10);
		waiting = add_job("ai-startup", 4, -1, 0, 0);
		update(ledger);
		ck_assert_int_eq(aishare_ledger_may_preempt(ledger, waiting, general), 0);
		aishare_ledger_free(ledger);
	}
}
END_TEST

START_TEST(test_kept_nodes)
{
	aishare_ledger_t *bounded = ledger_for("Share=25%,LendMode=bounded,LendWindow=30:00");
	aishare_ledger_t *strict = ledger_for("Share=25%,LendMode=none");
	aishare_ledger_t *lending = ledger_for("Share=25%");
	char *avoid;

	cluster_reset();
	nodes[15].usable = 0; /* the kept nodes skip it: node12 to node15 hold G = 15 */
	update(bounded);
	update(strict);
	update(lending);
	ck_assert_str_eq(pool(bounded, 0).kept_nodes, "node15,node14,node13,node12");
	ck_assert_str_eq(pool(lending, 0).kept_nodes, "");
	avoid = aishare_ledger_nodes_to_avoid(bounded, "gpu", 31);
	ck_assert_str_eq(avoid, "node15,node14,node13,node12");
	free(avoid);
	avoid = aishare_ledger_nodes_to_avoid(bounded, "gpu", 0); /* no limit is long */
	ck_assert_str_eq(avoid, "node15,node14,node13,node12");
	free(avoid);
	avoid = aishare_ledger_nodes_to_avoid(bounded, "gpu", 30);
	ck_assert_str_eq(avoid, "");
	free(avoid);
	avoid = aishare_ledger_nodes_to_avoid(bounded, "ai-startup", 600);
	ck_assert_str_eq(avoid, "");
	free(avoid);
	avoid = aishare_ledger_nodes_to_avoid(strict, "gpu", 1);
	ck_assert_str_eq(avoid, "node15,node14,node13,node12");
	free(avoid);
	avoid = aishare_ledger_nodes_to_avoid(lending, "gpu", 600);
	ck_assert_str_eq(avoid, "");
	free(avoid);
	ck_assert_ptr_null(aishare_ledger_nodes_to_avoid(bounded, NULL, 1));
	aishare_ledger_free(bounded);
	aishare_ledger_free(strict);
	aishare_ledger_free(lending);
}
END_TEST

START_TEST(test_reclaim_beyond_share)
{
	aishare_ledger_t *off = ledger_for("Share=25%");
	aishare_ledger_t *on = ledger_for("Share=25%,ReclaimBeyondShare=yes");
	uint32_t startup[5], general;

	/* The pool holds 20 GPUs, 4 beyond its guarantee of 16. */
	cluster_reset();
	for (int n = 0; n < 5; n++)
		startup[n] = add_job("ai-startup", 4, n, 1, 10 + n);
	general = add_job("gpu", 4, -1, 0, 0);
	update(off);
	update(on);
	ck_assert_int_eq(aishare_ledger_may_preempt(off, general, startup[4]), 0);
	ck_assert_int_eq(aishare_ledger_may_preempt(on, general, startup[4]), 1);
	aishare_ledger_free(off);
	aishare_ledger_free(on);
}
END_TEST

START_TEST(test_two_pools_keep_both_guarantees)
{
	aishare_ledger_t *ledger = ledger_for("Pools=ai-startup:sme,Share=25%,Share[sme]=25%");
	uint32_t sme_job, startup_job, general;

	cluster_reset();
	parts[0].name = "sme"; /* the gpu partition becomes the second pool */
	sme_job = add_job("sme", 16, 0, 4, 10);   /* exactly its guarantee */
	general = add_job("gpu", 4, 4, 1, 10);    /* a job of no pool: gpu is now sme */
	startup_job = add_job("ai-startup", 8, -1, 0, 0);
	update(ledger);
	ck_assert_uint_eq(aishare_ledger_pool_count(ledger), 2);
	ck_assert_int_eq(aishare_ledger_may_preempt(ledger, startup_job, sme_job), 0);
	(void) general;

	/* Beyond its guarantee, the other pool gives up what it holds above it. */
	cluster_reset();
	parts[0].name = "sme";
	add_job("sme", 16, 0, 4, 10);
	sme_job = add_job("sme", 4, 4, 1, 20);
	startup_job = add_job("ai-startup", 8, -1, 0, 0);
	update(ledger);
	ck_assert_int_eq(aishare_ledger_may_preempt(ledger, startup_job, sme_job), 1);
	aishare_ledger_free(ledger);
}
END_TEST

START_TEST(test_victim_order)
{
	aishare_ledger_t *ledger = ledger_for("");
	uint32_t old_small, young_small, big;

	cluster_reset();
	old_small = add_job("gpu", 2, 0, 1, 10);
	young_small = add_job("gpu", 2, 1, 1, 20);
	big = add_job("gpu", 8, 2, 2, 5);
	add_job("ai-startup", 4, -1, 0, 0);
	update(ledger);
	/* More GPUs first (fewest victims), then the youngest. */
	ck_assert_uint_eq(aishare_ledger_victim_rank(ledger, big), 0);
	ck_assert_uint_eq(aishare_ledger_victim_rank(ledger, young_small), 1);
	ck_assert_uint_eq(aishare_ledger_victim_rank(ledger, old_small), 2);
	ck_assert_uint_eq(aishare_ledger_victim_rank(ledger, 9999), UINT32_MAX);
	aishare_ledger_free(ledger);
}
END_TEST

START_TEST(test_reclaim_history_and_latency)
{
	aishare_ledger_t *ledger = ledger_for("");
	uint32_t victim;

	cluster_reset();
	victim = add_job("gpu", 4, 0, 1, 10);
	add_job("ai-startup", 4, -1, 0, 0);
	update(ledger);
	ck_assert_int_eq(aishare_ledger_note_preemption(ledger, victim, 1000), 0);
	ck_assert_uint_eq(pool(ledger, 0).reclaims, 1);
	/* Slurm deciding the same preemption again (after a crash) counts once. */
	ck_assert_int_eq(aishare_ledger_note_preemption(ledger, victim, 1001), 0);
	ck_assert_uint_eq(pool(ledger, 0).reclaims, 1);
	ck_assert_uint_eq(pool(ledger, 0).reclaim_events, 0);

	/* The pool job starts 7 s after its first victim was preempted. */
	cluster_reset();
	add_job("ai-startup", 4, 0, 1, 1007);
	update(ledger);
	ck_assert_uint_eq(pool(ledger, 0).reclaim_events, 1);
	ck_assert_double_eq(pool(ledger, 0).reclaim_latency_max, 7.0);
	ck_assert_double_eq(pool(ledger, 0).reclaim_latency_mean, 7.0);

	/* A pool job that started and already ended by the next snapshot counts too. */
	cluster_reset();
	victim = add_job("gpu", 4, 0, 1, 10);
	add_job("ai-startup", 4, -1, 0, 0);
	update(ledger);
	aishare_ledger_note_preemption(ledger, victim, 2000);
	cluster_reset();
	add_job("ai-startup", 4, 0, 1, 2003);
	jobs[0].state = AISHARE_JOB_FINISHED;
	update(ledger);
	ck_assert_uint_eq(pool(ledger, 0).used, 0);
	ck_assert_uint_eq(pool(ledger, 0).reclaim_events, 2);
	ck_assert_double_eq(pool(ledger, 0).reclaim_latency_mean, 5.0);
	aishare_ledger_free(ledger);
}
END_TEST

static char *temp_path(const char *name)
{
	static char path[256];

	snprintf(path, sizeof(path), "%s/aishare-ledger-%d-%s", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp",
		 (int) getpid(), name);
	return path;
}

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

START_TEST(test_state_file_round_trip)
{
	aishare_ledger_t *ledger = ledger_for(""), *again = ledger_for("");
	char *path = temp_path("round-trip"), *errors = NULL, *json;
	uint32_t victim;

	cluster_reset();
	victim = add_job("gpu", 4, 0, 1, 10);
	add_job("ai-startup", 4, -1, 0, 0);
	update(ledger);
	aishare_ledger_note_preemption(ledger, victim, 1000);
	ck_assert_int_eq(aishare_ledger_save(ledger, path, &errors), 0);
	ck_assert_int_eq(aishare_ledger_load(again, path, &errors), 0);
	ck_assert_uint_eq(pool(again, 0).reclaims, 1);
	/* The reclaim in flight survives, victims included: no double count. */
	update(again);
	aishare_ledger_note_preemption(again, victim, 1005);
	ck_assert_uint_eq(pool(again, 0).reclaims, 1);
	json = aishare_ledger_json(again);
	ck_assert_ptr_nonnull(strstr(json, "\"partition\":\"ai-startup\""));
	ck_assert_ptr_nonnull(strstr(json, "\"reclaims\":1"));
	free(json);

	/* The parameters in force travel with the history, for aishare status. */
	{
		char *params = aishare_ledger_state_params(path, &errors);

		ck_assert_ptr_nonnull(params);
		ck_assert_ptr_nonnull(strstr(params, "Pools=ai-startup,Share=25%,"));
		ck_assert_ptr_null(strchr(params, ' '));
		free(params);
	}
	unlink(path);

	/* A missing file is a first start, not an error. */
	ck_assert_int_eq(aishare_ledger_load(again, path, &errors), 0);
	ck_assert_ptr_null(errors);
	aishare_ledger_free(ledger);
	aishare_ledger_free(again);
}
END_TEST

struct damaged_case {
	const char *text;
	const char *problem;
};

static const struct damaged_case damaged_cases[] = {
	{ "", "no closing checksum line" },
	{ "slurm-aishare-ledger 1\npool ai-startup reclaims=1\n", "no closing checksum line" },
	{ "slurm-aishare-ledger 1\npool ai-startup reclaims=1\nend 0000000000000000\n",
	  "checksum mismatch" },
	{ "\x01\x02\xff garbage end zz", "no closing checksum line" },
};

START_TEST(test_damaged_state_file)
{
	aishare_ledger_t *ledger = ledger_for("");
	char *path = temp_path("damaged"), *errors = NULL;
	const struct damaged_case *c = &damaged_cases[_i];

	write_text(path, c->text);
	errno = 0;
	ck_assert_int_eq(aishare_ledger_load(ledger, path, &errors), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_ptr_nonnull(errors);
	ck_assert_msg(strstr(errors, path) && strstr(errors, c->problem), "%s", errors);
	free(errors);
	ck_assert_uint_eq(pool(ledger, 0).reclaims, 0);
	unlink(path);
	aishare_ledger_free(ledger);
}
END_TEST

START_TEST(test_bad_snapshot_is_refused)
{
	aishare_ledger_t *ledger = ledger_for("");
	char *errors = NULL;

	cluster_reset();
	add_job("gpu", 4, 0, 1, 10);
	job_nodes[0][0] = 99; /* no such node */
	errno = 0;
	ck_assert_int_eq(aishare_ledger_update(ledger, nodes, NODES, parts, 2, jobs, job_count,
					       &errors), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_str_eq(errors, "job 100 names node index 99 of 16");
	free(errors);
	ck_assert_int_eq(aishare_ledger_update(NULL, NULL, 0, NULL, 0, NULL, 0, NULL), -1);
	ck_assert_ptr_null(aishare_ledger_create(NULL, NULL));
	aishare_ledger_free(ledger);
}
END_TEST

Suite *unit_suite(void)
{
	Suite *suite = suite_create("ledger");
	TCase *tc = tcase_create("ledger");

	tcase_add_test(tc, test_capacity_and_guarantee);
	tcase_add_test(tc, test_usage_and_lending);
	tcase_add_test(tc, test_reclaim_within_guarantee_only);
	tcase_add_test(tc, test_pending_jobs_share_one_guarantee);
	tcase_add_test(tc, test_lend_modes_without_preemption);
	tcase_add_test(tc, test_kept_nodes);
	tcase_add_test(tc, test_reclaim_beyond_share);
	tcase_add_test(tc, test_two_pools_keep_both_guarantees);
	tcase_add_test(tc, test_victim_order);
	tcase_add_test(tc, test_reclaim_history_and_latency);
	tcase_add_test(tc, test_state_file_round_trip);
	tcase_add_loop_test(tc, test_damaged_state_file, 0,
			    sizeof(damaged_cases) / sizeof(damaged_cases[0]));
	tcase_add_test(tc, test_bad_snapshot_is_refused);
	suite_add_tcase(suite, tc);
	return suite;
}
