/*
 * check_params.c - unit tests of the parameter parser, through the C API only.
 *
 * The plugins see nothing but aishare.h, so that is all these tests use: every value
 * type's valid and invalid forms, the exact texts of error messages, the limits that
 * keep junk input from producing unbounded messages, and the documentation rows.
 *
 * Copyright (C) 2026 The slurm-aishare authors. GPL-2.0-or-later.
 */
#define _POSIX_C_SOURCE 200809L /* strndup(), strtok_r() */

#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aishare.h"
#include "check_main.h"

#define CONTROLLER AISHARE_PARAMS_CONTROLLER
#define NODE AISHARE_PARAMS_NODE

#define CONTROLLER_KEYS                                                                   \
	"Pools, Share, LendMode, LendWindow, ReclaimBeyondShare, CompactWait, WholeNodes, " \
	"PlaceAllPartitions, TopologyDir, "                                               \
	"WeightDeficit, WeightFairShare, WeightPacing, WeightLargeJob, SiteFactorMax, "      \
	"GrantPeriod, GrantStart, LargeJobGpus, LargeJobWait, RecalcInterval"
#define NODE_KEYS "Bind, TopologyXml, Verbose"
#define UNKNOWN_C "unknown key (known keys: " CONTROLLER_KEYS ")"
#define NOT_PERCENT "not a percentage (expected e.g. 25% or 12.5%)"
#define NOT_UINT "not an unsigned integer"
#define NOT_TIME                                                                          \
	"not a Slurm time (expected minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS)"
#define NOT_BOOL "must be yes, no, true, false, on, off, 1 or 0"
#define BAD_NAME_CHARS "has a character other than A-Z a-z 0-9 _ . -"

#define CONTROLLER_DEFAULTS                                                               \
	"Pools=ai-startup Share=25% LendMode=preempt LendWindow=1:00:00 "                  \
	"ReclaimBeyondShare=no CompactWait=5:00 "                                        \
	"WholeNodes=yes PlaceAllPartitions=no TopologyDir=\"\" WeightDeficit=10000 "      \
	"WeightFairShare=10000 "                                                         \
	"WeightPacing=10000 WeightLargeJob=5000 SiteFactorMax=50000 "                      \
	"GrantPeriod=30-00:00:00 GrantStart=0 LargeJobGpus=8 LargeJobWait=1:00:00 "         \
	"RecalcInterval=0:30"
#define NODE_DEFAULTS "Bind=closest TopologyXml=\"\" Verbose=no"

/* ------------------------------------------------------------------ helpers */

/* Parses TEXT, which must succeed, and checks *errors is left NULL. */
static aishare_params_t *parse_ok(aishare_param_table_t table, const char *text)
{
	char sentinel;
	char *errors = &sentinel;
	aishare_params_t *params = aishare_params_parse(table, text, &errors);

	ck_assert_msg(params != NULL, "parsing \"%s\" failed: %s", text,
		      errors && errors != &sentinel ? errors : "(no text)");
	ck_assert_ptr_null(errors);
	return params;
}

/* Parses TEXT, which must fail with EINVAL and a text; returns the text (free() it). */
static char *parse_fails(aishare_param_table_t table, const char *text)
{
	char *errors = NULL;
	aishare_params_t *params;

	errno = 0;
	params = aishare_params_parse(table, text, &errors);
	ck_assert_msg(params == NULL, "parsing \"%s\" succeeded", text);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_ptr_nonnull(errors);
	return errors;
}

static char *summary_of(aishare_param_table_t table, const char *text)
{
	aishare_params_t *params = parse_ok(table, text);
	char *summary = aishare_params_summary(params);

	ck_assert_ptr_nonnull(summary);
	aishare_params_free(params);
	return summary;
}

/* Whether SUMMARY holds TOKEN as one whole space-separated word. */
static int has_token(const char *summary, const char *token)
{
	size_t length = strlen(token);

	for (const char *at = summary; (at = strstr(at, token)); at++)
		if ((at == summary || at[-1] == ' ') && (at[length] == ' ' || at[length] == '\0'))
			return 1;
	return 0;
}

/* A summary turned back into a parameter string, as an operator would paste it. */
static char *summary_as_input(const char *summary)
{
	char *text = strdup(summary);

	ck_assert_ptr_nonnull(text);
	for (char *at = text; *at; at++)
		if (*at == ' ')
			*at = ',';
	return text;
}

/* A malloc()ed string of COUNT copies of C. */
static char *repeat(char c, size_t count)
{
	char *text = malloc(count + 1);

	ck_assert_ptr_nonnull(text);
	memset(text, c, count);
	text[count] = '\0';
	return text;
}

/* PREFIX followed by COUNT copies of C and then SUFFIX, malloc()ed. */
static char *build(const char *prefix, char c, size_t count, const char *suffix)
{
	size_t head = strlen(prefix), tail = strlen(suffix);
	char *text = malloc(head + count + tail + 1);

	ck_assert_ptr_nonnull(text);
	memcpy(text, prefix, head);
	memset(text + head, c, count);
	memcpy(text + head + count, suffix, tail + 1);
	return text;
}

/* --------------------------------------------------------- defaults, blanks */

START_TEST(test_empty_is_all_defaults)
{
	const char *blanks[] = {"", " ", "\t", " \t\r\n\v\f "};
	char *summary;

	summary = summary_of(CONTROLLER, NULL);
	ck_assert_str_eq(summary, CONTROLLER_DEFAULTS);
	free(summary);
	summary = summary_of(NODE, NULL);
	ck_assert_str_eq(summary, NODE_DEFAULTS);
	free(summary);
	for (size_t i = 0; i < sizeof(blanks) / sizeof(blanks[0]); i++) {
		summary = summary_of(CONTROLLER, blanks[i]);
		ck_assert_str_eq(summary, CONTROLLER_DEFAULTS);
		free(summary);
		summary = summary_of(NODE, blanks[i]);
		ck_assert_str_eq(summary, NODE_DEFAULTS);
		free(summary);
	}
}
END_TEST

START_TEST(test_full_string_summary)
{
	char *summary = summary_of(CONTROLLER, " pools = gpu-a:gpu_b , SHARE=12.50 ,lendmode=Bounded,"
					       "LendWindow=120,reclaimbeyondshare=YES,"
					       "CompactWait=0:30,WholeNodes=off,PlaceAllPartitions=yes,"
					       "TopologyDir=/etc/aishare/topo,WeightDeficit=0,"
					       "WeightFairShare=1000000,WeightPacing=007,"
					       "WeightLargeJob=1,SiteFactorMax=1000000,"
					       "GrantPeriod=90-0,GrantStart=1775001600,"
					       "LargeJobGpus=16,LargeJobWait=30:00,RecalcInterval=0");

	ck_assert_str_eq(summary, "Pools=gpu-a:gpu_b Share=12.5% LendMode=bounded "
				  "LendWindow=2:00:00 ReclaimBeyondShare=yes "
				  "CompactWait=0:30 WholeNodes=no PlaceAllPartitions=yes "
				  "TopologyDir=/etc/aishare/topo WeightDeficit=0 "
				  "WeightFairShare=1000000 WeightPacing=7 WeightLargeJob=1 "
				  "SiteFactorMax=1000000 GrantPeriod=90-00:00:00 "
				  "GrantStart=1775001600 LargeJobGpus=16 LargeJobWait=30:00 "
				  "RecalcInterval=0:00");
	free(summary);
	summary = summary_of(NODE, "verbose=ON,bind=Strict,topologyxml=/tmp/node1.xml");
	ck_assert_str_eq(summary, "Bind=strict TopologyXml=/tmp/node1.xml Verbose=yes");
	free(summary);
}
END_TEST

