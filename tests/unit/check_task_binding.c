/*
 * check_task_binding.c - GPU -> closest NIC and local cores, over saved machines.
 *
 * The choices the SPANK plugin makes for each task, checked on the fixtures of
 * tests/data/hwloc: a NIC under the GPU's own PCIe switch (HGX H100-like), the
 * NUMA-level fallback (PCIe-only L40S), no NIC at all (DGX-2 fixture), a NIC only
 * on the other socket (ProLiant), and the refusals of bad GPU lists.
 *
 * Copyright (C) 2026 The slurm-aishare authors.  GPL-2.0-or-later.
 */
#define _POSIX_C_SOURCE 200809L
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aishare.h"
#include "check_main.h"

/* The fixture NAME under $AISHARE_SRCDIR/tests/data/hwloc (a static buffer). */
static const char *fixture(const char *name)
{
	static char path[4096];
	const char *srcdir = getenv("AISHARE_SRCDIR");

	snprintf(path, sizeof(path), "%s/tests/data/hwloc/%s", srcdir ? srcdir : ".", name);
	return path;
}

static aishare_node_set_t *set_of(const char *name)
{
	aishare_node_set_t *set = aishare_node_set_create();
	char *errors = NULL;

	ck_assert_ptr_nonnull(set);
	ck_assert_msg(!aishare_node_set_load_file(set, "n01", fixture(name), &errors), "%s: %s",
		      name, errors ? errors : "(no message)");
	return set;
}

/* Binds GPUS on the set's only node; the test fails on an error. */
static void bind(const aishare_node_set_t *set, const char *gpus, aishare_task_binding_t *b)
{
	char *errors = NULL;

	ck_assert_msg(!aishare_task_binding_compute(set, 0, gpus, b, &errors), "%s: %s", gpus,
		      errors ? errors : "(no message)");
	ck_assert_ptr_null(errors);
}

START_TEST(test_h100_each_gpu_gets_the_nic_under_its_switch)
{
	aishare_node_set_t *set = set_of("gpu8-nic8.xml");
	aishare_task_binding_t b;
	char gpu[8], nic[16], hca[16], ucx[16];

	/* Two GPUs and two NICs under each switch: GPU i takes mlx5_i, not a shared one. */
	for (int i = 0; i < 8; i++) {
		snprintf(gpu, sizeof(gpu), "%d", i);
		snprintf(nic, sizeof(nic), "mlx5_%d", i);
		snprintf(hca, sizeof(hca), "=mlx5_%d", i);
		snprintf(ucx, sizeof(ucx), "mlx5_%d:1", i);
		bind(set, gpu, &b);
		ck_assert_str_eq(b.gpus, gpu);
		ck_assert_str_eq(b.nics, nic);
		ck_assert_int_eq(b.pairing, AISHARE_LOCALITY_PCIE_SWITCH);
		ck_assert_int_eq(b.has_nic, 1);
		ck_assert_str_eq(b.cores, i < 4 ? "0-15" : "16-31");
		ck_assert_str_eq(b.cpus, i < 4 ? "0-15" : "16-31");
		ck_assert_str_eq(b.nccl_ib_hca, hca);
		ck_assert_str_eq(b.ucx_net_devices, ucx);
		ck_assert_str_eq(b.nccl_socket_ifname, "");
		ck_assert_str_eq(b.problem, "");
		aishare_task_binding_clear(&b);
	}
	bind(set, "3", &b);
	ck_assert_str_eq(b.summary, "gpu=3 nic=mlx5_3 pairing=pcie-switch cores=0-15 cpus=0-15");
	aishare_task_binding_clear(&b);
	aishare_node_set_free(set);
}
END_TEST

