#!/usr/bin/python3
# Copyright (C) 2026 The slurm-aishare authors.  GPL-2.0-or-later.
"""Replay a GPU job trace on an emulated 64-node cluster, once per
configuration, and print the outcome side by side.

The cluster is real Slurm on loopback (tests/cluster/harness.py): slurmctld,
slurmdbd + MariaDB, 64 slurmd of 8 fake GPUs in 8 leaf switches of 8 nodes
(the shape of a slice of the Lingjun fabric, whose leaves hold up to 8 hosts).
Each trace job becomes `sbatch --wrap "sleep D"` at its submit time, with time
compressed SPEEDUP times.  Configurations:

  B1  stock Slurm, overlapping partitions `gpu` and `ai-startup` on all nodes,
      preempt/partition_prio (ai-startup has the higher PriorityTier, REQUEUE)
  B3  stock Slurm, a dedicated `ai-startup` partition of the first half of the
      leaves, `gpu` on the rest
  P   the aishare plugins: both partitions on all nodes, Pools=ai-startup with
      a 50 % guarantee lent in preempt mode, compact placement, start-up
      priority and grants

Jobs' records come from sacct (every run of a requeued job), and are scored by
`aishare sim --score`, so the replay and the simulator share every metric's
definition.  With --sim the same trace also runs through `aishare sim` for
each configuration, and the table shows the two side by side.

    bench/replay.py                       # B1, B3 and P, about 40 min
    bench/replay.py --configs P --jobs 50 # a short look at one configuration
"""

import argparse
import concurrent.futures
import csv
import json
import math
import os
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "cluster"))
import harness  # noqa: E402

GPUS_PER_NODE, CPUS_PER_NODE = 8, 16
POOL = "ai-startup"
SHARE = "50%"
KILL_WAIT = 2          # slurm.conf KillWait, seconds (the harness's)
REQUEUE_DELAY = 5      # seconds before a requeued job may start again
SUBMITTERS = 6
# Wall-clock policy knobs, chosen so that at speedup 8 they mean about five
# minutes of trace time.
COMPACT_WAIT = "0:37"
LARGE_JOB_WAIT = "0:37"

RECORD_COLUMNS = ["id", "account", "partition", "nodes", "gpus", "duration",
                  "submit", "start", "end", "preemptions", "reclaim_latency",
                  "nodelist"]


TRACE_COLUMNS = ["id", "submit", "account", "partition", "nodes", "gpus", "duration",
                 "time_limit"]


def read_trace(path, most_gpus, limit):
    """(speedup named in the header comment or None, list of job dicts): the
    first LIMIT jobs (None: all) that ask for at most MOST_GPUS GPUs."""
    speedup = None
    with open(path, newline="") as f:
        lines = []
        for line in f:
            if line.startswith("#"):
                words = line.split()
                if "speedup" in words:
                    speedup = float(words[words.index("speedup") + 1].rstrip(";"))
                continue
            lines.append(line)
    jobs = []
    for job in csv.DictReader(lines):
        for key in TRACE_COLUMNS:
            if key not in ("account", "partition"):
                job[key] = int(job[key])
        if job["gpus"] <= most_gpus:
            jobs.append(job)
    return speedup, jobs[:limit] if limit else jobs


