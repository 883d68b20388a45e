#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Compact placement of GPU jobs: stock topology/tree against job_submit/aishare.

One machine, run twice in this test: once with stock Slurm (cons_tres +
topology/tree) and once with the aishare plugins, the same jobs submitted in
the same order to `ai-startup`.  24 nodes in 6 leaves of 4: leaves 1-4 hold
16 nodes of the 4-GPU L40S fixture, leaves 5-6 8 nodes of the 8-GPU H100
fixture (the GPU types are read from the fixtures with `aishare topo gres`).
Every node carries the features of its switches (sw_leafN, sw_spine), as
`aishare topo features` prints them, and the two first H100 nodes of each leaf
have a lower Weight, as a site would give nodes it wants filled first.

Scenarios, each from an empty machine and each printed for both runs:
  fragmented   a 16-GPU job after small jobs left GPUs in use in leaves 1 and 3
  weighted     a 32-GPU H100 job on a machine whose low-weight nodes are in
               different leaves
  beyond_leaf  5 nodes of 4 GPUs, more than a leaf holds
  keep_whole   small jobs after one GPU is in use on three nodes of leaf 3
  mixed        18 nodes, more than one class has (aishare refuses it)
The leaf lower bound of a whole-node job is computed here from the idle
nodes of its class just before it is submitted.
"""

import json
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "hwloc")
LONG = "sleep 600"


def fixture_gpu_type(name):
    """The GPU type `aishare topo gres` gives the fixture (its Type=)."""
    out = subprocess.run([harness.aishare_tool(), "topo", "gres",
                          os.path.join(DATA, name)],
                         capture_output=True, text=True, timeout=60, check=True).stdout
    return re.search(r"Type=(\S+)", out).group(1)


L40S = fixture_gpu_type("gpu4-pcie.xml")
H100 = fixture_gpu_type("gpu8-nic8.xml")
CLASSES = [(16, 4, L40S), (8, 8, H100)]
# Low weights in both H100 leaves: stock Slurm takes every lowest-weight node first.
WEIGHTS = {"node17": 1, "node18": 1, "node21": 1, "node22": 1,
           "node19": 5, "node20": 5, "node23": 5, "node24": 5}


COMPACT_WAIT = 20  # seconds


def make_cluster(plugins):
    return harness.Cluster(nodes=24, leaves=6, gpu_classes=CLASSES, cpus_per_node=8,
                           switch_features=True, node_weights=WEIGHTS,
                           plugins=plugins,
                           params="CompactWait=0:%02d" % COMPACT_WAIT if plugins else None)


def gpu_type(c, node):
    return c.node_gpus[node][1]


def idle_by_leaf(c, cls):
    """{leaf: idle nodes of GPU type CLS}."""
    nodes = c.nodes()
    count = {}
    for name, record in nodes.items():
        if gpu_type(c, name) != cls:
            continue
        idle = record["State"].split("+")[0] == "IDLE"
        count[c.leaf_of[name]] = count.get(c.leaf_of[name], 0) + (1 if idle else 0)
    return count


def leaf_bound(idle, nodes):
    """Fewest leaves whose idle nodes sum to NODES (largest first is exact)."""
    total = 0
    for used, count in enumerate(sorted(idle.values(), reverse=True), start=1):
        total += count
        if total >= nodes:
            return used
    return None


def start(c, *args):
    """Submit a long job and return its record once it runs."""
    job = c.sbatch("-p", "ai-startup", "-t", "30", *args, wrap=LONG)
    c.wait_job_state(job, "RUNNING", timeout=60)
    return c.job(job, details=True)


def placed(c, record):
    nodes = harness.expand_hostlist(record["NodeList"])
    return {"nodes": len(nodes), "leaves": len(c.job_leaves(record)),
            "classes": sorted({gpu_type(c, n) for n in nodes}),
            "gpus": harness.Cluster.job_gpus(record),
            "exclusive": record.get("OverSubscribe") == "NO"}


def clear(c):
    c.run(["scancel", "--user=root"], check=False)
    c.wait_nodes_idle(timeout=90)


def fragmented(c):
    start(c, "-w", "node01", "--gpus=%s:1" % L40S)          # leaf1 partly used
    start(c, "-w", "node10", "--exclusive", "--gpus=%s:4" % L40S)  # leaf3 too
    bound = leaf_bound(idle_by_leaf(c, L40S), 4)
    return dict(placed(c, start(c, "--gpus=%s:16" % L40S)), bound=bound)


def weighted(c):
    bound = leaf_bound(idle_by_leaf(c, H100), 4)
    return dict(placed(c, start(c, "--gpus=%s:32" % H100)), bound=bound)


def beyond_leaf(c):
    bound = leaf_bound(idle_by_leaf(c, L40S), 5)
    return dict(placed(c, start(c, "-N", "5", "--gpus-per-node=%s:4" % L40S)), bound=bound)


def keep_whole(c):
    # leaf3 partly used: one GPU busy on each of three nodes, the fourth idle.
    for node in ("node09", "node10", "node11"):
        start(c, "-w", node, "--gpus=%s:1" % L40S)
    jobs = [start(c, "--gpus=%s:1" % L40S) for _ in range(2)]
    jobs.append(start(c, "--gpus=%s:4" % L40S))
    idle = idle_by_leaf(c, L40S)
    return {"leaves_of_small_jobs": sorted({l for j in jobs for l in c.job_leaves(j)}),
            "whole_leaves_left": sorted(l for l, n in idle.items() if n == 4)}


def mixed(c):
    proc = c.run(["sbatch", "--parsable", "-p", "ai-startup", "-t", "30", "-N", "18",
                  "--gpus-per-node=1", "--wrap", LONG], check=False)
    if proc.returncode != 0:
        return {"refused": proc.stderr.strip()}
    job = int(proc.stdout.strip().split(";")[0])
    c.wait_job_state(job, "RUNNING", timeout=60)
    return dict(placed(c, c.job(job, details=True)))


SCENARIOS = [fragmented, weighted, beyond_leaf, keep_whole, mixed]


def two_busy_per_leaf(c):
    """Two whole L40S nodes busy in each of leaves 1-4: 8 idle, no leaf holds 4."""
    jobs = {}
    for leaf in ("leaf1", "leaf2", "leaf3", "leaf4"):
        nodes = c.leaves[leaf][:2]
        jobs[leaf] = start(c, "-w", ",".join(nodes), "--exclusive",
                           "--gpus-per-node=%s:4" % L40S)["JobId"]
    return jobs


def waits_then_takes_a_freed_leaf(c):
    """A 4-node job waits for one leaf; a leaf frees within CompactWait: it takes it."""
    busy = two_busy_per_leaf(c)
    job = c.sbatch("-p", "ai-startup", "-t", "30", "--gpus=%s:16" % L40S, wrap=LONG)
    reason = c.wait_until(lambda: _compact_reason(c, job), 15,
                          "the job to say it waits for a compact placement")
    c.run(["scancel", busy["leaf2"]])
    c.wait_job_state(job, "RUNNING", timeout=COMPACT_WAIT)
    return {"reason": reason, "leaves": c.job_leaves(c.job(job))}


def waits_then_falls_back(c):
    """No leaf frees: after CompactWait the job takes the fewest leaves it can."""
    two_busy_per_leaf(c)
    submitted = time.monotonic()
    job = c.sbatch("-p", "ai-startup", "-t", "30", "--gpus=%s:16" % L40S, wrap=LONG)
    c.wait_job_state(job, "RUNNING", timeout=COMPACT_WAIT + 30)
    waited = time.monotonic() - submitted
    return {"waited": round(waited, 1), "leaves": len(c.job_leaves(c.job(job)))}


def _compact_reason(c, job):
    out = c.run(["squeue", "-h", "-j", str(job), "-o", "%T|%r"]).stdout.strip()
    state, _, reason = out.partition("|")
    if state == "PENDING" and reason.startswith("aishare:"):
        return reason
    raise harness.ClusterError("job %s is %s, reason %s" % (job, state, reason))


def reclaim_frees_a_whole_leaf(c):
    """Borrowers fill the L40S leaves; a pool job takes back the leaf of fewest jobs."""
    borrowers = []
    layout = {"leaf1": [[n] for n in c.leaves["leaf1"]],           # 4 jobs
              "leaf2": [c.leaves["leaf2"][:2], c.leaves["leaf2"][2:]],  # 2 jobs
              "leaf3": [[n] for n in c.leaves["leaf3"]],           # 4 jobs
              "leaf4": [c.leaves["leaf4"]]}                        # 1 job
    for leaf, groups in layout.items():
        for nodes in groups:
            job = c.sbatch("-p", "gpu", "-t", "30", "-w", ",".join(nodes), "--exclusive",
                           "--gpus-per-node=%s:4" % L40S, wrap=LONG)
            borrowers.append(job)
    for job in borrowers:
        c.wait_job_state(job, "RUNNING", timeout=60)
    job = c.sbatch("-p", "ai-startup", "-t", "30", "--gpus=%s:16" % L40S, wrap=LONG)
    c.wait_job_state(job, "RUNNING", timeout=30)
    requeued = [b for b in borrowers if int(c.job(b).get("Restarts", 0)) > 0]
    return {"leaves": c.job_leaves(c.job(job)), "requeued": len(requeued)}


def other_partitions(c):
    """Jobs of a partition that is no pool are placed only with PlaceAllPartitions."""
    asked = ("-p", "gpu", "-t", "30", "--gpus=%s:16" % L40S)
    before = placed(c, c.job(start_in(c, *asked), details=True))
    clear(c)
    mark = c.reconfigure(params=c.params + ",PlaceAllPartitions=yes")
    c.wait_log("slurmctld", "PlaceAllPartitions=yes", since=mark)
    after = placed(c, c.job(start_in(c, *asked), details=True))
    return {"before": before["exclusive"], "after": after["exclusive"],
            "after_leaves": after["leaves"]}


def explained(c):
    """`aishare explain` says why a job got its nodes, and why another one waits."""
    running = start(c, "--gpus=%s:16" % L40S)["JobId"]

    def placed_line():
        out = c.run([harness.aishare_tool(), "explain", running]).stdout
        return out if "placed on" in out else None
    running_text = c.wait_until(placed_line, 15, "explain to show the job's placement")
    waiting = c.sbatch("-p", "ai-startup", "-t", "30", "--gpus=%s:64" % L40S, wrap=LONG)
    c.wait_job_state(waiting, "PENDING", timeout=10)
    waiting_json = json.loads(c.run([harness.aishare_tool(), "explain", "--json",
                                     str(waiting)]).stdout)
    return {"running": running_text, "waiting": waiting_json["placement"]}


def survives_a_job_submit_change(c):
    """A reconfigure that changes JobSubmitPlugins restarts the plugin under
    slurmctld's locks while its watcher thread may wait for them: slurmctld must
    stay up, and placement work on afterwards."""
    busy = [c.sbatch("-p", "ai-startup", "-t", "30", "--gpus=%s:1" % L40S, wrap=LONG)
            for _ in range(3)]
    for conf in (["JobSubmitPlugins=logging,aishare"], []):
        mark = c.reconfigure(extra_conf=conf)
        c.wait_log("slurmctld", "JobSubmitPlugins changed", since=mark)
        assert c.ping(), "slurmctld stopped answering after JobSubmitPlugins changed"
    for job in busy:
        c.wait_job_state(job, "RUNNING", timeout=30)
    return placed(c, c.job(start_in(c, "-p", "ai-startup", "-t", "30",
                                    "--gpus=%s:16" % L40S), details=True))


def start_in(c, *args):
    job = c.sbatch(*args, wrap=LONG)
    c.wait_job_state(job, "RUNNING", timeout=60)
    return job


AISHARE_ONLY = [waits_then_takes_a_freed_leaf, waits_then_falls_back,
                reclaim_frees_a_whole_leaf, explained, survives_a_job_submit_change,
                other_partitions]


def run_all(plugins):
    outcome = {}
    with make_cluster(plugins) as c:
        for scenario in SCENARIOS + (AISHARE_ONLY if plugins else []):
            outcome[scenario.__name__] = scenario(c)
            clear(c)
        if plugins:
            # Every multi-node job that started was measured by job_submit/aishare.
            outcome["status"] = json.loads(
                c.run([harness.aishare_tool(), "status", "--json"]).stdout)["placement"]
            outcome["status_text"] = c.run([harness.aishare_tool(), "status"]).stdout
            with open(os.path.join(c.dir, "state", "aishare_placement.log")) as f:
                outcome["status_text"] += "aishare_placement.log:\n" + f.read()
    return outcome


def test_aishare_places_on_the_lower_bound_where_stock_spreads():
    stock = run_all(plugins=False)
    ours = run_all(plugins=True)
    print("%-12s %-60s %s" % ("scenario", "stock topology/tree", "aishare"))
    for name in ours:
        if name != "status_text":
            print("%-12s %-60s %s" % (name, stock.get(name, "-"), ours[name]))
    print(ours["status_text"])

    # A GPU count after fragmentation: stock spreads over the partly used leaves,
    # aishare takes 4 whole exclusive nodes of the free leaf.
    assert stock["fragmented"]["leaves"] > stock["fragmented"]["bound"], stock
    assert ours["fragmented"]["leaves"] == ours["fragmented"]["bound"] == 1, ours
    assert ours["fragmented"]["nodes"] == 4 and ours["fragmented"]["exclusive"], ours
    # Node Weight overrides topology in stock Slurm, not under aishare.
    assert stock["weighted"]["leaves"] > stock["weighted"]["bound"], stock
    assert ours["weighted"]["leaves"] == ours["weighted"]["bound"] == 1, ours
    # More than a leaf: the fewest leaves, one class.
    assert ours["beyond_leaf"]["leaves"] == ours["beyond_leaf"]["bound"] == 2, ours
    assert ours["beyond_leaf"]["classes"] == [L40S], ours
    # Small jobs fill the partly used leaf; the whole L40S leaves stay whole.
    # Stock counts nodes with any free GPU, so leaf3 ties with the whole leaves.
    assert ours["keep_whole"]["leaves_of_small_jobs"] == ["leaf3"], ours
    assert ours["keep_whole"]["whole_leaves_left"] == ["leaf1", "leaf2", "leaf4"], ours
    assert len(stock["keep_whole"]["whole_leaves_left"]) < 3, stock
    # Stock mixes classes for 18 nodes; aishare says why not, in one sentence.
    assert stock["mixed"].get("classes") == sorted([L40S, H100]), stock
    assert ours["mixed"]["refused"].splitlines()[0] == (
        "sbatch: error: aishare: 18 nodes asked but partition ai-startup has at most 16 "
        "nodes of one GPU class, and a job never mixes classes; ask for at most 16 nodes"), ours

    # A bounded wait for one leaf, saying so: taken as soon as a leaf frees,
    # given up for the fewest leaves once CompactWait is over.
    assert ours["waits_then_takes_a_freed_leaf"]["leaves"] == ["leaf2"], ours
    assert re.fullmatch(r"aishare: waits up to \d+ s more for a compact placement on 1 leaf "
                        r"switch, then takes the fewest free",
                        ours["waits_then_takes_a_freed_leaf"]["reason"]), ours
    assert ours["waits_then_falls_back"]["leaves"] == 2, ours
    assert COMPACT_WAIT - 2 <= ours["waits_then_falls_back"]["waited"] <= COMPACT_WAIT + 15, ours
    # Reclaim takes back the leaf held by one borrower: one requeue, one leaf.
    assert ours["reclaim_frees_a_whole_leaf"] == {"leaves": ["leaf4"], "requeued": 1}, ours
    # aishare explain: the running job's leaves against both bounds, the waiting
    # job's shape, confinement and compact wait.
    assert "placed on 1 leaf switch; the free nodes of its class offered at best 1 " \
        "when it started, 1 on an empty machine" in ours["explained"]["running"], ours
    assert "confined to one switch of: " in ours["explained"]["running"], ours
    waiting = ours["explained"]["waiting"]
    assert waiting["state"] == "pending" and waiting["whole_nodes"], waiting
    assert (waiting["nodes"], waiting["switches"], waiting["leaf_switches_wanted"],
            waiting["compact_wait_s"]) == (16, "spine", 4, COMPACT_WAIT), waiting
    assert waiting["gpus_per_node"] == "gres:gpu:%s:4" % L40S, waiting
    assert waiting["pool"]["guarantee_gpus"] == 32, waiting
    # Restarted by a reconfigure, the plugin still shapes and confines.
    assert ours["survives_a_job_submit_change"]["exclusive"], ours
    assert ours["survives_a_job_submit_change"]["leaves"] == 1, ours
    # The general partition's jobs are shaped once the operator says so.
    assert ours["other_partitions"] == {"before": False, "after": True,
                                        "after_leaves": 1}, ours
    # aishare status: every multi-node job at its free-set bound; only the one
    # that fell back after its compact wait missed the ideal.
    placement = ours["status"]
    assert placement["multi_node_jobs"] >= 10, placement
    assert placement["at_bound"] == placement["multi_node_jobs"], placement
    assert placement["multi_node_jobs"] - placement["at_ideal"] == 1, placement
    assert "placement: %d multi-node jobs started" % placement["multi_node_jobs"] \
        in ours["status_text"], ours["status_text"]


if __name__ == "__main__":
    harness.main(globals())