/* ------------------------------------------------- valid forms of each type */

struct valid_case {
	aishare_param_table_t table;
	const char *input;
	const char *token; /* expected "Key=canonical" in the summary */
};

static const struct valid_case valid_cases[] = {
	/* per-pool overrides follow their key in the summary */
	{CONTROLLER, "Pools=ai-startup:sme,Share[sme]=10%", "Share=25% Share[sme]=10%"},
	{CONTROLLER, "Pools=a:b,share[ b ]=5,LENDMODE[a]=bounded,LendWindow[a]=30",
	 "LendMode=preempt LendMode[a]=bounded LendWindow=1:00:00 LendWindow[a]=30:00"},
	/* percent */
	{CONTROLLER, "Share=0.01%", "Share=0.01%"},
	{CONTROLLER, "Share=25", "Share=25%"},
	{CONTROLLER, "Share=25%", "Share=25%"},
	{CONTROLLER, "Share=12.5%", "Share=12.5%"},
	{CONTROLLER, "Share=12.50%", "Share=12.5%"},
	{CONTROLLER, "Share=007%", "Share=7%"},
	{CONTROLLER, "Share=7", "Share=7%"},
	{CONTROLLER, "Share=100", "Share=100%"},
	{CONTROLLER, "Share=100.000%", "Share=100%"},
	{CONTROLLER, "Share=33.3333333%", "Share=33.333333%"},
	/* unsigned integer */
	{CONTROLLER, "WeightDeficit=0", "WeightDeficit=0"},
	{CONTROLLER, "WeightDeficit=1000000", "WeightDeficit=1000000"},
	{CONTROLLER, "WeightDeficit=00042", "WeightDeficit=42"},
	{CONTROLLER, "WeightLargeJob= 17 ", "WeightLargeJob=17"},
	/* time: every Slurm format */
	{CONTROLLER, "LendWindow=1", "LendWindow=1:00"},
	{CONTROLLER, "LendWindow=60", "LendWindow=1:00:00"},
	{CONTROLLER, "LendWindow=90", "LendWindow=1:30:00"},
	{CONTROLLER, "LendWindow=10080", "LendWindow=7-00:00:00"},
	{CONTROLLER, "LendWindow=1:00", "LendWindow=1:00"},
	{CONTROLLER, "LendWindow=1:30", "LendWindow=1:30"},
	{CONTROLLER, "LendWindow=90:00", "LendWindow=1:30:00"},
	{CONTROLLER, "LendWindow=0:61", "LendWindow=1:01"},
	{CONTROLLER, "LendWindow=2:03:04", "LendWindow=2:03:04"},
	{CONTROLLER, "LendWindow=0:1:0", "LendWindow=1:00"},
	{CONTROLLER, "LendWindow=1-0", "LendWindow=1-00:00:00"},
	{CONTROLLER, "LendWindow=0-1", "LendWindow=1:00:00"},
	{CONTROLLER, "LendWindow=1-2:3", "LendWindow=1-02:03:00"},
	{CONTROLLER, "LendWindow=1-02:03:04", "LendWindow=1-02:03:04"},
	{CONTROLLER, "LendWindow=7-00:00:00", "LendWindow=7-00:00:00"},
	{CONTROLLER, "LendWindow=6-24", "LendWindow=7-00:00:00"},
	{CONTROLLER, "CompactWait=0", "CompactWait=0:00"},
	{CONTROLLER, "CompactWait=0:0", "CompactWait=0:00"},
	{CONTROLLER, "CompactWait=0:59", "CompactWait=0:59"},
	{CONTROLLER, "CompactWait=24:00:00", "CompactWait=1-00:00:00"},
	{CONTROLLER, "CompactWait=0-0:0:0", "CompactWait=0:00"},
	/* bool */
	{CONTROLLER, "WholeNodes=yes", "WholeNodes=yes"},
	{CONTROLLER, "WholeNodes=Yes", "WholeNodes=yes"},
	{CONTROLLER, "WholeNodes=TRUE", "WholeNodes=yes"},
	{CONTROLLER, "WholeNodes=on", "WholeNodes=yes"},
	{CONTROLLER, "WholeNodes=1", "WholeNodes=yes"},
	{CONTROLLER, "WholeNodes=no", "WholeNodes=no"},
	{CONTROLLER, "WholeNodes=False", "WholeNodes=no"},
	{CONTROLLER, "WholeNodes=OFF", "WholeNodes=no"},
	{CONTROLLER, "WholeNodes=0", "WholeNodes=no"},
	{NODE, "Verbose=true", "Verbose=yes"},
	/* enum */
	{CONTROLLER, "LendMode=preempt", "LendMode=preempt"},
	{CONTROLLER, "LendMode=BOUNDED", "LendMode=bounded"},
	{CONTROLLER, "LendMode=None", "LendMode=none"},
	{NODE, "Bind=OFF", "Bind=off"},
	{NODE, "Bind=closest", "Bind=closest"},
	{NODE, "Bind=sTrIcT", "Bind=strict"},
	/* path */
	{CONTROLLER, "TopologyDir=/etc/aishare/topology", "TopologyDir=/etc/aishare/topology"},
	{CONTROLLER, "TopologyDir=/", "TopologyDir=/"},
	{CONTROLLER, "TopologyDir=", "TopologyDir=\"\""},
	{CONTROLLER, "TopologyDir=  ", "TopologyDir=\"\""},
	{CONTROLLER, "TopologyDir=\"\"", "TopologyDir=\"\""},
	{CONTROLLER, "TopologyDir=/data/t\xc3\xbcr", "TopologyDir=/data/t\xc3\xbcr"},
	{NODE, "TopologyXml=/tmp/x.xml", "TopologyXml=/tmp/x.xml"},
	/* partitions */
	{CONTROLLER, "Pools=gpu", "Pools=gpu"},
	{CONTROLLER, "Pools=a:b.c:d-e_f:G9", "Pools=a:b.c:d-e_f:G9"},
	{CONTROLLER, "Pools=A:a", "Pools=A:a"},
	{CONTROLLER,
	 "Pools=p234567890123456789012345678901234567890123456789012345678901234",
	 "Pools=p234567890123456789012345678901234567890123456789012345678901234"},
	/* keys in any case, blanks around item, key and value */
	{CONTROLLER, "share=30%", "Share=30%"},
	{CONTROLLER, "  SHARE  =  30%  ", "Share=30%"},
	{CONTROLLER, "\tlendwindow\t=\t2:00:00\n", "LendWindow=2:00:00"},
};

START_TEST(test_valid_value)
{
	const struct valid_case *c = &valid_cases[_i];
	char *summary = summary_of(c->table, c->input);
	char *again_input, *again;

	ck_assert_msg(has_token(summary, c->token), "\"%s\" gave \"%s\", expected token \"%s\"",
		      c->input, summary, c->token);
	/* Canonical text is a fixed point: the summary, read back, gives itself. */
	again_input = summary_as_input(summary);
	again = summary_of(c->table, again_input);
	ck_assert_str_eq(again, summary);
	free(again);
	free(again_input);
	free(summary);
}
END_TEST

/* ------------------------------------------ invalid input: exact error texts */

