/*
 * status_prometheus.c - what the sections of `aishare status --prometheus`
 * share: the build_info family that opens the output, and label escaping.
 *
 * Names follow Prometheus' conventions in every section: base units (seconds),
 * counters end in _total, GPU counts end in _gpus.
 *
 * Copyright (C) 2026 The slurm-aishare authors.  GPL-2.0-or-later.
 */
#include "status_prometheus.h"

/* Label values escape backslash, double quote and newline; HELP texts have none. */
void prometheus_label_value(FILE *out, const char *value)
{
	for (; *value; value++) {
		if (*value == '\\' || *value == '"')
			fprintf(out, "\\%c", *value);
		else if (*value == '\n')
			fputs("\\n", out);
		else
			fputc(*value, out);
	}
}

void status_prometheus_build_info(FILE *out)
{
	fputs("# HELP aishare_build_info The slurm-aishare release that wrote these metrics.\n"
	      "# TYPE aishare_build_info gauge\n", out);
	fprintf(out, "aishare_build_info{version=\"");
	prometheus_label_value(out, aishare_version());
	fputs("\"} 1\n", out);
}
