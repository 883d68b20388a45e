/*
 * aishare.h - the C API of libaishare, the policy core of slurm-aishare.
 *
 * Every Slurm plugin of slurm-aishare is a thin C adapter over this API.  The core
 * behind it is C++17 and never includes a Slurm header: what it needs from Slurm
 * reaches it through plain C values.  Exceptions never cross this boundary; every
 * function checks its arguments, and failures return NULL or -1 with errno set and,
 * where a text is useful to a person, a message in *errors (free() it).
 *
 * Copyright (C) 2026 The slurm-aishare authors.  GPL-2.0-or-later.
 */
#ifndef AISHARE_H
#define AISHARE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------- parameters
 *
 * Policy parameters arrive as one string of comma-separated Key=Value pairs: the
 * three slurmctld plugins read slurm.conf's PrioritySiteFactorParameters (Slurm
 * refuses unknown slurm.conf keys), the SPANK plugin reads its plugstack.conf
 * arguments.  A declarative table per consumer gives each key its type, default,
 * range and help; keys are case-insensitive; every problem in a string is reported
 * at once, each naming the key and the value.
 */

/* Which table a string is read against. */
typedef enum aishare_param_table {
	AISHARE_PARAMS_CONTROLLER = 0, /* PrioritySiteFactorParameters (slurmctld) */
	AISHARE_PARAMS_NODE = 1,       /* plugstack.conf arguments (SPANK plugin) */
} aishare_param_table_t;

typedef enum aishare_param_type {
	AISHARE_PARAM_BOOL = 0,       /* yes|no|true|false|1|0 */
	AISHARE_PARAM_UINT = 1,       /* unsigned integer within [min, max] */
	AISHARE_PARAM_PERCENT = 2,    /* "25%" or "25" or "12.5%", read as a fraction 0..1 */
	AISHARE_PARAM_TIME = 3,       /* Slurm time format, read as seconds */
	AISHARE_PARAM_ENUM = 4,       /* one of a fixed set of words */
	AISHARE_PARAM_PATH = 5,       /* absolute file or directory path, or "" */
	AISHARE_PARAM_PARTITIONS = 6, /* partition names separated by ':' */
} aishare_param_type_t;

/* One row of a parameter table, for documentation and `aishare config`. */
typedef struct aishare_param_info {
	const char *key;           /* canonical spelling, e.g. "LendWindow" */
	aishare_param_type_t type;
	const char *default_value; /* as it would be written in the string */
	const char *range;         /* human-readable range or choices, "" if none */
	const char *help;          /* one line */
} aishare_param_info_t;

typedef struct aishare_params aishare_params_t; /* opaque: one parsed string */

/*
 * Parse TEXT (NULL or "" means all defaults) against TABLE.  On success returns a
 * handle and leaves *errors NULL.  On failure returns NULL, sets errno to EINVAL
 * (ENOMEM when out of memory) and, if errors is not NULL, stores a malloc()ed text
 * naming every problem, separated by "; ", e.g.
 *   Share=150%: must be between 0% and 100%; Bogus=1: unknown key
 */
aishare_params_t *aishare_params_parse(aishare_param_table_t table, const char *text,
				       char **errors);
void aishare_params_free(aishare_params_t *params);

/*
 * Typed getters by key (case-insensitive).  Return 0 on success; -1 with errno
 * EINVAL when the key is not in the table or has another type.
 *   get_uint:    BOOL (0/1), UINT, TIME (seconds)
 *   get_percent: PERCENT, as a fraction 0..1
 *   get_string:  ENUM, PATH ("" when unset); the pointer lives as long as params
 */
int aishare_params_get_uint(const aishare_params_t *params, const char *key, uint64_t *value);
int aishare_params_get_percent(const aishare_params_t *params, const char *key, double *value);
int aishare_params_get_string(const aishare_params_t *params, const char *key,
			      const char **value);
/* PARTITIONS: number of names, and the i-th (NULL when out of range). */
size_t aishare_params_list_count(const aishare_params_t *params, const char *key);
const char *aishare_params_list_item(const aishare_params_t *params, const char *key,
				     size_t index);

/*
 * The effective configuration as one line in canonical spelling, every key of the
 * table in table order, e.g. "Pools=ai-startup Share=25% LendMode=preempt ...".
 * Returns a malloc()ed string, NULL with errno on failure.
 */
char *aishare_params_summary(const aishare_params_t *params);

/* The rows of TABLE, for documentation.  Returns NULL past the last row. */
const aishare_param_info_t *aishare_param_table_row(aishare_param_table_t table, size_t index);

/* Name of a type as documentation shows it ("time", "percent", ...). */
const char *aishare_param_type_name(aishare_param_type_t type);

/* The library's version, e.g. "0.1.0". */
const char *aishare_version(void);

#ifdef __cplusplus
}
#endif

#endif /* AISHARE_H */