struct invalid_case {
	aishare_param_table_t table;
	const char *input;
	const char *errors;
};

static const struct invalid_case invalid_cases[] = {
	/* per-pool overrides */
	{CONTROLLER, "Share[sme]=10%",
	 "Share[sme]=10%: partition \"sme\" is not one of Pools=ai-startup"},
	{CONTROLLER, "Pools=a:b,Share[a]=10%,Share[A]=1%,Share[a]=2%",
	 "Share[a]=2%: duplicate key (first given as Share[a]=10%); "
	 "Share[A]=1%: partition \"A\" is not one of Pools=a:b"},
	{CONTROLLER, "Pools=a,WholeNodes[a]=no", "WholeNodes[a]=no: WholeNodes cannot be set per partition"},
	{CONTROLLER, "Pools=a,Share[a]=150%", "Share[a]=150%: must be between 0.01% and 100%"},
	{CONTROLLER, "Pools=a,Share[a=1%", "Share[a=1%: expected Key=Value or Key[partition]=Value"},
	{CONTROLLER, "Pools=a,Share]a[=1%", "Share]a[=1%: expected Key=Value or Key[partition]=Value"},
	{CONTROLLER, "Pools=a,Share[]=1%", "Share[]=1%: empty partition name in []"},
	{CONTROLLER, "Pools=a,Share[a:b]=1%", "Share[a:b]=1%: one partition name expected in []"},
	{CONTROLLER, "Pools=a,Share[a]=", "Share[a]=: empty value"},
	{CONTROLLER, "Pools=a,Bogus[a]=1", "Bogus[a]=1: unknown key (known keys: " CONTROLLER_KEYS ")"},
	/* percent */
	{CONTROLLER, "Share=150%", "Share=150%: must be between 0.01% and 100%"},
	/* a pool that guarantees nothing is a mistake, not a policy */
	{CONTROLLER, "Share=0", "Share=0: must be between 0.01% and 100%"},
	{CONTROLLER, "Share=0%", "Share=0%: must be between 0.01% and 100%"},
	{CONTROLLER, "Share=0.000001%", "Share=0.000001%: must be between 0.01% and 100%"},
	{CONTROLLER, "Share=100.5", "Share=100.5: must be between 0.01% and 100%"},
	{CONTROLLER, "Share=100.0000001%", "Share=100.0000001%: must be between 0.01% and 100%"},
	{CONTROLLER, "Share=99999999999999999999999999999999999%",
	 "Share=99999999999999999999999999999999999%: must be between 0.01% and 100%"},
	{CONTROLLER, "Share=-5%", "Share=-5%: " NOT_PERCENT},
	{CONTROLLER, "Share=-0", "Share=-0: " NOT_PERCENT},
	{CONTROLLER, "Share=+5", "Share=+5: " NOT_PERCENT},
	{CONTROLLER, "Share=nan", "Share=nan: " NOT_PERCENT},
	{CONTROLLER, "Share=NaN%", "Share=NaN%: " NOT_PERCENT},
	{CONTROLLER, "Share=inf", "Share=inf: " NOT_PERCENT},
	{CONTROLLER, "Share=infinity%", "Share=infinity%: " NOT_PERCENT},
	{CONTROLLER, "Share=1e2", "Share=1e2: " NOT_PERCENT},
	{CONTROLLER, "Share=0x10", "Share=0x10: " NOT_PERCENT},
	{CONTROLLER, "Share=25%%", "Share=25%%: " NOT_PERCENT},
	{CONTROLLER, "Share=%", "Share=%: " NOT_PERCENT},
	{CONTROLLER, "Share=.5", "Share=.5: " NOT_PERCENT},
	{CONTROLLER, "Share=5.", "Share=5.: " NOT_PERCENT},
	{CONTROLLER, "Share=1.2.3", "Share=1.2.3: " NOT_PERCENT},
	{CONTROLLER, "Share=25 %", "Share=25 %: " NOT_PERCENT},
	{CONTROLLER, "Share=half", "Share=half: " NOT_PERCENT},
	{CONTROLLER, "Share=1,5", "5: expected Key=Value"},
	/* unsigned integer */
	{CONTROLLER, "WeightDeficit=1000001", "WeightDeficit=1000001: must be between 0 and 1000000"},
	{CONTROLLER, "WeightDeficit=18446744073709551615",
	 "WeightDeficit=18446744073709551615: must be between 0 and 1000000"},
	{CONTROLLER, "WeightDeficit=18446744073709551616",
	 "WeightDeficit=18446744073709551616: must be between 0 and 1000000"},
	{CONTROLLER, "WeightDeficit=99999999999999999999",
	 "WeightDeficit=99999999999999999999: must be between 0 and 1000000"},
	{CONTROLLER, "WeightDeficit=99999999999999999999x",
	 "WeightDeficit=99999999999999999999x: " NOT_UINT},
	{CONTROLLER, "WeightDeficit=-1", "WeightDeficit=-1: " NOT_UINT},
	{CONTROLLER, "WeightDeficit=+1", "WeightDeficit=+1: " NOT_UINT},
	{CONTROLLER, "WeightDeficit=1e3", "WeightDeficit=1e3: " NOT_UINT},
	{CONTROLLER, "WeightDeficit=0x10", "WeightDeficit=0x10: " NOT_UINT},
	{CONTROLLER, "WeightDeficit=1.0", "WeightDeficit=1.0: " NOT_UINT},
	{CONTROLLER, "WeightDeficit=1 000", "WeightDeficit=1 000: " NOT_UINT},
	/* time */
	{CONTROLLER, "LendWindow=0", "LendWindow=0: must be between 1:00 and 7-00:00:00"},
	{CONTROLLER, "LendWindow=0:59", "LendWindow=0:59: must be between 1:00 and 7-00:00:00"},
	{CONTROLLER, "LendWindow=7-00:00:01",
	 "LendWindow=7-00:00:01: must be between 1:00 and 7-00:00:00"},
	{CONTROLLER, "LendWindow=10081", "LendWindow=10081: must be between 1:00 and 7-00:00:00"},
	{CONTROLLER, "LendWindow=99999999999999999999-00:00:00",
	 "LendWindow=99999999999999999999-00:00:00: must be between 1:00 and 7-00:00:00"},
	{CONTROLLER, "LendWindow=213503982334601-07:00:15",
	 "LendWindow=213503982334601-07:00:15: must be between 1:00 and 7-00:00:00"},
	{CONTROLLER, "LendWindow=213503982334601-07:00:16",
	 "LendWindow=213503982334601-07:00:16: must be between 1:00 and 7-00:00:00"},
	{CONTROLLER, "LendWindow=307445734561825861",
	 "LendWindow=307445734561825861: must be between 1:00 and 7-00:00:00"},
	{CONTROLLER, "CompactWait=1-00:00:01",
	 "CompactWait=1-00:00:01: must be between 0:00 and 1-00:00:00"},
	{CONTROLLER, "LendWindow=-1", "LendWindow=-1: " NOT_TIME},
	{CONTROLLER, "LendWindow=-1:00", "LendWindow=-1:00: " NOT_TIME},
	{CONTROLLER, "LendWindow=1:-2", "LendWindow=1:-2: " NOT_TIME},
	{CONTROLLER, "LendWindow=1:2:3:4", "LendWindow=1:2:3:4: " NOT_TIME},
	{CONTROLLER, "LendWindow=1-2:3:4:5", "LendWindow=1-2:3:4:5: " NOT_TIME},
	{CONTROLLER, "LendWindow=1--2", "LendWindow=1--2: " NOT_TIME},
	{CONTROLLER, "LendWindow=1-2-3", "LendWindow=1-2-3: " NOT_TIME},
	{CONTROLLER, "LendWindow=1-", "LendWindow=1-: " NOT_TIME},
	{CONTROLLER, "LendWindow=:30", "LendWindow=:30: " NOT_TIME},
	{CONTROLLER, "LendWindow=30:", "LendWindow=30:: " NOT_TIME},
	{CONTROLLER, "LendWindow=1::2", "LendWindow=1::2: " NOT_TIME},
	{CONTROLLER, "LendWindow=1.5", "LendWindow=1.5: " NOT_TIME},
	{CONTROLLER, "LendWindow=1h", "LendWindow=1h: " NOT_TIME},
	{CONTROLLER, "LendWindow=1 :00", "LendWindow=1 :00: " NOT_TIME},
	{CONTROLLER, "LendWindow=UNLIMITED", "LendWindow=UNLIMITED: " NOT_TIME},
	{CONTROLLER, "LendWindow=infinite", "LendWindow=infinite: " NOT_TIME},
	{CONTROLLER, "LendWindow=99999999999999999999x:00", "LendWindow=99999999999999999999x:00: " NOT_TIME},
	/* bool */
	{CONTROLLER, "WholeNodes=2", "WholeNodes=2: " NOT_BOOL},
	{CONTROLLER, "WholeNodes=y", "WholeNodes=y: " NOT_BOOL},
	{CONTROLLER, "WholeNodes=yess", "WholeNodes=yess: " NOT_BOOL},
	{NODE, "Verbose=maybe", "Verbose=maybe: " NOT_BOOL},
	/* enum */
	{CONTROLLER, "LendMode=lend", "LendMode=lend: must be preempt, bounded or none"},
	{CONTROLLER, "LendMode=pre empt", "LendMode=pre empt: must be preempt, bounded or none"},
	{CONTROLLER, "LendMode=preemptx", "LendMode=preemptx: must be preempt, bounded or none"},
	{NODE, "Bind=loose", "Bind=loose: must be off, closest or strict"},
	/* path */
	{CONTROLLER, "TopologyDir=relative/dir",
	 "TopologyDir=relative/dir: must be an absolute path (starting with /)"},
	{CONTROLLER, "TopologyDir=/a b",
	 "TopologyDir=/a b: must not contain whitespace or control characters"},
	{CONTROLLER, "TopologyDir=/a\tb",
	 "TopologyDir=/a\\x09b: must not contain whitespace or control characters"},
	{CONTROLLER, "TopologyDir=/a\x7f" "b",
	 "TopologyDir=/a\\x7fb: must not contain whitespace or control characters"},
	{NODE, "TopologyXml=x.xml", "TopologyXml=x.xml: must be an absolute path (starting with /)"},
	/* partitions */
	{CONTROLLER, "Pools=a::b", "Pools=a::b: empty partition name at position 2"},
	{CONTROLLER, "Pools=a:", "Pools=a:: empty partition name at position 2"},
	{CONTROLLER, "Pools=:a", "Pools=:a: empty partition name at position 1"},
	{CONTROLLER, "Pools=:", "Pools=:: empty partition name at position 1"},
	{CONTROLLER, "Pools=a:b:a", "Pools=a:b:a: partition \"a\" is listed twice"},
	{CONTROLLER, "Pools=ai startup",
	 "Pools=ai startup: partition name \"ai startup\" " BAD_NAME_CHARS},
	{CONTROLLER, "Pools=gpu:a/b", "Pools=gpu:a/b: partition name \"a/b\" " BAD_NAME_CHARS},
	{CONTROLLER, "Pools=gpu\x01", "Pools=gpu\\x01: partition name \"gpu\\x01\" " BAD_NAME_CHARS},
	{CONTROLLER, "Pools=a,b", "b: expected Key=Value"},
	{CONTROLLER,
	 "Pools=p2345678901234567890123456789012345678901234567890123456789012345",
	 "Pools=p234567890123456789012345678901234567890123456789012345678901234...: "
	 "partition name \"p234567890123456789012345678901234567890123456789012345678901234...\" "
	 "is longer than 64 characters"},
	/* the shape of items */
	{CONTROLLER, "Share=", "Share=: empty value"},
	{CONTROLLER, "Share=  ", "Share=: empty value"},
	{CONTROLLER, "Pools=", "Pools=: empty value"},
	{CONTROLLER, "Share", "Share: expected Key=Value"},
	{CONTROLLER, "  Share 25%  ", "Share 25%: expected Key=Value"},
	{CONTROLLER, "=5", "=5: expected Key=Value"},
	{CONTROLLER, " = ", "=: expected Key=Value"},
	{CONTROLLER, "Share=30%,,LendMode=none", "item 2 is empty"},
	{CONTROLLER, "Share=30%, ,LendMode=none", "item 2 is empty"},
	{CONTROLLER, "Share=30%,", "item 2 is empty (trailing comma)"},
	{CONTROLLER, ",Share=30%", "item 1 is empty"},
	{CONTROLLER, ",", "item 1 is empty; item 2 is empty (trailing comma)"},
	{CONTROLLER, " , , ", "item 1 is empty; item 2 is empty; item 3 is empty (trailing comma)"},
	{CONTROLLER, "Share==30%", "Share==30%: " NOT_PERCENT},
	/* keys */
	{CONTROLLER, "Bogus=1", "Bogus=1: " UNKNOWN_C},
	{CONTROLLER, "Lend Mode=none", "Lend Mode=none: " UNKNOWN_C},
	{CONTROLLER, "Bogus=1,Other=2", "Bogus=1: " UNKNOWN_C "; Other=2: unknown key"},
	{CONTROLLER, "Bind=off", "Bind=off: " UNKNOWN_C},
	{NODE, "Share=25%", "Share=25%: unknown key (known keys: " NODE_KEYS ")"},
	{CONTROLLER, "Share=25%,share=30%", "share=30%: duplicate key (first given as Share=25%)"},
	{CONTROLLER, "SHARE=150%,Share=25%",
	 "SHARE=150%: must be between 0.01% and 100%; "
	 "Share=25%: duplicate key (first given as SHARE=150%)"},
	{NODE, "Verbose=yes, VERBOSE=yes, verbose=no",
	 "VERBOSE=yes: duplicate key (first given as Verbose=yes); "
	 "verbose=no: duplicate key (first given as Verbose=yes)"},
	/* quoting: non-printable bytes escaped */
	{CONTROLLER, "Share=\x01", "Share=\\x01: " NOT_PERCENT},
	{CONTROLLER, "\xff=1", "\\xff=1: " UNKNOWN_C},
	{CONTROLLER, "Share=\x1b[31mred", "Share=\\x1b[31mred: " NOT_PERCENT},
	/* several problems at once, in order of appearance */
	{CONTROLLER,
	 "Share=150%, Bogus=1 ,LendMode=sometimes,share=1%,WholeNodes,,Pools=a::b,"
	 "LendWindow=8-00:00:00,Other=x,WeightPacing=-3,",
	 "Share=150%: must be between 0.01% and 100%; "
	 "Bogus=1: " UNKNOWN_C "; "
	 "LendMode=sometimes: must be preempt, bounded or none; "
	 "share=1%: duplicate key (first given as Share=150%); "
	 "WholeNodes: expected Key=Value; "
	 "item 6 is empty; "
	 "Pools=a::b: empty partition name at position 2; "
	 "LendWindow=8-00:00:00: must be between 1:00 and 7-00:00:00; "
	 "Other=x: unknown key; "
	 "WeightPacing=-3: " NOT_UINT "; "
	 "item 11 is empty (trailing comma)"},
	{NODE, "Bind=tight,Verbose=sometimes,TopologyXml=rel.xml",
	 "Bind=tight: must be off, closest or strict; "
	 "Verbose=sometimes: " NOT_BOOL "; "
	 "TopologyXml=rel.xml: must be an absolute path (starting with /)"},
};

