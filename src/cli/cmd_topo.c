/*
 * cmd_topo.c - `aishare topo`: the machine as placement sees it.
 *
 *   show   node classes and per-node profiles from hwloc XML
 *   gres   gres.conf lines with Cores= and Links= derived from hwloc
 *   check  topology.conf problems and slurm.conf vs hwloc disagreements
 *   bound  the fewest leaf switches, and the lowest switch, for an N-node job
 *   features  each node's switch features for slurm.conf (compact placement)
 *
 * Node XML files are named <nodename>.xml (the TopologyDir layout); a directory
 * argument stands for every such file in it.  All the work is the core's; this
 * file reads arguments, files and hostlists (with libslurm's own functions).
 *
 * Copyright (C) 2026 The slurm-aishare authors.  GPL-2.0-or-later.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "aishare.h"
#include "aishare_cli.h"
#include "cli_text.h"
#include "node_files.h"
#include "hostlist_text.h"

struct topo_args {
	int json;
	const char *file_prefix;
	const char *topology;
	const char *slurm_conf;
	const char *free_nodes;
	long nodes;
	char **inputs; /* XML files and directories */
	int input_count;
};

/* The node set of the XML arguments; *FAILED counts files that did not load. */
static aishare_node_set_t *load_nodes(const struct topo_args *args, int *failed)
{
	aishare_node_set_t *set = aishare_node_set_create();
	struct stat st;

	*failed = 0;
	if (!set) {
		fprintf(stderr, "aishare: out of memory\n");
		return NULL;
	}
	for (int i = 0; i < args->input_count; i++) {
		if (!stat(args->inputs[i], &st) && S_ISDIR(st.st_mode))
			*failed += load_node_dir(set, args->inputs[i], NULL);
		else
			*failed += load_node_file(set, args->inputs[i], NULL) != 0;
	}
	return set;
}

static int print_report(char *text)
{
	if (!text) {
		fprintf(stderr, "aishare: cannot write the report: %s\n", strerror(errno));
		return 1;
	}
	fputs(text, stdout);
	if (*text && text[strlen(text) - 1] != '\n')
		putchar('\n');
	free(text);
	return 0;
}

static int topo_show_or_gres(const struct topo_args *args, int gres)
{
	aishare_format_t format = args->json ? AISHARE_FORMAT_JSON : AISHARE_FORMAT_TEXT;
	aishare_node_set_t *set;
	int failed, rc;

	if (!args->input_count) {
		fprintf(stderr, "aishare: topo %s: name the nodes' hwloc XML files "
			"(<nodename>.xml) or the directory holding them (TopologyDir)\n",
			gres ? "gres" : "show");
		return 2;
	}
	if (!(set = load_nodes(args, &failed)))
		return 1;
	rc = print_report(gres ? aishare_node_set_gres(set, args->file_prefix, format)
			       : aishare_node_set_report(set, format));
	aishare_node_set_free(set);
	return rc || failed ? 1 : 0;
}

/* slurm.conf beside which topology.conf lives, as Slurm looks for it. */
static const char *default_slurm_conf(void)
{
	const char *conf = getenv("SLURM_CONF");

	return conf && *conf ? conf : "/etc/slurm/slurm.conf";
}

static char *default_topology_conf(const char *slurm_conf)
{
	char *copy = strdup(slurm_conf), *path = NULL;

	if (copy && asprintf(&path, "%s/topology.conf", dirname(copy)) < 0)
		path = NULL;
	free(copy);
	return path;
}

static aishare_fabric_t *load_fabric(const char *path)
{
	char *errors = NULL;
	aishare_fabric_t *fabric = aishare_fabric_load(path, hostlist_text_expand, NULL, &errors);

	if (!fabric)
		fprintf(stderr, "aishare: %s\n", errors ? errors : strerror(errno));
	free(errors);
	return fabric;
}

