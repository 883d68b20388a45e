/*
 * spank_aishare.c - the node side of slurm-aishare (plugstack.conf).
 *
 *   required /usr/lib/x86_64-linux-gnu/slurm-wlm/spank_aishare.so Bind=closest
 *
 * Runs in srun/sbatch (local context) and in slurmstepd (remote context) through
 * Slurm's public SPANK API only, so it is independent of the Slurm release's
 * internals.  Arguments are read as strictly as the slurmctld parameters: an
 * unknown or bad argument fails the plugin, which `required` turns into a failed
 * step.  In slurmstepd the node's topology is read once per step and each task is
 * bound to its GPUs' closest NIC(s) and local cores (task_binder.c).
 *
 * Copyright (C) 2026 The slurm-aishare authors.  GPL-2.0-or-later.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <slurm/spank.h>

#include "aishare.h"
#include "task_binder.h"

SPANK_PLUGIN(aishare, 1)

#define PREFIX "spank/aishare"

static aishare_params_t *node_params; /* plugstack.conf arguments */
static char bind_option[16];           /* --aishare-bind, "" when not given */

/* Join plugstack.conf's words into the "Key=Value,..." form the parser reads. */
static char *_join_args(int ac, char **av)
{
	size_t len = 1;
	char *text;

	for (int i = 0; i < ac; i++)
		len += strlen(av[i]) + 1;
	if (!(text = calloc(1, len)))
		return NULL;
	for (int i = 0; i < ac; i++) {
		if (i)
			strcat(text, ",");
		strcat(text, av[i]);
	}
	return text;
}

static int _bind_option_cb(int val, const char *optarg, int remote)
{
	char text[64];
	char *errors = NULL;
	aishare_params_t *check;

	(void) val;
	(void) remote;
	if (!optarg || strlen(optarg) >= sizeof(bind_option)) {
		slurm_error(PREFIX ": --aishare-bind=%s: expected off, closest or strict",
			    optarg ? optarg : "");
		return -1;
	}
	/* Reuse the table's check so srun and plugstack.conf say the same thing. */
	snprintf(text, sizeof(text), "Bind=%s", optarg);
	if (!(check = aishare_params_parse(AISHARE_PARAMS_NODE, text, &errors))) {
		slurm_error(PREFIX ": --aishare-bind: %s", errors ? errors : "out of memory");
		free(errors);
		return -1;
	}
	aishare_params_free(check);
	strcpy(bind_option, optarg);
	return 0;
}

static struct spank_option bind_spank_option = {
	.name = "aishare-bind",
	.arginfo = "off|closest|strict",
	.usage = "bind each task to its GPU, the closest NIC and local cores "
		 "(default from plugstack.conf)",
	.has_arg = 1,
	.val = 0,
	.cb = _bind_option_cb,
};

int slurm_spank_init(spank_t sp, int ac, char **av)
{
	char *text, *errors = NULL, *summary;

	if (!(text = _join_args(ac, av)))
		return -1;
	aishare_params_free(node_params);
	node_params = aishare_params_parse(AISHARE_PARAMS_NODE, text, &errors);
	free(text);
	if (!node_params) {
		slurm_error(PREFIX ": plugstack.conf arguments: %s",
			    errors ? errors : "out of memory");
		free(errors);
		return -1;
	}
	if (spank_option_register(sp, &bind_spank_option) != ESPANK_SUCCESS) {
		slurm_error(PREFIX ": cannot register --aishare-bind");
		return -1;
	}
	/* Log once per step on the node, not on every user's srun. */
	if (spank_remote(sp)) {
		summary = aishare_params_summary(node_params);
		slurm_info(PREFIX ": slurm-aishare %s loaded: %s", aishare_version(),
			   summary ? summary : "(no summary: out of memory)");
		free(summary);
	}
	return 0;
}

int slurm_spank_init_post_opt(spank_t sp, int ac, char **av)
{
	const char *bind = NULL, *xml_path = NULL;

	(void) ac;
	(void) av;
	if (!spank_remote(sp))
		return 0;
	if (bind_option[0])
		bind = bind_option;
	else if (aishare_params_get_string(node_params, AISHARE_KEY_BIND, &bind))
		return -1;
	if (aishare_params_get_string(node_params, AISHARE_KEY_TOPOLOGY_XML, &xml_path))
		return -1;
	slurm_verbose(PREFIX ": binding mode %s", bind);
	/* Read once here, as root and before any task is forked; tasks inherit it. */
	task_binder_load((bind_mode_t) bind_mode_from_name(bind), xml_path);
	return 0;
}

int slurm_spank_task_init(spank_t sp, int ac, char **av)
{
	uint64_t verbose = 0;

	(void) ac;
	(void) av;
	if (aishare_params_get_uint(node_params, AISHARE_KEY_VERBOSE, &verbose))
		verbose = 0;
	return task_binder_bind(sp, (int) verbose);
}

int slurm_spank_exit(spank_t sp, int ac, char **av)
{
	(void) sp;
	(void) ac;
	(void) av;
	aishare_params_free(node_params);
	node_params = NULL;
	task_binder_unload();
	return 0;
}
