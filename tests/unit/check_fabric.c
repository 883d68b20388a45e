/*
 * check_fabric.c - unit tests of the switch tree (topology.conf), the slurm.conf
 * node reader and `aishare topo check`, through the C API, with Slurm's own
 * hostlist expander.
 *
 * Copyright (C) 2026 The slurm-aishare authors.  GPL-2.0-or-later.
 */
#define _POSIX_C_SOURCE 200809L
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aishare.h"
#include "check_main.h"
#include "hostlist_text.h"

/* Printed with every property failure, so a failing case can be replayed. */
#define PROPERTY_SEED 20260214u
#define PROPERTY_CASES 5000

static const char *fixture(const char *name)
{
	static char path[4096];
	const char *srcdir = getenv("AISHARE_SRCDIR");

	snprintf(path, sizeof(path), "%s/tests/data/topology/%s", srcdir ? srcdir : "..", name);
	return path;
}

static aishare_fabric_t *load(const char *name)
{
	char *errors = NULL;
	aishare_fabric_t *fabric = aishare_fabric_load(fixture(name), hostlist_text_expand, NULL,
						       &errors);

	ck_assert_msg(fabric, "%s: %s", name, errors ? errors : "");
	return fabric;
}

/* Parses TEXT as "t.conf"; expects a refusal (EINVAL) whose message holds WANT. */
static void refused(const char *text, size_t length, const char *want)
{
	char *errors = NULL;
	aishare_fabric_t *fabric;

	errno = 0;
	fabric = aishare_fabric_parse(text, length, "t.conf", hostlist_text_expand, NULL, &errors);
	ck_assert_msg(!fabric, "accepted: %s", text);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_ptr_nonnull(errors);
	ck_assert_msg(strstr(errors, want), "\"%s\" lacks \"%s\"", errors, want);
	free(errors);
}

static aishare_fabric_t *parse(const char *text)
{
	char *errors = NULL;
	aishare_fabric_t *fabric = aishare_fabric_parse(text, strlen(text), "t.conf",
							hostlist_text_expand, NULL, &errors);

	ck_assert_msg(fabric, "%s: %s", text, errors ? errors : "");
	return fabric;
}

static char *check_report(const aishare_fabric_t *fabric, const aishare_conf_node_t *nodes,
			  size_t count, const aishare_node_set_t *set, aishare_format_t format,
			  size_t *problems)
{
	char *report = aishare_topology_check(fabric, nodes, count, set, format, problems);

	ck_assert_ptr_nonnull(report);
	return report;
}

static aishare_conf_node_t *conf_nodes(const char *name, size_t *count)
{
	char *errors = NULL;
	aishare_conf_node_t *nodes = aishare_conf_nodes_load(fixture(name), hostlist_text_expand,
							     NULL, count, &errors);

	ck_assert_msg(nodes, "%s: %s", name, errors ? errors : "");
	return nodes;
}

START_TEST(test_lingjun_fabric)
{
	aishare_fabric_t *fabric = load("lingjun_847.conf");
	size_t n = aishare_fabric_node_count(fabric), problems = 99;
	uint8_t free_nodes[847];
	aishare_switch_choice_t choice;
	char *report;

	ck_assert_uint_eq(n, 847);
	ck_assert_uint_eq(aishare_fabric_leaf_count(fabric), 119);
	ck_assert_str_eq(aishare_fabric_node_name(fabric, 0), "n0001");
	ck_assert_str_eq(aishare_fabric_leaf_of(fabric, 0), "P10_S1");
	ck_assert_str_eq(aishare_fabric_leaf_of(fabric, 846), "P8_S33");
	ck_assert_int_eq(aishare_fabric_node_index(fabric, "n0847"), 846);

	memset(free_nodes, 1, sizeof(free_nodes));
	/* Levels: a leaf holds 8, a pod 200, only the core all 847. */
	ck_assert_int_eq(aishare_fabric_lowest_switch(fabric, free_nodes, 8, &choice), 0);
	ck_assert_str_eq(choice.name, "P10_S1");
	ck_assert_uint_eq(choice.level, 0);
	ck_assert_uint_eq(choice.leaves, 1);
	ck_assert_uint_eq(choice.free_nodes, 8);
	ck_assert_int_eq(aishare_fabric_lowest_switch(fabric, free_nodes, 200, &choice), 0);
	ck_assert_uint_eq(choice.level, 1);
	ck_assert_int_eq(aishare_fabric_lowest_switch(fabric, free_nodes, 847, &choice), 0);
	ck_assert_str_eq(choice.name, "core");
	ck_assert_uint_eq(choice.level, 2);
	ck_assert_uint_eq(choice.free_nodes, 847);
	ck_assert_int_eq(aishare_fabric_lowest_switch(fabric, free_nodes, 848, &choice), -1);
	ck_assert_int_eq(errno, ENOSPC);
	ck_assert_int_eq(aishare_fabric_leaf_bound(fabric, free_nodes, 848), -1);
	ck_assert_int_eq(errno, ENOSPC);

	report = check_report(fabric, NULL, 0, NULL, AISHARE_FORMAT_TEXT, &problems);
	ck_assert_str_eq(report, "topology.conf: 123 switches, 119 leaves, 3 levels, 847 nodes\n"
				 "slurm.conf: not given\n"
				 "0 problems\n");
	ck_assert_uint_eq(problems, 0);
	free(report);
	aishare_fabric_free(fabric);
}
END_TEST

