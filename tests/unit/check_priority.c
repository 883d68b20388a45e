/*
 * check_priority.c - the priority model (site_factor/aishare) through its C API.
 *
 * Copyright (C) 2026 The slurm-aishare authors.  GPL-2.0-or-later.
 */
#include <check.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aishare.h"
#include "check_main.h"

#define NOW 1800000000 /* a fixed clock: 2027-01-15 */

static aishare_prio_model_t *model_for(const char *text)
{
	char *errors = NULL;
	aishare_params_t *params = aishare_params_parse(AISHARE_PARAMS_CONTROLLER, text, &errors);
	aishare_prio_model_t *model;

	ck_assert_msg(params, "parsing \"%s\" failed: %s", text, errors ? errors : "?");
	model = aishare_prio_model_create(params, &errors);
	ck_assert_msg(model, "model: %s", errors ? errors : "?");
	aishare_params_free(params);
	return model;
}

static aishare_prio_result_t job_terms(aishare_prio_model_t *model, uint32_t id,
				       const char *account, const char *partition,
				       uint32_t gpus, int64_t eligible)
{
	aishare_prio_job_t job = { id, account, partition, gpus, eligible };
	aishare_prio_result_t result;

	ck_assert_int_eq(aishare_prio_model_job(model, &job, &result), 0);
	return result;
}

static void update(aishare_prio_model_t *model, const aishare_prio_account_t *accounts,
		   size_t count, const aishare_prio_pool_t *pools, size_t pool_count)
{
	char *errors = NULL;

	ck_assert_msg(!aishare_prio_model_update(model, NOW, NOW, accounts, count, NULL, 0, pools,
						 pool_count, &errors),
		      "update: %s", errors ? errors : "?");
}

/* The case: 80% of the grant used at 20% of the period sinks below 10%. */
START_TEST(test_pacing_80_at_20_sinks_below_10)
{
	char text[256];
	aishare_prio_model_t *model;
	aishare_prio_result_t ahead, behind;
	const aishare_prio_account_t accounts[] = {
		{ "burner", "startups", 1000, 800 },
		{ "saver", "startups", 1000, 100 },
	};

	/* A period of 100 minutes that began 20 minutes ago. */
	snprintf(text, sizeof(text), "GrantPeriod=100,GrantStart=%d", NOW - 20 * 60);
	model = model_for(text);
	update(model, accounts, 2, NULL, 0);
	ahead = job_terms(model, 1, "burner", "ai-startup", 4, NOW);
	behind = job_terms(model, 2, "saver", "ai-startup", 4, NOW);
	ck_assert_int_eq(ahead.pacing, -6000);  /* (0.2 - 0.8) x 10000 */
	ck_assert_int_eq(behind.pacing, 1000);  /* (0.2 - 0.1) x 10000 */
	ck_assert_int_lt(ahead.site_factor, behind.site_factor);
	ck_assert_int_eq(ahead.exhausted, 0);
	aishare_prio_model_free(model);
}
END_TEST

START_TEST(test_exhausted_grant_floors_pacing)
{
	aishare_prio_model_t *model = model_for("GrantPeriod=100");
	const aishare_prio_account_t accounts[] = { { "spent", "startups", 100, 130 } };
	aishare_prio_result_t r;

	update(model, accounts, 1, NULL, 0);
	r = job_terms(model, 1, "spent", "ai-startup", 1, NOW);
	ck_assert_int_eq(r.exhausted, 1);
	ck_assert_int_eq(r.pacing, -10000);
	aishare_prio_model_free(model);
}
END_TEST

/* Equal grants: the account that used half of the group's GPU time ranks last. */
START_TEST(test_fair_share_follows_usage_against_entitlement)
{
	aishare_prio_model_t *model = model_for("WeightPacing=0");
	const aishare_prio_account_t accounts[] = {
		{ "heavy", "startups", 600, 300 },
		{ "light", "startups", 600, 150 },
		{ "other", "startups", 600, 150 },
		{ "sme", "smes", 600, 0 },       /* another group: its own shares */
		{ "nogrant", "startups", 0, 900 }, /* no grant: not a start-up */
	};
	aishare_prio_result_t heavy, light, sme, nogrant;

	update(model, accounts, 5, NULL, 0);
	heavy = job_terms(model, 1, "heavy", "ai-startup", 4, NOW);
	light = job_terms(model, 2, "light", "ai-startup", 4, NOW);
	sme = job_terms(model, 3, "sme", "ai-startup", 4, NOW);
	nogrant = job_terms(model, 4, "nogrant", "ai-startup", 4, NOW);
	ck_assert_int_eq(heavy.fair_share, (int64_t) lround(10000 * exp2(-0.5 / (1.0 / 3))));
	ck_assert_int_eq(light.fair_share, (int64_t) lround(10000 * exp2(-0.25 / (1.0 / 3))));
	ck_assert_int_lt(heavy.site_factor, light.site_factor);
	ck_assert_int_eq(sme.fair_share, 10000);
	ck_assert_int_eq(nogrant.fair_share, 0);
	ck_assert_int_eq(nogrant.pacing, 0);
	aishare_prio_model_free(model);
}
END_TEST

