/*
 * check_sim.c - unit tests of `aishare sim` through the C API: tiny traces on a
 * 2-leaf fabric whose outcome under each configuration is worked out by hand,
 * the scorer on a hand-computed records file, and bad input refused with its
 * line, column and value.
 *
 * Timing in these tests (speedup 1): a scheduling pass runs at the first whole
 * second after an event, so a job submitted at 0 starts at 1, and the GPUs of a
 * job ending at 101 are used from 102.  Preempted jobs free their GPUs KillWait
 * (2 s) later and may run again 6 s after their preemption.
 *
 * Copyright (C) 2026 The slurm-aishare authors.  GPL-2.0-or-later.
 */
#define _POSIX_C_SOURCE 200809L
#include <check.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aishare.h"
#include "check_main.h"

/* Two leaves of two 8-GPU nodes under one spine. */
static const char TREE[] = "SwitchName=leaf1 Nodes=a1,a2\n"
			   "SwitchName=leaf2 Nodes=b1,b2\n"
			   "SwitchName=spine Switches=leaf1,leaf2\n";
static const char HEADER[] = "id,submit,account,partition,nodes,gpus,duration,time_limit\n";

/* Four general jobs holding every node from 0 to 1001. */
#define BORROWERS                                                  \
	"1,0,gen,gpu,1,8,1000,1200\n2,0,gen,gpu,1,8,1000,1200\n" \
	"3,0,gen,gpu,1,8,1000,1200\n4,0,gen,gpu,1,8,1000,1200\n"

static aishare_fabric_t *fabric;
static aishare_sim_records_t *records;

/* The names are plain lists: no hostlist library needed. */
static char *plain_expand(const char *expression, void *context, char **error)
{
	(void) context;
	*error = NULL;
	return strdup(expression);
}

static void setup(void)
{
	char *errors = NULL;

	fabric = aishare_fabric_parse(TREE, strlen(TREE), "tree.conf", plain_expand, NULL, &errors);
	ck_assert_msg(fabric, "%s", errors ? errors : "no fabric");
	records = NULL;
}

static void teardown(void)
{
	aishare_sim_records_free(records);
	aishare_fabric_free(fabric);
}

/* Simulates HEADER + ROWS under CONFIG and PARAMS; the records stay in RECORDS. */
static void simulate(aishare_sim_config_t config, const char *params, const char *rows)
{
	char text[4096], *errors = NULL;
	aishare_sim_options_t options = { .config = config, .params = params, .speedup = 1,
					  .requeue_delay = -1 };
	aishare_sim_trace_t *trace;

	snprintf(text, sizeof(text), "# a hand-made trace\n%s%s", HEADER, rows);
	trace = aishare_sim_trace_parse(text, strlen(text), "trace.csv", &errors);
	ck_assert_msg(trace, "%s", errors ? errors : "no trace");
	aishare_sim_records_free(records);
	records = aishare_sim_run(fabric, trace, &options, &errors);
	ck_assert_msg(records, "%s", errors ? errors : "no records");
	aishare_sim_trace_free(trace);
}

static aishare_sim_record_t job(uint32_t id)
{
	aishare_sim_record_t r;

	for (size_t i = 0; i < aishare_sim_records_count(records); i++) {
		ck_assert_int_eq(aishare_sim_record(records, i, &r), 0);
		if (r.id == id)
			return r;
	}
	ck_abort_msg("no record of job %u", id);
	return r;
}

/* Job ID's line in the records text: its node list is the last column. */
static char *line_of(uint32_t id)
{
	static char line[256];
	char *text = aishare_sim_records_text(records), *at, prefix[16];

	ck_assert_ptr_nonnull(text);
	snprintf(prefix, sizeof(prefix), "\n%u,", id);
	at = strstr(text, prefix);
	ck_assert_ptr_nonnull(at);
	snprintf(line, sizeof(line), "%.*s", (int) strcspn(at + 1, "\n"), at + 1);
	free(text);
	return line;
}