START_TEST(test_good_16)
{
	aishare_fabric_t *fabric = load("good-16.conf");
	aishare_conf_node_t *nodes;
	size_t count = 0, problems = 99;
	char *report;

	ck_assert_uint_eq(aishare_fabric_node_count(fabric), 16);
	ck_assert_uint_eq(aishare_fabric_leaf_count(fabric), 4);
	ck_assert_str_eq(aishare_fabric_node_name(fabric, 4), "node05");
	ck_assert_str_eq(aishare_fabric_leaf_of(fabric, 4), "leaf2");
	ck_assert_str_eq(aishare_fabric_leaf_of(fabric, 10), "leaf3");
	ck_assert_int_eq(aishare_fabric_node_index(fabric, "node16"), 15);
	errno = 0;
	ck_assert_int_eq(aishare_fabric_node_index(fabric, "node17"), -1);
	ck_assert_int_eq(errno, ENOENT);

	nodes = conf_nodes("slurm-16.conf", &count);
	ck_assert_uint_eq(count, 16);
	ck_assert_str_eq(nodes[0].name, "node01");
	ck_assert_str_eq(nodes[15].name, "node16");
	for (size_t i = 0; i < count; i++)
		ck_assert_uint_eq(nodes[i].gpus, 4);

	report = check_report(fabric, nodes, count, NULL, AISHARE_FORMAT_TEXT, &problems);
	ck_assert_str_eq(report, "topology.conf: 5 switches, 4 leaves, 2 levels, 16 nodes\n"
				 "slurm.conf: 16 nodes, 64 GPUs\n"
				 "0 problems\n");
	ck_assert_uint_eq(problems, 0);
	free(report);
	report = check_report(fabric, nodes, count, NULL, AISHARE_FORMAT_JSON, &problems);
	ck_assert_str_eq(report, "{\"switches\":5,\"leaves\":4,\"levels\":2,\"nodes\":16,"
				 "\"slurm_nodes\":16,\"slurm_gpus\":64,\"checked\":null,"
				 "\"not_checked\":null,\"problems\":[],\"problem_count\":0}\n");
	free(report);
	aishare_conf_nodes_free(nodes, count);
	aishare_fabric_free(fabric);
}
END_TEST

START_TEST(test_slurm_conf_mixed)
{
	aishare_fabric_t *fabric = load("good-16.conf");
	size_t count = 0, problems = 0;
	aishare_conf_node_t *nodes = conf_nodes("slurm-mixed.conf", &count);
	static const struct {
		const char *name;
		uint32_t gpus;
	} want[] = { { "node01", 8 }, { "node02", 8 }, { "node03", 8 }, { "node04", 8 },
		     { "node05", 4 }, { "node06", 4 }, { "node07", 1 }, { "node08", 8 },
		     { "cpu1", 0 },   { "cpu2", 0 } };
	char *report;

	ck_assert_uint_eq(count, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < count; i++) {
		ck_assert_str_eq(nodes[i].name, want[i].name);
		ck_assert_uint_eq(nodes[i].gpus, want[i].gpus);
	}
	report = check_report(fabric, nodes, count, NULL, AISHARE_FORMAT_TEXT, &problems);
	ck_assert_uint_eq(problems, 10);
	ck_assert_ptr_nonnull(strstr(report, "problem: node node09 of leaf switch leaf3 is not "
					     "defined in slurm.conf\n"));
	ck_assert_ptr_nonnull(strstr(report, "problem: node cpu2 is missing from topology.conf\n"
					     "10 problems\n"));
	free(report);
	report = check_report(fabric, nodes, count, NULL, AISHARE_FORMAT_JSON, &problems);
	ck_assert_ptr_nonnull(strstr(report, "{\"kind\":\"unknown_node\",\"detail\":\"node node16"));
	ck_assert_ptr_nonnull(strstr(report, "{\"kind\":\"missing_node\",\"detail\":\"node cpu1"));
	free(report);
	aishare_conf_nodes_free(nodes, count);
	aishare_fabric_free(fabric);
}
END_TEST

