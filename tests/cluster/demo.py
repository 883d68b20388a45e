#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""slurm-aishare demo: a 16-node GPU cluster on loopback running a small mixed
workload, with the aishare plugins loaded.

Starts a private Slurm (slurmctld + 16 slurmd, 4 fake GPUs per node, 4 leaf
switches of 4 nodes under one spine), partitions `gpu` and `ai-startup` over
the same nodes, submits a dozen jobs (single-GPU, whole-node, 2- and 4-node,
in both partitions), waits for them, then shows the guarantee at work: general
jobs borrow every GPU, a start-up job within the pool's guarantee takes its
share back by requeueing the fewest of them.  It prints where and when each job
ran: GPUs, nodes, leaf switches spanned (against the ideal for its size),
state, restarts, wait and run time, and `aishare status` before and after the
reclaim.  Everything is torn down at the end unless --keep.

It leaves in the output directory (--output, default ./aishare-demo):
report.txt (what it printed), pools.png (the start-up pool's use, lending and
reclaims over time, from `aishare status --json` sampled every second, kept in
pool-samples.json) and placement.png (every job over the nodes, grouped by
leaf switch).

    AISHARE_PLUGIN_DIR=_build/plugin/.libs tests/cluster/demo.py
    tests/cluster/demo.py --no-plugins        # stock Slurm, for comparison