static int ends_with(const char *text, const char *tail)
{
	size_t a = strlen(text), b = strlen(tail);

	return a >= b && !strcmp(text + a - b, tail);
}

static uint64_t total_preemptions(void)
{
	uint64_t sum = 0;

	for (size_t i = 0; i < aishare_sim_records_count(records); i++) {
		aishare_sim_record_t r;

		ck_assert_int_eq(aishare_sim_record(records, i, &r), 0);
		sum += r.preemptions;
	}
	return sum;
}

/* B3 dedicates leaf1 (50% of 2 leaves) to the pool: general jobs queue on leaf2. */
START_TEST(b3_keeps_the_pool_idle)
{
	simulate(AISHARE_SIM_B3, "Share=50%",
		 "1,0,gen,gpu,1,8,100,120\n2,0,gen,gpu,1,8,100,120\n"
		 "3,0,gen,gpu,1,8,100,120\n4,0,gen,gpu,1,8,100,120\n");
	/* A run holds its GPUs one (wall) second beyond its duration. */
	ck_assert_double_eq(job(1).start, 0);
	ck_assert_double_eq(job(2).start, 0);
	ck_assert_double_eq(job(3).start, 101);
	ck_assert_double_eq(job(4).start, 101);
	ck_assert_msg(ends_with(line_of(1), ",b1") && ends_with(line_of(2), ",b2"), "%s",
		      line_of(1));
	ck_assert_int_eq(total_preemptions(), 0);
}
END_TEST

/* B1: a pool job requeues a general job at once: the oldest of the smallest. */
START_TEST(b1_preempts)
{
	simulate(AISHARE_SIM_B1, "", BORROWERS "5,10,acme,ai-startup,1,8,50,60\n");
	/* The pass at 10 preempts job 1 (one node, submitted first); its GPUs are
	 * free at 10.5. */
	ck_assert_double_eq(job(5).start, 10.5);
	ck_assert_double_eq(job(5).reclaim_latency, 0.5);
	ck_assert_uint_eq(job(1).preemptions, 1);
	/* Job 1 runs again once job 5 ended at 61.5, from scratch. */
	ck_assert_double_eq(job(1).start, 61.5);
	ck_assert_double_eq(job(1).end, 1062.5);
	ck_assert_int_eq(total_preemptions(), 1);
}
END_TEST

/*
 * P with Share=25% of 32 GPUs: a guarantee of 8.  The first 8-GPU pool job
 * reclaims one borrower; the second would take the pool beyond its guarantee,
 * so it waits; a 16-GPU job never preempts.
 */
START_TEST(p_preempts_within_the_guarantee_only)
{
	simulate(AISHARE_SIM_P, "Pools=ai-startup,Share=25%", BORROWERS
		 "5,10,acme,ai-startup,1,8,50,60\n6,30,beta,ai-startup,1,8,50,60\n");
	ck_assert_double_eq(job(5).start, 10.5);
	ck_assert_double_eq(job(5).reclaim_latency, 0.5);
	ck_assert_int_eq(total_preemptions(), 1);
	/* Job 6 takes job 5's node when it ends at 61.5, before the requeued job. */
	ck_assert_double_eq(job(6).start, 61.5);
	ck_assert_double_eq(job(6).reclaim_latency, -1);

	simulate(AISHARE_SIM_P, "Pools=ai-startup,Share=25%", BORROWERS
		 "5,10,acme,ai-startup,2,16,50,60\n");
	ck_assert_int_eq(total_preemptions(), 0);
	ck_assert_double_eq(job(5).start, 1001);
}
END_TEST

/*
 * P: a 2-node pool job waits CompactWait (30 s from its first pass at 5) for
 * one leaf, then takes two.  a1 frees at 20; a2 at 30 in the second run.
 */
