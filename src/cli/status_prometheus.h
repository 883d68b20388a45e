/*
 * status_prometheus.h - `aishare status --prometheus`: the status in Prometheus'
 * text exposition format (version 0.0.4), for node_exporter's textfile collector
 * or any scraper that runs the command.
 *
 * Copyright (C) 2026 The slurm-aishare authors.  GPL-2.0-or-later.
 */
#ifndef AISHARE_CLI_STATUS_PROMETHEUS_H
#define AISHARE_CLI_STATUS_PROMETHEUS_H

#include <stdio.h>

#include "aishare.h"

/*
 * Writes one family per metric (# HELP, # TYPE, then one sample per pool, labelled
 * pool="<partition>").  Every family name starts with "aishare_"; a section added
 * to the status later adds its own families.  Returns 0, or -1 on a write error.
 */
int status_print_prometheus(FILE *out, const aishare_ledger_t *ledger);

/* VALUE as the inside of a label value's quotes (backslash, quote, newline escaped). */
void prometheus_label_value(FILE *out, const char *value);

#endif
