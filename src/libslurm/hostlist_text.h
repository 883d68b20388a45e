/*
 * hostlist_text.h - hostlist expressions expanded by libslurm's own functions,
 * for the core's topology readers (aishare_hostlist_expand_fn).
 *
 * src/libslurm/ is the glue over libslurm's public API that the plugin
 * adapters, the aishare command, the benchmarks and the unit tests share.
 *
 * Copyright (C) 2026 The slurm-aishare authors.  GPL-2.0-or-later.
 */
#ifndef AISHARE_LIBSLURM_HOSTLIST_TEXT_H
#define AISHARE_LIBSLURM_HOSTLIST_TEXT_H

/* A configuration naming more hosts than this is refused, not expanded. */
#define HOSTLIST_TEXT_MAX_NAMES 1000000

/*
 * "n[01-03],gpu7" -> "n01,n02,n03,gpu7" (malloc()ed), or NULL and a malloc()ed
 * message in *error.  CONTEXT is unused.
 */
char *hostlist_text_expand(const char *expression, void *context, char **error);

/* "n01,n02,n03" -> "n[01-03]" (malloc()ed), or NULL when libslurm refuses it. */
char *hostlist_text_compress(const char *names);

#endif
