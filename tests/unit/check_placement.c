/*
 * check_placement.c - unit tests of GPU job placement plans (job_submit/aishare's
 * core): whole-node rounding, node classes, switch confinement and its order,
 * and the refusals users read.
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
#include "hostlist_text.h"

/* 16 nodes in 4 leaves of 4 under one spine, as the cluster tests wire them. */
static const char TREE[] = "SwitchName=leaf1 Nodes=n[01-04]\n"
			   "SwitchName=leaf2 Nodes=n[05-08]\n"
			   "SwitchName=leaf3 Nodes=n[09-12]\n"
			   "SwitchName=leaf4 Nodes=n[13-16]\n"
			   "SwitchName=spine Switches=leaf[1-4]\n";

static aishare_fabric_t *fabric;
static aishare_place_node_t nodes[16];
static char names[16][8];

/* Every node idle and up, with GPUS GPUs of TYPE. */
static void machine(uint32_t gpus, const char *type)
{
	for (int i = 0; i < 16; i++) {
		snprintf(names[i], sizeof(names[i]), "n%02d", i + 1);
		nodes[i] = (aishare_place_node_t){ .name = names[i], .gpu_type = type,
						   .gpus = gpus, .free_gpus = gpus,
						   .idle = 1, .up = 1 };
	}
}

/* Node N (1-based) runs a job holding USED of its GPUs. */
static void busy(int n, uint32_t used)
{
	nodes[n - 1].idle = 0;
	nodes[n - 1].free_gpus = nodes[n - 1].gpus - used;
}

static void setup(void)
{
	char *errors = NULL;

	fabric = aishare_fabric_parse(TREE, strlen(TREE), "tree.conf", hostlist_text_expand,
				      NULL, &errors);
	ck_assert_msg(fabric, "%s", errors ? errors : "");
	machine(4, "");
}

static void teardown(void)
{
	aishare_fabric_free(fabric);
}

static aishare_place_plan_t plan_for(const char *per_job, const char *per_node, uint32_t n)
{
	aishare_place_request_t request = { .tres_per_job = per_job, .tres_per_node = per_node,
					    .nodes = n, .whole_nodes = 1,
					    .partition = "ai-startup" };
	aishare_place_plan_t plan;

	ck_assert_int_eq(aishare_place_plan(fabric, nodes, 16, &request, 8, &plan), 0);
	return plan;
}

static void refused_with(const char *per_job, const char *per_node, uint32_t n,
			 const char *want)
{
	aishare_place_plan_t plan = plan_for(per_job, per_node, n);

	ck_assert_int_eq(plan.kind, AISHARE_PLACE_REFUSE);
	ck_assert_ptr_nonnull(plan.message);
	ck_assert_msg(strstr(plan.message, want), "\"%s\" lacks \"%s\"", plan.message, want);
	ck_assert_msg(!strchr(plan.message, '\n'), "one sentence: %s", plan.message);
	aishare_place_plan_clear(&plan);
}

START_TEST(test_jobs_without_gpus_are_kept)
{
	aishare_place_plan_t plan = plan_for(NULL, NULL, 4);

	ck_assert_int_eq(plan.kind, AISHARE_PLACE_KEEP);
	aishare_place_plan_clear(&plan);
	plan = plan_for("license:foo:1", "", 0);
	ck_assert_int_eq(plan.kind, AISHARE_PLACE_KEEP);
	aishare_place_plan_clear(&plan);
}
END_TEST

