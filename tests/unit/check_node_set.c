/*
 * check_node_set.c - unit tests of node profiles and node classes through the C API,
 * over saved hwloc XML (tests/data/hwloc), never the build host.
 *
 * Copyright (C) 2026 The slurm-aishare authors.  GPL-2.0-or-later.
 */
#define _POSIX_C_SOURCE 200809L
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "aishare.h"
#include "check_main.h"

#define DGX2 "nvidiaDGX2.xml"
#define EM64T "24em64t-2n6c2t-pci.xml"
#define H100 "gpu8-nic8.xml"
#define H100_MISSING "gpu8-nic8-missing-gpu.xml"
#define L40S "gpu4-pcie.xml"
#define MIXED "gpu-mixed-vendors.xml"

/* The fixture NAME under $AISHARE_SRCDIR/tests/data/hwloc (a static buffer). */
static const char *fixture(const char *name)
{
	static char path[4096];
	const char *srcdir = getenv("AISHARE_SRCDIR");

	snprintf(path, sizeof(path), "%s/tests/data/hwloc/%s", srcdir ? srcdir : ".", name);
	return path;
}

static void load(aishare_node_set_t *set, const char *node, const char *name)
{
	char *errors = NULL;

	ck_assert_msg(!aishare_node_set_load_file(set, node, fixture(name), &errors), "%s: %s",
		      name, errors ? errors : "(no message)");
	ck_assert_ptr_null(errors);
}

/* A set of the one fixture NAME, as node "n01". */
static aishare_node_set_t *set_of(const char *name)
{
	aishare_node_set_t *set = aishare_node_set_create();

	ck_assert_ptr_nonnull(set);
	load(set, "n01", name);
	return set;
}

START_TEST(test_dgx2)
{
	aishare_node_set_t *set = set_of(DGX2);
	aishare_gpu_info_t gpu;

	ck_assert_uint_eq(aishare_node_gpu_count(set, 0), 16);
	ck_assert_uint_eq(aishare_node_nic_count(set, 0), 0);
	for (size_t i = 0; i < 16; i++) {
		ck_assert_int_eq(aishare_node_gpu(set, 0, i, &gpu), 0);
		ck_assert_str_eq(gpu.vendor, "NVIDIA");
		ck_assert_str_eq(gpu.model, "Tesla V100-SXM3-32GB-H");
		ck_assert_int_eq(gpu.numa_node, i < 8 ? 0 : 1);
		ck_assert_str_eq(gpu.cores, i < 8 ? "0-1" : "2-3");
		/* NVSwitch only: every pair meets through the six switches. */
		for (size_t j = 0; j < 16; j++)
			ck_assert_int_eq(aishare_node_nvlinks(set, 0, i, j), i == j ? -1 : 6);
	}
	/* PCI bus order, and the second-level PEX switch above each pair. */
	ck_assert_int_eq(aishare_node_gpu(set, 0, 0, &gpu), 0);
	ck_assert_str_eq(gpu.pci_busid, "0000:34:00.0");
	ck_assert_str_eq(gpu.pcie_switch, "0000:32:00.0");
	ck_assert_int_eq(aishare_node_gpu(set, 0, 15, &gpu), 0);
	ck_assert_str_eq(gpu.pci_busid, "0000:e7:00.0");
	ck_assert_str_eq(gpu.pcie_switch, "0000:e3:00.0");
	ck_assert_uint_eq(aishare_node_set_class_count(set), 1);
	ck_assert_str_eq(aishare_node_set_class_name(set, 0),
			 "16x NVIDIA Tesla V100-SXM3-32GB-H, NVLink, 0 NICs");
	aishare_node_set_free(set);
}
END_TEST