START_TEST(test_h100_task_with_several_gpus)
{
	aishare_node_set_t *set = set_of("gpu8-nic8.xml");
	aishare_task_binding_t b;

	bind(set, "5,4", &b);
	ck_assert_str_eq(b.gpus, "4,5");
	ck_assert_str_eq(b.nics, "mlx5_4,mlx5_5");
	ck_assert_str_eq(b.nccl_ib_hca, "=mlx5_4,mlx5_5");
	ck_assert_str_eq(b.ucx_net_devices, "mlx5_4:1,mlx5_5:1");
	aishare_task_binding_clear(&b);
	/* Across the sockets the cores are both sockets'. */
	bind(set, "3-4", &b);
	ck_assert_str_eq(b.summary,
			 "gpu=3,4 nic=mlx5_3,mlx5_4 pairing=pcie-switch cores=0-31 cpus=0-31");
	aishare_task_binding_clear(&b);
	aishare_node_set_free(set);
}
END_TEST

START_TEST(test_pcie_only_falls_back_to_the_numa_nic)
{
	aishare_node_set_t *set = set_of("gpu4-pcie.xml");
	aishare_task_binding_t b;
	const char *nic[] = {"ens1f0np0", "ens1f0np0", "ens2f0np0", "ens2f0np0"};
	char gpu[8], ifname[32];

	/* No PCIe switch: each socket's two GPUs share the socket's Ethernet NIC. */
	for (int i = 0; i < 4; i++) {
		snprintf(gpu, sizeof(gpu), "%d", i);
		snprintf(ifname, sizeof(ifname), "=%s", nic[i]);
		bind(set, gpu, &b);
		ck_assert_str_eq(b.nics, nic[i]);
		ck_assert_int_eq(b.pairing, AISHARE_LOCALITY_NUMA);
		ck_assert_str_eq(b.cores, i < 2 ? "0-15" : "16-31");
		/* No RDMA device: NCCL's sockets and UCX take the interface. */
		ck_assert_str_eq(b.nccl_ib_hca, "");
		ck_assert_str_eq(b.nccl_socket_ifname, ifname);
		ck_assert_str_eq(b.ucx_net_devices, nic[i]);
		ck_assert_str_eq(b.problem, "");
		aishare_task_binding_clear(&b);
	}
	aishare_node_set_free(set);
}
END_TEST

START_TEST(test_dgx2_fixture_has_no_nic)
{
	aishare_node_set_t *set = set_of("nvidiaDGX2.xml");
	aishare_task_binding_t b;

	/* hwloc's DGX-2 file keeps no NIC: cores only, and strict has a reason to refuse. */
	bind(set, "9", &b);
	ck_assert_int_eq(b.has_nic, 0);
	ck_assert_str_eq(b.nics, "");
	ck_assert_str_eq(b.nccl_ib_hca, "");
	ck_assert_str_eq(b.ucx_net_devices, "");
	ck_assert_str_eq(b.cores, "2-3");
	ck_assert_str_eq(b.summary, "gpu=9 nic=none pairing=none cores=2-3 cpus=24-25");
	ck_assert_str_eq(b.problem,
			 "the node has no NIC to pair GPU 9 (0000:b9:00.0, NUMA node 1) with");
	aishare_task_binding_clear(&b);
	aishare_node_set_free(set);
}
END_TEST

START_TEST(test_nic_on_the_other_socket_only)
{
	aishare_node_set_t *set = set_of("24em64t-2n6c2t-pci.xml");
	aishare_task_binding_t b;

	/*
	 * Same socket: the ConnectX (RDMA) is taken over the two on-board ports.  The
	 * OS numbers the hyperthreads of Slurm's cores 0-5 0, 2, ..., 22.
	 */
	bind(set, "0", &b);
	ck_assert_str_eq(b.summary, "gpu=0 nic=mlx4_0 pairing=numa cores=0-5 "
				    "cpus=0,2,4,6,8,10,12,14,16,18,20,22");
	ck_assert_str_eq(b.problem, "");
	aishare_task_binding_clear(&b);
	bind(set, "1", &b);
	ck_assert_str_eq(b.summary, "gpu=1 nic=mlx4_0 pairing=machine cores=6-11 "
				    "cpus=1,3,5,7,9,11,13,15,17,19,21,23");
	ck_assert_int_eq(b.pairing, AISHARE_LOCALITY_MACHINE);
	ck_assert_str_eq(b.problem,
			 "GPU 1 (0000:11:00.0, NUMA node 1) has no NIC under its PCIe switch or "
			 "on its NUMA node (nearest: mlx4_0 on NUMA node 0)");
	aishare_task_binding_clear(&b);
	aishare_node_set_free(set);
}
END_TEST