START_TEST(test_invalid_value)
{
	const struct invalid_case *c = &invalid_cases[_i];
	char *errors = parse_fails(c->table, c->input);

	ck_assert_str_eq(errors, c->errors);
	free(errors);
}
END_TEST

/* Long keys and values are cut in messages; escapes are never cut in half. */
START_TEST(test_quoting_is_bounded)
{
	char *text, *errors, *expected;

	text = build("", 'K', 100, "=1");
	errors = parse_fails(CONTROLLER, text);
	expected = build("", 'K', 64, "...=1: " UNKNOWN_C);
	ck_assert_str_eq(errors, expected);
	free(expected);
	free(errors);
	free(text);

	text = build("WeightPacing=", '9', 5000, "");
	errors = parse_fails(CONTROLLER, text);
	expected = build("WeightPacing=", '9', 64, "...: must be between 0 and 1000000");
	ck_assert_str_eq(errors, expected);
	free(expected);
	free(errors);
	free(text);

	text = build("TopologyDir=/", 'a', 4095, "");
	errors = parse_fails(CONTROLLER, text);
	expected = build("TopologyDir=/", 'a', 63, "...: is longer than 4095 bytes");
	ck_assert_str_eq(errors, expected);
	free(expected);
	free(errors);
	free(text);
	text = build("TopologyDir=/", 'a', 4094, "");
	aishare_params_free(parse_ok(CONTROLLER, text));
	free(text);

	/* 30 control bytes: 16 fit in 64 characters as \x01. */
	text = build("Share=", '\x01', 30, "");
	errors = parse_fails(CONTROLLER, text);
	ck_assert_str_eq(errors, "Share=\\x01\\x01\\x01\\x01\\x01\\x01\\x01\\x01\\x01\\x01\\x01"
				 "\\x01\\x01\\x01\\x01\\x01...: " NOT_PERCENT);
	free(errors);
	free(text);
}
END_TEST

