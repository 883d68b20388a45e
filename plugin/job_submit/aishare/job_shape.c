/*
 * job_shape.c - shape a GPU job of a pool partition (or of any partition, with
 * PlaceAllPartitions=yes) at submission (placement).
 *
 * The plan comes from the core (aishare_place_plan); this file only reads
 * slurmctld's nodes and writes the plan into the job's request with Slurm's own
 * means: --nodes, --exclusive, --gpus-per-node, a matching-OR --constraint over
 * the per-switch features ("[sw_leaf3|sw_leaf1|sw_spine]": Slurm tries them in
 * that order and keeps all the job's nodes under one) and --switches=N@CompactWait.
 *
 * Copyright (C) 2026 The slurm-aishare authors.  GPL-2.0-or-later.
 */
#include "job_shape.h"

#include <stdlib.h>
#include <string.h>

#include "src/common/node_conf.h"

#include "ctld_fabric.h"
#include "ctld_node_gpus.h"
#include "ctld_params.h"

#define SHAPE_PLUGIN "job_submit/aishare"

/* Switches offered before the fallback: each is one select test per attempt. */
#define MOST_ALTERNATIVES 8

/* Slurm caps a job's --switches wait at SchedulerParameters=max_switch_wait. */
#define SLURM_DEFAULT_MAX_SWITCH_WAIT 300

/* Per Slurm node index: borrower jobs there, and whether anything else runs there. */
typedef struct {
	const aishare_params_t *params;
	double *victims;
	bool *blocked;
} occupancy_t;

/*
 * A borrower is a running job of a partition that is no pool and may be
 * preempted; the preempt plugin decides for real, this only ranks switches.
 */
static int _note_occupant(void *x, void *arg)
{
	job_record_t *job_ptr = x;
	occupancy_t *occ = arg;
	bool borrower;
	int nodes;

	if (!IS_JOB_RUNNING(job_ptr) || !job_ptr->node_bitmap ||
	    !(nodes = bit_set_count(job_ptr->node_bitmap)))
		return 0;
	borrower = job_ptr->part_ptr && !ctld_params_is_pool(occ->params, job_ptr->part_ptr->name) &&
		   job_ptr->part_ptr->preempt_mode != PREEMPT_MODE_OFF;
	for (int i = bit_ffs(job_ptr->node_bitmap); i >= 0 && i < node_record_count; i++) {
		if (!bit_test(job_ptr->node_bitmap, i))
			continue;
		if (borrower)
			occ->victims[i] += 1.0 / nodes;
		else
			occ->blocked[i] = true;
	}
	return 0;
}

/* The nodes of PART_PTR as the planner sees them; *COUNT of them, xfree() it. */
static aishare_place_node_t *_partition_nodes(part_record_t *part_ptr,
					      const aishare_params_t *params, size_t *count)
{
	aishare_place_node_t *nodes = xcalloc(MAX(node_record_count, 1), sizeof(*nodes));
	occupancy_t occ = { params, xcalloc(MAX(node_record_count, 1), sizeof(double)),
			    xcalloc(MAX(node_record_count, 1), sizeof(bool)) };
	node_record_t *node_ptr;

	list_for_each(job_list, _note_occupant, &occ);

	*count = 0;
	for (int i = 0; (node_ptr = next_node(&i)); i++) {
		ctld_node_gpus_t gpus;
		aishare_place_node_t *node;

		if (!part_ptr->node_bitmap || !bit_test(part_ptr->node_bitmap, i))
			continue;
		gpus = ctld_node_gpus(node_ptr);
		node = &nodes[(*count)++];
		node->name = node_ptr->name;
		node->gpu_type = gpus.type;
		node->gpus = gpus.gpus;
		node->free_gpus = gpus.free_gpus;
		node->idle = IS_NODE_IDLE(node_ptr) && !IS_NODE_COMPLETING(node_ptr);
		node->up = !IS_NODE_DOWN(node_ptr) && !IS_NODE_DRAIN(node_ptr) &&
			   !IS_NODE_FAIL(node_ptr);
		node->reclaimable = occ.victims[i] > 0 && !occ.blocked[i];
		node->victims = occ.victims[i];
	}
	xfree(occ.victims);
	xfree(occ.blocked);
	return nodes;
}