"""

import argparse
import json
import math
import os
import shutil
import sys
import threading
import time
from xml.etree import ElementTree

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

# (partition, nodes, GPUs per node, whole node, seconds of sleep).  Together
# they ask for more than the 64 GPUs, so later jobs wait for earlier ones.
WORKLOAD = [
    ("ai-startup", 4, 4, True, 6),   # a 4-node training job: one leaf ideally
    ("gpu", 1, 1, False, 4),
    ("gpu", 2, 4, True, 5),
    ("ai-startup", 1, 1, False, 3),
    ("gpu", 4, 4, True, 6),
    ("ai-startup", 2, 4, True, 4),
    ("gpu", 1, 2, False, 5),
    ("ai-startup", 1, 4, True, 3),
    ("gpu", 2, 2, False, 4),
    ("ai-startup", 4, 4, True, 5),   # arrives when the machine is full
    ("gpu", 1, 1, False, 2),
    ("ai-startup", 2, 1, False, 3),
]

DEADLINE_S = 90

# The reclaim: general jobs on all 16 nodes, then a start-up job of 8 GPUs,
# within the pool's guarantee of 16 (Share=25% of 64).
BORROWERS = ("gpu", 1, 4, True, 12)
RECLAIMER = ("ai-startup", 2, 4, True, 4)

# GraceTime=0: Slurm 22.05 requeues a victim whose grace is over only at its
# 30 s time-limit check, which would make the demo wait for nothing.
PARTITIONS = ["PartitionName=gpu Nodes=ALL Default=YES MaxTime=INFINITE State=UP GraceTime=0",
              "PartitionName=ai-startup Nodes=ALL MaxTime=INFINITE State=UP"]


def submit(cluster, partition, nodes, gpus, whole, seconds):
    """Submit one job; (job id, None) or (None, sbatch's error message).

    A rejection (e.g. by job_submit/aishare) is part of the demo's story,
    not a crash: it is shown in the report.
    """
    argv = ["sbatch", "--parsable", "-p", partition, "-N", str(nodes),
            "--gres=gpu:%d" % gpus, "--time=5", "-o", "/dev/null",
            "-J", "demo-%s-%dx%d" % (partition, nodes, gpus)]
    if whole:
        argv.append("--exclusive")
    argv.append("--wrap=sleep %d" % seconds)
    proc = cluster.run(argv, check=False)
    if proc.returncode != 0:
        return None, proc.stderr.strip().replace("sbatch: error: ", "")
    return int(proc.stdout.strip().split(";")[0]), None


def seconds_between(start, end):
    a, b = harness.parse_slurm_time(start), harness.parse_slurm_time(end)
    if a is None or b is None:
        return None
    return (b - a).total_seconds()


def fmt_s(value):
    return "-" if value is None else "%.0fs" % value


def report(cluster, records):
    """Print one row per job and the totals; return True if all COMPLETED."""
    if not records:
        print("no jobs ran")
        return False
    per_leaf = max(len(n) for n in cluster.leaves.values())
    header = ("JOBID", "PARTITION", "GPUS", "NODES", "NODELIST", "LEAVES",
              "IDEAL", "STATE", "RESTARTS", "WAIT", "RUN")
    rows = []
    waits, gpu_seconds, compact, multi = [], 0.0, 0, 0
    first_submit = last_end = None
    for jobid, job in records:
        nodes = harness.expand_hostlist(job.get("NodeList"))
        leaves = cluster.job_leaves(job)
        ideal = max(1, math.ceil(len(nodes) / per_leaf)) if nodes else 0
        wait = seconds_between(job.get("SubmitTime"), job.get("StartTime"))
        run = seconds_between(job.get("StartTime"), job.get("EndTime"))
        gpus = cluster.job_gpus(job)
        if wait is not None:
            waits.append(wait)
        if run is not None:
            gpu_seconds += run * gpus
        if len(nodes) > 1:
            multi += 1
            compact += len(leaves) <= ideal
        submit_t = harness.parse_slurm_time(job.get("SubmitTime"))
        end_t = harness.parse_slurm_time(job.get("EndTime"))
        if submit_t and (first_submit is None or submit_t < first_submit):
            first_submit = submit_t
        if end_t and (last_end is None or end_t > last_end):
            last_end = end_t
        rows.append((str(jobid), job.get("Partition", "?"), str(gpus),
                     str(len(nodes)), job.get("NodeList", "?"),
                     "%d %s" % (len(leaves), ",".join(leaves)), str(ideal),
                     job.get("JobState", "?"), job.get("Restarts", "0"),
                     fmt_s(wait), fmt_s(run)))
    widths = [max(len(r[i]) for r in rows + [header]) for i in range(len(header))]
    for row in [header] + rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())

    done = sum(1 for _, j in records if j.get("JobState") == "COMPLETED")
    makespan = (last_end - first_submit).total_seconds() \
        if first_submit and last_end else None
    print()
    print("jobs: %d, completed: %d" % (len(records), done))
    print("GPU time: %.0f GPU-seconds over a makespan of %s on %d GPUs"
          % (gpu_seconds, fmt_s(makespan),
             cluster.num_nodes * cluster.gpus_per_node))
    if waits:
        print("wait: mean %.1fs, max %.0fs" % (sum(waits) / len(waits), max(waits)))
    print("multi-node jobs on their ideal number of leaf switches: %d of %d"
          % (compact, multi))
    requeued = sum(1 for _, j in records if j.get("Restarts", "0") != "0")
    print("jobs requeued to give the start-up pool its share back: %d" % requeued)
    return done == len(records)


CLUSTER = None  # the running cluster, for show_status()


def show_status(title):
    """`aishare status`, the operator's view of the pool, when the tool is built."""
    tool = harness.aishare_tool(required=False)
    if not tool:
        return
    print("%s:" % title)
    proc = CLUSTER.run([tool, "status"], check=False)
    for line in (proc.stdout or proc.stderr).splitlines():
        print("  " + line)
    print()


def write_node_xml(c, topology_dir):
    """Each node's hwloc XML in TOPOLOGY_DIR, the plugins' TopologyDir: the 4-GPU
    PCIe fixture for every node, but the last node has lost a GPU (its PCI
    device is gone from the XML), as a node with a failed GPU shows it."""
    fixture = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data",
                           "hwloc", "gpu4-pcie.xml")
    for node in c.node_names[:-1]:
        shutil.copy(fixture, os.path.join(topology_dir, node + ".xml"))
    root = ElementTree.parse(fixture).getroot()
    parents = {child: parent for parent in root.iter() for child in parent}
    gpus = [o for o in root.iter("object")
            if o.get("type") == "PCIDev" and o.get("pci_type", "").startswith("0302")]
    parents[gpus[-1]].remove(gpus[-1])
    with open(os.path.join(topology_dir, c.node_names[-1] + ".xml"), "w") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n'
                '<!DOCTYPE topology SYSTEM "hwloc2.dtd">\n')
        f.write(ElementTree.tostring(root, encoding="unicode"))