/* hwloc XML of two slurm.conf nodes and of one node slurm.conf lacks. */
START_TEST(test_check_with_node_set)
{
	aishare_fabric_t *fabric = load("good-16.conf");
	aishare_node_set_t *set = aishare_node_set_create();
	size_t count = 0, problems = 0;
	aishare_conf_node_t *nodes = conf_nodes("slurm-16.conf", &count);
	static const char *xml[][2] = { { "node01", "gpu4-pcie.xml" },
					{ "node02", "gpu8-nic8.xml" },
					{ "stranger", "gpu4-pcie.xml" } };
	char path[4096], *errors = NULL, *report;
	const char *srcdir = getenv("AISHARE_SRCDIR");

	ck_assert_ptr_nonnull(set);
	for (size_t i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/tests/data/hwloc/%s", srcdir ? srcdir : "..",
			 xml[i][1]);
		ck_assert_msg(!aishare_node_set_load_file(set, xml[i][0], path, &errors), "%s: %s",
			      path, errors ? errors : "");
	}
	report = check_report(fabric, nodes, count, set, AISHARE_FORMAT_TEXT, &problems);
	ck_assert_str_eq(report, "topology.conf: 5 switches, 4 leaves, 2 levels, 16 nodes\n"
				 "slurm.conf: 16 nodes, 64 GPUs\n"
				 "hwloc XML: 2 nodes checked, 14 not checked (no XML)\n"
				 "problem: node node02 has 4 GPUs in slurm.conf but 8 in its hwloc "
				 "XML\n"
				 "problem: node stranger has hwloc XML but is not defined in "
				 "slurm.conf\n"
				 "2 problems\n");
	ck_assert_uint_eq(problems, 2);
	free(report);
	report = check_report(fabric, nodes, count, set, AISHARE_FORMAT_JSON, &problems);
	ck_assert_ptr_nonnull(strstr(report, "\"checked\":2,\"not_checked\":14,"));
	ck_assert_ptr_nonnull(strstr(report, "{\"kind\":\"gpu_count\",\"detail\":\"node node02"));
	ck_assert_ptr_nonnull(strstr(report, "{\"kind\":\"unknown_xml_node\""));
	free(report);
	aishare_node_set_free(set);
	aishare_conf_nodes_free(nodes, count);
	aishare_fabric_free(fabric);
}
END_TEST

/* Writes TEXT to a temporary file; returns its path (static). */
static const char *temporary(const char *text)
{
	static char path[64];
	int fd;

	strcpy(path, "/tmp/check_fabric.XXXXXX");
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t) strlen(text));
	close(fd);
	return path;
}

START_TEST(test_slurm_conf_errors)
{
	const char *path = temporary("ClusterName=x\n"
				     "NodeName=a[1- Gres=gpu:2\n"
				     "NodeName=b Gres=gpu:x:9z\n"
				     "NodeName=c\n"
				     "NodeName=c\n"
				     "NodeName= Gres=gpu:1\n");
	size_t count = 7;
	char *errors = NULL, want[128];

	errno = 0;
	ck_assert_ptr_null(aishare_conf_nodes_load(path, hostlist_text_expand, NULL, &count,
						   &errors));
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_uint_eq(count, 0);
	ck_assert_ptr_nonnull(errors);
	for (int line = 2; line <= 6; line++) {
		if (line == 4)
			continue; /* the first c is fine */
		snprintf(want, sizeof(want), "%s:%d: ", path, line);
		ck_assert_msg(strstr(errors, want), "%s lacks %s", errors, want);
	}
	ck_assert_ptr_nonnull(strstr(errors, "\"9z\" is not a GPU count"));
	ck_assert_ptr_nonnull(strstr(errors, "node c is defined twice (first on line 4)"));
	free(errors);
	unlink(path);

	ck_assert_ptr_null(aishare_conf_nodes_load("/nonexistent/slurm.conf",
						   hostlist_text_expand, NULL, &count, &errors));
	ck_assert_str_eq(errors, "/nonexistent/slurm.conf: no such file");
	free(errors);
	ck_assert_ptr_null(aishare_conf_nodes_load(NULL, hostlist_text_expand, NULL, &count,
						   NULL));
	ck_assert_int_eq(errno, EINVAL);
}
END_TEST