/* TRES (may be NULL) without its gpu entries; NULL when nothing else is left. */
static char *_without_gpus(const char *tres)
{
	char *copy, *save = NULL, *kept = NULL;

	if (!tres)
		return NULL;
	copy = xstrdup(tres);
	for (char *entry = strtok_r(copy, ",", &save); entry; entry = strtok_r(NULL, ",", &save))
		if (strncmp(entry, "gres:gpu", 8) && strncmp(entry, "gres/gpu", 8))
			xstrfmtcat(kept, "%s%s", kept ? "," : "", entry);
	xfree(copy);
	return kept;
}

/* Whole exclusive nodes: N nodes of G GPUs each (of TYPE when the class has one). */
static void _make_whole_nodes(job_desc_msg_t *job_desc, const aishare_place_plan_t *plan)
{
	char *per_job = _without_gpus(job_desc->tres_per_job);
	char *per_node = _without_gpus(job_desc->tres_per_node);

	xstrfmtcat(per_node, "%sgres:gpu:%s%s%u", per_node ? "," : "",
		   plan->gpu_type, plan->gpu_type[0] ? ":" : "", plan->gpus_per_node);
	xfree(job_desc->tres_per_job);
	job_desc->tres_per_job = per_job;
	xfree(job_desc->tres_per_node);
	job_desc->tres_per_node = per_node;
	job_desc->min_nodes = job_desc->max_nodes = plan->nodes;
	job_desc->shared = JOB_SHARED_NONE;
}