START_TEST(test_gpus_round_up_to_whole_nodes)
{
	aishare_place_plan_t plan = plan_for("gres:gpu:32", NULL, 0);

	ck_assert_int_eq(plan.kind, AISHARE_PLACE_WHOLE_NODES);
	ck_assert_uint_eq(plan.nodes, 8);
	ck_assert_uint_eq(plan.gpus_per_node, 4);
	ck_assert_uint_eq(plan.ideal_leaves, 2);
	ck_assert_int_eq(plan.free_bound, 2);
	/* Larger than a leaf: only the spine holds it, and it is the root. */
	ck_assert_str_eq(plan.switches, "spine");
	aishare_place_plan_clear(&plan);

	/* 10 GPUs are 3 whole nodes; the later spelling of Slurm reads the same. */
	plan = plan_for("gres/gpu:10", NULL, 0);
	ck_assert_int_eq(plan.kind, AISHARE_PLACE_WHOLE_NODES);
	ck_assert_uint_eq(plan.nodes, 3);
	aishare_place_plan_clear(&plan);

	/* A node count above the GPUs' wins. */
	plan = plan_for("gres:gpu:8", NULL, 4);
	ck_assert_uint_eq(plan.nodes, 4);
	aishare_place_plan_clear(&plan);

	/* All of a node's GPUs per node is whole nodes too. */
	plan = plan_for(NULL, "gres:gpu:4", 2);
	ck_assert_int_eq(plan.kind, AISHARE_PLACE_WHOLE_NODES);
	ck_assert_uint_eq(plan.nodes, 2);
	aishare_place_plan_clear(&plan);
}
END_TEST

START_TEST(test_small_gpu_jobs_share_nodes)
{
	aishare_place_plan_t plan = plan_for("gres:gpu:2", NULL, 0);

	ck_assert_int_eq(plan.kind, AISHARE_PLACE_PART_NODES);
	ck_assert_uint_eq(plan.nodes, 1);
	ck_assert_uint_eq(plan.gpus_per_node, 2);
	aishare_place_plan_clear(&plan);

	/* Two nodes, GPUs spread over them. */
	plan = plan_for("gres:gpu:2", NULL, 2);
	ck_assert_int_eq(plan.kind, AISHARE_PLACE_PART_NODES);
	ck_assert_uint_eq(plan.gpus_per_node, 1);
	aishare_place_plan_clear(&plan);
}
END_TEST

START_TEST(test_jobs_that_fit_a_leaf_are_confined_to_leaves_then_the_spine)
{
	aishare_place_plan_t plan = plan_for("gres:gpu:16", NULL, 0);

	ck_assert_uint_eq(plan.nodes, 4);
	ck_assert_uint_eq(plan.ideal_leaves, 1);
	ck_assert_str_eq(plan.switches, "leaf1,leaf2,leaf3,leaf4,spine");
	aishare_place_plan_clear(&plan);
}
END_TEST

START_TEST(test_partly_used_leaves_fill_first)
{
	aishare_place_plan_t plan;

	busy(10, 4); /* leaf3 is partly used */
	plan = plan_for("gres:gpu:4", NULL, 0);
	ck_assert_str_eq(plan.switches, "leaf3,leaf1,leaf2,leaf4,spine");
	aishare_place_plan_clear(&plan);

	/* A one-GPU job goes to the leaf with fewest idle nodes that has room. */
	busy(6, 3);
	busy(7, 4);
	plan = plan_for("gres:gpu:1", NULL, 0);
	ck_assert_int_eq(plan.kind, AISHARE_PLACE_PART_NODES);
	ck_assert_str_eq(plan.switches, "leaf2,leaf3,leaf1,leaf4,spine");
	aishare_place_plan_clear(&plan);
}
END_TEST

START_TEST(test_fragmented_leaves_give_a_bound_above_the_ideal)
{
	aishare_place_plan_t plan;

	/* One busy node in every leaf: 3 free each, a 4-node job spans 2 now. */
	busy(1, 4);
	busy(5, 4);
	busy(9, 4);
	busy(13, 4);
	plan = plan_for("gres:gpu:16", NULL, 0);
	ck_assert_uint_eq(plan.ideal_leaves, 1);
	ck_assert_int_eq(plan.free_bound, 2);
	/* No leaf holds it now: the leaves wait in line, the spine is the fallback. */
	ck_assert_str_eq(plan.switches, "leaf1,leaf2,leaf3,leaf4,spine");
	aishare_place_plan_clear(&plan);

	/* Down nodes never fit but still count as the leaf's members. */
	nodes[1].up = 0;
	plan = plan_for("gres:gpu:16", NULL, 0);
	ck_assert_str_eq(plan.switches, "leaf2,leaf3,leaf4,leaf1,spine");
	aishare_place_plan_clear(&plan);
}
END_TEST