START_TEST(test_broken_tree)
{
	aishare_fabric_t *fabric = load("broken.conf");
	size_t problems = 0;
	char *report = check_report(fabric, NULL, 0, NULL, AISHARE_FORMAT_TEXT, &problems);
	static const char *want[] = {
		"problem: switch s1 is defined twice (lines 2 and 8); the second is ignored\n",
		"problem: switch s3 has neither Nodes nor Switches (line 6)\n",
		"problem: switch s4 has both Nodes and Switches (line 10)\n",
		"problem: switch s2 is a child of both s4 and spine (lines 10 and 12); the first "
		"is kept\n",
		"problem: switch spine names switch ghost, which is never defined (line 12)\n",
		"problem: switch s1 is a child of both spine and spine2 (lines 12 and 13); the "
		"first is kept\n",
		"problem: switches form a cycle: loopa -> loopb -> loopa\n",
		"problem: 5 roots (disconnected trees): s3, s4, spine, spine2, loopa\n",
		"problem: node n4 is in leaf switches s1 (line 2) and s2 (line 4); the first is "
		"kept\n",
	};
	const char *at = report;

	/* Every problem, in this order. */
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const char *found = strstr(at, want[i]);

		ck_assert_msg(found, "report lacks (in order) %s\n%s", want[i], report);
		at = found + strlen(want[i]);
	}
	ck_assert_uint_eq(problems, 9);
	ck_assert_str_eq(at, "9 problems\n");
	free(report);

	report = check_report(fabric, NULL, 0, NULL, AISHARE_FORMAT_JSON, &problems);
	for (const char **kind = (const char *[]){ "duplicate_switch", "childless_switch",
						   "mixed_switch", "two_parents",
						   "undefined_switch", "cycle", "several_roots",
						   "node_in_two_leaves", NULL };
	     *kind; kind++) {
		char quoted[64];

		snprintf(quoted, sizeof(quoted), "{\"kind\":\"%s\"", *kind);
		ck_assert_msg(strstr(report, quoted), "JSON lacks %s", *kind);
	}
	free(report);

	/* The repaired tree still answers: n4 stays in s1, s4 holds n9 and s2. */
	ck_assert_str_eq(aishare_fabric_leaf_of(fabric, aishare_fabric_node_index(fabric, "n4")),
			 "s1");
	aishare_fabric_free(fabric);
}
END_TEST

START_TEST(test_empty_tree)
{
	aishare_fabric_t *fabric = parse("# no switch yet\n\n");
	size_t problems = 0;
	char *report = check_report(fabric, NULL, 0, NULL, AISHARE_FORMAT_TEXT, &problems);

	ck_assert_str_eq(report, "topology.conf: 0 switches, 0 leaves, 0 levels, 0 nodes\n"
				 "slurm.conf: not given\n"
				 "problem: t.conf defines no switch\n"
				 "1 problem\n");
	ck_assert_int_eq(aishare_fabric_leaf_bound(fabric, NULL, 0), 0);
	ck_assert_int_eq(aishare_fabric_leaf_bound(fabric, NULL, 1), -1);
	ck_assert_int_eq(errno, ENOSPC);
	free(report);
	aishare_fabric_free(fabric);
}
END_TEST

/* An expander that refuses everything, as Slurm's refuses "n[3-1]". */
static char *refusing_expand(const char *expression, void *context, char **error)
{
	(void) expression;
	(void) context;
	*error = strdup("no hostlist for you");
	return NULL;
}

/*
 * slurmctld's switch table as a source: the tree it gives answers as the same
 * topology.conf does, and its problems are the tree's, not a refusal.
 */
START_TEST(test_from_switch_table)
{
	static const aishare_switch_t table[] = {
		{ "leaf1", "n[1-4]", NULL },
		{ "leaf2", "n[5-6]", "" },
		{ "spine", NULL, "leaf[1-2]" },
	};
	aishare_fabric_t *fabric, *from_text;
	char *errors = NULL;
	size_t problems = 0;
	char *report;

	fabric = aishare_fabric_from_switches(table, 3, "table", hostlist_text_expand, NULL,
					      &errors);
	ck_assert_msg(fabric, "%s", errors ? errors : "");
	from_text = parse("SwitchName=leaf1 Nodes=n[1-4]\nSwitchName=leaf2 Nodes=n[5-6]\n"
			  "SwitchName=spine Switches=leaf[1-2]\n");
	ck_assert_uint_eq(aishare_fabric_node_count(fabric), 6);
	ck_assert_uint_eq(aishare_fabric_leaf_count(fabric), 2);
	for (size_t node = 0; node < 6; node++) {
		ck_assert_str_eq(aishare_fabric_node_name(fabric, node),
				 aishare_fabric_node_name(from_text, node));
		ck_assert_str_eq(aishare_fabric_leaf_of(fabric, node),
				 aishare_fabric_leaf_of(from_text, node));
	}
	/* Four free nodes under leaf1: one leaf; five need both. */
	ck_assert_int_eq(aishare_fabric_leaf_bound(fabric, (const uint8_t[]){ 1, 1, 1, 1, 1, 1 }, 4),
			 1);
	ck_assert_int_eq(aishare_fabric_leaf_bound(fabric, (const uint8_t[]){ 1, 1, 1, 1, 1, 1 }, 5),
			 2);
	report = check_report(fabric, NULL, 0, NULL, AISHARE_FORMAT_TEXT, &problems);
	ck_assert_uint_eq(problems, 0);
	free(report);
	aishare_fabric_free(fabric);
	aishare_fabric_free(from_text);

	/* A switch with neither is a problem of the tree, reported by position. */
	fabric = aishare_fabric_from_switches((const aishare_switch_t[]){ { "lone", NULL, NULL } },
					      1, "table", hostlist_text_expand, NULL, &errors);
	ck_assert_ptr_nonnull(fabric);
	report = check_report(fabric, NULL, 0, NULL, AISHARE_FORMAT_TEXT, &problems);
	ck_assert_msg(strstr(report, "switch lone has neither Nodes nor Switches (line 1)"),
		      "%s", report);
	free(report);
	aishare_fabric_free(fabric);

	/* Refused: a switch without a name, a hostlist the expander refuses. */
	errno = 0;
	ck_assert_ptr_null(aishare_fabric_from_switches(
		(const aishare_switch_t[]){ { "", "n1", NULL } }, 1, "table",
		hostlist_text_expand, NULL, &errors));
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_str_eq(errors, "table: switch 1 has no name");
	free(errors);
	ck_assert_ptr_null(aishare_fabric_from_switches(
		(const aishare_switch_t[]){ { "s1", "n[3-1]", NULL } }, 1, "table",
		refusing_expand, NULL, &errors));
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_str_eq(errors, "table: switch \"s1\": no hostlist for you");
	free(errors);
	ck_assert_ptr_null(aishare_fabric_from_switches(NULL, 1, "table", hostlist_text_expand,
							NULL, &errors));
	ck_assert_int_eq(errno, EINVAL);
}
END_TEST

