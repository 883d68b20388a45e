/*
 * check_main.c - the main() of the Check unit programs.
 *
 * Copyright (C) 2026 The slurm-aishare authors.  GPL-2.0-or-later.
 */
#include <stdio.h>
#include <stdlib.h>

#include "check_main.h"

int main(void)
{
	SRunner *runner = srunner_create(unit_suite());
	int ran, failed;

	srunner_run_all(runner, CK_NORMAL);
	ran = srunner_ntests_run(runner);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	/* A program that runs nothing must not pass as a suite that passed. */
	if (ran == 0) {
		fprintf(stderr, "check_main: the suite ran no test\n");
		return EXIT_FAILURE;
	}
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
