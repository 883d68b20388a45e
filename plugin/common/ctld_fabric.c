/*
 * ctld_fabric.c - slurmctld's switch tree as the core's fabric.
 *
 * Copyright (C) 2026 The slurm-aishare authors.  GPL-2.0-or-later.
 */
#include "slurm_compat.h"

#include <stdlib.h>
#include <string.h>

#include "src/common/node_conf.h"
#include "src/common/slurm_topology.h"

#include "ctld_fabric.h"
#include "hostlist_text.h"

static aishare_fabric_t *fabric;
/* The table it was built from, "name nodes switches" a line: a new one rebuilds it. */
static char *fabric_table;

/*
 * Slurm's records as the core's switches.  Slurm fills nodes in at every level
 * (the nodes below a switch); only a leaf's are its own.  Returns the array
 * (free it, not the strings, which stay Slurm's) and the table's key in *KEY.
 */
static aishare_switch_t *_switches_of_table(char **key)
{
	aishare_switch_t *switches = xcalloc(switch_record_cnt, sizeof(*switches));

	*key = NULL;
	for (int i = 0; i < switch_record_cnt; i++) {
		switch_record_t *sw = &switch_record_table[i];

		switches[i].name = sw->name;
		if (sw->level == 0)
			switches[i].nodes = sw->nodes;
		else
			switches[i].switches = sw->switches;
		xstrfmtcat(*key, "%s %s %s\n", sw->name,
			   switches[i].nodes ? switches[i].nodes : "",
			   switches[i].switches ? switches[i].switches : "");
	}
	return switches;
}

extern const aishare_fabric_t *ctld_fabric_current(const char *plugin_type)
{
	aishare_switch_t *switches;
	char *key, *errors = NULL;

	if (!switch_record_table || switch_record_cnt <= 0) {
		ctld_fabric_release();
		return NULL;
	}
	switches = _switches_of_table(&key);
	if (fabric && fabric_table && !xstrcmp(key, fabric_table)) {
		xfree(switches);
		xfree(key);
		return fabric;
	}
	ctld_fabric_release();
	fabric = aishare_fabric_from_switches(switches, switch_record_cnt,
					      "slurmctld's switch table", hostlist_text_expand,
					      NULL, &errors);
	xfree(switches);
	if (!fabric)
		error("%s: cannot use the switch tree, jobs are not confined to switches: %s",
		      plugin_type, errors ? errors : "out of memory");
	else
		info("%s: switch tree of %d switches over %zu nodes", plugin_type,
		     switch_record_cnt, aishare_fabric_node_count(fabric));
	free(errors);
	fabric_table = key;
	return fabric;
}

/* Whether FEATURES (comma-separated) holds WANT as a whole word. */
static bool _has_feature(const char *features, const char *want)
{
	size_t len = strlen(want);

	for (const char *at = features; at && (at = strstr(at, want)); at += len)
		if ((at == features || at[-1] == ',') && (at[len] == ',' || !at[len]))
			return true;
	return false;
}

extern bool ctld_switch_feature_complete(const char *name, const char **missing)
{
	char *feature = xstrdup_printf(AISHARE_SWITCH_FEATURE_PREFIX "%s", name);
	bool complete = false;

	*missing = NULL;
	for (int i = 0; i < switch_record_cnt; i++) {
		switch_record_t *sw = &switch_record_table[i];
		node_record_t *node_ptr;

		if (xstrcmp(sw->name, name))
			continue;
		complete = true;
		for (int n = 0; (node_ptr = next_node(&n)); n++) {
			if (!bit_test(sw->node_bitmap, node_ptr->index) ||
			    _has_feature(node_ptr->features_act ? node_ptr->features_act :
								  node_ptr->features,
					 feature))
				continue;
			*missing = node_ptr->name;
			complete = false;
			break;
		}
		break;
	}
	xfree(feature);
	return complete;
}

extern void ctld_fabric_release(void)
{
	aishare_fabric_free(fabric);
	fabric = NULL;
	xfree(fabric_table);
}
