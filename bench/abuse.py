#!/usr/bin/python3
# Copyright (C) 2026 The slurm-aishare authors.  GPL-2.0-or-later.
"""Abuse run: many malformed or abusive submissions against a real slurmctld
with the aishare plugins loaded.  Not a test (it takes minutes): it prints how
many were submitted, how many were rejected with a message, whether slurmctld
stayed up, and the scheduler's latency (submit to start of a 1-GPU job on an
idle node) before and after.

    AISHARE_PLUGIN_DIR=_build/plugin/.libs bench/abuse.py [--count N]
"""

import argparse
import os
import random
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "tests", "cluster"))
import harness  # noqa: E402

ABUSE = [
    ["--gres=gpu:999999"],
    ["-N", "100000"],
    ["-p", "no-such-partition"],
    ["--time=999999999"],
    ["--time=-5"],
    ["--gres=gpu:-1"],
    ["-N", "0"],
    ["--gres=gpu:4", "-w", "node99"],
    ["--gres=bogus:1"],
    ["-p", "ai-startup", "--gres=gpu:65"],
    ["-p", "ai-startup", "-N", "17", "--exclusive"],
    ["--mem=999999999"],
    ["-p", "ai-startup," + "x" * 300],
]


def latency(c, samples=5):
    """Seconds from submission to RUNNING of a 1-GPU job on an idle cluster."""
    times = []
    for _ in range(samples):
        t0 = time.time()
        job = c.sbatch("-p", "gpu", "--gres=gpu:1", wrap="true")
        c.wait_job_state(job, ("RUNNING", "COMPLETED"), timeout=60)
        times.append(time.time() - t0)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=2000)
    args = parser.parse_args()
    rng = random.Random(1)
    with harness.Cluster("abuse", nodes=16, leaves=4, plugins=True,
                         params="Share=25%", min_job_age=5) as c:
        before = latency(c)
        rejected = accepted = silent = 0
        t0 = time.time()
        for _ in range(args.count):
            argv = ["sbatch", "--parsable", "-o", "/dev/null"] + rng.choice(ABUSE) + \
                ["--wrap=true"]
            proc = c.run(argv, check=False)
            if proc.returncode != 0:
                rejected += 1
                silent += not proc.stderr.strip()
            else:
                accepted += 1
                c.run(["scancel", proc.stdout.strip().split(";")[0]], check=False)
        elapsed = time.time() - t0
        alive = c.ping()
        after = latency(c)
        print("submitted %d abusive jobs in %.0f s (%.0f/s): rejected %d (%d without "
              "a message), accepted %d (cancelled)" % (args.count, elapsed,
                                                        args.count / elapsed, rejected,
                                                        silent, accepted))
        print("slurmctld alive: %s; scheduler latency (1-GPU job, median of 5): "
              "before %.2f s, after %.2f s" % (alive, before, after))
        return 0 if alive and not silent else 1


if __name__ == "__main__":
    sys.exit(main())
