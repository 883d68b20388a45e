/*
 * aishare_cli.h - the subcommands of the `aishare` tool.
 *
 * Copyright (C) 2026 The slurm-aishare authors.  GPL-2.0-or-later.
 */
#ifndef AISHARE_CLI_H
#define AISHARE_CLI_H

/* Each takes its own name as argv[0] and returns the exit status. */
int cmd_status(int argc, char **argv);
int cmd_topo(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_sim(int argc, char **argv);

/* "aishare: SUBCOMMAND: unknown argument ARG" and the usage; returns 2. */
int cli_usage_error(const char *subcommand, const char *argument);

#endif