START_TEST(test_em64t_vga_is_no_gpu)
{
	aishare_node_set_t *set = set_of(EM64T);
	aishare_gpu_info_t gpu;
	aishare_nic_info_t nic;
	static const char *gpus[] = { "0000:06:00.0", "0000:11:00.0", "0000:14:00.0" };
	static const char *nics[][4] = { { "eth0", "eth0", "ethernet", "0000:04:00.0" },
					 { "eth1", "eth1", "ethernet", "0000:04:00.1" },
					 { "mlx4_0", "eth2", "infiniband", "0000:05:00.0" } };

	/* The three NVIDIA 3D controllers; not the ATI ES1000 server VGA at 01:03.0. */
	ck_assert_uint_eq(aishare_node_gpu_count(set, 0), 3);
	for (size_t i = 0; i < 3; i++) {
		ck_assert_int_eq(aishare_node_gpu(set, 0, i, &gpu), 0);
		ck_assert_str_eq(gpu.pci_busid, gpus[i]);
		ck_assert_str_eq(gpu.vendor, "NVIDIA");
		ck_assert_str_eq(gpu.model, "[10de:06d2]");
		ck_assert_str_eq(gpu.pcie_switch, "");
		ck_assert_int_eq(gpu.numa_node, i ? 1 : 0);
	}
	ck_assert_int_eq(aishare_node_nvlinks(set, 0, 0, 1), 0);
	ck_assert_uint_eq(aishare_node_nic_count(set, 0), 3);
	for (size_t i = 0; i < 3; i++) {
		ck_assert_int_eq(aishare_node_nic(set, 0, i, &nic), 0);
		ck_assert_str_eq(nic.name, nics[i][0]);
		ck_assert_str_eq(nic.netdev, nics[i][1]);
		ck_assert_str_eq(nic.kind, nics[i][2]);
		ck_assert_str_eq(nic.pci_busid, nics[i][3]);
		ck_assert_int_eq(nic.numa_node, 0);
	}
	ck_assert_int_eq(aishare_node_locality(set, 0, 0, 2), AISHARE_LOCALITY_NUMA);
	ck_assert_int_eq(aishare_node_locality(set, 0, 1, 2), AISHARE_LOCALITY_MACHINE);
	aishare_node_set_free(set);
}
END_TEST

START_TEST(test_h100)
{
	aishare_node_set_t *set = set_of(H100);
	aishare_gpu_info_t gpu;
	aishare_nic_info_t nic;
	static const char *switches[] = { "0000:11:00.0", "0000:31:00.0", "0000:91:00.0",
					  "0000:b1:00.0" };

	ck_assert_uint_eq(aishare_node_gpu_count(set, 0), 8);
	ck_assert_uint_eq(aishare_node_nic_count(set, 0), 8);
	for (size_t i = 0; i < 8; i++) {
		ck_assert_int_eq(aishare_node_gpu(set, 0, i, &gpu), 0);
		ck_assert_int_eq(aishare_node_nic(set, 0, i, &nic), 0);
		ck_assert_str_eq(gpu.model, "NVIDIA H100 80GB HBM3");
		ck_assert_str_eq(gpu.pcie_switch, switches[i / 2]);
		ck_assert_int_eq(gpu.numa_node, i < 4 ? 0 : 1);
		ck_assert_str_eq(gpu.cores, i < 4 ? "0-15" : "16-31");
		ck_assert_str_eq(nic.kind, "infiniband");
		ck_assert_str_eq(nic.pcie_switch, switches[i / 2]);
		ck_assert_int_eq(nic.numa_node, i < 4 ? 0 : 1);
		/* Each switch holds two GPUs and two NICs. */
		for (size_t j = 0; j < 8; j++) {
			aishare_locality_t expect =
				i / 2 == j / 2 ? AISHARE_LOCALITY_PCIE_SWITCH :
				i / 4 == j / 4 ? AISHARE_LOCALITY_NUMA : AISHARE_LOCALITY_MACHINE;
			ck_assert_int_eq(aishare_node_locality(set, 0, i, j), expect);
			ck_assert_int_eq(aishare_node_nvlinks(set, 0, i, j), i == j ? -1 : 18);
		}
	}
	ck_assert_int_eq(aishare_node_gpu(set, 0, 0, &gpu), 0);
	ck_assert_str_eq(gpu.pci_busid, "0000:13:00.0");
	ck_assert_int_eq(aishare_node_nic(set, 0, 0, &nic), 0);
	ck_assert_str_eq(nic.name, "mlx5_0");
	ck_assert_str_eq(nic.netdev, "ib0");
	ck_assert_str_eq(nic.pci_busid, "0000:14:00.0");
	ck_assert_str_eq(aishare_node_set_class_name(set, 0),
			 "8x NVIDIA H100 80GB HBM3, NVLink, 8 NICs");
	ck_assert_ptr_null(aishare_node_degraded(set, 0));
	aishare_node_set_free(set);
}
END_TEST