/* More than 20 problems: the first 20, then a count. */
START_TEST(test_problem_count_is_bounded)
{
	char text[512] = "", expected[4096] = "", item[32];
	char *errors;

	for (int i = 1; i <= 25; i++) {
		snprintf(item, sizeof(item), "%sx%d=1", i > 1 ? "," : "", i);
		strcat(text, item);
	}
	for (int i = 1; i <= 20; i++) {
		snprintf(item, sizeof(item), "%sx%d=1: unknown key", i > 1 ? "; " : "", i);
		strcat(expected, item);
		if (i == 1)
			strcat(expected, " (known keys: " CONTROLLER_KEYS ")");
	}
	strcat(expected, "; and 5 more problems");
	errors = parse_fails(CONTROLLER, text);
	ck_assert_str_eq(errors, expected);
	free(errors);

	errors = parse_fails(NODE, ",,,,,,,,,,,,,,,,,,,,");
	ck_assert_str_eq(errors, "item 1 is empty; item 2 is empty; item 3 is empty; "
				 "item 4 is empty; item 5 is empty; item 6 is empty; "
				 "item 7 is empty; item 8 is empty; item 9 is empty; "
				 "item 10 is empty; item 11 is empty; item 12 is empty; "
				 "item 13 is empty; item 14 is empty; item 15 is empty; "
				 "item 16 is empty; item 17 is empty; item 18 is empty; "
				 "item 19 is empty; item 20 is empty; and 1 more problem");
	free(errors);
}
END_TEST

/* ------------------------------------------------------------------- size */

START_TEST(test_input_size_limit)
{
	char *text, *errors, *summary;
	aishare_params_t *params;

	text = repeat('x', 100 * 1024);
	errors = parse_fails(CONTROLLER, text);
	ck_assert_str_eq(errors, "parameter string is 102400 bytes, longer than the 65536-byte limit");
	free(errors);
	free(text);

	text = repeat(' ', 65537);
	errors = parse_fails(NODE, text);
	ck_assert_str_eq(errors, "parameter string is 65537 bytes, longer than the 65536-byte limit");
	free(errors);
	free(text);

	/* Exactly at the limit is read. */
	text = repeat(' ', 65536);
	summary = summary_of(NODE, text);
	ck_assert_str_eq(summary, NODE_DEFAULTS);
	free(summary);
	free(text);

	/* A full-size string of commas: 65537 problems, 20 shown. */
	text = repeat(',', 65536);
	errors = parse_fails(CONTROLLER, text);
	ck_assert_ptr_nonnull(strstr(errors, "; and 65517 more problems"));
	ck_assert_uint_lt(strlen(errors), 1024);
	free(errors);
	free(text);

	/* A large valid list of partitions near the limit. */
	text = malloc(65536);
	ck_assert_ptr_nonnull(text);
	strcpy(text, "Pools=");
	for (int i = 0; i < 10000; i++)
		sprintf(text + strlen(text), "%sp%d", i ? ":" : "", i);
	ck_assert_uint_le(strlen(text), 65536);
	params = parse_ok(CONTROLLER, text);
	ck_assert_uint_eq(aishare_params_list_count(params, "Pools"), 10000);
	ck_assert_str_eq(aishare_params_list_item(params, "Pools", 9999), "p9999");
	aishare_params_free(params);
	free(text);
}
END_TEST

/* ------------------------------------------------------------------- junk */

/* A small generator of its own, so that the junk is the same with any libc. */
static uint32_t next_random(uint32_t *state)
{
	*state = *state * 1664525u + 1013904223u;
	return *state >> 8;
}

enum { JUNK_BYTES = 2048, JUNK_SEEDS = 32 };

/*
 * 2 KiB of junk must fail cleanly: a bounded message (20 problems of at most two
 * 64-character quotes and a known-keys list each), printable ASCII only.  Odd seeds
 * draw from all bytes, even ones from the parser's own alphabet to reach deeper.
 */
START_TEST(test_random_junk)
{
	static const char alphabet[] = "=,:%-.0123456789 \tShareWholeNodesPoolsLendWindowyes";
	uint32_t state = 0x5eed0000u + (uint32_t)_i;
	char text[JUNK_BYTES + 1];
	char *errors;
	size_t problems = 1;

	for (int i = 0; i < JUNK_BYTES; i++) {
		uint32_t r = next_random(&state);
		text[i] = (_i % 2) ? (char)(1 + r % 255) : alphabet[r % (sizeof(alphabet) - 1)];
	}
	text[JUNK_BYTES] = '\0';

	errors = parse_fails((_i % 3) ? CONTROLLER : NODE, text);
	ck_assert_uint_gt(strlen(errors), 0);
	ck_assert_uint_lt(strlen(errors), 8192);
	for (const char *at = errors; *at; at++) {
		ck_assert_msg(*at >= 0x20 && *at < 0x7f, "byte 0x%02x in the message",
			      (unsigned char)*at);
		if (at[0] == ';' && at[1] == ' ')
			problems++;
	}
	ck_assert_uint_le(problems, 21);
	free(errors);
}
END_TEST