START_TEST(test_syntax_errors)
{
	char junk[2048];
	unsigned seed = 7;

	refused("SwitchName=a Nodes=n1\nSwitchName=b Nodez=n2\n", 44, "t.conf:2: unknown key \"Nodez\"");
	refused("\nNodes=n[1-4]\n", 14, "t.conf:2: no SwitchName=");
	/*
	 * Slurm reads "n[1-" as "n]", which we refuse.  (Slurm's own refusals, of
	 * "n[3-1]" say, are tested with a fake below: libslurm 22.05 leaks memory on
	 * that path, which valgrind would report against this test.)
	 */
	refused("SwitchName=a Nodes=n[1-\n", 24,
		"t.conf:1: Nodes=\"n[1-\": \"n[1-\" gives the name \"n]\", not a host name");
	refused("SwitchName=a Switches=[\n", 24, "t.conf:1: Switches=\"[\": \"[\" names no host");
	refused("SwitchName=a Nodes=\n", 20, "t.conf:1: Nodes= has no value");
	refused("SwitchName=a Nodes=n1 nodes=n2\n", 31, "t.conf:1: nodes= given twice");
	refused("SwitchName=a LinkSpeed=fast Nodes=n1\n", 37, "t.conf:1: LinkSpeed=\"fast\"");
	refused("SwitchName=a Nodes=n1 junk\n", 27, "t.conf:1: \"junk\" is not Key=Value");
	refused("SwitchName=a Nodes=n\0001\n", 23, "t.conf:1: NUL byte");
	refused("", 0, "t.conf:1: empty file");
	/* Every error at once. */
	refused("Foo=1\nSwitchName=a Bar=2\n", 25,
		"t.conf:1: unknown key \"Foo\" (SwitchName, Nodes, Switches, LinkSpeed); "
		"t.conf:1: no SwitchName=; t.conf:2: unknown key \"Bar\"");

	/* A line over 64 KiB. */
	{
		size_t length = 70000;
		char *line = malloc(length + 1);

		memcpy(line, "SwitchName=a Nodes=", 19);
		memset(line + 19, 'x', length - 19);
		line[length] = '\0';
		refused(line, length, "t.conf:1: line longer than 65536 bytes");
		free(line);
	}

	/* 2 KiB of junk: refused with file and line, never a crash. */
	for (size_t i = 0; i < sizeof(junk); i++) {
		seed = seed * 1103515245u + 12345u;
		junk[i] = (char) (seed >> 16);
	}
	refused(junk, sizeof(junk), "t.conf:");

	/* The expander's refusal is passed on, with file and line. */
	{
		char *errors = NULL;
		const char *text = "SwitchName=a Nodes=n1\nSwitchName=b Nodes=n[3-1]\n";

		errno = 0;
		ck_assert_ptr_null(aishare_fabric_parse(text, strlen(text), "t.conf", refusing_expand,
							NULL, &errors));
		ck_assert_int_eq(errno, EINVAL);
		ck_assert_str_eq(errors, "t.conf:1: Nodes=\"n1\": no hostlist for you; "
					 "t.conf:2: Nodes=\"n[3-1]\": no hostlist for you");
		free(errors);
	}

	ck_assert_ptr_null(aishare_fabric_parse(NULL, 3, "t.conf", hostlist_text_expand, NULL,
						NULL));
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_ptr_null(aishare_fabric_parse("SwitchName=a", 12, "t.conf", NULL, NULL, NULL));
	ck_assert_int_eq(errno, EINVAL);
}
END_TEST