START_TEST(test_bad_gpu_lists_are_named)
{
	aishare_node_set_t *set = set_of("gpu8-nic8.xml");
	aishare_task_binding_t b;
	const char *bad[] = {"", "a", "1-", "3-1", "-1", " 1", "1,", "1,,2", "0x1", "99999999999"};
	char *errors = NULL;
	char expected[128];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		errno = 0;
		ck_assert_int_eq(aishare_task_binding_compute(set, 0, bad[i], &b, &errors), -1);
		ck_assert_int_eq(errno, EINVAL);
		snprintf(expected, sizeof(expected),
			 "GPU list \"%s\": expected GPU indexes like 0,3 or 0-3", bad[i]);
		ck_assert_str_eq(errors, expected);
		ck_assert_ptr_null(b.summary);
		free(errors);
	}
	ck_assert_int_eq(aishare_task_binding_compute(set, 0, "7,8", &b, &errors), -1);
	ck_assert_str_eq(errors, "GPU 8 is not on this node (it has 8 GPUs)");
	free(errors);
	errno = 0;
	ck_assert_int_eq(aishare_task_binding_compute(set, 1, "0", &b, &errors), -1);
	ck_assert_int_eq(errno, EINVAL);
	free(errors);
	ck_assert_int_eq(aishare_task_binding_compute(NULL, 0, "0", &b, NULL), -1);
	ck_assert_int_eq(aishare_task_binding_compute(set, 0, NULL, &b, NULL), -1);
	ck_assert_int_eq(aishare_task_binding_compute(set, 0, "0", NULL, NULL), -1);
	aishare_task_binding_clear(NULL);
	aishare_node_set_free(set);
}
END_TEST

START_TEST(test_live_machine_loads)
{
	aishare_node_set_t *set = aishare_node_set_create();
	aishare_task_binding_t b;
	char *errors = NULL;
	char expected[96], past_last[24];
	size_t gpus;

	/* The build host: whatever it has, hwloc describes it and GPU lists are checked. */
	ck_assert_msg(!aishare_node_set_load_live(set, "here", &errors), "%s",
		      errors ? errors : "(no message)");
	gpus = aishare_node_gpu_count(set, 0);
	snprintf(expected, sizeof(expected), "GPU %zu is not on this node (it has %zu GPUs)", gpus,
		 gpus);
	snprintf(past_last, sizeof(past_last), "%zu", gpus);
	ck_assert_int_eq(aishare_task_binding_compute(set, 0, past_last, &b, &errors), -1);
	ck_assert_str_eq(errors, expected);
	free(errors);
	ck_assert_int_eq(aishare_node_set_load_live(set, "here", &errors), -1);
	ck_assert_ptr_nonnull(strstr(errors, "loaded twice"));
	free(errors);
	aishare_node_set_free(set);
}
END_TEST

Suite *unit_suite(void)
{
	Suite *suite = suite_create("task_binding");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_h100_each_gpu_gets_the_nic_under_its_switch);
	tcase_add_test(tc, test_h100_task_with_several_gpus);
	tcase_add_test(tc, test_pcie_only_falls_back_to_the_numa_nic);
	tcase_add_test(tc, test_dgx2_fixture_has_no_nic);
	tcase_add_test(tc, test_nic_on_the_other_socket_only);
	tcase_add_test(tc, test_bad_gpu_lists_are_named);
	tcase_add_test(tc, test_live_machine_loads);
	suite_add_tcase(suite, tc);
	return suite;
}
