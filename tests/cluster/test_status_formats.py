# Copyright (C) 2026 The slurm-aishare authors.  GPL-2.0-or-later.
"""`aishare status` in its three formats against a real slurmctld.

4 nodes x 4 GPUs, Pools=ai-startup with Share=50% (G = 8 GPUs).  General jobs
borrow every GPU, then a pool job takes 8 back, so that every number of the
status (use, lending, borrowers, reclaims and their latency) is non-zero.  Then:
  --json        validates against doc/aishare-status.schema.json (JSON Schema
                2020-12, python3-jsonschema), and every top-level key the
                command writes is described in the schema;
  --prometheus  is valid text exposition format line by line
                (prometheus_text.py) and agrees with the JSON;
  text          still shows the pool.
"""

import json
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
import prometheus_text  # noqa: E402

PARTITIONS = ["PartitionName=gpu Nodes=ALL Default=YES MaxTime=INFINITE State=UP GraceTime=0",
              "PartitionName=ai-startup Nodes=ALL MaxTime=INFINITE State=UP"]

# Prometheus family (without pool label) -> the JSON pool key it mirrors.
MIRRORED = {
    "aishare_pool_capacity_gpus": "capacity",
    "aishare_pool_guarantee_gpus": "guarantee",
    "aishare_pool_used_gpus": "used",
    "aishare_pool_lent_gpus": "lent",
    "aishare_pool_borrowed_gpus": "borrowed",
    "aishare_pool_borrowing_jobs": "borrowers",
    "aishare_pool_pending_gpus": "pending_gpus",
    "aishare_pool_share_ratio": "share",
    "aishare_pool_preempted_jobs_total": "reclaims",
    "aishare_pool_reclaim_latency_seconds_count": "reclaim_events",
    "aishare_pool_reclaim_latency_max_seconds": "reclaim_latency_max",
}


FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "hwloc")
# TopologyDir: two whole H100 nodes, one short of a GPU, one L40S node.
NODE_XML = {"node01": "gpu8-nic8.xml", "node02": "gpu8-nic8.xml",
            "node03": "gpu8-nic8-missing-gpu.xml", "node04": "gpu4-pcie.xml"}


def topology_dir():
    where = tempfile.mkdtemp(prefix="aishare-topology-")
    for node, fixture in NODE_XML.items():
        shutil.copy(os.path.join(FIXTURES, fixture), os.path.join(where, node + ".xml"))
    return where


def schema():
    srcdir = os.environ.get("AISHARE_SRCDIR") or os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "..")
    with open(os.path.join(srcdir, "doc", "aishare-status.schema.json")) as f:
        return json.load(f)


def status(c, *args):
    return c.run([harness.aishare_tool(), "status"] + list(args)).stdout


def busy_pool_with_a_reclaim(c):
    """Borrowers on every node, then a pool job of 8 GPUs that reclaims two
    nodes, and one more pool job that waits; returns when the first runs."""
    borrowers = [c.sbatch("-p", "gpu", "-N1", "--exclusive", "--gres=gpu:4",
                          wrap="sleep 60") for _ in range(c.num_nodes)]
    for job in borrowers:
        c.wait_job_state(job, "RUNNING", timeout=60)
    pool_job = c.sbatch("-p", "ai-startup", "-N2", "--exclusive", "--gres=gpu:4",
                        wrap="sleep 60")
    c.wait_job_state(pool_job, "RUNNING", timeout=30)
    c.sbatch("-p", "ai-startup", "-N1", "--exclusive", "--gres=gpu:4", wrap="sleep 1")

    def reclaim_recorded():
        pool = json.loads(status(c, "--json"))["pools"][0]
        return pool if pool["reclaim_events"] >= 1 and pool["pending_gpus"] else None
    return harness.wait_until(reclaim_recorded, 30, "the reclaim in aishare status")


def test_json_prometheus_and_text_agree_and_are_valid():
    import jsonschema  # python3-jsonschema; contrib/install-deps.sh installs it

    xml_dir = topology_dir()
    with harness.Cluster(nodes=4, leaves=2, plugins=True,
                         params="Share=50%,TopologyDir=" + xml_dir,
                         partitions=PARTITIONS, requeue_delay=5) as c:
        pool = busy_pool_with_a_reclaim(c)
        assert (pool["capacity"], pool["guarantee"], pool["used"]) == (16, 8, 8), pool
        assert pool["reclaims"] == 2 and pool["borrowers"] >= 1, pool

        document = json.loads(status(c, "--json"))
        the_schema = schema()
        jsonschema.Draft202012Validator.check_schema(the_schema)
        jsonschema.Draft202012Validator(the_schema).validate(document)
        undocumented = set(document) - set(the_schema["properties"])
        assert not undocumented, (
            "aishare status --json writes top-level keys the schema does not "
            "describe: %s" % sorted(undocumented))

        samples, types, helps = prometheus_text.parse(status(c, "--prometheus"))
        for family, kind in types.items():
            assert family.startswith("aishare_"), family
            assert family in helps, "%s has no HELP" % family
            assert (kind == "counter") == family.endswith("_total"), family
        by_pool = {(name, dict(labels).get("pool")): value
                   for (name, labels), value in samples.items()}
        for pool in document["pools"]:
            for family, key in MIRRORED.items():
                value = by_pool.get((family, pool["partition"]))
                assert value is not None, "no %s for %s" % (family, pool["partition"])
                assert abs(value - pool[key]) < 1e-6, (family, value, key, pool[key])
            latency_sum = by_pool[("aishare_pool_reclaim_latency_seconds_sum",
                                   pool["partition"])]
            expected = pool["reclaim_latency_mean"] * pool["reclaim_events"]
            assert abs(latency_sum - expected) < 1e-3 * max(1, expected), latency_sum
        assert by_pool.get(("aishare_build_info", None)) == 1, by_pool

        text = status(c)
        assert "pool ai-startup: share 50%" in text, text
        assert "guarantee  8 GPUs" in text, text

        # Node classes from TopologyDir, in all three formats.
        nodes = document["nodes"]
        classes = {k["name"]: (k["nodes"], k["degraded"]) for k in nodes["classes"]}
        assert sorted(classes.values()) == [(1, 0), (3, 1)], classes
        assert nodes["degraded"] == [{"node": "node03", "reason": "7 GPUs, its class has 8"}], \
            nodes
        assert "degraded node03: 7 GPUs, its class has 8" in text, text
        by_class = {(name, dict(labels).get("class")): value
                    for (name, labels), value in samples.items()}
        for name, (members, degraded) in classes.items():
            assert by_class[("aishare_node_class_nodes", name)] == members, by_class
            assert by_class[("aishare_node_class_degraded_nodes", name)] == degraded
        # No accounting here: no grants, so no start-ups.
        assert document["startups"] == [], document["startups"]
    shutil.rmtree(xml_dir)


if __name__ == "__main__":
    harness.main(globals())