START_TEST(test_l40s_pcie_only)
{
	aishare_node_set_t *set = set_of(L40S);
	aishare_gpu_info_t gpu;
	aishare_nic_info_t nic;

	ck_assert_uint_eq(aishare_node_gpu_count(set, 0), 4);
	ck_assert_uint_eq(aishare_node_nic_count(set, 0), 2);
	for (size_t i = 0; i < 4; i++) {
		ck_assert_int_eq(aishare_node_gpu(set, 0, i, &gpu), 0);
		ck_assert_str_eq(gpu.pcie_switch, "");
		for (size_t j = 0; j < 4; j++)
			ck_assert_int_eq(aishare_node_nvlinks(set, 0, i, j), i == j ? -1 : 0);
		for (size_t j = 0; j < 2; j++)
			ck_assert_int_eq(aishare_node_locality(set, 0, i, j),
					 i / 2 == j ? AISHARE_LOCALITY_NUMA :
						      AISHARE_LOCALITY_MACHINE);
	}
	ck_assert_int_eq(aishare_node_nic(set, 0, 1, &nic), 0);
	ck_assert_str_eq(nic.name, "ens2f0np0");
	ck_assert_str_eq(nic.netdev, "ens2f0np0");
	ck_assert_str_eq(nic.kind, "ethernet");
	ck_assert_int_eq(nic.numa_node, 1);
	ck_assert_str_eq(aishare_node_set_class_name(set, 0), "4x NVIDIA L40S, PCIe only, 2 NICs");
	aishare_node_set_free(set);
}
END_TEST

START_TEST(test_classes)
{
	aishare_node_set_t *set = aishare_node_set_create();
	const char *reason;
	char *report;

	/* Loaded out of name order: the set sorts them. */
	load(set, "l40s", L40S);
	load(set, "h100b", H100_MISSING);
	load(set, "h100a", H100);
	load(set, "em64t", EM64T);
	load(set, "dgx2", DGX2);
	ck_assert_uint_eq(aishare_node_set_count(set), 5);
	ck_assert_str_eq(aishare_node_set_name(set, 0), "dgx2");
	ck_assert_str_eq(aishare_node_set_name(set, 4), "l40s");
	ck_assert_int_eq(aishare_node_set_find(set, "h100b"), 3);
	errno = 0;
	ck_assert_int_eq(aishare_node_set_find(set, "h100c"), -1);
	ck_assert_int_eq(errno, ENOENT);

	ck_assert_uint_eq(aishare_node_set_class_count(set), 4);
	ck_assert_str_eq(aishare_node_set_class_name(set, 0),
			 "16x NVIDIA Tesla V100-SXM3-32GB-H, NVLink, 0 NICs");
	ck_assert_str_eq(aishare_node_set_class_name(set, 1),
			 "3x NVIDIA [10de:06d2], PCIe only, 3 NICs");
	ck_assert_str_eq(aishare_node_set_class_name(set, 2),
			 "8x NVIDIA H100 80GB HBM3, NVLink, 8 NICs");
	ck_assert_str_eq(aishare_node_set_class_name(set, 3), "4x NVIDIA L40S, PCIe only, 2 NICs");
	ck_assert_uint_eq(aishare_node_class(set, 2), 2);
	/* The node that lost a GPU stays in its class, degraded (the tie goes to 8). */
	ck_assert_uint_eq(aishare_node_class(set, 3), 2);
	reason = aishare_node_degraded(set, 3);
	ck_assert_ptr_nonnull(reason);
	ck_assert_str_eq(reason, "7 GPUs, its class has 8");
	ck_assert_ptr_null(aishare_node_degraded(set, 2));

	report = aishare_node_set_report(set, AISHARE_FORMAT_TEXT);
	ck_assert_ptr_nonnull(report);
	ck_assert_ptr_nonnull(strstr(report, "class 2: 8x NVIDIA H100 80GB HBM3, NVLink, 8 NICs\n"
					     "  nodes: h100a h100b\n"
					     "  degraded: h100b (7 GPUs, its class has 8)\n"));
	ck_assert_ptr_nonnull(strstr(report, "  nic 2: 0000:05:00.0 mlx4_0 netdev eth2 infiniband "
					     "numa 0 switch -\n"));
	free(report);
	report = aishare_node_set_report(set, AISHARE_FORMAT_JSON);
	ck_assert_ptr_nonnull(report);
	ck_assert_ptr_nonnull(strstr(report, "\"degraded\":[{\"node\":\"h100b\",\"reason\":"
					     "\"7 GPUs, its class has 8\"}]"));
	ck_assert_int_eq(report[0], '{');
	free(report);
	aishare_node_set_free(set);
}
END_TEST