/* ---------------------------------------------------------------- getters */

START_TEST(test_getters_defaults)
{
	aishare_params_t *params = parse_ok(CONTROLLER, "");
	uint64_t u = 99;
	double d = -1;
	const char *s = NULL;

	ck_assert_int_eq(aishare_params_get_uint(params, "WholeNodes", &u), 0);
	ck_assert_uint_eq(u, 1);
	ck_assert_int_eq(aishare_params_get_uint(params, "LendWindow", &u), 0);
	ck_assert_uint_eq(u, 3600);
	ck_assert_int_eq(aishare_params_get_uint(params, "CompactWait", &u), 0);
	ck_assert_uint_eq(u, 300);
	ck_assert_int_eq(aishare_params_get_uint(params, "WeightDeficit", &u), 0);
	ck_assert_uint_eq(u, 10000);
	ck_assert_int_eq(aishare_params_get_uint(params, "weightlargejob", &u), 0);
	ck_assert_uint_eq(u, 5000);
	ck_assert_int_eq(aishare_params_get_percent(params, "sHaRe", &d), 0);
	ck_assert_double_eq(d, 0.25);
	ck_assert_int_eq(aishare_params_get_string(params, "LendMode", &s), 0);
	ck_assert_str_eq(s, "preempt");
	ck_assert_int_eq(aishare_params_get_string(params, "TopologyDir", &s), 0);
	ck_assert_str_eq(s, "");
	ck_assert_uint_eq(aishare_params_list_count(params, "Pools"), 1);
	ck_assert_str_eq(aishare_params_list_item(params, "pools", 0), "ai-startup");
	ck_assert_ptr_null(aishare_params_list_item(params, "Pools", 1));
	aishare_params_free(params);

	params = parse_ok(NODE, NULL);
	ck_assert_int_eq(aishare_params_get_string(params, "Bind", &s), 0);
	ck_assert_str_eq(s, "closest");
	ck_assert_int_eq(aishare_params_get_string(params, "TopologyXml", &s), 0);
	ck_assert_str_eq(s, "");
	ck_assert_int_eq(aishare_params_get_uint(params, "Verbose", &u), 0);
	ck_assert_uint_eq(u, 0);
	aishare_params_free(params);
}
END_TEST

START_TEST(test_getters_values)
{
	aishare_params_t *params =
		parse_ok(CONTROLLER, "Share=12.5%,WholeNodes=off,LendWindow=2-00:00:00,"
				     "CompactWait=0,Pools=a:b:c,LendMode=NONE,TopologyDir=/t");
	uint64_t u = 99;
	double d = -1;
	const char *s = NULL;

	ck_assert_int_eq(aishare_params_get_percent(params, "Share", &d), 0);
	ck_assert_double_eq(d, 0.125);
	ck_assert_int_eq(aishare_params_get_uint(params, "WholeNodes", &u), 0);
	ck_assert_uint_eq(u, 0);
	ck_assert_int_eq(aishare_params_get_uint(params, "LendWindow", &u), 0);
	ck_assert_uint_eq(u, 172800);
	ck_assert_int_eq(aishare_params_get_uint(params, "CompactWait", &u), 0);
	ck_assert_uint_eq(u, 0);
	ck_assert_int_eq(aishare_params_get_string(params, "LendMode", &s), 0);
	ck_assert_str_eq(s, "none");
	ck_assert_int_eq(aishare_params_get_string(params, "TopologyDir", &s), 0);
	ck_assert_str_eq(s, "/t");
	ck_assert_uint_eq(aishare_params_list_count(params, "Pools"), 3);
	ck_assert_str_eq(aishare_params_list_item(params, "Pools", 0), "a");
	ck_assert_str_eq(aishare_params_list_item(params, "Pools", 2), "c");
	ck_assert_ptr_null(aishare_params_list_item(params, "Pools", 3));
	ck_assert_ptr_null(aishare_params_list_item(params, "Pools", SIZE_MAX));
	aishare_params_free(params);

	params = parse_ok(CONTROLLER, "Share=100%");
	ck_assert_int_eq(aishare_params_get_percent(params, "Share", &d), 0);
	ck_assert_double_eq(d, 1.0);
	aishare_params_free(params);
}
END_TEST

/* Key[pool] reads the pool's override, or the key's value for a pool without one. */
START_TEST(test_getters_per_pool)
{
	aishare_params_t *params = parse_ok(
		CONTROLLER, "Pools=ai-startup:sme,Share=30%,Share[sme]=10%,LendMode[sme]=none");
	double d = -1;
	const char *s = NULL;

	ck_assert_int_eq(aishare_params_get_percent(params, "Share[sme]", &d), 0);
	ck_assert_double_eq(d, 0.10);
	ck_assert_int_eq(aishare_params_get_percent(params, "share[ai-startup]", &d), 0);
	ck_assert_double_eq(d, 0.30);
	ck_assert_int_eq(aishare_params_get_string(params, "LendMode[sme]", &s), 0);
	ck_assert_str_eq(s, "none");
	ck_assert_int_eq(aishare_params_get_string(params, "LendMode[ai-startup]", &s), 0);
	ck_assert_str_eq(s, "preempt");
	errno = 0;
	ck_assert_int_eq(aishare_params_get_string(params, "TopologyDir[sme]", &s), -1);
	ck_assert_int_eq(errno, EINVAL);
	aishare_params_free(params);
}
END_TEST

/* Wrong type or unknown key: -1 (or 0, NULL) with EINVAL, output untouched. */
START_TEST(test_getters_wrong_key_or_type)
{
	aishare_params_t *params = parse_ok(CONTROLLER, "");
	const char *uint_misses[] = {"Share", "LendMode", "Pools", "TopologyDir", "Bogus", "", "Share "};
	const char *percent_misses[] = {"WeightDeficit", "WholeNodes", "LendWindow", "Pools", "Bogus"};
	const char *string_misses[] = {"Share", "Pools", "WholeNodes", "WeightPacing", "Bogus"};
	const char *list_misses[] = {"Share", "LendMode", "TopologyDir", "WholeNodes", "Bogus"};
	uint64_t u = 99;
	double d = -1;
	const char *s = "untouched";

	for (size_t i = 0; i < sizeof(uint_misses) / sizeof(uint_misses[0]); i++) {
		errno = 0;
		ck_assert_int_eq(aishare_params_get_uint(params, uint_misses[i], &u), -1);
		ck_assert_int_eq(errno, EINVAL);
	}
	ck_assert_uint_eq(u, 99);
	for (size_t i = 0; i < sizeof(percent_misses) / sizeof(percent_misses[0]); i++) {
		errno = 0;
		ck_assert_int_eq(aishare_params_get_percent(params, percent_misses[i], &d), -1);
		ck_assert_int_eq(errno, EINVAL);
	}
	ck_assert_double_eq(d, -1);
	for (size_t i = 0; i < sizeof(string_misses) / sizeof(string_misses[0]); i++) {
		errno = 0;
		ck_assert_int_eq(aishare_params_get_string(params, string_misses[i], &s), -1);
		ck_assert_int_eq(errno, EINVAL);
	}
	ck_assert_str_eq(s, "untouched");
	for (size_t i = 0; i < sizeof(list_misses) / sizeof(list_misses[0]); i++) {
		errno = 0;
		ck_assert_uint_eq(aishare_params_list_count(params, list_misses[i]), 0);
		ck_assert_int_eq(errno, EINVAL);
		errno = 0;
		ck_assert_ptr_null(aishare_params_list_item(params, list_misses[i], 0));
		ck_assert_int_eq(errno, EINVAL);
	}
	aishare_params_free(params);

	/* A key of the other table is unknown here. */
	params = parse_ok(NODE, "");
	errno = 0;
	ck_assert_int_eq(aishare_params_get_percent(params, "Share", &d), -1);
	ck_assert_int_eq(errno, EINVAL);
	aishare_params_free(params);
}
END_TEST