START_TEST(p_waits_for_a_compact_block_then_falls_back)
{
	const char *params = "Pools=ai-startup,Share=25%,CompactWait=0:30";

	simulate(AISHARE_SIM_P, params,
		 "1,0,gen,gpu,1,8,19,60\n2,0,gen,gpu,1,8,1000,1200\n3,0,gen,gpu,1,8,1000,1200\n"
		 "4,5,acme,ai-startup,2,16,100,120\n");
	ck_assert_msg(ends_with(line_of(2), ",a2") && ends_with(line_of(3), ",b1"), "%s",
		      line_of(3));
	/* The wait ends at 35: the pass then takes a1 and b2, two leaves. */
	ck_assert_double_eq(job(4).start, 35);
	ck_assert_msg(ends_with(line_of(4), ",a1 b2"), "%s", line_of(4));

	simulate(AISHARE_SIM_P, params,
		 "1,0,gen,gpu,1,8,19,60\n2,0,gen,gpu,1,8,29,60\n3,0,gen,gpu,1,8,1000,1200\n"
		 "4,5,acme,ai-startup,2,16,100,120\n");
	/* a2 frees at 30: one leaf holds the job within its wait. */
	ck_assert_double_eq(job(4).start, 30);
	ck_assert_msg(ends_with(line_of(4), ",a1 a2"), "%s", line_of(4));

	/* Stock Slurm (B1) neither waits nor keeps to a guarantee: it requeues
	 * general jobs at its first pass (5) and starts when they are gone (5.5). */
	simulate(AISHARE_SIM_B1, "",
		 "1,0,gen,gpu,1,8,19,60\n2,0,gen,gpu,1,8,29,60\n3,0,gen,gpu,1,8,1000,1200\n"
		 "4,5,acme,ai-startup,2,16,100,120\n");
	ck_assert_double_eq(job(4).start, 5.5);
	ck_assert_int_ge(total_preemptions(), 1);
}
END_TEST

/* The scorer on records computed by hand (see the comments for each figure). */
START_TEST(score_by_hand)
{
	static const char text[] =
		"id,account,partition,nodes,gpus,duration,submit,start,end,preemptions,reclaim_latency,nodelist\n"
		"1,acme,ai-startup,2,16,100,0,10,110,0,3,a1 b1\n"
		"2,beta,ai-startup,1,8,50,0,0,50,0,-1,a2\n"
		"3,gen,gpu,1,8,100,0,20,-1,1,-1,b2\n"
		"4,gen,gpu,1,8,100,50,-1,-1,0,-1,\n"
		"5,beta,ai-startup,1,8,100,60,-1,-1,0,-1,\n";
	aishare_sim_options_t options = { .config = AISHARE_SIM_B1, .speedup = 1 };
	aishare_sim_score_t s;
	char *errors = NULL, *json;

	records = aishare_sim_records_parse(text, strlen(text), "records.csv", &errors);
	ck_assert_msg(records, "%s", errors ? errors : "no records");
	ck_assert_int_eq(aishare_sim_score(fabric, records, &options, &s, &errors), 0);
	/* H: the last end or start, 110. */
	ck_assert_double_eq(s.horizon, 110);
	ck_assert_uint_eq(s.pool_jobs, 3);
	ck_assert_uint_eq(s.general_jobs, 2);
	ck_assert_uint_eq(s.not_started, 2);
	/* Pool waits 10, 0 and 110-60: nearest rank p50 = 10, p95 = 50. */
	ck_assert_double_eq(s.pool_wait_p50, 10);
	ck_assert_double_eq(s.pool_wait_p95, 50);
	/* General waits 20 and 110-50. */
	ck_assert_double_eq(s.general_wait_p50, 20);
	ck_assert_double_eq(s.general_wait_p95, 60);
	/* Used 1600+400+8*90 = 2720 of 32*110 = 3520 GPU-s; the ceiling 3680 is capped. */
	ck_assert_double_eq_tol(s.utilisation, 2720.0 / 3520.0, 1e-9);
	ck_assert_double_eq(s.ceiling, 1);
	ck_assert_double_eq_tol(s.utilisation_ratio, 2720.0 / 3520.0, 1e-9);
	/* Job 1 spans 2 leaves; at 10 a2 is busy, leaf2 alone holds 2 free nodes. */
	ck_assert_uint_eq(s.multi_node_jobs, 1);
	ck_assert_uint_eq(s.at_bound, 0);
	ck_assert_uint_eq(s.at_ideal, 0);
	ck_assert_double_eq(s.leaves_over_bound, 1);
	ck_assert_double_eq(s.leaves_over_ideal, 1);
	ck_assert_uint_eq(s.reclaims, 1);
	ck_assert_double_eq(s.reclaim_latency_p50, 3);
	ck_assert_double_eq(s.reclaim_latency_max, 3);
	ck_assert_double_eq(s.reclaim_bound, 3);
	ck_assert_uint_eq(s.over_bound, 0);
	/* acme got all it asked, beta 400 of 1200: (4/3)^2 / (2 (1 + 1/9)) = 0.8. */
	ck_assert_uint_eq(s.startup_accounts, 2);
	ck_assert_double_eq_tol(s.jain, 0.8, 1e-9);

	json = aishare_sim_score_text(&s, AISHARE_FORMAT_JSON);
	ck_assert_ptr_nonnull(json);
	ck_assert_ptr_nonnull(strstr(json, "\"share_at_bound\":0.000000"));
	ck_assert_ptr_nonnull(strstr(json, "\"jain_startups\":0.800000"));
	free(json);

	/* B3 has no preemption: no bound.  A horizon of 50 cuts runs and waits. */
	options.config = AISHARE_SIM_B3;
	options.horizon = 50;
	ck_assert_int_eq(aishare_sim_score(fabric, records, &options, &s, &errors), 0);
	ck_assert(isnan(s.reclaim_bound));
	ck_assert_double_eq(s.general_wait_p95, 20);
	ck_assert_uint_eq(s.general_jobs, 1);
}
END_TEST