def show_topology(c, topology_dir):
    """The machine as placement sees it: `aishare topo` over TOPOLOGY_DIR."""
    tool = harness.aishare_tool(required=False)
    if not tool:
        return
    topology_conf = os.path.join(c.dir, "topology.conf")
    commands = [
        ("node classes", ["show", topology_dir], lambda l: l.startswith(("class", "  nodes"))),
        ("topology.conf and slurm.conf against hwloc",
         ["check", "--topology", topology_conf, "--slurm-conf", c.conf_path, topology_dir],
         lambda l: True),
        ("a 6-node job on an empty machine",
         ["bound", "--topology", topology_conf, "--nodes", "6"], lambda l: True),
    ]
    for title, args, keep in commands:
        proc = c.run([tool, "topo"] + args, check=False)
        print("aishare topo %s (%s):" % (args[0], title))
        for line in (proc.stdout + proc.stderr).splitlines():
            if keep(line):
                print("  " + line)
    print()


class Tee:
    """Writes to the terminal and to the report file at once."""

    def __init__(self, stream, path):
        self.stream, self.file = stream, open(path, "w")

    def write(self, text):
        self.stream.write(text)
        self.file.write(text)

    def flush(self):
        self.stream.flush()
        self.file.flush()

    def close(self):
        self.file.close()


class StatusSampler(threading.Thread):
    """`aishare status --json` every second while the demo runs: the data of
    pools.png.  A failed sample is skipped (the plot shows a gap), never fatal."""

    def __init__(self, cluster, tool, interval=1.0):
        super().__init__(daemon=True)
        self.cluster, self.tool, self.interval = cluster, tool, interval
        self.samples, self.stopping = [], threading.Event()

    def run(self):
        while not self.stopping.is_set():
            try:
                proc = self.cluster.run([self.tool, "status", "--json"], check=False,
                                        timeout=10)
                if proc.returncode == 0:
                    self.samples.append(json.loads(proc.stdout))
            except (harness.ClusterError, ValueError):
                pass
            self.stopping.wait(self.interval)

    def stop(self):
        self.stopping.set()
        self.join()
        return self.samples


def write_pictures(c, records, samples, output):
    """pools.png and placement.png in OUTPUT; prints where they are."""
    import demo_plots  # matplotlib: only the pictures need it

    jobs, t0 = [], None
    for jobid, job in records:
        start = harness.parse_slurm_time(job.get("StartTime"))
        end = harness.parse_slurm_time(job.get("EndTime"))
        submitted = harness.parse_slurm_time(job.get("SubmitTime"))
        if submitted and (t0 is None or submitted < t0):
            t0 = submitted
        jobs.append((jobid, job.get("Partition", "?"),
                     harness.expand_hostlist(job.get("NodeList")), start, end))
    written = []
    if t0 is not None:
        path = os.path.join(output, "placement.png")
        demo_plots.placement_png(path, c.leaves, jobs, t0)
        written.append(path)
    if samples:
        with open(os.path.join(output, "pool-samples.json"), "w") as f:
            json.dump(samples, f)
        path = os.path.join(output, "pools.png")
        demo_plots.pools_png(path, samples)
        written.append(path)
    else:
        print("no `aishare status` samples (stock Slurm or no aishare tool): no pools.png")
    for path in written:
        print("picture: %s" % path)


def wait_all_done(c, jobs):
    """Records of JOBS once all ended (deadline DEADLINE_S)."""
    def all_done():
        recs = [(j, c.job(j, details=True)) for j in jobs]
        missing = [j for j, r in recs if r is None]
        if missing:
            raise harness.StopWaiting("jobs %s vanished from slurmctld" % missing)
        if all(r["JobState"] in harness.TERMINAL_JOB_STATES for _, r in recs):
            return recs
        return None
    try:
        return harness.wait_until(all_done, DEADLINE_S,
                                  "all %d demo jobs to finish" % len(jobs), interval=0.5)
    except harness.ClusterError:
        c.mark_failed()
        print(c.run(["squeue", "-o", "%i %P %T %r %D %b %N"]).stdout)
        raise


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-plugins", action="store_true",
                        help="stock Slurm only (no AISHARE_PLUGIN_DIR needed)")
    parser.add_argument("--keep", action="store_true",
                        help="leave the cluster directory (configs, logs) behind")
    parser.add_argument("--params", default=None,
                        help="PrioritySiteFactorParameters for the plugins")
    parser.add_argument("--output", default="aishare-demo",
                        help="directory for report.txt, pools.png and placement.png "
                        "(default: %(default)s)")
    args = parser.parse_args()
    if args.keep:
        os.environ["AISHARE_KEEP"] = "1"
    os.makedirs(args.output, exist_ok=True)
    report_path = os.path.join(args.output, "report.txt")
    sys.stdout = Tee(sys.stdout, report_path)
    try:
        return run_demo(args)
    finally:
        print("report: %s" % report_path)
        sys.stdout.flush()
        sys.stdout.close()
        sys.stdout = sys.stdout.stream