/* Running jobs count from Slurm's last charge, not from their start. */
START_TEST(test_running_jobs_count_since_last_charge)
{
	aishare_prio_model_t *model = model_for("WeightPacing=0");
	const aishare_prio_account_t accounts[] = {
		{ "a", "s", 100, 10 }, { "b", "s", 100, 10 },
	};
	/* b runs 4 GPUs since 10 min; Slurm charged until 5 min ago: +20 GPU-min. */
	const aishare_prio_running_t running[] = { { "b", 4, NOW - 600 } };
	aishare_prio_result_t a, b;

	ck_assert_int_eq(aishare_prio_model_update(model, NOW, NOW - 300, accounts, 2, running, 1,
						   NULL, 0, NULL), 0);
	a = job_terms(model, 1, "a", "p", 1, NOW);
	b = job_terms(model, 2, "b", "p", 1, NOW);
	/* usage shares 10/40 and 30/40, entitlement 1/2 each */
	ck_assert_int_eq(a.fair_share, (int64_t) lround(10000 * exp2(-0.5)));
	ck_assert_int_eq(b.fair_share, (int64_t) lround(10000 * exp2(-1.5)));
	aishare_prio_model_free(model);
}
END_TEST

START_TEST(test_deficit_only_below_guarantee_with_demand)
{
	aishare_prio_model_t *model = model_for("");
	const aishare_prio_pool_t pools[] = {
		{ "ai-startup", 16, 4, 8 },
		{ "sme", 8, 8, 4 },
		{ "idle", 8, 0, 0 },
	};

	update(model, NULL, 0, pools, 3);
	ck_assert_int_eq(job_terms(model, 1, NULL, "ai-startup", 4, NOW).deficit, 7500);
	ck_assert_int_eq(job_terms(model, 2, NULL, "sme", 4, NOW).deficit, 0);
	ck_assert_int_eq(job_terms(model, 3, NULL, "idle", 4, NOW).deficit, 0);
	ck_assert_int_eq(job_terms(model, 4, NULL, "gpu", 4, NOW).deficit, 0);
	aishare_prio_model_free(model);
}
END_TEST

/* A large job rises with its wait and, once starving, passes every capped job. */
START_TEST(test_large_job_starving_goes_above_cap)
{
	aishare_prio_model_t *model =
		model_for("LargeJobGpus=8,LargeJobWait=10:00,SiteFactorMax=20000");
	const aishare_prio_account_t accounts[] = { { "a", "s", 100, 0 } };
	const aishare_prio_pool_t pools[] = { { "ai-startup", 16, 0, 64 } };
	aishare_prio_result_t small, half, starving;

	update(model, accounts, 1, pools, 1);
	small = job_terms(model, 1, "a", "ai-startup", 4, NOW - 3600);
	half = job_terms(model, 2, "a", "ai-startup", 8, NOW - 300);
	starving = job_terms(model, 3, "a", "ai-startup", 16, NOW - 600);
	ck_assert_int_eq(small.large_job, 0);
	ck_assert_int_eq(small.site_factor, 20000); /* capped: 10000 + 10000 + 0 */
	ck_assert_int_eq(half.large_job, 2500);
	ck_assert_int_eq(starving.starving, 1);
	ck_assert_int_eq(starving.site_factor, 20000 + 1 + 5000);
	aishare_prio_model_free(model);
}
END_TEST