START_TEST(test_reclaim_prefers_the_leaf_freed_by_fewest_borrowers)
{
	aishare_place_plan_t plan;

	/* Every node busy.  leaf1: 4 one-node borrowers; leaf2: 2 two-node ones;
	 * leaf3: pool jobs (not reclaimable); leaf4: one four-node borrower. */
	for (int n = 1; n <= 16; n++) {
		busy(n, 4);
		nodes[n - 1].reclaimable = n <= 8 || n > 12;
		nodes[n - 1].victims = n <= 4 ? 1.0 : n <= 8 ? 0.5 : n > 12 ? 0.25 : 0.0;
	}
	plan = plan_for("gres:gpu:16", NULL, 0);
	ck_assert_int_eq(plan.free_bound, -1);
	ck_assert_str_eq(plan.switches, "leaf4,leaf2,leaf1,leaf3,spine");
	aishare_place_plan_clear(&plan);

	/* An idle leaf still wins over any reclaim. */
	for (int n = 9; n <= 12; n++)
		nodes[n - 1].idle = 1, nodes[n - 1].free_gpus = 4;
	plan = plan_for("gres:gpu:16", NULL, 0);
	ck_assert_str_eq(plan.switches, "leaf3,leaf4,leaf2,leaf1,spine");
	aishare_place_plan_clear(&plan);
}
END_TEST

START_TEST(test_jobs_never_mix_node_classes)
{
	aishare_place_plan_t plan;

	/* n01-n08 have 4 L40S, n09-n16 8 H100. */
	for (int i = 0; i < 16; i++) {
		nodes[i].gpu_type = i < 8 ? "l40s" : "h100";
		nodes[i].gpus = nodes[i].free_gpus = i < 8 ? 4 : 8;
	}
	plan = plan_for("gres:gpu:h100:32", NULL, 0);
	ck_assert_int_eq(plan.kind, AISHARE_PLACE_WHOLE_NODES);
	ck_assert_uint_eq(plan.nodes, 4);
	ck_assert_str_eq(plan.gpu_type, "h100");
	ck_assert_str_eq(plan.switches, "leaf3,leaf4,spine");
	aishare_place_plan_clear(&plan);

	/* Untyped: the class where it starts now on fewest leaves. */
	plan = plan_for("gres:gpu:32", NULL, 0);
	ck_assert_str_eq(plan.gpu_type, "h100"); /* 4 H100 nodes: 1 leaf; 8 L40S: 2 */
	aishare_place_plan_clear(&plan);
	for (int n = 9; n <= 16; n += 2)
		busy(n, 8);
	plan = plan_for("gres:gpu:32", NULL, 0);
	ck_assert_str_eq(plan.gpu_type, "l40s"); /* the H100s cannot start it now */
	ck_assert_uint_eq(plan.nodes, 8);
	aishare_place_plan_clear(&plan);

	/* More than 8 per node exists only as whole H100 nodes. */
	refused_with(NULL, "gres:gpu:16", 1, "no node of partition ai-startup has more than 8");
}
END_TEST

START_TEST(test_never_satisfiable_requests_are_refused_in_one_sentence)
{
	refused_with("gres:gpu:100", NULL, 0,
		     "100 GPUs asked but partition ai-startup has at most 64 of one class");
	refused_with(NULL, "gres:gpu:2", 17, "17 nodes asked but partition ai-startup has at "
					     "most 16 nodes of one GPU class");
	refused_with(NULL, "gres:gpu:8", 1, "ask for at most 4 per node, or for --gpus=8");
	refused_with("gres:gpu:a100:8", NULL, 0,
		     "no node of partition ai-startup has GPUs of type a100; its GPU types are "
		     "(untyped)");
	refused_with("gres:gpu:x:y:z", NULL, 0, "GPU request 'gres:gpu:x:y:z' is not");
	refused_with("gres:gpu:4,gres:gpu:2", NULL, 0, "GPUs asked twice");
	refused_with("gres:gpu:9999999999", NULL, 0, "is not gres:gpu");
}
END_TEST

