/*
 * ctld_params.c - follow PrioritySiteFactorParameters across reconfigures.
 *
 * Copyright (C) 2026 The slurm-aishare authors.  GPL-2.0-or-later.
 */
#define _GNU_SOURCE /* asprintf */
#include "slurm_compat.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctld_params.h"

#define PARAMS_KEY "PrioritySiteFactorParameters"

/* The string slurm.conf holds now; NULL and "" both mean "all defaults". */
static const char *_conf_text(void)
{
	return slurm_conf.site_factor_params ? slurm_conf.site_factor_params : "";
}

static void _log_summary(const ctld_params_t *cp, const char *what)
{
	char *summary = aishare_params_summary(cp->params);

	info("%s: slurm-aishare %s %s: %s", cp->plugin_type, aishare_version(),
	     what, summary ? summary : "(no summary: out of memory)");
	free(summary);
}

/*
 * Pools= must name partitions slurm.conf defines: a misspelt pool would
 * silently guarantee nothing.  Slurm's parsed slurm.conf is read, not its
 * partition records: the plugins are initialised before slurmctld builds
 * those, and at reconfigure the table is rebuilt only under slurmctld's write
 * locks, which exclude the hooks this is called from.  Returns NULL when all
 * are known, else a malloc()ed "Pools=a:b: no partition b in slurm.conf".
 */
static char *_unknown_pools(const aishare_params_t *params)
{
	slurm_conf_partition_t **parts = NULL;
	int part_count = slurm_conf_partition_array(&parts);
	size_t pool_count = aishare_params_list_count(params, AISHARE_KEY_POOLS);
	char *value = NULL, *missing = NULL, *text = NULL, *grown;

	for (size_t i = 0; i < pool_count; i++) {
		const char *pool = aishare_params_list_item(params, AISHARE_KEY_POOLS, i);
		bool known = false;

		for (int p = 0; p < part_count && !known; p++)
			known = parts[p] && parts[p]->name && !strcmp(parts[p]->name, pool);
		if (asprintf(&grown, "%s%s%s", value ? value : "", value ? ":" : "", pool) < 0)
			goto oom;
		free(value);
		value = grown;
		if (known)
			continue;
		if (asprintf(&grown, "%s%s%s", missing ? missing : "", missing ? ", " : "",
			     pool) < 0)
			goto oom;
		free(missing);
		missing = grown;
	}
	if (missing && asprintf(&text, "Pools=%s: no partition %s in slurm.conf", value,
				missing) < 0)
		text = NULL;
oom:
	free(value);
	free(missing);
	return text;
}

/* Replace the configuration in force; caller holds cp->lock. */
static int _adopt(ctld_params_t *cp, const char *text, char **errors)
{
	aishare_params_t *params;
	char *copy, *unknown;

	params = aishare_params_parse(AISHARE_PARAMS_CONTROLLER, text, errors);
	if (!params)
		return SLURM_ERROR;
	if ((unknown = _unknown_pools(params))) {
		aishare_params_free(params);
		*errors = unknown;
		return SLURM_ERROR;
	}
	if (!(copy = strdup(text))) {
		aishare_params_free(params);
		return SLURM_ERROR;
	}
	aishare_params_free(cp->params);
	free(cp->text);
	cp->params = params;
	cp->text = copy;
	return SLURM_SUCCESS;
}

extern int ctld_params_load(ctld_params_t *cp)
{
	char *errors = NULL;
	int rc;

	slurm_mutex_lock(&cp->lock);
	rc = _adopt(cp, _conf_text(), &errors);
	if (rc == SLURM_SUCCESS)
		_log_summary(cp, "loaded");
	else
		error("%s: " PARAMS_KEY ": %s", cp->plugin_type,
		      errors ? errors : "out of memory");
	slurm_mutex_unlock(&cp->lock);
	free(errors);
	return rc;
}

extern const aishare_params_t *ctld_params_follow(ctld_params_t *cp)
{
	const char *text = _conf_text();
	const aishare_params_t *in_force;
	char *errors = NULL;

	slurm_mutex_lock(&cp->lock);
	if (cp->text && strcmp(text, cp->text) &&
	    (!cp->rejected || strcmp(text, cp->rejected))) {
		if (_adopt(cp, text, &errors) == SLURM_SUCCESS) {
			_log_summary(cp, "reconfigured");
			free(cp->rejected);
			cp->rejected = NULL;
		} else {
			error("%s: " PARAMS_KEY " rejected, keeping the previous configuration: %s",
			      cp->plugin_type, errors ? errors : "out of memory");
			free(cp->rejected);
			cp->rejected = strdup(text);
		}
	}
	in_force = cp->params;
	slurm_mutex_unlock(&cp->lock);
	free(errors);
	return in_force;
}

extern void ctld_params_unload(ctld_params_t *cp)
{
	slurm_mutex_lock(&cp->lock);
	aishare_params_free(cp->params);
	free(cp->text);
	free(cp->rejected);
	cp->params = NULL;
	cp->text = NULL;
	cp->rejected = NULL;
	slurm_mutex_unlock(&cp->lock);
}

extern bool ctld_params_is_pool(const aishare_params_t *params, const char *partition)
{
	size_t count = aishare_params_list_count(params, AISHARE_KEY_POOLS);

	for (size_t i = 0; partition && i < count; i++)
		if (!xstrcmp(partition, aishare_params_list_item(params, AISHARE_KEY_POOLS, i)))
			return true;
	return false;
}