/* A record naming a node the fabric lacks is an error, not a guess. */
START_TEST(score_refuses_unknown_nodes)
{
	static const char text[] =
		"id,account,partition,nodes,gpus,duration,submit,start,end,preemptions,reclaim_latency,nodelist\n"
		"1,acme,ai-startup,1,8,100,0,10,110,0,-1,z9\n";
	aishare_sim_options_t options = { .config = AISHARE_SIM_P };
	aishare_sim_score_t s;
	char *errors = NULL;

	records = aishare_sim_records_parse(text, strlen(text), "records.csv", &errors);
	ck_assert_ptr_nonnull(records);
	ck_assert_int_eq(aishare_sim_score(fabric, records, &options, &s, &errors), -1);
	ck_assert_ptr_nonnull(errors);
	ck_assert_ptr_nonnull(strstr(errors, "z9"));
	free(errors);
}
END_TEST

static void refused(const char *rows, const char *expected)
{
	char text[1024], *errors = NULL;
	aishare_sim_trace_t *trace;

	snprintf(text, sizeof(text), "%s%s", HEADER, rows);
	errno = 0;
	trace = aishare_sim_trace_parse(text, strlen(text), "trace.csv", &errors);
	ck_assert_msg(!trace, "accepted %s", rows);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_msg(errors && strstr(errors, expected), "'%s' does not say '%s'",
		      errors ? errors : "(nothing)", expected);
	free(errors);
}