static int topo_check(const struct topo_args *args)
{
	const char *slurm_conf = args->slurm_conf ? args->slurm_conf : default_slurm_conf();
	char *topology = args->topology ? strdup(args->topology)
					: default_topology_conf(slurm_conf);
	aishare_fabric_t *fabric = NULL;
	aishare_conf_node_t *conf_nodes = NULL;
	aishare_node_set_t *set = NULL;
	size_t conf_count = 0, problems = 0;
	char *errors = NULL;
	int failed = 0, rc = 1;

	if (!topology || !(fabric = load_fabric(topology)))
		goto out;
	conf_nodes = aishare_conf_nodes_load(slurm_conf, hostlist_text_expand, NULL,
					     &conf_count, &errors);
	if (!conf_nodes) {
		fprintf(stderr, "aishare: %s\n", errors ? errors : strerror(errno));
		goto out;
	}
	if (args->input_count && !(set = load_nodes(args, &failed)))
		goto out;
	if (print_report(aishare_topology_check(
		    fabric, conf_nodes, conf_count, set,
		    args->json ? AISHARE_FORMAT_JSON : AISHARE_FORMAT_TEXT, &problems)))
		goto out;
	/* Like a linter: 1 when anything is wrong, so scripts can gate on it. */
	rc = problems || failed ? 1 : 0;
out:
	aishare_node_set_free(set);
	aishare_conf_nodes_free(conf_nodes, conf_count);
	aishare_fabric_free(fabric);
	free(errors);
	free(topology);
	return rc;
}

