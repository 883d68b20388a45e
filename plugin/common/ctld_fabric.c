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
static char *fabric_text; /* the topology.conf text it was built from */

/* Slurm's table written back as topology.conf lines. */
static char *_table_as_text(void)
{
	char *text = NULL;

	for (int i = 0; i < switch_record_cnt; i++) {
		switch_record_t *sw = &switch_record_table[i];

		if (sw->level == 0)
			xstrfmtcat(text, "SwitchName=%s Nodes=%s\n", sw->name,
				   sw->nodes ? sw->nodes : "");
		else
			xstrfmtcat(text, "SwitchName=%s Switches=%s\n", sw->name,
				   sw->switches ? sw->switches : "");
	}
	return text;
}

extern const aishare_fabric_t *ctld_fabric_current(const char *plugin_type)
{
	char *text, *errors = NULL;

	if (!switch_record_table || switch_record_cnt <= 0) {
		ctld_fabric_release();
		return NULL;
	}
	text = _table_as_text();
	if (fabric && fabric_text && !xstrcmp(text, fabric_text)) {
		xfree(text);
		return fabric;
	}
	ctld_fabric_release();
	fabric = aishare_fabric_parse(text, strlen(text), "slurmctld's switch table",
				      hostlist_text_expand, NULL, &errors);
	if (!fabric)
		error("%s: cannot use the switch tree, jobs are not confined to switches: %s",
		      plugin_type, errors ? errors : "out of memory");
	else
		info("%s: switch tree of %d switches over %zu nodes", plugin_type,
		     switch_record_cnt, aishare_fabric_node_count(fabric));
	free(errors);
	fabric_text = text;
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
	xfree(fabric_text);
}