START_TEST(test_larger_node_has_own_class)
{
	aishare_node_set_t *set = aishare_node_set_create();

	/* Two 7-GPU nodes make 7 the reference: the 8-GPU node is not degraded but apart. */
	load(set, "a", H100_MISSING);
	load(set, "b", H100_MISSING);
	load(set, "c", H100);
	ck_assert_uint_eq(aishare_node_set_class_count(set), 2);
	ck_assert_str_eq(aishare_node_set_class_name(set, 0),
			 "7x NVIDIA H100 80GB HBM3, NVLink, 8 NICs");
	ck_assert_str_eq(aishare_node_set_class_name(set, 1),
			 "8x NVIDIA H100 80GB HBM3, NVLink, 8 NICs");
	ck_assert_uint_eq(aishare_node_class(set, 2), 1);
	for (size_t i = 0; i < 3; i++)
		ck_assert_ptr_null(aishare_node_degraded(set, i));
	aishare_node_set_free(set);
}
END_TEST

START_TEST(test_gres)
{
	aishare_node_set_t *set = set_of(L40S);
	char *gres = aishare_node_set_gres(set, NULL, AISHARE_FORMAT_TEXT);

	ck_assert_ptr_nonnull(gres);
	ck_assert_str_eq(gres, "NodeName=n01 Name=gpu Type=NVIDIA_L40S File=/dev/nvidia0 Cores=0-15\n"
			       "NodeName=n01 Name=gpu Type=NVIDIA_L40S File=/dev/nvidia1 Cores=0-15\n"
			       "NodeName=n01 Name=gpu Type=NVIDIA_L40S File=/dev/nvidia2 Cores=16-31\n"
			       "NodeName=n01 Name=gpu Type=NVIDIA_L40S File=/dev/nvidia3 Cores=16-31\n");
	free(gres);
	gres = aishare_node_set_gres(set, "/dev/nvidia-test", AISHARE_FORMAT_JSON);
	ck_assert_ptr_nonnull(gres);
	ck_assert_ptr_nonnull(strstr(gres, "[{\"node_name\":\"n01\",\"name\":\"gpu\",\"type\":"
					   "\"NVIDIA_L40S\",\"vendor\":\"NVIDIA\","
					   "\"file\":\"/dev/nvidia-test0\",\"cores\":\"0-15\"},"));
	free(gres);
	aishare_node_set_free(set);

	set = set_of(H100);
	gres = aishare_node_set_gres(set, NULL, AISHARE_FORMAT_TEXT);
	ck_assert_ptr_nonnull(gres);
	ck_assert_ptr_nonnull(strstr(gres, "NodeName=n01 Name=gpu Type=NVIDIA_H100_80GB_HBM3 "
					   "File=/dev/nvidia7 Cores=16-31 "
					   "Links=18,18,18,18,18,18,18,-1\n"));
	free(gres);
	aishare_node_set_free(set);
}
END_TEST