/* ----------------------------------------------------------- NULL arguments */

START_TEST(test_null_arguments)
{
	aishare_params_t *params = parse_ok(CONTROLLER, "");
	char *errors = NULL;
	uint64_t u;
	double d;
	const char *s;

	/* NULL text is all defaults; NULL errors is allowed. */
	aishare_params_free(parse_ok(NODE, NULL));
	errno = 0;
	ck_assert_ptr_null(aishare_params_parse(CONTROLLER, "Bogus=1", NULL));
	ck_assert_int_eq(errno, EINVAL);
	aishare_params_free(aishare_params_parse(CONTROLLER, "Share=1%", NULL));
	aishare_params_free(NULL);

	errno = 0;
	ck_assert_int_eq(aishare_params_get_uint(NULL, "WholeNodes", &u), -1);
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_int_eq(aishare_params_get_uint(params, NULL, &u), -1);
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_int_eq(aishare_params_get_uint(params, "WholeNodes", NULL), -1);
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_int_eq(aishare_params_get_percent(NULL, "Share", &d), -1);
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_int_eq(aishare_params_get_percent(params, NULL, &d), -1);
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_int_eq(aishare_params_get_percent(params, "Share", NULL), -1);
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_int_eq(aishare_params_get_string(NULL, "LendMode", &s), -1);
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_int_eq(aishare_params_get_string(params, NULL, &s), -1);
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_int_eq(aishare_params_get_string(params, "LendMode", NULL), -1);
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_uint_eq(aishare_params_list_count(NULL, "Pools"), 0);
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_uint_eq(aishare_params_list_count(params, NULL), 0);
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_ptr_null(aishare_params_list_item(NULL, "Pools", 0));
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_ptr_null(aishare_params_list_item(params, NULL, 0));
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_ptr_null(aishare_params_summary(NULL));
	ck_assert_int_eq(errno, EINVAL);
	aishare_params_free(params);

	/* Values no enumerator names: a C caller can pass any int. */
	errno = 0;
	ck_assert_ptr_null(aishare_params_parse((aishare_param_table_t)7, "", &errors));
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_str_eq(errors, "unknown parameter table 7");
	free(errors);
	errno = 0;
	ck_assert_ptr_null(aishare_param_table_row((aishare_param_table_t)2, 0));
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_ptr_null(aishare_param_type_name((aishare_param_type_t)7));
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_ptr_null(aishare_param_type_name((aishare_param_type_t)-1));
	ck_assert_int_eq(errno, EINVAL);
}
END_TEST

/* ----------------------------------------------------------------- tables */

struct expected_row {
	const char *key;
	aishare_param_type_t type;
	const char *range;
};

static const struct expected_row controller_rows[] = {
	{"Pools", AISHARE_PARAM_PARTITIONS, ""},
	{"Share", AISHARE_PARAM_PERCENT, "0.01%..100%"},
	{"LendMode", AISHARE_PARAM_ENUM, "preempt|bounded|none"},
	{"LendWindow", AISHARE_PARAM_TIME, "1:00..7-00:00:00"},
	{"ReclaimBeyondShare", AISHARE_PARAM_BOOL, ""},
	{"CompactWait", AISHARE_PARAM_TIME, "0:00..1-00:00:00"},
	{"WholeNodes", AISHARE_PARAM_BOOL, ""},
	{"PlaceAllPartitions", AISHARE_PARAM_BOOL, ""},
	{"TopologyDir", AISHARE_PARAM_PATH, ""},
	{"WeightDeficit", AISHARE_PARAM_UINT, "0..1000000"},
	{"WeightFairShare", AISHARE_PARAM_UINT, "0..1000000"},
	{"WeightPacing", AISHARE_PARAM_UINT, "0..1000000"},
	{"WeightLargeJob", AISHARE_PARAM_UINT, "0..1000000"},
	{"SiteFactorMax", AISHARE_PARAM_UINT, "1..10000000"},
	{"GrantPeriod", AISHARE_PARAM_TIME, "1:00..3660-00:00:00"},
	{"GrantStart", AISHARE_PARAM_UINT, "0..4102444800"},
	{"LargeJobGpus", AISHARE_PARAM_UINT, "1..1000000"},
	{"LargeJobWait", AISHARE_PARAM_TIME, "0:01..30-00:00:00"},
	{"RecalcInterval", AISHARE_PARAM_TIME, "0:00..1:00:00"},
};

static const struct expected_row node_rows[] = {
	{"Bind", AISHARE_PARAM_ENUM, "off|closest|strict"},
	{"TopologyXml", AISHARE_PARAM_PATH, ""},
	{"Verbose", AISHARE_PARAM_BOOL, ""},
};

START_TEST(test_table_rows)
{
	struct {
		aishare_param_table_t table;
		const struct expected_row *rows;
		size_t count;
	} tables[] = {
		{CONTROLLER, controller_rows, sizeof(controller_rows) / sizeof(controller_rows[0])},
		{NODE, node_rows, sizeof(node_rows) / sizeof(node_rows[0])},
	};

	for (size_t t = 0; t < 2; t++) {
		for (size_t i = 0; i < tables[t].count; i++) {
			const aishare_param_info_t *row =
				aishare_param_table_row(tables[t].table, i);

			ck_assert_ptr_nonnull(row);
			ck_assert_str_eq(row->key, tables[t].rows[i].key);
			ck_assert_int_eq(row->type, tables[t].rows[i].type);
			ck_assert_str_eq(row->range, tables[t].rows[i].range);
			ck_assert_ptr_nonnull(row->default_value);
			ck_assert_ptr_nonnull(row->help);
			ck_assert_uint_gt(strlen(row->help), 10);
			/* Rows are stable: asking again gives the same storage. */
			ck_assert_ptr_eq(row, aishare_param_table_row(tables[t].table, i));
		}
		ck_assert_ptr_null(aishare_param_table_row(tables[t].table, tables[t].count));
		ck_assert_ptr_null(aishare_param_table_row(tables[t].table, SIZE_MAX));
	}
}
END_TEST

/* The header's key constants, in table order: the rows must carry these names. */
static const char *const controller_keys[] = {
	AISHARE_KEY_POOLS,	     AISHARE_KEY_SHARE,		   AISHARE_KEY_LEND_MODE,
	AISHARE_KEY_LEND_WINDOW,     AISHARE_KEY_RECLAIM_BEYOND_SHARE, AISHARE_KEY_COMPACT_WAIT,
	AISHARE_KEY_WHOLE_NODES,     AISHARE_KEY_PLACE_ALL_PARTITIONS, AISHARE_KEY_TOPOLOGY_DIR,
	AISHARE_KEY_WEIGHT_DEFICIT,  AISHARE_KEY_WEIGHT_FAIR_SHARE,    AISHARE_KEY_WEIGHT_PACING,
	AISHARE_KEY_WEIGHT_LARGE_JOB, AISHARE_KEY_SITE_FACTOR_MAX,     AISHARE_KEY_GRANT_PERIOD,
	AISHARE_KEY_GRANT_START,     AISHARE_KEY_LARGE_JOB_GPUS,       AISHARE_KEY_LARGE_JOB_WAIT,
	AISHARE_KEY_RECALC_INTERVAL,
};
static const char *const node_keys[] = {
	AISHARE_KEY_BIND,
	AISHARE_KEY_TOPOLOGY_XML,
	AISHARE_KEY_VERBOSE,
};