START_TEST(test_file_errors)
{
	char *errors = NULL, path[] = "/tmp/check_fabric.XXXXXX", want[128];
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	/* Empty. */
	ck_assert_ptr_null(aishare_fabric_load(path, hostlist_text_expand, NULL, &errors));
	snprintf(want, sizeof(want), "%s:1: empty file", path);
	ck_assert_ptr_nonnull(strstr(errors, want));
	free(errors);
	/* Too large, sparse: refused before it is read. */
	ck_assert_int_eq(ftruncate(fd, (off_t) AISHARE_TOPOLOGY_CONF_MAX_BYTES + 1), 0);
	close(fd);
	errno = 0;
	ck_assert_ptr_null(aishare_fabric_load(path, hostlist_text_expand, NULL, &errors));
	ck_assert_int_eq(errno, EINVAL);
	snprintf(want, sizeof(want), "%s: larger than 16777216 bytes", path);
	ck_assert_msg(strstr(errors, want), "%s", errors);
	free(errors);
	unlink(path);
	/* Missing. */
	ck_assert_ptr_null(aishare_fabric_load("/nonexistent/topology.conf", hostlist_text_expand,
					       NULL, &errors));
	ck_assert_str_eq(errors, "/nonexistent/topology.conf: no such file");
	free(errors);
	ck_assert_ptr_null(aishare_fabric_load(NULL, hostlist_text_expand, NULL, NULL));
	ck_assert_int_eq(errno, EINVAL);
}
END_TEST

START_TEST(test_bad_arguments)
{
	aishare_fabric_t *fabric = load("good-16.conf");
	aishare_switch_choice_t choice;

	errno = 0;
	ck_assert_ptr_null(aishare_fabric_node_name(fabric, 16));
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_ptr_null(aishare_fabric_leaf_of(fabric, 16));
	ck_assert_ptr_null(aishare_fabric_node_name(NULL, 0));
	ck_assert_uint_eq(aishare_fabric_node_count(NULL), 0);
	ck_assert_uint_eq(aishare_fabric_leaf_count(NULL), 0);
	ck_assert_int_eq(aishare_fabric_node_index(fabric, NULL), -1);
	errno = 0;
	ck_assert_int_eq(aishare_fabric_leaf_bound(fabric, NULL, 1), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(aishare_fabric_lowest_switch(fabric, NULL, 1, &choice), -1);
	ck_assert_int_eq(aishare_fabric_lowest_switch(NULL, (uint8_t[1]){ 1 }, 1, &choice), -1);
	ck_assert_ptr_null(aishare_topology_check(NULL, NULL, 3, NULL, AISHARE_FORMAT_TEXT, NULL));
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_ptr_null(aishare_topology_check(fabric, NULL, 0, NULL, (aishare_format_t) 7,
						  NULL));
	aishare_fabric_free(NULL);
	aishare_conf_nodes_free(NULL, 3);
	aishare_fabric_free(fabric);
}
END_TEST

START_TEST(test_hand_made_queries)
{
	/* Leaves of 4, 3, 2 and 1 free nodes: a under x, b c under y, d alone under z. */
	aishare_fabric_t *fabric = parse("SwitchName=a Nodes=a[1-6]\n"
					 "SwitchName=b Nodes=b[1-4]\n"
					 "SwitchName=c Nodes=c[1-4]\n"
					 "SwitchName=d Nodes=d[1-4]\n"
					 "SwitchName=x Switches=a\n"
					 "SwitchName=y Switches=b,c\n"
					 "SwitchName=top Switches=x,y,d\n");
	uint8_t free_nodes[18] = { 1, 1, 1, 1, 0, 0, /* a: 4 */
				   1, 1, 1, 0,       /* b: 3 */
				   0, 1, 1, 0,       /* c: 2 */
				   0, 0, 0, 1 };     /* d: 1 */
	aishare_switch_choice_t choice;

	ck_assert_int_eq(aishare_fabric_leaf_bound(fabric, free_nodes, 0), 0);
	ck_assert_int_eq(aishare_fabric_leaf_bound(fabric, free_nodes, 4), 1);
	ck_assert_int_eq(aishare_fabric_leaf_bound(fabric, free_nodes, 5), 2);
	ck_assert_int_eq(aishare_fabric_leaf_bound(fabric, free_nodes, 7), 2);
	ck_assert_int_eq(aishare_fabric_leaf_bound(fabric, free_nodes, 8), 3);
	ck_assert_int_eq(aishare_fabric_leaf_bound(fabric, free_nodes, 10), 4);
	ck_assert_int_eq(aishare_fabric_leaf_bound(fabric, free_nodes, 11), -1);
	ck_assert_int_eq(errno, ENOSPC);

	/* 2 nodes: leaves a, b, c hold it; c has the fewest free nodes (best fit). */
	ck_assert_int_eq(aishare_fabric_lowest_switch(fabric, free_nodes, 2, &choice), 0);
	ck_assert_str_eq(choice.name, "c");
	ck_assert_uint_eq(choice.level, 0);
	ck_assert_uint_eq(choice.leaves, 1);
	ck_assert_uint_eq(choice.free_nodes, 2);
	/* 1 node: d (1 free) is the best fit. */
	ck_assert_int_eq(aishare_fabric_lowest_switch(fabric, free_nodes, 1, &choice), 0);
	ck_assert_str_eq(choice.name, "d");
	/* 4 nodes: only leaf a. */
	ck_assert_int_eq(aishare_fabric_lowest_switch(fabric, free_nodes, 4, &choice), 0);
	ck_assert_str_eq(choice.name, "a");
	/* 5 nodes: y (b + c) at level 1, two leaves; x holds only 4. */
	ck_assert_int_eq(aishare_fabric_lowest_switch(fabric, free_nodes, 5, &choice), 0);
	ck_assert_str_eq(choice.name, "y");
	ck_assert_uint_eq(choice.level, 1);
	ck_assert_uint_eq(choice.leaves, 2);
	ck_assert_uint_eq(choice.free_nodes, 5);
	/* 6 nodes: only top, which needs two leaves (a + b). */
	ck_assert_int_eq(aishare_fabric_lowest_switch(fabric, free_nodes, 6, &choice), 0);
	ck_assert_str_eq(choice.name, "top");
	ck_assert_uint_eq(choice.level, 2);
	ck_assert_uint_eq(choice.leaves, 2);
	ck_assert_uint_eq(choice.free_nodes, 10);
	ck_assert_int_eq(aishare_fabric_lowest_switch(fabric, free_nodes, 11, &choice), -1);
	ck_assert_int_eq(errno, ENOSPC);
	aishare_fabric_free(fabric);

	/* Ties: equal leaves, equal fit: the first defined wins. */
	fabric = parse("SwitchName=p Nodes=p[1-2]\nSwitchName=q Nodes=q[1-2]\n"
		       "SwitchName=r Switches=p,q\n");
	ck_assert_int_eq(aishare_fabric_lowest_switch(fabric, (uint8_t[4]){ 1, 1, 1, 1 }, 2,
						      &choice), 0);
	ck_assert_str_eq(choice.name, "p");
	aishare_fabric_free(fabric);
}
END_TEST

/* A tiny generator with a fixed seed: the same cases on every machine. */
static uint64_t rng_state;

static uint32_t rng(uint32_t bound)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return bound ? (uint32_t) (rng_state % bound) : 0;
}