/* Two NVIDIA and two AMD GPUs: NVIDIA device files count NVIDIA GPUs only, an AMD
 * GPU gets its render node or, without one in the XML, a commented line saying
 * why; the node is flagged, and its class counts each model. */
START_TEST(test_mixed_vendors)
{
	aishare_node_set_t *set = set_of(MIXED);
	char *gres = aishare_node_set_gres(set, NULL, AISHARE_FORMAT_TEXT);
	const char *expected[] = {
		"# NodeName=n01: GPUs of several vendors (AMD, NVIDIA)",
		"\nNodeName=n01 Name=gpu Type=NVIDIA_L40S File=/dev/nvidia0 Cores=0-15\n",
		"\nNodeName=n01 Name=gpu Type=NVIDIA_L40S File=/dev/nvidia1 Cores=0-15\n",
		"\nNodeName=n01 Name=gpu Type=AMD_Instinct_MI210 File=/dev/dri/renderD130 "
		"Cores=16-31\n",
		"\n# NodeName=n01 Name=gpu Type=AMD_Instinct_MI210 Cores=16-31: no File=: "
		"the XML names no DRM render node for the AMD GPU at 0000:a2:00.0",
	};

	ck_assert_ptr_nonnull(gres);
	for (size_t i = 0; i < sizeof(expected) / sizeof(expected[0]); i++)
		ck_assert_msg(strstr(gres, expected[i]), "'%s' lacks '%s'", gres, expected[i]);
	ck_assert_ptr_null(strstr(gres, "/dev/nvidia2"));
	free(gres);
	ck_assert_str_eq(aishare_node_set_class_name(set, 0),
			 "2x AMD Instinct MI210 + 2x NVIDIA L40S, PCIe only, 0 NICs");
	aishare_node_set_free(set);
}
END_TEST

/* A private scratch directory, removed by the test that made it. */
static char scratch[64];

static const char *scratch_file(const char *name, const char *content, size_t length)
{
	static char path[128];
	FILE *file;

	snprintf(path, sizeof(path), "%s/%s", scratch, name);
	file = fopen(path, "w");
	ck_assert_ptr_nonnull(file);
	ck_assert_uint_eq(fwrite(content, 1, length, file), length);
	ck_assert_int_eq(fclose(file), 0);
	return path;
}

/* Loading PATH as NODE fails with EXPECT_ERRNO and a message naming WHAT. */
static void refused(aishare_node_set_t *set, const char *node, const char *path, int expect_errno,
		    const char *what)
{
	char *errors = NULL;

	errno = 0;
	ck_assert_int_eq(aishare_node_set_load_file(set, node, path, &errors), -1);
	ck_assert_int_eq(errno, expect_errno);
	ck_assert_ptr_nonnull(errors);
	ck_assert_msg(strstr(errors, what), "'%s' lacks '%s'", errors, what);
	free(errors);
}

/* Copies the fixture NAME into the scratch directory as FILE; returns its path. */
static const char *scratch_copy(const char *name, const char *file)
{
	static char content[1 << 20];
	FILE *in = fopen(fixture(name), "r");
	size_t length;

	ck_assert_ptr_nonnull(in);
	length = fread(content, 1, sizeof(content), in);
	fclose(in);
	ck_assert_uint_gt(length, 1000);
	return scratch_file(file, content, length);
}

/* Loads NODE from PATH through a cache opened from CACHE_PATH and saved after;
 * returns the cache's hits.  The node's class name comes out unchanged. */
