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

/*
 * The keys of both tables, for C callers: a misspelt constant does not compile,
 * where a misspelt string would fail at run time.  check_params holds them to the
 * parser's tables, in table order.  Per-pool values: AISHARE_KEY_SHARE "[sme]".
 */
#define AISHARE_KEY_POOLS                "Pools"
#define AISHARE_KEY_SHARE                "Share"
#define AISHARE_KEY_LEND_MODE            "LendMode"
#define AISHARE_KEY_LEND_WINDOW          "LendWindow"
#define AISHARE_KEY_RECLAIM_BEYOND_SHARE "ReclaimBeyondShare"
#define AISHARE_KEY_COMPACT_WAIT         "CompactWait"
#define AISHARE_KEY_WHOLE_NODES          "WholeNodes"
#define AISHARE_KEY_PLACE_ALL_PARTITIONS "PlaceAllPartitions"
#define AISHARE_KEY_TOPOLOGY_DIR         "TopologyDir"
#define AISHARE_KEY_WEIGHT_DEFICIT       "WeightDeficit"
#define AISHARE_KEY_WEIGHT_FAIR_SHARE    "WeightFairShare"
#define AISHARE_KEY_WEIGHT_PACING        "WeightPacing"
#define AISHARE_KEY_WEIGHT_LARGE_JOB     "WeightLargeJob"
#define AISHARE_KEY_SITE_FACTOR_MAX      "SiteFactorMax"
#define AISHARE_KEY_GRANT_PERIOD         "GrantPeriod"
#define AISHARE_KEY_GRANT_START          "GrantStart"
#define AISHARE_KEY_LARGE_JOB_GPUS       "LargeJobGpus"
#define AISHARE_KEY_LARGE_JOB_WAIT       "LargeJobWait"
#define AISHARE_KEY_RECALC_INTERVAL      "RecalcInterval"
#define AISHARE_KEY_BIND                 "Bind"
#define AISHARE_KEY_TOPOLOGY_XML         "TopologyXml"
#define AISHARE_KEY_VERBOSE              "Verbose"

