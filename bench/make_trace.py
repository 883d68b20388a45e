#!/usr/bin/python3
# Copyright (C) 2026 The slurm-aishare authors.  GPL-2.0-or-later.
"""Turn the shared GPU job traces into the trace format that bench/replay.py
and `aishare sim` read (see aishare(1), SIM).

Sources (read-only, see ../shared/data/README.md for provenance and licences):
  philly_mix1.csv           30,940 Philly-derived jobs; `user` is a virtual
                            cluster, used here as the Slurm account
  acme_kalos_multinode.csv  319 Kalos LLM jobs of 1-128 nodes of 8 GPUs

Output columns: id,submit,account,partition,nodes,gpus,duration,time_limit.
Jobs of the START_UP accounts go to the pool partition `ai-startup`, the
others to `gpu`.  Philly jobs of up to one node's GPUs ask for one node
(`-N 1`); larger ones only for GPUs (`--gpus=G`), as Philly's users did.
Kalos jobs ask for whole nodes (`-N W --gpus-per-node=8`).  Users' time
limits are not in the traces: each job gets twice its run time, rounded up
to a minute.  Philly rows with 0 GPUs are CPU jobs and are left out.

Presets:
  replay64  one hour of Philly (3600-7200 s), a deterministic 25 % of its jobs,
            and 30 Kalos jobs of at most 16 nodes spread over the hour with
            run times capped at 15 min: a demand of about 96 % of 64 nodes x 8
            GPUs; replayed 8x faster than real time (7.5 min per configuration).
  lingjun   every Philly job and the Kalos jobs of at most 64 nodes (run times
            capped at 30 min) spread over Philly's 5.6 h: a demand of about
            66 % of the 847-node Lingjun fabric with 8 GPUs per node.

    bench/make_trace.py --preset replay64 -o bench/traces/replay64.csv
"""

import argparse
import csv
import math
import os
import sys

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                    "..", "..", "shared", "data", "traces")
GPUS_PER_NODE = 8
# Three of Philly's eleven virtual clusters play the start-ups.
START_UPS = ("vc_6214e9", "vc_ed69ec", "vc_ee9e8c")
KALOS_START_UP_EVERY = 2    # every 2nd Kalos job belongs to a start-up
KALOS_GENERAL_ACCOUNT = "kalos"

PRESETS = {
    "replay64": dict(window=(3600, 7200), keep_percent=25, kalos_jobs=30,
                     kalos_max_nodes=16, kalos_max_duration=900, speedup=8),
    "lingjun": dict(window=None, keep_percent=100, kalos_jobs=None,
                    kalos_max_nodes=64, kalos_max_duration=1800, speedup=1),
}


def kept(job_id, percent):
    """A deterministic, evenly spread PERCENT of the jobs (Knuth's hash)."""
    return (job_id * 2654435761) % 2**32 % 100 < percent


def philly_jobs(path, window, keep_percent):
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            job_id, gpus = int(row["job_id"]), int(row["num_gpu"])
            submit, duration = int(row["submit_time"]), int(row["duration"])
            if gpus < 1 or duration < 1 or not kept(job_id, keep_percent):
                continue
            if window and not window[0] <= submit < window[1]:
                continue
            account = row["user"]
            yield dict(submit=submit - (window[0] if window else 0),
                       account=account, nodes=1 if gpus <= GPUS_PER_NODE else 0,
                       gpus=gpus, duration=duration)


def kalos_jobs(path, span, count, max_nodes, max_duration):
    """Kalos jobs of at most MAX_NODES nodes, arrivals rescaled onto SPAN s."""
    rows = []
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            nodes = int(row["gpu_workers"])
            per_node = int(float(row["gpu_per_worker"]))
            if not 1 <= nodes <= max_nodes or per_node != GPUS_PER_NODE:
                continue
            duration = float(row["num_iteration"]) * (
                float(row["iteration_computing_time"])
                + float(row["iteration_networking_time"]))
            rows.append((float(row["arrival_time"]), nodes,
                         max(1, min(int(duration), max_duration))))
    if count is not None:
        step = max(1, len(rows) // count)
        rows = rows[::step][:count]
    last = max(arrival for arrival, _, _ in rows) or 1
    for k, (arrival, nodes, duration) in enumerate(rows):
        account = (START_UPS[k // KALOS_START_UP_EVERY % len(START_UPS)]
                   if k % KALOS_START_UP_EVERY == 0 else KALOS_GENERAL_ACCOUNT)
        yield dict(submit=int(arrival / last * (span - 1)), account=account,
                   nodes=nodes, gpus=nodes * GPUS_PER_NODE, duration=duration)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--preset", choices=sorted(PRESETS), required=True)
    parser.add_argument("--data", default=DATA, help="folder of the source traces")
    parser.add_argument("-o", "--output", required=True)
    args = parser.parse_args()
    preset = PRESETS[args.preset]

    window = preset["window"]
    jobs = list(philly_jobs(os.path.join(args.data, "philly_mix1.csv"),
                            window, preset["keep_percent"]))
    span = (window[1] - window[0]) if window else max(j["submit"] for j in jobs) + 1
    jobs += kalos_jobs(os.path.join(args.data, "acme_kalos_multinode.csv"), span,
                       preset["kalos_jobs"], preset["kalos_max_nodes"],
                       preset["kalos_max_duration"])
    jobs.sort(key=lambda j: j["submit"])

    demand = sum(j["gpus"] * j["duration"] for j in jobs)
    with open(args.output, "w", newline="") as out:
        out.write("# aishare trace from bench/make_trace.py --preset %s\n" % args.preset)
        out.write("# sources: Philly MIX1 (ChronusArtifact, MIT), Kalos (AcmeTrace, "
                  "CC-BY-4.0); start-ups: %s\n" % " ".join(START_UPS))
        out.write("# speedup %d; %d jobs over %d s; demand %.0f GPU-hours\n"
                  % (preset["speedup"], len(jobs), span, demand / 3600))
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["id", "submit", "account", "partition", "nodes", "gpus",
                         "duration", "time_limit"])
        for job_id, job in enumerate(jobs, 1):
            partition = "ai-startup" if job["account"] in START_UPS else "gpu"
            limit = int(math.ceil(2 * job["duration"] / 60.0)) * 60
            writer.writerow([job_id, job["submit"], job["account"], partition,
                             job["nodes"], job["gpus"], job["duration"], limit])
    print("%s: %d jobs over %d s, %.0f GPU-hours (%.0f GPUs busy on average)"
          % (args.output, len(jobs), span, demand / 3600, demand / span))
    return 0


if __name__ == "__main__":
    sys.exit(main())