START_TEST(test_state_file_explains_terms)
{
	char dir[] = "/tmp/check_priority.XXXXXX", path[256], *text, *errors = NULL;
	aishare_prio_model_t *model = model_for("GrantPeriod=100,WeightDeficit=123");
	const aishare_prio_account_t accounts[] = { { "start up", "s", 100, 50 } };
	aishare_prio_state_t *state;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/aishare_priority.state", dir);
	update(model, accounts, 1, NULL, 0);
	(void) job_terms(model, 42, "start up", "ai-startup", 4, NOW);
	state = aishare_prio_model_state(model);
	ck_assert_ptr_nonnull(state);
	ck_assert_int_eq(aishare_prio_state_save(state, path, &errors), 0);
	aishare_prio_state_free(state);

	text = aishare_prio_explain(path, 42, AISHARE_FORMAT_TEXT, &errors);
	ck_assert_msg(text, "explain: %s", errors ? errors : "?");
	ck_assert_ptr_nonnull(strstr(text, "job 42: account start?up"));
	ck_assert_ptr_nonnull(strstr(text, "WeightDeficit 123 x"));
	ck_assert_ptr_nonnull(strstr(text, "grant 100.0 GPU-min, used 50.0"));
	free(text);
	text = aishare_prio_explain(path, 42, AISHARE_FORMAT_JSON, &errors);
	ck_assert_ptr_nonnull(text);
	ck_assert_ptr_nonnull(strstr(text, "\"job_id\": 42"));
	ck_assert_ptr_nonnull(strstr(text, "\"start_up\": true"));
	free(text);

	ck_assert_ptr_null(aishare_prio_explain(path, 43, AISHARE_FORMAT_TEXT, &errors));
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_ptr_nonnull(strstr(errors, "job 43 is not in"));
	free(errors);
	errors = NULL;

	/* A damaged file is refused, naming it. */
	FILE *f = fopen(path, "a");
	fputs("job 7 total=1\n", f);
	fclose(f);
	ck_assert_ptr_null(aishare_prio_explain(path, 42, AISHARE_FORMAT_TEXT, &errors));
	ck_assert_ptr_nonnull(strstr(errors, path));
	free(errors);
	unlink(path);
	rmdir(dir);
	aishare_prio_model_free(model);
}
END_TEST

START_TEST(test_bad_inputs_are_refused)
{
	aishare_prio_model_t *model = model_for("");
	const aishare_prio_account_t twice[] = { { "a", "s", 1, 0 }, { "a", "s", 1, 0 } };
	const aishare_prio_account_t nan_usage[] = { { "b", "s", 1, NAN } };
	char *errors = NULL;

	ck_assert_int_eq(aishare_prio_model_update(model, NOW, NOW, twice, 2, NULL, 0, NULL, 0,
						   &errors), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_str_eq(errors, "account a given twice");
	free(errors);
	ck_assert_int_eq(aishare_prio_model_update(model, NOW, NOW, nan_usage, 1, NULL, 0, NULL,
						   0, &errors), -1);
	ck_assert_ptr_nonnull(strstr(errors, "account b"));
	free(errors);
	ck_assert_int_eq(aishare_prio_model_update(model, NOW, NOW, NULL, 3, NULL, 0, NULL, 0,
						   NULL), -1);
	ck_assert_ptr_null(aishare_prio_model_create(NULL, NULL));
	ck_assert_int_eq(aishare_prio_model_job(model, NULL, NULL), -1);
	aishare_prio_model_free(model);
}
END_TEST

/* Weights and caps out of range are refused naming key and value. */
START_TEST(test_bad_weights_named)
{
	char *errors = NULL;

	ck_assert_ptr_null(aishare_params_parse(AISHARE_PARAMS_CONTROLLER,
						"WeightPacing=2000000,SiteFactorMax=0,"
						"GrantPeriod=0,LargeJobWait=soon",
						&errors));
	ck_assert_ptr_nonnull(strstr(errors, "WeightPacing=2000000: "));
	ck_assert_ptr_nonnull(strstr(errors, "SiteFactorMax=0: "));
	ck_assert_ptr_nonnull(strstr(errors, "GrantPeriod=0: "));
	ck_assert_ptr_nonnull(strstr(errors, "LargeJobWait=soon: "));
	free(errors);
}
END_TEST

Suite *unit_suite(void)
{
	Suite *suite = suite_create("priority");
	TCase *tc = tcase_create("model");

	tcase_add_test(tc, test_pacing_80_at_20_sinks_below_10);
	tcase_add_test(tc, test_exhausted_grant_floors_pacing);
	tcase_add_test(tc, test_fair_share_follows_usage_against_entitlement);
	tcase_add_test(tc, test_running_jobs_count_since_last_charge);
	tcase_add_test(tc, test_deficit_only_below_guarantee_with_demand);
	tcase_add_test(tc, test_large_job_starving_goes_above_cap);
	tcase_add_test(tc, test_state_file_explains_terms);
	tcase_add_test(tc, test_bad_inputs_are_refused);
	tcase_add_test(tc, test_bad_weights_named);
	suite_add_tcase(suite, tc);
	return suite;
}