/* Marks the nodes of HOSTLIST free; prints the problem and returns -1 on error. */
static int mark_free(const aishare_fabric_t *fabric, const char *hostlist, uint8_t *free_nodes)
{
	char *error = NULL, *names, *name, *save = NULL;
	int rc = 0;

	if (!(names = hostlist_text_expand(hostlist, NULL, &error))) {
		fprintf(stderr, "aishare: topo bound: --free: %s\n", error ? error : "bad hostlist");
		free(error);
		return -1;
	}
	for (name = strtok_r(names, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
		long index = aishare_fabric_node_index(fabric, name);

		if (index < 0) {
			fprintf(stderr, "aishare: topo bound: --free: %s is in no leaf switch "
				"of the topology\n", name);
			rc = -1;
			break;
		}
		free_nodes[index] = 1;
	}
	free(names);
	return rc;
}

/* NAME as a JSON string: switch names come from an operator's file. */
static int topo_bound(const struct topo_args *args)
{
	aishare_fabric_t *fabric;
	aishare_switch_choice_t choice;
	uint8_t *free_nodes;
	long leaves;
	int rc = 1;

	if (!args->topology || args->nodes <= 0 || args->nodes > UINT32_MAX) {
		fprintf(stderr, "aishare: topo bound: needs --topology FILE and --nodes N "
			"(N > 0)\n");
		return 2;
	}
	if (!(fabric = load_fabric(args->topology)))
		return 1;
	free_nodes = calloc(aishare_fabric_node_count(fabric) + 1, 1);
	if (!free_nodes) {
		fprintf(stderr, "aishare: out of memory\n");
		goto out;
	}
	if (args->free_nodes) {
		if (mark_free(fabric, args->free_nodes, free_nodes))
			goto out;
	} else {
		memset(free_nodes, 1, aishare_fabric_node_count(fabric));
	}
	leaves = aishare_fabric_leaf_bound(fabric, free_nodes, (uint32_t) args->nodes);
	if (leaves < 0 || aishare_fabric_lowest_switch(fabric, free_nodes,
						       (uint32_t) args->nodes, &choice)) {
		if (args->json)
			printf("{\"nodes\":%ld,\"fits\":false}\n", args->nodes);
		else
			printf("%ld nodes do not fit in the free nodes\n", args->nodes);
		rc = 0;
		goto out;
	}
	if (args->json) {
		char *name = json_quote(choice.name);

		printf("{\"nodes\":%ld,\"fits\":true,\"leaf_bound\":%ld,"
		       "\"lowest_switch\":{\"name\":%s,\"level\":%u,\"leaves\":%u,"
		       "\"free_nodes\":%u}}\n", args->nodes, leaves, name ? name : "null",
		       choice.level, choice.leaves, choice.free_nodes);
		free(name);
	} else
		printf("%ld nodes: at least %ld leaf switches; lowest switch %s (level %u) "
		       "holds them in %u leaves, %u free nodes below it\n",
		       args->nodes, leaves, choice.name, choice.level, choice.leaves,
		       choice.free_nodes);
	rc = 0;
out:
	free(free_nodes);
	aishare_fabric_free(fabric);
	return rc;
}

/*
 * slurm.conf Features= for every node of topology.conf, one line per leaf switch:
 * job_submit/aishare confines jobs with them.  Nodes of one leaf share them.
 */
static int topo_features(const struct topo_args *args)
{
	aishare_fabric_t *fabric;
	size_t count;
	int rc = 0;

	if (!args->topology) {
		fprintf(stderr, "aishare: topo features: needs --topology FILE\n");
		return 2;
	}
	if (!(fabric = load_fabric(args->topology)))
		return 1;
	count = aishare_fabric_node_count(fabric);
	for (size_t first = 0; first < count && !rc; first++) {
		const char *leaf = aishare_fabric_leaf_of(fabric, first);
		char *names = NULL, *features, *ranged;
		size_t length = 0;
		int seen = 0;

		/* Each leaf once, at its first node. */
		for (size_t before = 0; before < first && !seen; before++)
			seen = !strcmp(aishare_fabric_leaf_of(fabric, before), leaf);
		if (seen)
			continue;
		for (size_t node = first; node < count; node++) {
			const char *name = aishare_fabric_node_name(fabric, node);
			char *longer;

			if (strcmp(aishare_fabric_leaf_of(fabric, node), leaf))
				continue;
			if (!(longer = realloc(names, length + strlen(name) + 2))) {
				rc = 1;
				break;
			}
			names = longer;
			length += sprintf(names + length, "%s%s", length ? "," : "", name);
		}
		features = aishare_fabric_switch_features(fabric, first);
		ranged = names ? hostlist_text_compress(names) : NULL;
		if (!rc && features && ranged)
			printf("NodeName=%s Features=%s\n", ranged, features);
		else
			rc = 1;
		free(names);
		free(ranged);
		free(features);
	}
	if (rc)
		fprintf(stderr, "aishare: topo features: out of memory\n");
	aishare_fabric_free(fabric);
	return rc;
}

/* Options with a value: "--key VALUE" or "--key=VALUE". */
static const char *option_value(int argc, char **argv, int *i, const char *key)
{
	size_t length = strlen(key);

	if (strncmp(argv[*i], key, length))
		return NULL;
	if (argv[*i][length] == '=')
		return argv[*i] + length + 1;
	if (argv[*i][length] == '\0' && *i + 1 < argc)
		return argv[++*i];
	return NULL;
}

static void topo_usage(FILE *out)
{
	fprintf(out,
		"usage: aishare topo show  [--json] XML|DIR...\n"
		"       aishare topo gres  [--json] [--file-prefix /dev/nvidia] XML|DIR...\n"
		"       aishare topo check [--json] [--topology FILE] [--slurm-conf FILE] "
		"[XML|DIR...]\n"
		"       aishare topo bound [--json] --topology FILE --nodes N [--free HOSTLIST]\n"
		"       aishare topo features --topology FILE\n"
		"XML files are the nodes' `lstopo --of xml` output, named <nodename>.xml.\n");
}

int cmd_topo(int argc, char **argv)
{
	struct topo_args args = { 0 };
	const char *action, *value;
	char *end;
	int rc;

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		topo_usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	action = argv[1];
	args.inputs = calloc(argc, sizeof(*args.inputs));
	if (!args.inputs) {
		fprintf(stderr, "aishare: out of memory\n");
		return 1;
	}
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			args.json = 1;
		} else if ((value = option_value(argc, argv, &i, "--file-prefix"))) {
			args.file_prefix = value;
		} else if ((value = option_value(argc, argv, &i, "--topology"))) {
			args.topology = value;
		} else if ((value = option_value(argc, argv, &i, "--slurm-conf"))) {
			args.slurm_conf = value;
		} else if ((value = option_value(argc, argv, &i, "--free"))) {
			args.free_nodes = value;
		} else if ((value = option_value(argc, argv, &i, "--nodes"))) {
			errno = 0;
			args.nodes = strtol(value, &end, 10);
			if (errno || end == value || *end || args.nodes <= 0) {
				fprintf(stderr, "aishare: topo %s: --nodes=%s: not a node count\n",
					action, value);
				free(args.inputs);
				return 2;
			}
		} else if (argv[i][0] == '-') {
			free(args.inputs);
			return cli_usage_error("topo", argv[i]);
		} else {
			args.inputs[args.input_count++] = argv[i];
		}
	}
	if (!strcmp(action, "show"))
		rc = topo_show_or_gres(&args, 0);
	else if (!strcmp(action, "gres"))
		rc = topo_show_or_gres(&args, 1);
	else if (!strcmp(action, "check"))
		rc = topo_check(&args);
	else if (!strcmp(action, "bound") && args.input_count)
		rc = cli_usage_error("topo bound", args.inputs[0]);
	else if (!strcmp(action, "bound"))
		rc = topo_bound(&args);
	else if (!strcmp(action, "features") && (args.input_count || args.json))
		rc = cli_usage_error("topo features", args.json ? "--json" : args.inputs[0]);
	else if (!strcmp(action, "features"))
		rc = topo_features(&args);
	else {
		fprintf(stderr, "aishare: topo: unknown action %s\n", action);
		topo_usage(stderr);
		rc = 2;
	}
	free(args.inputs);
	return rc;
}
