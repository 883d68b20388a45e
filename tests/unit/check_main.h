/*
 * check_main.h - the one main() of the Check unit programs (tests/unit/check_*.c):
 * each program defines unit_suite(), and check_main.c runs it with the same print
 * mode and exit status, so that `make check` reads every program alike.
 *
 * Copyright (C) 2026 The slurm-aishare authors.  GPL-2.0-or-later.
 */
#ifndef AISHARE_TESTS_CHECK_MAIN_H
#define AISHARE_TESTS_CHECK_MAIN_H

#include <check.h>

/* The program's tests, as one suite; main() runs it (CK_NORMAL; Check's own
 * CK_FORK and CK_RUN_* variables still apply) and fails if any test failed. */
Suite *unit_suite(void);

#endif