/* "[sw_a|sw_b|...]" for the plan's switches, or NULL when a node lacks a feature. */
static char *_switch_constraint(const char *switches)
{
	char *copy = xstrdup(switches), *save = NULL, *constraint = NULL;
	const char *missing = NULL;

	for (char *name = strtok_r(copy, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
		if (!ctld_switch_feature_complete(name, &missing)) {
			static time_t last_said;

			/* Once a minute at most: a site without the features is told, not flooded. */
			if (time(NULL) - last_said >= 60) {
				info("%s: jobs are not confined to switches: node %s lacks feature " AISHARE_SWITCH_FEATURE_PREFIX "%s (give every node the features of the switches above it; see aishare(1) topo features)",
				     SHAPE_PLUGIN, missing ? missing : "?", name);
				last_said = time(NULL);
			}
			xfree(constraint);
			break;
		}
		xstrfmtcat(constraint, "%s" AISHARE_SWITCH_FEATURE_PREFIX "%s",
			   constraint ? "|" : "[", name);
	}
	if (constraint)
		xstrcat(constraint, "]");
	xfree(copy);
	return constraint;
}

/* The wait Slurm grants a --switches request: CompactWait within max_switch_wait. */
static uint32_t _compact_wait(const aishare_params_t *params)
{
	uint64_t wait = 0;
	long slurm_max = SLURM_DEFAULT_MAX_SWITCH_WAIT;
	char *at = xstrcasestr(slurm_conf.sched_params, "max_switch_wait=");

	if (at)
		slurm_max = strtol(at + strlen("max_switch_wait="), NULL, 10);
	if (aishare_params_get_uint(params, AISHARE_KEY_COMPACT_WAIT, &wait))
		wait = 0;
	if (wait > (uint64_t) slurm_max) {
		static uint64_t said;

		if (said != wait)
			info("%s: CompactWait=%" PRIu64 "s is longer than SchedulerParameters max_switch_wait=%lds; jobs wait at most %lds for a compact placement",
			     SHAPE_PLUGIN, wait, slurm_max, slurm_max);
		said = wait;
		wait = slurm_max;
	}
	return (uint32_t) wait;
}

extern int job_shape_gpu_job(job_desc_msg_t *job_desc, const aishare_params_t *params,
			     char **err_msg)
{
	const char *partition = job_desc->partition ? job_desc->partition :
				default_part_loc ? default_part_loc->name : NULL;
	aishare_place_request_t request = { 0 };
	aishare_place_plan_t plan;
	aishare_place_node_t *nodes;
	part_record_t *part_ptr;
	uint64_t whole_nodes = 1, all_partitions = 0;
	size_t count;
	char *constraint = NULL;
	int rc = SLURM_SUCCESS;

	(void) aishare_params_get_uint(params, AISHARE_KEY_PLACE_ALL_PARTITIONS, &all_partitions);
	/* One partition only: a job offered to several is placed by each one's rules. */
	if (!partition || strchr(partition, ',') ||
	    (!all_partitions && !ctld_params_is_pool(params, partition)) ||
	    !(part_ptr = find_part_record((char *) partition)))
		return SLURM_SUCCESS;

	(void) aishare_params_get_uint(params, AISHARE_KEY_WHOLE_NODES, &whole_nodes);
	request.tres_per_job = job_desc->tres_per_job;
	request.tres_per_node = job_desc->tres_per_node;
	request.nodes = (job_desc->min_nodes == NO_VAL) ? 0 : job_desc->min_nodes;
	request.exclusive = (job_desc->shared == JOB_SHARED_NONE);
	request.whole_nodes = whole_nodes != 0;
	request.partition = partition;

	nodes = _partition_nodes(part_ptr, params, &count);
	if (aishare_place_plan(ctld_fabric_current(SHAPE_PLUGIN), nodes, count, &request,
			       MOST_ALTERNATIVES, &plan)) {
		error("%s: cannot plan the placement of a job of %s: %m", SHAPE_PLUGIN, partition);
		xfree(nodes);
		return SLURM_SUCCESS; /* never refuse a job for our own trouble */
	}
	xfree(nodes);

	switch (plan.kind) {
	case AISHARE_PLACE_KEEP:
		break;
	case AISHARE_PLACE_REFUSE:
		if (err_msg)
			*err_msg = xstrdup(plan.message);
		debug2("%s: refused a job of %s: %s", SHAPE_PLUGIN, partition, plan.message);
		rc = ESLURM_REQUESTED_NODE_CONFIG_UNAVAILABLE;
		break;
	case AISHARE_PLACE_WHOLE_NODES:
	case AISHARE_PLACE_PART_NODES:
		if (plan.kind == AISHARE_PLACE_WHOLE_NODES)
			_make_whole_nodes(job_desc, &plan);
		/* A user's own constraint or node list is theirs: not confined. */
		if (plan.switches && plan.switches[0] && !job_desc->features &&
		    !job_desc->req_nodes && (constraint = _switch_constraint(plan.switches))) {
			job_desc->features = constraint;
		}
		if (plan.nodes > 1 && plan.ideal_leaves && !job_desc->req_nodes &&
		    (job_desc->req_switch == NO_VAL || job_desc->req_switch == 0)) {
			job_desc->req_switch = plan.ideal_leaves;
			job_desc->wait4switch = _compact_wait(params);
		}
		debug2("%s: job of %s: %u node(s) x %u GPU(s)%s%s, constraint %s, fewest leaves %u ideally, %ld now",
		       SHAPE_PLUGIN, partition, plan.nodes, plan.gpus_per_node,
		       plan.kind == AISHARE_PLACE_WHOLE_NODES ? " whole" : "",
		       plan.gpu_type[0] ? " typed" : "", job_desc->features ? job_desc->features : "none",
		       plan.ideal_leaves, plan.free_bound);
		break;
	}
	aishare_place_plan_clear(&plan);
	return rc;
}
