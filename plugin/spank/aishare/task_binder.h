/*
 * task_binder.h - the node side of binding: read the node once, bind each task.
 *
 * slurmstepd reads the node's topology once per step (as root, before any task is
 * forked); each task's process, between fork and exec, picks its NIC(s) and cores
 * from the GPUs Slurm gave it, exports the device variables and sets its CPU
 * affinity.  The choices themselves are the core's (aishare_task_binding_*).
 *
 * Copyright (C) 2026 The slurm-aishare authors.  GPL-2.0-or-later.
 */
#ifndef SPANK_AISHARE_TASK_BINDER_H
#define SPANK_AISHARE_TASK_BINDER_H

#include <slurm/spank.h>

typedef enum bind_mode { BIND_OFF, BIND_CLOSEST, BIND_STRICT } bind_mode_t;

/* "off", "closest", "strict" -> mode; -1 for anything else. */
int bind_mode_from_name(const char *name);

/*
 * Read this node's topology: the hwloc XML at XML_PATH ("%n" stands for the node
 * name) or, when XML_PATH is empty, the live machine.  A failure is remembered,
 * not returned: every task then says why it runs unbound (closest) or fails
 * (strict).  Called once per step in slurmstepd.
 */
void task_binder_load(bind_mode_t mode, const char *xml_path);

/*
 * Bind the task SP is about to exec (slurm_spank_task_init).  Returns 0, or -1
 * after printing why to the task's stderr when strict mode cannot bind it well.
 * VERBOSE logs each task's binding at info level.
 */
int task_binder_bind(spank_t sp, int verbose);

void task_binder_unload(void);

#endif /* SPANK_AISHARE_TASK_BINDER_H */