static size_t load_cached(const char *cache_path, const char *path, const char *class_name)
{
	aishare_profile_cache_t *cache = aishare_profile_cache_open(cache_path);
	aishare_node_set_t *set = aishare_node_set_create();
	char *errors = NULL;
	size_t hits;

	ck_assert_ptr_nonnull(cache);
	ck_assert_msg(!aishare_node_set_load_file_cached(set, "n01", path, cache, &errors), "%s",
		      errors ? errors : "(no message)");
	ck_assert_str_eq(aishare_node_set_class_name(set, 0), class_name);
	ck_assert_uint_eq(aishare_node_gpu_count(set, 0), strstr(class_name, "8x") ? 8 : 4);
	ck_assert_int_eq(aishare_profile_cache_save(cache, &errors), 0);
	hits = aishare_profile_cache_hits(cache);
	ck_assert_uint_eq(hits + aishare_profile_cache_misses(cache), 1);
	aishare_profile_cache_free(cache);
	aishare_node_set_free(set);
	return hits;
}

/* The profile cache of `aishare status`: a second run answers from the cache, a
 * changed file is read again, a damaged cache is an empty one (no error). */
START_TEST(test_profile_cache)
{
	static const char l40s[] = "4x NVIDIA L40S, PCIe only, 2 NICs";
	static const char h100[] = "8x NVIDIA H100 80GB HBM3, NVLink, 8 NICs";
	char cache_path[128], xml_path[128];
	struct stat st;
	FILE *file;
	int byte;

	strcpy(scratch, "/tmp/check_node_set.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(scratch));
	snprintf(cache_path, sizeof(cache_path), "%s/cache", scratch);
	snprintf(xml_path, sizeof(xml_path), "%s", scratch_copy(L40S, "n01.xml"));

	ck_assert_uint_eq(load_cached(cache_path, xml_path, l40s), 0);
	ck_assert_int_eq(stat(cache_path, &st), 0);
	ck_assert_uint_eq(st.st_mode & 0777, 0600);
	ck_assert_uint_eq(load_cached(cache_path, xml_path, l40s), 1);

	/* The node's XML replaced by another machine's: read again. */
	scratch_copy(H100, "n01.xml");
	ck_assert_uint_eq(load_cached(cache_path, xml_path, h100), 0);
	ck_assert_uint_eq(load_cached(cache_path, xml_path, h100), 1);

	/* A damaged cache: one byte changed breaks its seal. */
	file = fopen(cache_path, "r+");
	ck_assert_ptr_nonnull(file);
	ck_assert_int_eq(fseek(file, 40, SEEK_SET), 0);
	byte = fgetc(file);
	ck_assert_int_eq(fseek(file, 40, SEEK_SET), 0);
	ck_assert_int_ne(fputc(byte == 'f' ? 'e' : 'f', file), EOF);
	ck_assert_int_eq(fclose(file), 0);
	ck_assert_uint_eq(load_cached(cache_path, xml_path, h100), 0);
	ck_assert_uint_eq(load_cached(cache_path, xml_path, h100), 1);

	/* An unreadable XML is the file's error, through the cache as without it. */
	unlink(xml_path);
	{
		aishare_profile_cache_t *cache = aishare_profile_cache_open(cache_path);
		aishare_node_set_t *set = aishare_node_set_create();
		char *errors = NULL;

		ck_assert_int_eq(aishare_node_set_load_file_cached(set, "n01", xml_path, cache,
								   &errors), -1);
		ck_assert_ptr_nonnull(errors);
		ck_assert_ptr_nonnull(strstr(errors, xml_path));
		free(errors);
		aishare_profile_cache_free(cache);
		aishare_node_set_free(set);
	}
	unlink(cache_path);
	ck_assert_int_eq(rmdir(scratch), 0);
}
END_TEST

START_TEST(test_bad_input)
{
	aishare_node_set_t *set = aishare_node_set_create();
	char *xml = NULL, *errors = NULL;
	size_t length = 0;
	FILE *file;
	const char *path;
	int fd;

	strcpy(scratch, "/tmp/check_node_set.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(scratch));

	path = scratch_file("empty.xml", "", 0);
	refused(set, "n01", path, EINVAL, path);
	unlink(path);

	/* The first half of a real fixture. */
	file = fopen(fixture(H100), "r");
	ck_assert_ptr_nonnull(file);
	xml = malloc(1 << 20);
	ck_assert_ptr_nonnull(xml);
	length = fread(xml, 1, 1 << 20, file);
	fclose(file);
	ck_assert_uint_gt(length, 1000);
	path = scratch_file("truncated.xml", xml, length / 2);
	refused(set, "n01", path, EINVAL, path);
	unlink(path);

	/*
	 * hwloc 2.9 itself segfaults on an object with a cpuset but no
	 * complete_cpuset: the worker process dies, this one reports the file.
	 */
	{
		char *broken = malloc(length + 1), *attribute, *end;
		size_t broken_length = length;

		ck_assert_ptr_nonnull(broken);
		memcpy(broken, xml, length);
		broken[length] = '\0';
		attribute = strstr(strstr(broken, "type=\"Package\""), " complete_cpuset=\"");
		ck_assert_ptr_nonnull(attribute);
		end = strchr(attribute + strlen(" complete_cpuset=\""), '"');
		ck_assert_ptr_nonnull(end);
		memmove(attribute, end + 1, length - (size_t)(end + 1 - broken) + 1);
		broken_length -= (size_t)(end + 1 - attribute);
		path = scratch_file("crashes-hwloc.xml", broken, broken_length);
		refused(set, "n01", path, EINVAL, path);
		refused(set, "n01", path, EINVAL, "hwloc crashed (signal 11)");
		unlink(path);
		free(broken);
	}
	/* The next good file goes through a fresh worker. */
	load(set, "n09", L40S);

	path = scratch_file("not.xml", "NodeName=n01 Gres=gpu:8\n", 24);
	refused(set, "n01", path, EINVAL, path);
	unlink(path);

	/* A sparse file just over the limit is refused by its size. */
	path = scratch_file("huge.xml", "", 0);
	fd = open(path, O_WRONLY);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ftruncate(fd, (off_t)AISHARE_NODE_XML_MAX_BYTES + 1), 0);
	close(fd);
	refused(set, "n01", path, EINVAL, path);
	refused(set, "n01", path, EINVAL, "larger than");
	unlink(path);

	refused(set, "n01", "/nonexistent/n01.xml", EINVAL, "/nonexistent/n01.xml");
	ck_assert_int_eq(rmdir(scratch), 0);

	/* Nothing failed half-way: the set holds only n09, and takes a node twice once. */
	ck_assert_uint_eq(aishare_node_set_count(set), 1);
	load(set, "n01", L40S);
	refused(set, "n01", fixture(L40S), EINVAL, "n01");
	ck_assert_uint_eq(aishare_node_set_count(set), 2);

	/* From memory: the whole fixture loads; its half names the node. */
	ck_assert_int_eq(aishare_node_set_load_xml(set, "n02", xml, length, &errors), 0);
	ck_assert_int_eq(aishare_node_set_load_xml(set, "n03", xml, length / 2, &errors), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_ptr_nonnull(errors);
	ck_assert_ptr_nonnull(strstr(errors, "n03"));
	free(errors);
	ck_assert_int_eq(aishare_node_set_load_xml(set, "n04", "", 0, &errors), -1);
	ck_assert_ptr_nonnull(strstr(errors, "n04"));
	free(errors);
	free(xml);
	ck_assert_uint_eq(aishare_node_set_count(set), 3);
	aishare_node_set_free(set);
}
END_TEST

START_TEST(test_bad_arguments)
{
	aishare_node_set_t *set = set_of(L40S);
	aishare_gpu_info_t gpu;
	aishare_nic_info_t nic;
	char *errors = NULL;

	errno = 0;
	ck_assert_int_eq(aishare_node_set_load_file(NULL, "n02", fixture(L40S), &errors), -1);
	ck_assert_int_eq(errno, EINVAL);
	free(errors);
	errors = NULL;
	ck_assert_int_eq(aishare_node_set_load_file(set, NULL, fixture(L40S), &errors), -1);
	free(errors);
	errors = NULL;
	ck_assert_int_eq(aishare_node_set_load_file(set, "two words", fixture(L40S), &errors), -1);
	ck_assert_ptr_nonnull(errors);
	free(errors);
	ck_assert_int_eq(aishare_node_set_load_file(set, "n02", NULL, NULL), -1);
	ck_assert_int_eq(aishare_node_set_load_xml(set, "n02", NULL, 5, NULL), -1);

	errno = 0;
	ck_assert_int_eq(aishare_node_gpu(set, 0, 4, &gpu), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(aishare_node_gpu(set, 1, 0, &gpu), -1);
	ck_assert_int_eq(aishare_node_gpu(set, 0, 0, NULL), -1);
	ck_assert_int_eq(aishare_node_nic(set, 0, 2, &nic), -1);
	ck_assert_int_eq(aishare_node_nic(NULL, 0, 0, &nic), -1);
	errno = 0;
	ck_assert_int_eq(aishare_node_nvlinks(set, 0, 0, 4), -1);
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_int_eq(aishare_node_locality(set, 0, 0, 2), AISHARE_LOCALITY_MACHINE);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_uint_eq(aishare_node_gpu_count(set, 1), 0);
	ck_assert_uint_eq(aishare_node_nic_count(NULL, 0), 0);
	ck_assert_ptr_null(aishare_node_set_name(set, 1));
	ck_assert_ptr_null(aishare_node_set_class_name(set, 1));
	ck_assert_uint_eq(aishare_node_class(set, 1), SIZE_MAX);
	ck_assert_int_eq(aishare_node_set_find(NULL, "n01"), -1);
	errno = 0;
	ck_assert_ptr_null(aishare_node_degraded(set, 1));
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_ptr_null(aishare_node_set_report(NULL, AISHARE_FORMAT_TEXT));
	ck_assert_ptr_null(aishare_node_set_report(set, (aishare_format_t)7));
	ck_assert_ptr_null(aishare_node_set_gres(NULL, NULL, AISHARE_FORMAT_TEXT));
	aishare_node_set_free(set);
	aishare_node_set_free(NULL);
}
END_TEST

START_TEST(test_empty_set)
{
	aishare_node_set_t *set = aishare_node_set_create();
	char *text;

	ck_assert_uint_eq(aishare_node_set_count(set), 0);
	ck_assert_uint_eq(aishare_node_set_class_count(set), 0);
	text = aishare_node_set_report(set, AISHARE_FORMAT_JSON);
	ck_assert_str_eq(text, "{\"classes\":[],\"nodes\":[]}\n");
	free(text);
	text = aishare_node_set_gres(set, NULL, AISHARE_FORMAT_TEXT);
	ck_assert_str_eq(text, "");
	free(text);
	text = aishare_node_set_gres(set, NULL, AISHARE_FORMAT_JSON);
	ck_assert_str_eq(text, "[]\n");
	free(text);
	aishare_node_set_free(set);
}
END_TEST

Suite *unit_suite(void)
{
	Suite *suite = suite_create("node_set");
	TCase *profiles = tcase_create("profiles");
	TCase *classes = tcase_create("classes");
	TCase *errors = tcase_create("errors");

	tcase_set_timeout(profiles, 60);
	tcase_set_timeout(classes, 60);
	tcase_set_timeout(errors, 60);
	tcase_add_test(profiles, test_dgx2);
	tcase_add_test(profiles, test_em64t_vga_is_no_gpu);
	tcase_add_test(profiles, test_h100);
	tcase_add_test(profiles, test_l40s_pcie_only);
	tcase_add_test(classes, test_classes);
	tcase_add_test(classes, test_larger_node_has_own_class);
	tcase_add_test(classes, test_gres);
	tcase_add_test(classes, test_mixed_vendors);
	tcase_add_test(classes, test_profile_cache);
	tcase_add_test(classes, test_empty_set);
	tcase_add_test(errors, test_bad_input);
	tcase_add_test(errors, test_bad_arguments);
	suite_add_tcase(suite, profiles);
	suite_add_tcase(suite, classes);
	suite_add_tcase(suite, errors);
	return suite;
}