def write_trace(path, jobs):
    with open(path, "w", newline="") as f:
        writer = csv.DictWriter(f, TRACE_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(jobs)


def config_cluster_args(name, nodes, leaves, speedup, span):
    """harness.Cluster keyword arguments for configuration NAME."""
    enforce = "AccountingStorageEnforce=associations,limits"
    if name == "B1":
        return dict(plugins=False, extra_conf=[
            enforce, "PreemptType=preempt/partition_prio", "PreemptMode=REQUEUE"],
            partitions=[
                "PartitionName=gpu Nodes=ALL Default=YES MaxTime=INFINITE State=UP "
                "PriorityTier=1 GraceTime=0",
                "PartitionName=%s Nodes=ALL MaxTime=INFINITE State=UP "
                "PriorityTier=2" % POOL])
    if name == "B3":
        # The first half of the leaves, as `aishare sim --config B3` splits them.
        half = nodes // leaves * ((leaves + 1) // 2)
        return dict(plugins=False, extra_conf=[enforce], partitions=[
            "PartitionName=gpu Nodes=node[%02d-%02d] Default=YES MaxTime=INFINITE "
            "State=UP" % (half + 1, nodes),
            "PartitionName=%s Nodes=node[01-%02d] MaxTime=INFINITE State=UP"
            % (POOL, half)])
    return dict(plugins=True, switch_features=True, extra_conf=[enforce],
                params=policy_params(speedup, span, int(time.time())),
                partitions=[
                    "PartitionName=gpu Nodes=ALL Default=YES MaxTime=INFINITE "
                    "State=UP GraceTime=0",
                    "PartitionName=%s Nodes=ALL MaxTime=INFINITE State=UP" % POOL])


def policy_params(speedup, span, grant_start):
    """P's policy.  The grant period covers the replay, in wall minutes as Slurm
    charges them."""
    period_min = int(math.ceil(span / speedup / 60.0)) + 1
    return ("Pools=%s,Share=%s,LendMode=preempt,CompactWait=%s,GrantPeriod=%d,"
            "GrantStart=%d,LargeJobGpus=%d,LargeJobWait=%s,RecalcInterval=0:01"
            % (POOL, SHARE, COMPACT_WAIT, period_min, grant_start,
               4 * GPUS_PER_NODE, LARGE_JOB_WAIT))


def grants_gpu_minutes(jobs, speedup):
    """Each start-up's grant: 125 % of its demand, in wall GPU-minutes."""
    demand = {}
    for job in jobs:
        if job["partition"] == POOL:
            demand[job["account"]] = demand.get(job["account"], 0) + \
                job["gpus"] * job["duration"] / speedup / 60.0
    return {account: int(math.ceil(1.25 * d)) + 1 for account, d in demand.items()}


def add_accounts(c, jobs, grants):
    def sacctmgr(*args):
        c.run(["sacctmgr", "-i"] + list(args))
    sacctmgr("add", "account", "startups", "description=start-ups")
    sacctmgr("add", "account", "general", "description=other users")
    accounts = sorted({job["account"] for job in jobs})
    for account in accounts:
        if account in grants:
            sacctmgr("add", "account", account, "parent=startups",
                     "GrpTRESMins=gres/gpu=%d" % grants[account])
        else:
            sacctmgr("add", "account", account, "parent=general")
        sacctmgr("add", "user", "root", "account=%s" % account)

    def known():
        out = c.scontrol("show", "assoc_mgr", "flags=assoc")
        return all("Account=%s UserName= " % a in out for a in accounts)
    c.wait_until(known, 60, "slurmctld to know the trace's accounts")


def sbatch_args(job, speedup):
    """What the trace's user would type, time compressed."""
    limit_min = max(1, int(math.ceil(job["time_limit"] / speedup / 60.0)))
    args = ["-p", job["partition"], "-A", job["account"], "-J", "t%d" % job["id"],
            "-t", str(limit_min), "-o", "/dev/null"]
    if job["nodes"] == 0:
        args += ["--gpus=%d" % job["gpus"]]
    elif job["nodes"] == 1:
        args += ["-N", "1", "--gpus=%d" % job["gpus"]]
    else:
        args += ["-N", str(job["nodes"]),
                 "--gpus-per-node=%d" % (job["gpus"] // job["nodes"])]
    return args


def submit_all(c, jobs, speedup):
    """Submit each job at its (compressed) time; returns the wall start.

    An sbatch takes a few tenths of a second here, and the trace has bursts,
    so SUBMITTERS threads submit side by side."""
    t0 = time.time()
    lateness = []

    def submit(job):
        delay = t0 + job["submit"] / speedup - time.time()
        if delay > 0:
            time.sleep(delay)      # pacing the submissions, not synchronising
        lateness.append(max(0.0, -delay))
        c.sbatch(*sbatch_args(job, speedup),
                 wrap="sleep %.2f" % (job["duration"] / speedup))

    with concurrent.futures.ThreadPoolExecutor(SUBMITTERS) as pool:
        for future in [pool.submit(submit, job) for job in jobs]:
            future.result()
    lateness.sort()
    print("  submissions late by p50 %.1f s, p99 %.1f s (wall)"
          % (lateness[len(lateness) // 2], lateness[int(len(lateness) * 0.99)]))
    return t0


def wait_drained(c, deadline):
    def empty():
        return not c.run(["squeue", "-h", "-o", "%i"]).stdout.strip()
    try:
        c.wait_until(empty, max(1, deadline - time.time()), "the queue to drain",
                     interval=2)
    except harness.ClusterError:
        left = c.run(["squeue", "-h", "-o", "%i"]).stdout.split()
        print("  %d jobs still queued or running at the horizon: cancelled"
              % len(left))
        c.run(["scancel", "--full"] + left, check=False)


def sacct_runs(c, since):
    """Every run of every job (requeued jobs have several), oldest first."""
    out = c.run(["sacct", "-X", "-D", "-n", "-P", "-S",
                 time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(since - 60)),
                 "-E", "now", "--format=JobID,JobName,Account,Partition,Submit,"
                 "Start,End,State,NodeList"], timeout=120).stdout
    runs = []
    for line in out.splitlines():
        jobid, name, account, partition, submit, start, end, state, nodelist = \
            line.split("|")
        if not name.startswith("t"):
            continue
        runs.append(dict(trace_id=int(name[1:]), account=account,
                         partition=partition, submit=epoch(submit),
                         start=epoch(start), end=epoch(end),
                         state=state.split()[0],
                         nodes=(harness.expand_hostlist(nodelist)
                                if nodelist not in ("", "None assigned") else [])))
    return runs


def epoch(text):
    when = harness.parse_slurm_time(text)
    return None if when is None else when.timestamp()


def records_from_runs(jobs, runs, t0, speedup, horizon):
    """One record per trace job in trace seconds (see RECORD_COLUMNS).

    T0 is the wall time (a float) at which the replay began; RUNS hold Slurm's
    timestamps, which are whole seconds.  No record starts before its own
    submission nor ends before its start: waits and run times are never
    negative, whatever the fraction of a second at which the replay began."""
    def trace_time(wall):
        """Trace seconds of a Slurm timestamp, or None.  The event happened
        in the whole second [wall, wall + 1), and not before the replay
        began: take the middle of what is left of that second."""
        if wall is None:
            return None
        low, high = max(wall, t0), max(wall + 1, t0)
        return round(((low + high) / 2 - t0) * speedup, 1)

    by_job = {}
    for run in runs:
        by_job.setdefault(run["trace_id"], []).append(run)
    preempted = [run for run in runs if run["state"] in ("PREEMPTED", "REQUEUED")
                 and run["end"] is not None]
    records = []
    for job in jobs:
        job_runs = by_job.get(job["id"], [])
        last = job_runs[-1] if job_runs else None
        # Waits count from when Slurm got the job: a submission the
        # harness made late in a burst is not Slurm's wait.
        submit = trace_time(job_runs[0]["submit"]) if job_runs else None
        if submit is None:
            submit = float(job["submit"])
        start = end = None
        if last and last["nodes"]:
            start = trace_time(last["start"])
        if start is not None:
            start = max(start, submit)
            if last["state"] == "COMPLETED":
                end = trace_time(last["end"])
                end = None if end is None else max(end, start)
        if start is not None and start > horizon:
            start = end = None
        elif end is not None and end > horizon:
            end = None
        latency = -1
        if job["partition"] == POOL and start is not None:
            # Runs preempted while this job waited, on nodes it then took.
            freed = [trace_time(v["end"]) for v in preempted
                     if v["trace_id"] != job["id"]
                     and submit <= trace_time(v["end"]) <= start
                     and set(v["nodes"]) & set(last["nodes"])]
            if freed:
                latency = round(start - min(freed), 1)
        records.append(dict(
            id=job["id"], account=job["account"], partition=job["partition"],
            nodes=job["nodes"], gpus=job["gpus"], duration=job["duration"],
            submit=submit, start=-1 if start is None else start,
            end=-1 if end is None else end,
            preemptions=sum(1 for r in job_runs if r["state"] in ("PREEMPTED",
                                                                "REQUEUED")),
            reclaim_latency=latency,
            nodelist=" ".join(last["nodes"]) if start is not None else ""))
    return records


def write_records(path, records):
    with open(path, "w", newline="") as f:
        writer = csv.DictWriter(f, RECORD_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(records)


def sdiag_cycles(c):
    """Mean main and backfill scheduling cycle (microseconds) from sdiag."""
    out = c.run(["sdiag"]).stdout
    section, cycles = None, {}
    for line in out.splitlines():
        line = line.strip()
        if line.startswith("Main schedule statistics"):
            section = "main"
        elif line.startswith("Backfilling stats"):
            section = "backfill"
        elif line.startswith("Mean cycle:") and section:
            cycles[section] = int(line.split(":")[1])
    return cycles


def replay(name, jobs, args, span):
    speedup = args.speedup
    grants = grants_gpu_minutes(jobs, speedup)
    kwargs = config_cluster_args(name, args.nodes, args.leaves, speedup, span)
    print("%s: starting %d nodes x %d GPUs ..." % (name, args.nodes, GPUS_PER_NODE),
          flush=True)
    begun = time.time()
    with harness.Cluster("replay-%s" % name, nodes=args.nodes, leaves=args.leaves,
                         gpus_per_node=GPUS_PER_NODE, cpus_per_node=CPUS_PER_NODE,
                         accounting=True, requeue_delay=REQUEUE_DELAY,
                         min_job_age=600, **kwargs) as c:
        add_accounts(c, jobs, grants)
        print("  %s: cluster and accounts up in %.0f s" % (name, time.time() - begun),
              flush=True)
        shutil.copy(c._path("topology.conf"), os.path.join(args.output, "topology.conf"))
        t0 = submit_all(c, jobs, speedup)
        print("  %s: %d jobs submitted in %.0f s" % (name, len(jobs), time.time() - t0),
              flush=True)
        horizon = span + args.drain
        wait_drained(c, t0 + horizon / speedup)
        alive = c.ping()
        cycles = sdiag_cycles(c)
        ledger = c.pool_status() if name == "P" else None
        runs = sacct_runs(c, t0)
    records = records_from_runs(jobs, runs, t0, speedup, horizon)
    path = os.path.join(args.output, "records-%s.csv" % name)
    write_records(path, records)
    return dict(records=path, horizon=horizon, alive=alive, cycles=cycles,
                ledger=ledger, grants=grants, params=kwargs.get("params"))


def score(tool, name, records, topology, speedup, horizon, plots):
    argv = [tool, "sim", "--score", records, "--topology", topology,
            "--config", name, "--params", "Pools=%s,Share=%s" % (POOL, SHARE),
            "--speedup", "%g" % speedup, "--horizon", "%g" % horizon, "--json"]
    if plots:
        os.makedirs(plots, exist_ok=True)
        argv += ["--plots", plots]
    return json.loads(subprocess.run(argv, check=True, capture_output=True,
                                     text=True).stdout)


def simulate(tool, name, trace, topology, args, replayed):
    """`aishare sim` of the trace with the replay's policy, grants and horizon."""
    records = os.path.join(args.output, "sim-records-%s.csv" % name)
    argv = [tool, "sim", "--trace", trace, "--topology", topology, "--config", name,
            "--params", replayed["params"] or "Pools=%s,Share=%s" % (POOL, SHARE),
            "--speedup", "%g" % args.speedup, "--horizon", "%g" % replayed["horizon"],
            "--requeue-delay", "%g" % (REQUEUE_DELAY + 1),
            "--records", records, "--json"]
    for account, grant in sorted(replayed["grants"].items()):
        argv += ["--grant", "%s=%d" % (account, grant)]
    return json.loads(subprocess.run(argv, check=True, capture_output=True,
                                     text=True).stdout)


# (label, JSON key, format) of each row of the table, in the order printed.
ROWS = [
    ("start-up wait p50 (s)", "startup_wait_p50", "%.0f"),
    ("start-up wait p95 (s)", "startup_wait_p95", "%.0f"),
    ("general wait p50 (s)", "general_wait_p50", "%.0f"),
    ("general wait p95 (s)", "general_wait_p95", "%.0f"),
    ("GPU utilisation", "utilisation", "%.3f"),
    ("utilisation / trace ceiling", "utilisation_of_ceiling", "%.3f"),
    ("multi-node jobs", "multinode_jobs", "%d"),
    ("  at the free-set bound", "share_at_bound", "%.2f"),
    ("  at the ideal", "share_at_ideal", "%.2f"),
    ("  mean leaves over bound", "leaves_over_bound", "%.2f"),
    ("  mean leaves over ideal", "leaves_over_ideal", "%.2f"),
    ("reclaims (preemptions)", "reclaims", "%d"),
    ("reclaim latency p50 (s)", "reclaim_latency_p50", "%.0f"),
    ("reclaim latency max (s)", "reclaim_latency_max", "%.0f"),
    ("reclaim latency bound (s)", "reclaim_latency_bound", "%.0f"),
    ("Jain's index, start-ups", "jain_startups", "%.3f"),
]


def cell(metrics, key, fmt):
    value = metrics.get(key) if metrics else None
    return "-" if value is None else fmt % value


def print_table(columns, out):
    """COLUMNS: list of (heading, metrics dict)."""
    width = max(len(label) for label, _, _ in ROWS) + 2
    lines = ["".ljust(width) + "".join(h.rjust(11) for h, _ in columns)]
    for label, key, fmt in ROWS:
        lines.append(label.ljust(width) + "".join(
            cell(m, key, fmt).rjust(11) for _, m in columns))
    text = "\n".join(lines)
    print(text)
    out.write(text + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trace", default=os.path.join(HERE, "traces", "replay64.csv"))
    parser.add_argument("--configs", default="B1,B3,P")
    parser.add_argument("--speedup", type=float,
                        help="trace seconds per wall second (default: the trace's)")
    parser.add_argument("--jobs", type=int, help="replay only the first JOBS jobs")
    parser.add_argument("--nodes", type=int, default=64)
    parser.add_argument("--leaves", type=int, default=8)
    parser.add_argument("--drain", type=float, default=1800,
                        help="trace seconds after the last submission up to which "
                        "jobs are measured, the same for every configuration "
                        "(default: %(default)s)")
    parser.add_argument("--sim", action="store_true",
                        help="also run aishare sim on the same trace, side by side")
    parser.add_argument("--output", default="aishare-replay")
    args = parser.parse_args()

    if not os.path.exists(args.trace):
        subprocess.run([sys.executable, os.path.join(HERE, "make_trace.py"),
                        "--preset", "replay64", "-o", args.trace], check=True)
    speedup, jobs = read_trace(args.trace, args.nodes * GPUS_PER_NODE, args.jobs)
    args.speedup = args.speedup or speedup or 1.0
    span = max(job["submit"] for job in jobs) + 1
    tool = harness.aishare_tool()
    os.makedirs(args.output, exist_ok=True)
    # The jobs replayed, for the simulator and for whoever reads the report.
    trace = os.path.join(args.output, "trace.csv")
    write_trace(trace, jobs)
    report = open(os.path.join(args.output, "report.txt"), "w")
    print("trace %s: %d jobs over %d s, replayed %gx faster; %d nodes x %d GPUs "
          "in %d leaves" % (args.trace, len(jobs), span, args.speedup, args.nodes,
                            GPUS_PER_NODE, args.leaves))

    columns, notes = [], []
    for name in args.configs.split(","):
        started = time.monotonic()
        result = replay(name, jobs, args, span)
        topology = os.path.join(args.output, "topology.conf")
        metrics = score(tool, name, result["records"], topology, args.speedup,
                        result["horizon"], os.path.join(args.output, "plots-%s" % name))
        columns.append((name, metrics))
        notes.append("%s: %.0f s wall, horizon %.0f trace s, slurmctld %s, sdiag mean "
                     "cycle main %s us, backfill %s us%s"
                     % (name, time.monotonic() - started, result["horizon"],
                        "alive" if result["alive"] else "DEAD",
                        result["cycles"].get("main", "-"),
                        result["cycles"].get("backfill", "-"),
                        "; ledger: %s" % json.dumps(result["ledger"])
                        if result["ledger"] else ""))
        if args.sim:
            columns.append((name + " sim", simulate(tool, name, trace, topology, args,
                                                    result)))
        print("  " + notes[-1], flush=True)

    print()
    print_table(columns, report)
    for note in notes:
        print(note)
        report.write(note + "\n")
    report.close()
    print("report: %s" % os.path.join(args.output, "report.txt"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