START_TEST(test_key_constants)
{
	struct {
		aishare_param_table_t table;
		const char *const *keys;
		size_t count;
	} tables[] = {
		{CONTROLLER, controller_keys, sizeof(controller_keys) / sizeof(controller_keys[0])},
		{NODE, node_keys, sizeof(node_keys) / sizeof(node_keys[0])},
	};

	for (size_t t = 0; t < 2; t++) {
		for (size_t i = 0; i < tables[t].count; i++) {
			const aishare_param_info_t *row =
				aishare_param_table_row(tables[t].table, i);

			ck_assert_ptr_nonnull(row);
			ck_assert_str_eq(row->key, tables[t].keys[i]);
		}
		/* Every row has its constant. */
		ck_assert_ptr_null(aishare_param_table_row(tables[t].table, tables[t].count));
	}
}
END_TEST

START_TEST(test_type_names)
{
	const char *names[] = {"bool", "integer", "percent", "time", "choice", "path", "partitions"};

	for (int type = AISHARE_PARAM_BOOL; type <= AISHARE_PARAM_PARTITIONS; type++)
		ck_assert_str_eq(aishare_param_type_name((aishare_param_type_t)type), names[type]);
}
END_TEST

/* "Key=TEXT" for one row; reads and returns the token of that key in the summary. */
static char *row_token(aishare_param_table_t table, const char *key, const char *text)
{
	char input[256], *summary, *token, *at, *end;

	snprintf(input, sizeof(input), "%s=%s", key, text);
	summary = summary_of(table, input);
	snprintf(input, sizeof(input), "%s=", key);
	at = strstr(summary, input);
	ck_assert_ptr_nonnull(at);
	end = strchr(at, ' ');
	token = strndup(at, end ? (size_t)(end - at) : strlen(at));
	ck_assert_ptr_nonnull(token);
	free(summary);
	return token;
}

/* Reads a numeric row's value from "Key=TEXT", in the getter's unit. */
static double row_number(aishare_param_table_t table, const aishare_param_info_t *row,
			 const char *text)
{
	char input[256];
	aishare_params_t *params;
	uint64_t u = 0;
	double d = 0;

	snprintf(input, sizeof(input), "%s=%s", row->key, text);
	params = parse_ok(table, input);
	if (row->type == AISHARE_PARAM_PERCENT) {
		ck_assert_int_eq(aishare_params_get_percent(params, row->key, &d), 0);
	} else {
		ck_assert_int_eq(aishare_params_get_uint(params, row->key, &u), 0);
		d = (double)u;
	}
	aishare_params_free(params);
	return d;
}

/*
 * Every default and every bound reads, is canonical (reads back as itself), and every
 * default lies within its range or among its choices.
 */
START_TEST(test_defaults_and_ranges_read)
{
	aishare_param_table_t tables[] = {CONTROLLER, NODE};

	for (size_t t = 0; t < 2; t++) {
		const aishare_param_info_t *row;

		for (size_t i = 0; (row = aishare_param_table_row(tables[t], i)); i++) {
			char expected[256], *token;

			snprintf(expected, sizeof(expected), "%s=%s", row->key,
				 row->type == AISHARE_PARAM_PATH && !*row->default_value
					 ? "\"\""
					 : row->default_value);
			token = row_token(tables[t], row->key, row->default_value);
			ck_assert_str_eq(token, expected);
			free(token);

			if (row->type == AISHARE_PARAM_ENUM) {
				char choices[256], *save = NULL;
				int default_found = 0;

				snprintf(choices, sizeof(choices), "%s", row->range);
				for (char *w = strtok_r(choices, "|", &save); w;
				     w = strtok_r(NULL, "|", &save)) {
					snprintf(expected, sizeof(expected), "%s=%s", row->key, w);
					token = row_token(tables[t], row->key, w);
					ck_assert_str_eq(token, expected);
					free(token);
					default_found |= !strcmp(w, row->default_value);
				}
				ck_assert_msg(default_found, "default of %s not a choice", row->key);
			} else if (*row->range) {
				char min[128], max[128];
				const char *dots = strstr(row->range, "..");

				ck_assert_ptr_nonnull(dots);
				snprintf(min, sizeof(min), "%.*s", (int)(dots - row->range), row->range);
				snprintf(max, sizeof(max), "%s", dots + 2);
				for (int end = 0; end < 2; end++) {
					const char *bound = end ? max : min;

					snprintf(expected, sizeof(expected), "%s=%s", row->key, bound);
					token = row_token(tables[t], row->key, bound);
					ck_assert_str_eq(token, expected);
					free(token);
				}
				ck_assert(row_number(tables[t], row, min) <=
					  row_number(tables[t], row, row->default_value));
				ck_assert(row_number(tables[t], row, row->default_value) <=
					  row_number(tables[t], row, max));
				ck_assert(row_number(tables[t], row, min) <
					  row_number(tables[t], row, max));
			}
		}
	}
}
END_TEST

START_TEST(test_version)
{
	const char *version = aishare_version();
	unsigned major, minor, patch;
	char tail;

	ck_assert_ptr_nonnull(version);
	ck_assert_int_eq(sscanf(version, "%u.%u.%u%c", &major, &minor, &patch, &tail), 3);
}
END_TEST

/* ------------------------------------------------------------------- main */

Suite *unit_suite(void)
{
	Suite *suite = suite_create("params");
	TCase *tc;

	tc = tcase_create("values");
	tcase_add_test(tc, test_empty_is_all_defaults);
	tcase_add_test(tc, test_full_string_summary);
	tcase_add_loop_test(tc, test_valid_value, 0, sizeof(valid_cases) / sizeof(valid_cases[0]));
	tcase_add_loop_test(tc, test_invalid_value, 0,
			    sizeof(invalid_cases) / sizeof(invalid_cases[0]));
	suite_add_tcase(suite, tc);

	tc = tcase_create("limits");
	tcase_add_test(tc, test_quoting_is_bounded);
	tcase_add_test(tc, test_problem_count_is_bounded);
	tcase_add_test(tc, test_input_size_limit);
	tcase_add_loop_test(tc, test_random_junk, 0, JUNK_SEEDS);
	suite_add_tcase(suite, tc);

	tc = tcase_create("api");
	tcase_add_test(tc, test_getters_defaults);
	tcase_add_test(tc, test_getters_values);
	tcase_add_test(tc, test_getters_per_pool);
	tcase_add_test(tc, test_getters_wrong_key_or_type);
	tcase_add_test(tc, test_null_arguments);
	tcase_add_test(tc, test_version);
	suite_add_tcase(suite, tc);

	tc = tcase_create("tables");
	tcase_add_test(tc, test_table_rows);
	tcase_add_test(tc, test_key_constants);
	tcase_add_test(tc, test_type_names);
	tcase_add_test(tc, test_defaults_and_ranges_read);
	suite_add_tcase(suite, tc);

	return suite;
}