START_TEST(test_placements_are_measured_against_both_bounds)
{
	uint8_t job[16] = { 0 }, free_nodes[16] = { 0 }, members[16];
	aishare_placement_record_t record;

	memset(members, 1, sizeof(members));
	/* A 4-node job on n01,n02 (leaf1) and n05,n06 (leaf2), while leaf4 was free. */
	job[0] = job[1] = job[4] = job[5] = 1;
	for (int n = 12; n < 16; n++)
		free_nodes[n] = 1;
	ck_assert_int_eq(aishare_fabric_measure(fabric, job, free_nodes, members, &record), 0);
	ck_assert_uint_eq(record.nodes, 4);
	ck_assert_uint_eq(record.leaves, 2);
	ck_assert_uint_eq(record.free_bound, 1);
	ck_assert_uint_eq(record.ideal, 1);
	ck_assert_int_eq(aishare_fabric_measure(NULL, job, free_nodes, members, &record), -1);
}
END_TEST

START_TEST(test_the_placement_log_is_summed_and_survives_damage)
{
	aishare_placement_record_t record = { 42, 1795676390, 4, 2, 1, 1 };
	aishare_placement_summary_t sum;
	char path[] = "/tmp/check_placement_XXXXXX", *line, *errors = NULL;
	int fd = mkstemp(path);
	FILE *log;

	ck_assert_int_ge(fd, 0);
	line = aishare_placement_line(&record);
	ck_assert_str_eq(line, "job=42 start=1795676390 nodes=4 leaves=2 bound=1 ideal=1\n");
	ck_assert_ptr_nonnull(log = fdopen(fd, "w"));
	fputs(line, log);
	fputs("job=43 start=1 nodes=8 leaves=2 bound=2 ideal=2\n", log);
	fputs("job=44 start=1 nodes=8 leaves=3 bound=2 ideal=2 extra=1\n", log); /* damaged */
	fputs("job=45 start=1 nodes=2 leaves=9 bound=1 ideal=1\n", log);          /* impossible */
	fputs("\n\x01garbage\njob=46 start=1 nodes=3 leaves=3 bound=2 ideal=1", log); /* no newline */
	fclose(log);
	free(line);

	ck_assert_int_eq(aishare_placement_log_summary(path, &sum, &errors), 0);
	ck_assert_uint_eq(sum.jobs, 3);
	ck_assert_uint_eq(sum.at_bound, 1);
	ck_assert_uint_eq(sum.at_ideal, 1);
	ck_assert_uint_eq(sum.leaves_over_bound, 2);
	ck_assert_uint_eq(sum.leaves_over_ideal, 3);
	ck_assert_uint_eq(sum.malformed, 3);
	unlink(path);

	/* No log yet: nothing placed. */
	ck_assert_int_eq(aishare_placement_log_summary(path, &sum, &errors), 0);
	ck_assert_uint_eq(sum.jobs, 0);
}
END_TEST

START_TEST(test_plans_without_topology_shape_only)
{
	aishare_place_request_t request = { .tres_per_job = "gres:gpu:8", .whole_nodes = 1,
					    .partition = "p" };
	aishare_place_plan_t plan;

	ck_assert_int_eq(aishare_place_plan(NULL, nodes, 16, &request, 8, &plan), 0);
	ck_assert_int_eq(plan.kind, AISHARE_PLACE_WHOLE_NODES);
	ck_assert_ptr_null(plan.switches);
	aishare_place_plan_clear(&plan);

	/* WholeNodes=no keeps a GPU count as it is. */
	request.whole_nodes = 0;
	ck_assert_int_eq(aishare_place_plan(NULL, nodes, 16, &request, 8, &plan), 0);
	ck_assert_int_eq(plan.kind, AISHARE_PLACE_PART_NODES);
	aishare_place_plan_clear(&plan);

	errno = 0;
	ck_assert_int_eq(aishare_place_plan(NULL, nodes, 16, NULL, 8, &plan), -1);
	ck_assert_int_eq(errno, EINVAL);
	aishare_place_plan_clear(NULL);
}
END_TEST