def run_demo(args):
    started = time.monotonic()
    plugins = not args.no_plugins
    # The nodes' hwloc XML go beside the report; `aishare status` reads them
    # from the plugins' TopologyDir, as an operator's would.
    topology_dir = os.path.abspath(os.path.join(args.output, "topology"))
    os.makedirs(topology_dir, exist_ok=True)
    params = args.params
    if plugins and not (params and "topologydir=" in params.lower()):
        params = ",".join(p for p in (params, "TopologyDir=" + topology_dir) if p)
    global CLUSTER
    # Nodes carry their switches' features (aishare topo features) for placement.
    with harness.Cluster("demo", nodes=16, leaves=4, gpus_per_node=4,
                         plugins=plugins, params=params, partitions=PARTITIONS,
                         requeue_delay=5, min_job_age=600, switch_features=True) as c:
        CLUSTER = c
        print("slurm-aishare demo: 16 nodes x 4 GPUs in 4 leaf switches, "
              "partitions gpu and ai-startup, %s"
              % ("aishare plugins from %s" % c.plugin_dir if plugins
                 else "stock Slurm (no plugins)"))
        print("cluster directory: %s (up in %.1fs)"
              % (c.dir, time.monotonic() - started))
        if plugins:
            for line in c.log_text("slurmctld").splitlines():
                if "/aishare: slurm-aishare" in line:
                    print("  " + line.split("] ", 1)[-1])
        print()
        write_node_xml(c, topology_dir)
        show_topology(c, topology_dir)
        tool = harness.aishare_tool(required=False)
        sampler = StatusSampler(c, tool) if plugins and tool else None
        if sampler:
            sampler.start()

        jobs = []
        rejected = []
        for spec in WORKLOAD:
            jobid, error = submit(c, *spec)
            if jobid is None:
                rejected.append((spec, error))
            else:
                jobs.append(jobid)
        records = wait_all_done(c, jobs) if jobs else []

        # The guarantee: borrowers on every node, then the pool takes its share.
        borrowers = [submit(c, *BORROWERS)[0] for _ in range(c.num_nodes)]
        for jobid in borrowers:
            c.wait_job_state(jobid, "RUNNING", timeout=60)
        if plugins:
            show_status("every GPU borrowed")
        reclaimer, error = submit(c, *RECLAIMER)
        if reclaimer is None:
            rejected.append((RECLAIMER, error))
        else:
            c.wait_job_state(reclaimer, ("RUNNING", "COMPLETED"), timeout=60)
            if plugins:
                show_status("after the start-up job took its share back")
        more = borrowers + ([reclaimer] if reclaimer else [])
        records += wait_all_done(c, more)
        samples = sampler.stop() if sampler else []
        if plugins:
            show_status("at the end: the pool and the placement of multi-node jobs")
        ok = report(c, records)
        print()
        write_pictures(c, records, samples, args.output)
        for (part, nodes, gpus, whole, _), error in rejected:
            print("rejected: -p %s -N %d --gres=gpu:%d%s: %s"
                  % (part, nodes, gpus, " --exclusive" if whole else "", error))
        ok = ok and not rejected
        if not ok:
            c.mark_failed()
    print("\ndemo finished in %.0fs" % (time.monotonic() - started))
    return 0 if ok else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except harness.ClusterError as exc:
        print("demo: %s" % exc, file=sys.stderr)
        if "AISHARE_PLUGIN_DIR" in str(exc):
            print("demo: or run it on stock Slurm with --no-plugins",
                  file=sys.stderr)
        sys.exit(1)