START_TEST(test_property_against_brute_force)
{
	aishare_fabric_t *fabric = load("lingjun_847.conf");
	enum { NODES = 847, LEAVES = 119, PICK = 12 };
	/* Leaves in file order, their first node and size; the pod of each leaf. */
	const char *leaf_name[LEAVES];
	int leaf_first[LEAVES], leaf_size[LEAVES], leaf_pod[LEAVES];
	static const char *pods[] = { "P10", "P12", "P8" };
	int leaves = 0;
	uint8_t free_nodes[NODES];
	static uint32_t sums[1 << PICK];
	int cases = 0;

	for (int node = 0; node < NODES; node++) {
		const char *leaf = aishare_fabric_leaf_of(fabric, node);

		if (leaves && !strcmp(leaf_name[leaves - 1], leaf)) {
			leaf_size[leaves - 1]++;
			continue;
		}
		ck_assert_int_lt(leaves, LEAVES);
		leaf_name[leaves] = leaf;
		leaf_first[leaves] = node;
		leaf_size[leaves] = 1;
		leaf_pod[leaves] = -1;
		for (int p = 0; p < 3; p++)
			if (!strncmp(leaf, pods[p], strlen(pods[p])) && leaf[strlen(pods[p])] == '_')
				leaf_pod[leaves] = p;
		ck_assert_int_ge(leaf_pod[leaves], 0);
		leaves++;
	}
	ck_assert_int_eq(leaves, LEAVES);

	rng_state = PROPERTY_SEED;
	for (int round = 0; round < PROPERTY_CASES; round++) {
		int chosen[PICK], count = 1 + rng(PICK), total = 0, free_in[PICK];
		uint32_t want_nodes;
		long bound, expect_bound = -1;
		aishare_switch_choice_t choice;
		int rc;

		/* COUNT distinct leaves, each with at least one free node. */
		memset(free_nodes, 0, sizeof(free_nodes));
		for (int i = 0; i < count; i++) {
			int leaf, again;

			do {
				leaf = rng(LEAVES);
				again = 0;
				for (int j = 0; j < i; j++)
					again |= chosen[j] == leaf;
			} while (again);
			chosen[i] = leaf;
			free_in[i] = 0;
			for (int k = 0; k < leaf_size[leaf]; k++)
				if (rng(2)) {
					free_nodes[leaf_first[leaf] + k] = 1;
					free_in[i]++;
				}
			if (!free_in[i]) {
				free_nodes[leaf_first[leaf]] = 1;
				free_in[i] = 1;
			}
			total += free_in[i];
		}
		/* Up to the total, sometimes one more (which nothing can hold). */
		want_nodes = 1 + rng(total + 1);

		/* Brute force: every subset of the chosen leaves. */
		sums[0] = 0;
		for (uint32_t mask = 1; mask < (1u << count); mask++) {
			int low = __builtin_ctz(mask);

			sums[mask] = sums[mask & (mask - 1)] + free_in[low];
			if (sums[mask] >= want_nodes &&
			    (expect_bound < 0 || __builtin_popcount(mask) < expect_bound))
				expect_bound = __builtin_popcount(mask);
		}
		bound = aishare_fabric_leaf_bound(fabric, free_nodes, want_nodes);
		ck_assert_msg(bound == expect_bound,
			      "seed %u case %d: %u nodes over %d leaves: bound %ld, brute force %ld",
			      PROPERTY_SEED, round, want_nodes, count, bound, expect_bound);

		/*
		 * Lowest switch by scanning every switch: leaves (level 0, file order),
		 * then pods (level 1, file order P10 P12 P8), then the core.  Within
		 * a switch its fewest leaves come from the subsets inside it.
		 */
		{
			const char *name = NULL;
			uint32_t level = 0, need = 0, have = 0;

			for (int leaf = 0; leaf < LEAVES && want_nodes <= 8; leaf++) {
				uint32_t in = 0;

				for (int k = 0; k < leaf_size[leaf]; k++)
					in += free_nodes[leaf_first[leaf] + k];
				if (in >= want_nodes && in > 0 && (!name || in < have)) {
					name = leaf_name[leaf];
					need = 1;
					have = in;
				}
			}
			if (!name) {
				for (int p = 0; p < 3; p++) {
					uint32_t pod_mask = 0, in = 0, fewest = 0;

					for (int i = 0; i < count; i++)
						if (leaf_pod[chosen[i]] == p) {
							pod_mask |= 1u << i;
							in += free_in[i];
						}
					if (in < want_nodes)
						continue;
					for (uint32_t mask = pod_mask; mask; mask = (mask - 1) & pod_mask)
						if (sums[mask] >= want_nodes &&
						    (!fewest || (uint32_t) __builtin_popcount(mask) < fewest))
							fewest = __builtin_popcount(mask);
					if (!name || fewest < need || (fewest == need && in < have)) {
						name = pods[p];
						level = 1;
						need = fewest;
						have = in;
					}
				}
			}
			if (!name && expect_bound > 0) {
				name = "core";
				level = 2;
				need = expect_bound;
				have = total;
			}
			rc = aishare_fabric_lowest_switch(fabric, free_nodes, want_nodes, &choice);
			if (!name) {
				ck_assert_msg(rc == -1 && errno == ENOSPC,
					      "seed %u case %d: a switch for %u nodes of %d",
					      PROPERTY_SEED, round, want_nodes, total);
			} else {
				ck_assert_msg(rc == 0 && !strcmp(choice.name, name) &&
						      choice.level == level &&
						      choice.leaves == need &&
						      choice.free_nodes == have,
					      "seed %u case %d: %u nodes: got %s level %u, %u "
					      "leaves, %u free; brute force %s level %u, %u "
					      "leaves, %u free",
					      PROPERTY_SEED, round, want_nodes,
					      rc ? "none" : choice.name, choice.level,
					      choice.leaves, choice.free_nodes, name, level, need,
					      have);
			}
		}
		cases++;
	}
	fprintf(stderr, "fabric property: %d cases agree (seed %u)\n", cases, PROPERTY_SEED);
	aishare_fabric_free(fabric);
}
END_TEST

Suite *unit_suite(void)
{
	Suite *suite = suite_create("fabric");
	TCase *tc = tcase_create("fabric");

	/* The property test and valgrind need more than check's default 4 s. */
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_lingjun_fabric);
	tcase_add_test(tc, test_good_16);
	tcase_add_test(tc, test_slurm_conf_mixed);
	tcase_add_test(tc, test_slurm_conf_errors);
	tcase_add_test(tc, test_check_with_node_set);
	tcase_add_test(tc, test_broken_tree);
	tcase_add_test(tc, test_empty_tree);
	tcase_add_test(tc, test_syntax_errors);
	tcase_add_test(tc, test_from_switch_table);
	tcase_add_test(tc, test_file_errors);
	tcase_add_test(tc, test_bad_arguments);
	tcase_add_test(tc, test_hand_made_queries);
	tcase_add_test(tc, test_property_against_brute_force);
	suite_add_tcase(suite, tc);
	return suite;
}