/*
 * The strings `aishare status` gets from libslurm, read by the parser the
 * placement uses: a node's gres, a running job's gres_total and accounting TRES,
 * a pending job's tres_per_job and tres_per_node.
 */
static const struct {
	const char *list;
	uint64_t gpus;
} gpu_lists[] = {
	{ NULL, 0 },
	{ "", 0 },
	/* node_info_t.gres: counts with sockets, several types summed */
	{ "gpu:8", 8 },
	{ "gpu:a100:4(S:0-1)", 4 },
	{ "gpu:a100:2(S:0),gpu:v100:2(S:1)", 4 },
	{ "gpu:2(S:0,2),nic:1", 2 },
	{ "nic:1,gpu:4", 4 },
	{ "gpu", 1 },
	{ "gpu:0", 0 },
	{ "mps:100", 0 },
	/* slurm_job_info_t.gres_total */
	{ "gpu:a100:4", 4 },
	{ "gpu:4,nic:1", 4 },
	/* tres_per_job and tres_per_node: 22.05 and later spellings, other gres */
	{ "gres:gpu:16", 16 },
	{ "gres/gpu:16", 16 },
	{ "gres:gpu:h100:8", 8 },
	{ "gres:gpu:2,gres:nic:1", 2 },
	{ "gres:gpus:4", 0 },
	/* a type without a count is one GPU, as Slurm allocates it */
	{ "gres:gpu:a100", 1 },
	/* tres_alloc_str: "=" counts among the other TRES */
	{ "cpu=8,mem=16G,node=1,billing=8,gres/gpu=4", 4 },
	{ "cpu=8,mem=16G,node=1,gres/gpu:a100=2", 2 },
	{ "cpu=8,gres/gpumem=80G,gres/mps=100", 0 },
	{ "gres/gpu=0", 0 },
	/* ';' separates as ',' does; a malformed entry counts nothing */
	{ "gpu:2;gpu:a100:2", 4 },
	{ "gpu:a100:x,gpu:1", 1 },
};

START_TEST(test_gpus_in_gres_and_tres_lists)
{
	for (size_t i = 0; i < sizeof(gpu_lists) / sizeof(gpu_lists[0]); i++)
		ck_assert_msg(aishare_gpus_in_list(gpu_lists[i].list) == gpu_lists[i].gpus,
			      "\"%s\": %llu GPUs, want %llu",
			      gpu_lists[i].list ? gpu_lists[i].list : "(null)",
			      (unsigned long long) aishare_gpus_in_list(gpu_lists[i].list),
			      (unsigned long long) gpu_lists[i].gpus);
}
END_TEST

Suite *unit_suite(void)
{
	Suite *suite = suite_create("placement");
	TCase *tc = tcase_create("plans");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_jobs_without_gpus_are_kept);
	tcase_add_test(tc, test_gpus_round_up_to_whole_nodes);
	tcase_add_test(tc, test_small_gpu_jobs_share_nodes);
	tcase_add_test(tc, test_jobs_that_fit_a_leaf_are_confined_to_leaves_then_the_spine);
	tcase_add_test(tc, test_partly_used_leaves_fill_first);
	tcase_add_test(tc, test_fragmented_leaves_give_a_bound_above_the_ideal);
	tcase_add_test(tc, test_reclaim_prefers_the_leaf_freed_by_fewest_borrowers);
	tcase_add_test(tc, test_jobs_never_mix_node_classes);
	tcase_add_test(tc, test_never_satisfiable_requests_are_refused_in_one_sentence);
	tcase_add_test(tc, test_placements_are_measured_against_both_bounds);
	tcase_add_test(tc, test_the_placement_log_is_summed_and_survives_damage);
	tcase_add_test(tc, test_plans_without_topology_shape_only);
	suite_add_tcase(suite, tc);

	tc = tcase_create("gpu lists");
	tcase_add_test(tc, test_gpus_in_gres_and_tres_lists);
	suite_add_tcase(suite, tc);
	return suite;
}
