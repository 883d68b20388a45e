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
 * Writes the first family, aishare_build_info{version="..."} 1.  Each section
 * (status_<part>.c) then writes its own families; every family name starts with
 * "aishare_".
 */
void status_prometheus_build_info(FILE *out);

/* VALUE as the inside of a label value's quotes (backslash, quote, newline escaped). */
void prometheus_label_value(FILE *out, const char *value);

#endif