/* One row of a parameter table, for documentation and `aishare config`. */
typedef struct aishare_param_info {
	const char *key;           /* canonical spelling, e.g. "LendWindow" */
	aishare_param_type_t type;
	const char *default_value; /* as it would be written in the string */
	const char *range;         /* human-readable range or choices, "" if none */
	const char *help;          /* one line */
	int per_pool;              /* 1: may also be given as Key[partition]=Value */
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

/* --------------------------------------------------------------- pool ledger
 *
 * The guarantee.  A pool is a partition listed in Pools=; its capacity C is the
 * GPUs of its usable (not DOWN, DRAIN or FAIL) nodes and its guarantee
 * G = floor(Share x C).  Jobs of the pool's partition use the pool; jobs of other
 * partitions running on the pool's nodes *borrow* what the pool leaves idle.
 *
 * The adapter describes the cluster as a snapshot (nodes, partitions, jobs), taken
 * under Slurm's locks whenever Slurm's job or node records changed; the ledger
 * answers the preemption questions from the latest snapshot and keeps history
 * (reclaims, their latency) that survives slurmctld restarts through a state file.
 */

typedef struct aishare_ledger aishare_ledger_t; /* opaque */

typedef struct aishare_node_info {
	const char *name;
	uint32_t gpus; /* configured GPUs */
	int usable;    /* 0 when DOWN, DRAIN or FAIL */
} aishare_node_info_t;

typedef struct aishare_partition_info {
	const char *name;
	const uint32_t *nodes; /* indices into the snapshot's node array */
	size_t node_count;
} aishare_partition_info_t;

typedef enum aishare_job_state {
	AISHARE_JOB_PENDING = 0,
	AISHARE_JOB_RUNNING = 1,  /* running or suspended: it holds its GPUs */
	AISHARE_JOB_FINISHED = 2, /* ended but still in Slurm's records: history only */
	/* Pending but not allowed to start yet (held, dependency, begin time): it
	 * claims no part of a guarantee. */
	AISHARE_JOB_HELD = 3,
} aishare_job_state_t;

typedef struct aishare_job_info {
	uint32_t job_id;
	const char *partition;
	aishare_job_state_t state;
	uint32_t gpus;          /* total GPUs held (running) or requested (pending) */
	const uint32_t *nodes;  /* running: node indices; pending: NULL */
	size_t node_count;
	int64_t submit_time;    /* seconds since the epoch */
	int64_t start_time;     /* running, finished: when it started (0: never) */
	uint32_t time_limit;    /* minutes; 0 means none */
	uint32_t priority;
} aishare_job_info_t;

/* A ledger for the pools of PARAMS (copied).  NULL with errno and *errors on failure. */
aishare_ledger_t *aishare_ledger_create(const aishare_params_t *params, char **errors);
void aishare_ledger_free(aishare_ledger_t *ledger);

/* Adopt new parameters (after a reconfigure), keeping history.  0 or -1/errno. */
int aishare_ledger_configure(aishare_ledger_t *ledger, const aishare_params_t *params,
			     char **errors);

/*
 * Replace the snapshot (names are copied).  A reclaim in flight completes when a
 * job of its pool started after the first victim was preempted.  0 or -1/errno
 * (EINVAL names the bad entry in *errors: a node index out of range, a job twice).
 */
int aishare_ledger_update(aishare_ledger_t *ledger, const aishare_node_info_t *nodes,
			  size_t node_count, const aishare_partition_info_t *partitions,
			  size_t partition_count, const aishare_job_info_t *jobs,
			  size_t job_count, char **errors);

/*
 * May pending job PREEMPTOR_ID take the GPUs of running job PREEMPTEE_ID?  Yes only
 * when the preemptor's pool stays within its guarantee and the preemptee borrows
 * (or, with ReclaimBeyondShare, the preemptee's pool is beyond its guarantee).
 * Returns 1 or 0; -1 with errno EINVAL or ENOENT (job not in the snapshot).
 */
int aishare_ledger_may_preempt(const aishare_ledger_t *ledger, uint32_t preemptor_id,
			       uint32_t preemptee_id);

/*
 * Order in which running job JOB_ID should be preempted among all others: lower
 * first.  Jobs holding more GPUs come first (fewest victims), then the youngest,
 * then the lowest priority.  UINT32_MAX for a job not in the snapshot.
 */
uint32_t aishare_ledger_victim_rank(const aishare_ledger_t *ledger, uint32_t job_id);

/*
 * LendMode=bounded and none: such a pool keeps the fewest usable nodes of its
 * partition, taken from its end, whose GPUs reach its guarantee.  Under bounded,
 * jobs of other partitions may run there only if their time limit is within the
 * pool's LendWindow, so a pool job waits at most LendWindow and nothing is
 * preempted; under none (a strict reservation) they may not run there at all.
 * Returns the nodes a job of PARTITION with TIME_LIMIT minutes (0: none) must
 * avoid, comma-separated and malloc()ed ("" when none); NULL with errno.
 */
char *aishare_ledger_nodes_to_avoid(const aishare_ledger_t *ledger, const char *partition,
				    uint32_t time_limit);

/* Slurm is about to preempt PREEMPTEE_ID (to be called once per victim). */
int aishare_ledger_note_preemption(aishare_ledger_t *ledger, uint32_t preemptee_id,
				   int64_t now);

typedef struct aishare_pool_status {
	const char *partition;  /* valid until the next update or configure */
	double share;           /* 0..1 */
	uint32_t capacity;      /* C: GPUs of usable nodes */
	uint32_t guarantee;     /* G = floor(share x C) */
	uint32_t used;          /* GPUs held by the pool's jobs */
	uint32_t lent;          /* guaranteed GPUs held by borrowers: min(borrowed, G - used) */
	uint32_t borrowed;      /* GPUs other partitions' jobs hold on the pool's nodes */
	uint32_t borrowers;     /* number of such jobs */
	uint32_t pending_gpus;  /* GPUs requested by the pool's pending jobs */
	const char *kept_nodes; /* bounded, none: nodes kept for the pool, "a,b"; else "" */
	uint64_t reclaims;      /* jobs preempted to give GPUs back to the pool, ever */
	uint64_t reclaim_events;     /* pool jobs started after a reclaim, ever */
	double reclaim_latency_max;  /* seconds from first victim to the pool job's start */
	double reclaim_latency_mean;
} aishare_pool_status_t;

size_t aishare_ledger_pool_count(const aishare_ledger_t *ledger);
/* 0, or -1 with errno EINVAL when INDEX is out of range. */
int aishare_ledger_pool_status(const aishare_ledger_t *ledger, size_t index,
			       aishare_pool_status_t *status);

/*
 * History to and from a state file.  save writes PATH atomically (temporary file,
 * fsync, rename).  load adopts a valid file; a missing file is not an error (history
 * starts empty, the snapshot comes from Slurm's job records); a damaged one is
 * refused with *errors naming the file and what is wrong, leaving history empty.
 */
int aishare_ledger_save(const aishare_ledger_t *ledger, const char *path, char **errors);
int aishare_ledger_load(aishare_ledger_t *ledger, const char *path, char **errors);

/*
 * The parameter string in force when the state file at PATH was written, as
 * "Key=Value,..." (malloc()ed).  Slurm 22.05 does not send
 * PrioritySiteFactorParameters to clients, so the aishare command reads them
 * here.  NULL with errno (ENOENT: no file yet) and *errors naming the file.
 */
char *aishare_ledger_state_params(const char *path, char **errors);

/* The ledger as JSON (pools and history), for `aishare status`.  malloc()ed. */
char *aishare_ledger_json(const aishare_ledger_t *ledger);

/* ------------------------------------------------------------ topology: nodes
 *
 * What placement needs to know of each GPU node, read from the node's hwloc XML
 * (`lstopo --of xml`, or the hwloc_topo_whole.xml slurmd writes in its spool
 * directory) through hwloc's own XML import.  A node set holds the profiles of
 * many nodes and sorts them into node classes: nodes a job may mix.  A node with
 * fewer GPUs or NICs than its class, or without the NVLink its class has, is
 * degraded: it stays in its class, placed last, and says why.
 */

typedef struct aishare_node_set aishare_node_set_t; /* opaque */

/* How close a NIC is to a GPU, best first (for pairing them). */
typedef enum aishare_locality {
	AISHARE_LOCALITY_PCIE_SWITCH = 0, /* under the same PCIe switch */
	AISHARE_LOCALITY_NUMA = 1,        /* attached to the same NUMA node */
	AISHARE_LOCALITY_MACHINE = 2,     /* elsewhere in the machine */
} aishare_locality_t;

typedef struct aishare_gpu_info {
	const char *pci_busid;   /* "0000:34:00.0" */
	const char *vendor;      /* "NVIDIA", "AMD", "Intel" or the PCI vendor id */
	const char *model;       /* "Tesla V100-SXM3-32GB-H", else the PCI device name or ids */
	int numa_node;           /* OS index of its NUMA node, -1 when unknown */
	const char *pcie_switch; /* bus id of the nearest PCIe switch above it, "" if none */
	const char *cores;       /* local cores as Slurm core indexes, "0-17,36-53" */
	const char *cpus;        /* their PUs as OS CPU numbers (sched_setaffinity's) */
} aishare_gpu_info_t;

typedef struct aishare_nic_info {
	const char *name;        /* "mlx5_0" (OpenFabrics device), else the netdev */
	const char *netdev;      /* "ib0", "eth0", or "" */
	const char *kind;        /* "infiniband", "ethernet" or "other" */
	const char *pci_busid;
	int numa_node;
	const char *pcie_switch;
} aishare_nic_info_t;

/* The XML limit: a larger file is refused before hwloc reads it. */
#define AISHARE_NODE_XML_MAX_BYTES (64u << 20)

aishare_node_set_t *aishare_node_set_create(void);
void aishare_node_set_free(aishare_node_set_t *set);

/*
 * Load NODE's hwloc XML from PATH (or from the LENGTH bytes at XML) into SET.
 * 0 on success; -1 with errno and *errors naming the file (or NODE) and what is
 * wrong: unreadable, empty, too large, not an hwloc topology, a node twice.
 * A failed load leaves SET as it was.
 */
int aishare_node_set_load_file(aishare_node_set_t *set, const char *node, const char *path,
			       char **errors);
int aishare_node_set_load_xml(aishare_node_set_t *set, const char *node, const char *xml,
			      size_t length, char **errors);

/*
 * Profiles kept between runs of a command (`aishare status` at every scrape), in
 * the file PATH, keyed on each XML file's device, inode, size and modification
 * time: only files that changed go through hwloc again.  A missing or damaged
 * cache file is an empty cache.  aishare_node_set_load_file_cached() is
 * aishare_node_set_load_file() through CACHE; aishare_profile_cache_save()
 * writes the cache back (0600) when it changed, holding the files loaded since
 * it was opened: 0, or -1 with errno and *errors.
 */
typedef struct aishare_profile_cache aishare_profile_cache_t;
aishare_profile_cache_t *aishare_profile_cache_open(const char *path);
int aishare_node_set_load_file_cached(aishare_node_set_t *set, const char *node, const char *path,
				      aishare_profile_cache_t *cache, char **errors);
int aishare_profile_cache_save(aishare_profile_cache_t *cache, char **errors);
/* Loads answered from the cache and from hwloc since it was opened. */
size_t aishare_profile_cache_hits(const aishare_profile_cache_t *cache);
size_t aishare_profile_cache_misses(const aishare_profile_cache_t *cache);
void aishare_profile_cache_free(aishare_profile_cache_t *cache);

/*
 * Load the machine this process runs on as NODE: hwloc discovers it (with PCI
 * devices, and with CPUs a cgroup hides from us, so core indexes are Slurm's) in
 * the same worker process that reads XML.  0, or -1 with errno and *errors.
 */
int aishare_node_set_load_live(aishare_node_set_t *set, const char *node, char **errors);

/*
 * hwloc reads XML in a worker process that stays for the next file.  A process
 * that must not keep children (slurmstepd: proctrack counts them as the step's)
 * ends it once its nodes are loaded; a later load starts a new one.
 */
void aishare_hwloc_worker_stop(void);

/* Nodes in SET (in name order), and the index of NODE (-1 with errno ENOENT). */
size_t aishare_node_set_count(const aishare_node_set_t *set);
const char *aishare_node_set_name(const aishare_node_set_t *set, size_t node);
long aishare_node_set_find(const aishare_node_set_t *set, const char *node);

/*
 * Per node: GPUs (in PCI bus order: GPU i is /dev/nvidia<i>), NICs, NUMA nodes.
 * The strings of a node's infos stay valid until the set is freed.  A bad set,
 * node or index gives 0 (counts), -1 (getters) or NULL, with errno EINVAL.
 */
size_t aishare_node_gpu_count(const aishare_node_set_t *set, size_t node);
int aishare_node_gpu(const aishare_node_set_t *set, size_t node, size_t gpu,
		     aishare_gpu_info_t *info);
size_t aishare_node_nic_count(const aishare_node_set_t *set, size_t node);
int aishare_node_nic(const aishare_node_set_t *set, size_t node, size_t nic,
		     aishare_nic_info_t *info);
/*
 * NVLinks joining two GPUs (bandwidth over one link's, the greatest common
 * divisor of the node's NVLink bandwidths; through NVSwitches, the fewer of the
 * two GPUs' switch links), 0 for none, -1 for A == B (and, with errno EINVAL,
 * for bad arguments).
 */
int aishare_node_nvlinks(const aishare_node_set_t *set, size_t node, size_t gpu_a,
			 size_t gpu_b);
/* AISHARE_LOCALITY_MACHINE with errno EINVAL for bad arguments. */
aishare_locality_t aishare_node_locality(const aishare_node_set_t *set, size_t node,
					 size_t gpu, size_t nic);

/*
 * Classes: names like "8x NVIDIA H100 80GB HBM3, NVLink, 8 NICs", valid until
 * the next load into SET.  aishare_node_class gives SIZE_MAX with errno EINVAL
 * for a bad node.
 */
size_t aishare_node_set_class_count(const aishare_node_set_t *set);
const char *aishare_node_set_class_name(const aishare_node_set_t *set, size_t cls);
size_t aishare_node_class(const aishare_node_set_t *set, size_t node);
/* Why NODE is degraded ("7 GPUs, its class has 8"), or NULL when it is not. */
const char *aishare_node_degraded(const aishare_node_set_t *set, size_t node);

typedef enum aishare_format {
	AISHARE_FORMAT_TEXT = 0,
	AISHARE_FORMAT_JSON = 1,
} aishare_format_t;

/* `aishare topo show`: classes and per-node profiles.  malloc()ed, NULL/errno. */
char *aishare_node_set_report(const aishare_node_set_t *set, aishare_format_t format);
/*
 * `aishare topo gres`: one gres.conf line per GPU, with Type=, File=, Cores= (the
 * GPU's local cores) and Links= (NVLink counts to every GPU, -1 for itself), so
 * sites without NVML get correct GPU affinity.  FILE_PREFIX is the device path
 * without the number (NULL: "/dev/nvidia").  malloc()ed, NULL/errno.
 */
char *aishare_node_set_gres(const aishare_node_set_t *set, const char *file_prefix,
			    aishare_format_t format);

/* ------------------------------------------------------------- task binding
 *
 * On the node (SPANK plugin): from the GPUs Slurm gave a task, the NIC(s) and
 * cores it should use.  Each GPU gets the NICs closest to it (same PCIe switch,
 * else same NUMA node, else anywhere); GPUs sharing the same closest NICs take
 * them in turn in PCI bus order.  The cores are those local to the GPUs.
 */
typedef struct aishare_task_binding {
	char *gpus;               /* the task's GPUs, sorted: "0,1" */
	char *nics;               /* the chosen NICs: "mlx5_0,mlx5_1", "" when none */
	aishare_locality_t pairing; /* the weakest GPU-NIC pairing of the task */
	int has_nic;              /* 0 when the node has no NIC at all */
	char *cores;              /* Slurm core indexes local to the GPUs */
	char *cpus;               /* their OS CPU numbers, for sched_setaffinity */
	char *nccl_ib_hca;        /* "=mlx5_0" (exact names), "" when no RDMA NIC */
	char *nccl_socket_ifname; /* "=eth2" for chosen NICs without RDMA, else "" */
	char *ucx_net_devices;    /* "mlx5_0:1" or "eth2", "" when no NIC */
	char *summary;            /* "gpu=0 nic=mlx5_0 pairing=pcie-switch cores=0-15 cpus=0-15" */
	char *problem;            /* why this is no good pairing (strict mode refuses
				     it), "" when every GPU has a switch- or NUMA-local NIC */
} aishare_task_binding_t;

/*
 * Bind a task holding GPUS ("0,3" or "0-3": indexes in the node's PCI bus order,
 * as SLURM_STEP_GPUS gives them with gres.conf from `aishare topo gres`) on
 * NODE of SET.  Fills *BINDING (free with aishare_task_binding_clear) and returns
 * 0; -1 with errno EINVAL and *errors naming the value for a bad GPU list or a
 * GPU the node does not have.
 */
int aishare_task_binding_compute(const aishare_node_set_t *set, size_t node, const char *gpus,
				 aishare_task_binding_t *binding, char **errors);
void aishare_task_binding_clear(aishare_task_binding_t *binding);

/* ----------------------------------------------------------- topology: fabric
 *
 * Slurm's topology.conf as a switch tree.  Hostlist expressions are expanded by
 * the caller's EXPAND with Slurm's own hostlist functions (the core has no Slurm
 * header): it returns the names separated by ',' (malloc()ed), or NULL and a
 * malloc()ed message in *error.
 */
typedef char *(*aishare_hostlist_expand_fn)(const char *expression, void *context,
					    char **error);

typedef struct aishare_fabric aishare_fabric_t; /* opaque */

/* The topology.conf limit: a larger file is refused before it is read. */
#define AISHARE_TOPOLOGY_CONF_MAX_BYTES (16u << 20)

/*
 * Read topology.conf text (ORIGIN names it in messages) or the file at PATH.
 * Syntax errors (unknown key, a line without SwitchName, a bad hostlist, a file
 * too large) fail: NULL, errno EINVAL, *errors naming file and line.  Problems of
 * the tree itself (a node in two leaves, a switch without children or defined
 * twice, a child switch never defined, several roots, a cycle) do not fail: the
 * check report lists them.
 */
aishare_fabric_t *aishare_fabric_parse(const char *text, size_t length, const char *origin,
				       aishare_hostlist_expand_fn expand, void *context,
				       char **errors);
aishare_fabric_t *aishare_fabric_load(const char *path, aishare_hostlist_expand_fn expand,
				      void *context, char **errors);

/*
 * The same tree from switches a caller already holds (slurmctld's switch table):
 * each a name and the hostlist of its nodes or of its child switches (NULL or ""
 * for none).  A switch without a name or a hostlist EXPAND refuses fails as
 * above; problems of the tree are kept for the check report.
 */
typedef struct {
	const char *name;
	const char *nodes;
	const char *switches;
} aishare_switch_t;
aishare_fabric_t *aishare_fabric_from_switches(const aishare_switch_t *switches, size_t count,
					       const char *origin,
					       aishare_hostlist_expand_fn expand, void *context,
					       char **errors);
void aishare_fabric_free(aishare_fabric_t *fabric);

/* Nodes under the tree's leaves (first-seen order), and a node's index or -1. */
size_t aishare_fabric_node_count(const aishare_fabric_t *fabric);
const char *aishare_fabric_node_name(const aishare_fabric_t *fabric, size_t node);
long aishare_fabric_node_index(const aishare_fabric_t *fabric, const char *name);
size_t aishare_fabric_leaf_count(const aishare_fabric_t *fabric);
/* The leaf switch of NODE (its first, when it is in two), or NULL. */
const char *aishare_fabric_leaf_of(const aishare_fabric_t *fabric, size_t node);

/*
 * job_submit/aishare confines a job to one switch with Slurm's matching-OR
 * constraint over node features: every node carries this prefix plus the name of
 * each switch above it.  NODE's features, "sw_leaf3,sw_spine1" (malloc()ed), or
 * NULL with errno.
 */
#define AISHARE_SWITCH_FEATURE_PREFIX "sw_"
char *aishare_fabric_switch_features(const aishare_fabric_t *fabric, size_t node);

/*
 * For a job of NODES nodes and the free nodes FREE (one flag per fabric node):
 * the fewest leaf switches whose free nodes sum to at least NODES.  Returns that
 * count, or -1 with errno ENOSPC when all free nodes together are too few.
 */
long aishare_fabric_leaf_bound(const aishare_fabric_t *fabric, const uint8_t *free_nodes,
			       uint32_t nodes);

typedef struct aishare_switch_choice {
	const char *name;    /* the switch; valid as long as the fabric */
	uint32_t level;      /* 0 for a leaf switch, parents one more than their highest child */
	uint32_t leaves;     /* fewest of its leaves whose free nodes hold the job */
	uint32_t free_nodes; /* free nodes below it */
} aishare_switch_choice_t;

/*
 * The lowest switch whose subtree's free nodes hold NODES nodes; among switches
 * of that level the one needing the fewest leaves, then the fewest free nodes
 * (best fit, keeping larger blocks for larger jobs), then the first defined.
 * 0, or -1 with errno ENOSPC when no switch can hold the job.
 */
int aishare_fabric_lowest_switch(const aishare_fabric_t *fabric, const uint8_t *free_nodes,
				 uint32_t nodes, aishare_switch_choice_t *choice);

/* ------------------------------------------------------------ topology: check
 *
 * `aishare topo check`: problems of topology.conf, and disagreements between
 * slurm.conf's nodes and what their hwloc XML shows.  SLURM_NODES are the nodes
 * slurm.conf defines (NULL when not known), each with the GPUs its Gres= gives.
 */
typedef struct aishare_conf_node {
	const char *name;
	uint32_t gpus;
} aishare_conf_node_t;

/*
 * Read slurm.conf's NodeName lines (NodeName=DEFAULT included) for their names
 * and Gres=gpu counts; other lines are passed over.  Returns an array of *COUNT
 * nodes to free with aishare_conf_nodes_free, or NULL with errno and *errors
 * naming file and line.
 */
aishare_conf_node_t *aishare_conf_nodes_load(const char *path, aishare_hostlist_expand_fn expand,
					     void *context, size_t *count, char **errors);
void aishare_conf_nodes_free(aishare_conf_node_t *nodes, size_t count);

/*
 * The report (FABRIC, SLURM_NODES and SET may each be NULL when not given).
 * *PROBLEMS gets the number of problems found.  malloc()ed, NULL/errno.
 */
char *aishare_topology_check(const aishare_fabric_t *fabric,
			     const aishare_conf_node_t *slurm_nodes, size_t slurm_node_count,
			     const aishare_node_set_t *set, aishare_format_t format,
			     size_t *problems);

/* ------------------------------------------------------------ placement
 *
 * job_submit/aishare shapes a GPU job at submission: whole exclusive nodes of one
 * node class for a job that asks at least a node's GPUs, confinement to the lowest
 * switches that can hold it (preferred first, the tree's roots last as the
 * fallback once its compact wait is over), and one sentence refusing a request no
 * node set of its partition can ever meet.  A pool job that must reclaim its
 * guarantee prefers the switch freed by the fewest borrower jobs, so reclaim
 * frees whole leaves.
 */
typedef struct aishare_place_node {
	const char *name;     /* as in topology.conf */
	const char *gpu_type; /* the type of its GPUs in slurm.conf's Gres=, "" for none */
	uint32_t gpus;        /* GPUs it has */
	uint32_t free_gpus;   /* GPUs no job holds */
	int idle;             /* no job runs on it */
	int up;               /* 0 when DOWN, DRAIN or FAIL */
	int reclaimable;      /* busy only with jobs the job's pool may preempt */
	double victims;       /* those jobs, each counted 1/(its node count) */
} aishare_place_node_t;

typedef struct aishare_place_request {
	const char *tres_per_job;  /* Slurm's strings, e.g. "gres:gpu:16"; NULL for none */
	const char *tres_per_node; /* e.g. "gres:gpu:h100:8" */
	uint32_t nodes;            /* --nodes minimum, 0 when not asked */
	int exclusive;
	int whole_nodes;           /* WholeNodes= */
	const char *partition;     /* named in messages */
} aishare_place_request_t;

typedef enum aishare_place_kind {
	AISHARE_PLACE_KEEP = 0,    /* not a GPU job: leave it alone */
	AISHARE_PLACE_WHOLE_NODES, /* whole exclusive nodes of one class */
	AISHARE_PLACE_PART_NODES,  /* GPUs on nodes it may share */
	AISHARE_PLACE_REFUSE,      /* never satisfiable: MESSAGE says why and what to ask */
} aishare_place_kind_t;

typedef struct aishare_place_plan {
	aishare_place_kind_t kind;
	uint32_t nodes;         /* nodes it gets */
	uint32_t gpus_per_node; /* GPUs on each */
	char *gpu_type;         /* its class's GPU type, "" when untyped */
	char *switches;         /* confinement alternatives, comma-separated, best first;
				   NULL without topology */
	uint32_t ideal_leaves;  /* fewest leaves holding it on an empty machine */
	long free_bound;        /* fewest leaves holding it now; -1 when it cannot start now */
	char *message;          /* the refusal, for AISHARE_PLACE_REFUSE */
} aishare_place_plan_t;

/*
 * Plan REQUEST over the COUNT nodes of its partition and FABRIC (NULL without
 * topology), with at most MOST_ALTERNATIVES switches before the fallback.  0 and
 * *PLAN filled (clear it with aishare_place_plan_clear); -1 with errno on bad
 * arguments or no memory.  A malformed GPU request is a refusal, not an error.
 */
int aishare_place_plan(const aishare_fabric_t *fabric, const aishare_place_node_t *nodes,
		       size_t count, const aishare_place_request_t *request,
		       size_t most_alternatives, aishare_place_plan_t *plan);
void aishare_place_plan_clear(aishare_place_plan_t *plan);

/*
 * The GPUs of a gres or TRES list as libslurm hands it to clients, each gpu
 * entry read as a GPU request above: a job's request ("gres:gpu:16",
 * "gres:gpu:h100:8"), a node's or job's gres ("gpu:a100:4(S:0-1)", "gpu:a100:2"),
 * an accounting TRES string ("cpu=8,gres/gpu=4").  Entries are split at ',' and
 * ';' and summed (a node with two GPU types); other entries, and a malformed gpu
 * entry, count 0.  0 for NULL, or with errno when out of memory.
 */
uint64_t aishare_gpus_in_list(const char *list);

/* ------------------------------------------------------------- priority
 *
 * site_factor/aishare: a job's site factor is the sum of four weighted terms,
 * clamped to [-SiteFactorMax, SiteFactorMax]:
 *   deficit     WeightDeficit x (G - used) / G while the job's pool is below its
 *               guarantee G and has pending work;
 *   fair share  WeightFairShare x 2^(-usage share / entitlement) among start-ups,
 *               the accounts holding a GrpTRESMins=gres/gpu grant, grouped by their
 *               parent account; entitlement is the account's part of the group's
 *               grants, usage share its part of the group's usage;
 *   pacing      WeightPacing x (expected - used) / grant in [-1, 1], expected being
 *               a linear burn of the grant over GrantPeriod; -1 when exhausted;
 *   large job   WeightLargeJob x min(1, waited / LargeJobWait) for jobs of at least
 *               LargeJobGpus GPUs.  A large job that has waited LargeJobWait is
 *               starving: SiteFactorMax + 1 + WeightLargeJob, above every job that
 *               is not.
 * The adapter gives one pass's inputs with aishare_prio_model_update (under Slurm's
 * locks), then asks for each pending job.
 */
typedef struct aishare_prio_model aishare_prio_model_t; /* opaque */

typedef struct aishare_prio_account {
	const char *name;
	const char *parent;       /* parent account: the fair-share group */
	double grant_gpu_minutes; /* GrpTRESMins gres/gpu; 0 when none */
	double used_gpu_minutes;  /* what Slurm charged (usage_tres_raw / 60) */
} aishare_prio_account_t;

typedef struct aishare_prio_running {
	const char *account;
	uint32_t gpus;
	int64_t start_time;
} aishare_prio_running_t;

typedef struct aishare_prio_pool {
	const char *partition;
	uint32_t guarantee, used, pending_gpus;
} aishare_prio_pool_t;

typedef struct aishare_prio_job {
	uint32_t job_id;
	const char *account, *partition;
	uint32_t gpus;          /* requested */
	int64_t eligible_time;  /* when it became eligible (0: unknown) */
} aishare_prio_job_t;

typedef struct aishare_prio_result {
	int64_t site_factor; /* the capped sum, or the starving value */
	int64_t deficit, fair_share, pacing, large_job;
	int exhausted;       /* the account's grant is used up */
	int starving;
} aishare_prio_result_t;

/* A model for the weights of PARAMS.  NULL with errno and *errors on failure. */
aishare_prio_model_t *aishare_prio_model_create(const aishare_params_t *params, char **errors);
void aishare_prio_model_free(aishare_prio_model_t *model);
/* New weights after a reconfigure.  0, or -1 with errno and *errors. */
int aishare_prio_model_configure(aishare_prio_model_t *model, const aishare_params_t *params,
				 char **errors);

/*
 * A pass at NOW: grants and usage of accounts, running jobs (their GPUs count
 * from max(start, CHARGED_UNTIL), Slurm's last charge, to NOW) and pools.  Forgets
 * the terms recorded by the last pass.  0, or -1 with errno EINVAL and *errors
 * naming the bad entry.
 */
int aishare_prio_model_update(aishare_prio_model_t *model, int64_t now, int64_t charged_until,
			      const aishare_prio_account_t *accounts, size_t account_count,
			      const aishare_prio_running_t *running, size_t running_count,
			      const aishare_prio_pool_t *pools, size_t pool_count, char **errors);

/* JOB's terms at the last pass, recorded for the state file.  0 or -1/errno. */
int aishare_prio_model_job(aishare_prio_model_t *model, const aishare_prio_job_t *job,
			   aishare_prio_result_t *result);

/*
 * The recorded terms to a state file, in two steps so that a caller holding locks
 * only copies: a copy of the recorded terms (NULL with errno), then formatting and
 * writing the copy to PATH atomically, which takes most of a second at 50,000
 * pending jobs, once the locks are let go (0, or -1 with errno and *errors).
 */
typedef struct aishare_prio_state aishare_prio_state_t;
aishare_prio_state_t *aishare_prio_model_state(const aishare_prio_model_t *model);
int aishare_prio_state_save(const aishare_prio_state_t *state, const char *path, char **errors);
void aishare_prio_state_free(aishare_prio_state_t *state);

/*
 * `aishare explain JOBID`: the terms of JOB_ID with their inputs, read from the
 * state file at PATH.  malloc()ed; NULL with errno (ENOENT: no file, or the job is
 * not in it) and *errors saying which.
 */
char *aishare_prio_explain(const char *path, uint32_t job_id, aishare_format_t format,
			   char **errors);

/* ------------------------------------------------------------ placement quality
 *
 * Every multi-node job that starts gets one line in StateSaveLocation's
 * aishare_placement.log: the leaf switches it spans, the fewest its class's free
 * nodes offered when it started (the free-set bound) and the fewest on an empty
 * machine (the ideal).  `aishare status` sums the file up.
 */
typedef struct aishare_placement_record {
	uint32_t job_id;
	int64_t start_time;
	uint32_t nodes;
	uint32_t leaves;     /* leaf switches its nodes span */
	uint32_t free_bound; /* fewest leaves holding it among the free nodes at start */
	uint32_t ideal;      /* fewest leaves holding it on an empty machine */
} aishare_placement_record_t;

typedef struct aishare_placement_summary {
	uint64_t jobs;              /* multi-node jobs recorded */
	uint64_t at_bound;          /* placed on the free-set bound (or better) */
	uint64_t at_ideal;          /* placed on the ideal */
	uint64_t leaves_over_bound; /* sum of leaves beyond the bound */
	uint64_t leaves_over_ideal; /* sum of leaves beyond the ideal */
	uint64_t malformed;         /* lines passed over */
	int64_t last_start;         /* the latest start recorded, 0: none */
} aishare_placement_summary_t;

/* The log file's name in StateSaveLocation; it is started anew (the old one kept
 * as .old) beyond AISHARE_PLACEMENT_LOG_MAX_BYTES. */
#define AISHARE_PLACEMENT_LOG "aishare_placement.log"
#define AISHARE_PLACEMENT_LOG_MAX_BYTES (8u << 20)

/*
 * Measure a job on FABRIC: JOB_NODES, FREE_NODES (free when it started, its own
 * nodes included) and CLASS_NODES (its node class) flag fabric nodes.  Fills
 * *RECORD but job_id and start_time; 0, or -1 with errno.
 */
int aishare_fabric_measure(const aishare_fabric_t *fabric, const uint8_t *job_nodes,
			   const uint8_t *free_nodes, const uint8_t *class_nodes,
			   aishare_placement_record_t *record);

/* RECORD as one log line, "\n" ended (malloc()ed), or NULL/errno. */
char *aishare_placement_line(const aishare_placement_record_t *record);

/*
 * Sum up the log at PATH (a missing file is an empty log).  0, or -1 with errno
 * and *ERRORS naming the file.
 */
int aishare_placement_log_summary(const char *path, aishare_placement_summary_t *summary,
				  char **errors);

/*
 * The last record of JOB_ID in the log at PATH, for `aishare explain`: 1 and
 * *RECORD when found, 0 when not (or no log), -1 with errno and *ERRORS.
 */
int aishare_placement_log_find(const char *path, uint32_t job_id,
			       aishare_placement_record_t *record, char **errors);


/* ------------------------------------------------------------- simulation
 *
 * `aishare sim`: replay a job trace through the same core (pool ledger, placement
 * planner, priority model) on a modelled Slurm 22.05, and score per-job records,
 * the simulator's or a real Slurm's, with one definition of every metric.  The
 * model and its simplifications are described in aishare(1), SIM.
 */
typedef struct aishare_sim_trace aishare_sim_trace_t;     /* opaque: the jobs */
typedef struct aishare_sim_records aishare_sim_records_t; /* opaque: outcomes */

/* The limit on a trace or records file: a larger one is refused unread. */
#define AISHARE_SIM_MAX_BYTES (256u << 20)

/*
 * Read a trace (CSV `id,submit,account,partition,nodes,gpus,duration,time_limit`,
 * `#` comments) from TEXT (ORIGIN names it in messages) or from PATH.  A bad line
 * fails the whole file: NULL, errno EINVAL and *ERRORS (malloc()ed)
 * "ORIGIN:LINE: column NAME: value 'V': problem".
 */
aishare_sim_trace_t *aishare_sim_trace_parse(const char *text, size_t length, const char *origin,
					     char **errors);
aishare_sim_trace_t *aishare_sim_trace_load(const char *path, char **errors);
void aishare_sim_trace_free(aishare_sim_trace_t *trace);

typedef enum aishare_sim_config {
	AISHARE_SIM_B1 = 1, /* stock, overlapping partitions, partition_prio preemption */
	AISHARE_SIM_B3,     /* stock, the pool's leaves dedicated, no preemption */
	AISHARE_SIM_P,      /* the aishare plugins */
} aishare_sim_config_t;

typedef struct aishare_sim_options {
	aishare_sim_config_t config;
	const char *params;       /* controller parameters (Pools=, Share=, ...); NULL: defaults */
	uint32_t gpus_per_node;   /* 0: 8 */
	double speedup;           /* trace seconds per wall second of the replay; 0: 1 */
	double horizon;           /* trace seconds; 0: until every job ended */
	double requeue_delay;     /* wall seconds before a requeued job may run; < 0: 6 */
	const char *const *grants; /* "ACCOUNT=GPU_MINUTES" (wall), GRANT_COUNT of them */
	size_t grant_count;        /* 0: equal grants, the pool's demand uses 80% */
} aishare_sim_options_t;

/*
 * Simulate TRACE on FABRIC's nodes (GPUS_PER_NODE each).  The records, or NULL,
 * errno and *ERRORS saying what is wrong with the inputs.
 */
aishare_sim_records_t *aishare_sim_run(const aishare_fabric_t *fabric,
				       const aishare_sim_trace_t *trace,
				       const aishare_sim_options_t *options, char **errors);

/*
 * Records (CSV `id,account,partition,nodes,gpus,duration,submit,start,end,
 * preemptions,reclaim_latency,nodelist`): read them like a trace, write them to
 * PATH (0, or -1 with errno and *ERRORS), or as text (malloc()ed).
 */
aishare_sim_records_t *aishare_sim_records_parse(const char *text, size_t length,
						 const char *origin, char **errors);
aishare_sim_records_t *aishare_sim_records_load(const char *path, char **errors);
int aishare_sim_records_save(const aishare_sim_records_t *records, const char *path,
			     char **errors);
char *aishare_sim_records_text(const aishare_sim_records_t *records);
size_t aishare_sim_records_count(const aishare_sim_records_t *records);
void aishare_sim_records_free(aishare_sim_records_t *records);

typedef struct aishare_sim_record {
	uint32_t id;
	const char *account, *partition; /* valid as long as the records */
	uint32_t nodes, gpus;
	double duration, submit, start, end; /* -1: never */
	uint32_t preemptions;
	double reclaim_latency;              /* -1: none */
	size_t node_count;                   /* names in its nodelist */
} aishare_sim_record_t;

/* Record INDEX: 0, or -1 with errno EINVAL. */
int aishare_sim_record(const aishare_sim_records_t *records, size_t index,
		       aishare_sim_record_t *record);

/*
 * The metrics of a set of records (aishare(1), SIM, defines each).  Percentiles
 * are nearest-rank; a metric with nothing to measure is NaN (JSON null).
 */
typedef struct aishare_sim_score {
	double horizon;                          /* trace seconds */
	uint64_t pool_jobs, general_jobs, not_started;
	double pool_wait_p50, pool_wait_p95;     /* seconds */
	double general_wait_p50, general_wait_p95;
	double utilisation, ceiling, utilisation_ratio;
	uint64_t multi_node_jobs, at_bound, at_ideal;
	double share_at_bound, share_at_ideal;
	double leaves_over_bound, leaves_over_ideal; /* means over multi-node jobs */
	uint64_t reclaims, reclaimed_starts, over_bound;
	double reclaim_latency_p50, reclaim_latency_max;
	double reclaim_bound;                    /* NaN without preemption */
	uint64_t startup_accounts;
	double jain;
} aishare_sim_score_t;

/*
 * Score RECORDS on FABRIC with the partitions and reclaim bound of OPTIONS
 * (config, params, speedup, gpus_per_node; horizon 0: the last end or start in
 * the records).  0, or -1 with errno and *ERRORS (a node not in the fabric, ...).
 */
int aishare_sim_score(const aishare_fabric_t *fabric, const aishare_sim_records_t *records,
		      const aishare_sim_options_t *options, aishare_sim_score_t *score,
		      char **errors);

/* SCORE as a table for people or one JSON object with stable keys (malloc()ed). */
char *aishare_sim_score_text(const aishare_sim_score_t *score, aishare_format_t format);

/*
 * SVG plots into the existing directory DIR: gpus_busy.svg (GPUs busy over time,
 * pool and general) and wait_cdf.svg (the wait's distribution per class).
 * 0, or -1 with errno and *ERRORS.
 */
int aishare_sim_plots(const aishare_fabric_t *fabric, const aishare_sim_records_t *records,
		      const aishare_sim_options_t *options, const char *dir, char **errors);

#ifdef __cplusplus
}
#endif

#endif /* AISHARE_H */