START_TEST(bad_trace_lines_are_refused)
{
	refused("1,0,a,gpu,1,x,10,10\n", "trace.csv:2: column gpus: value 'x': not an unsigned integer");
	refused("1,0,a,gpu,1,8,10,10\n2,0,a,gpu,3,8,10,10\n",
		"trace.csv:3: column gpus: value '8': not divisible by the 3 nodes asked");
	refused("1,0,a,gpu,1,8,10,9\n", "trace.csv:2: column time_limit: value '9': shorter");
	refused("1,5,a,gpu,1,8,10,10\n2,4,a,gpu,1,8,10,10\n", "trace.csv:3: column submit: value '4'");
	refused("1,0,a b,gpu,1,8,10,10\n", "trace.csv:2: column account: value 'a b'");
	refused("1,0,a,gpu,1,0,10,10\n", "column gpus: value '0'");
	refused("1,0,a,gpu,1,8,0,10\n", "column duration: value '0'");
	refused("1,-1,a,gpu,1,8,10,10\n", "column submit: value '-1'");
	refused("1,0,a,gpu,1,8,10,10\n1,0,a,gpu,1,8,10,10\n", "column id: value '1': job id given twice");
	refused("1,0,a,gpu,1,8,10\n", "trace.csv:2: 7 columns, 8 expected");
	refused("1,0,a,gpu,1,8,10,99999999999999999999\n", "column time_limit");

	/* The header is required, exactly. */
	char *errors = NULL;
	ck_assert_ptr_null(aishare_sim_trace_parse("id,submit\n", 10, "t.csv", &errors));
	ck_assert_ptr_nonnull(strstr(errors, "t.csv:1: the header must be"));
	free(errors);
	errors = NULL;
	ck_assert_ptr_null(aishare_sim_records_parse("x\n", 2, "r.csv", &errors));
	free(errors);
	errors = NULL;
	ck_assert_ptr_null(aishare_sim_records_parse(
		"id,account,partition,nodes,gpus,duration,submit,start,end,preemptions,reclaim_latency,nodelist\n"
		"1,a,gpu,1,8,10,5,4,20,0,-1,a1\n",
		strlen("id,account,partition,nodes,gpus,duration,submit,start,end,preemptions,reclaim_latency,nodelist\n"
		       "1,a,gpu,1,8,10,5,4,20,0,-1,a1\n"),
		"r.csv", &errors));
	ck_assert_ptr_nonnull(strstr(errors, "r.csv:2: column start: value '4'"));
	free(errors);
}
END_TEST

START_TEST(bad_options_are_refused)
{
	static const char text[] = "id,submit,account,partition,nodes,gpus,duration,time_limit\n"
				   "1,0,a,debug,1,8,10,60\n";
	aishare_sim_options_t options = { .config = AISHARE_SIM_P, .speedup = 1 };
	const char *grants[] = { "acme" };
	char *errors = NULL;
	aishare_sim_trace_t *trace = aishare_sim_trace_parse(text, strlen(text), "t.csv", &errors);

	ck_assert_ptr_nonnull(trace);
	/* A partition that is neither the pool nor gpu. */
	ck_assert_ptr_null(aishare_sim_run(fabric, trace, &options, &errors));
	ck_assert_ptr_nonnull(strstr(errors, "partition debug"));
	free(errors);
	options.params = "Share=200%";
	ck_assert_ptr_null(aishare_sim_run(fabric, trace, &options, &errors));
	ck_assert_ptr_nonnull(strstr(errors, "Share"));
	free(errors);
	options.params = NULL;
	options.grants = grants;
	options.grant_count = 1;
	ck_assert_ptr_null(aishare_sim_run(fabric, trace, &options, &errors));
	ck_assert_ptr_nonnull(strstr(errors, "ACCOUNT=GPU_MINUTES"));
	free(errors);
	options.grant_count = 0;
	options.config = (aishare_sim_config_t) 7;
	ck_assert_ptr_null(aishare_sim_run(fabric, trace, &options, &errors));
	free(errors);
	ck_assert_ptr_null(aishare_sim_run(NULL, trace, &options, NULL));
	ck_assert_int_eq(errno, EINVAL);
	aishare_sim_trace_free(trace);
}
END_TEST

Suite *unit_suite(void)
{
	Suite *s = suite_create("sim");
	TCase *tc = tcase_create("sim");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, b3_keeps_the_pool_idle);
	tcase_add_test(tc, b1_preempts);
	tcase_add_test(tc, p_preempts_within_the_guarantee_only);
	tcase_add_test(tc, p_waits_for_a_compact_block_then_falls_back);
	tcase_add_test(tc, score_by_hand);
	tcase_add_test(tc, score_refuses_unknown_nodes);
	tcase_add_test(tc, bad_trace_lines_are_refused);
	tcase_add_test(tc, bad_options_are_refused);
	suite_add_tcase(s, tc);
	return s;
}
