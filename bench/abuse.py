#!/usr/bin/python3
# Copyright (C) 2026 The slurm-aishare authors.  GPL-2.0-or-later.
"""Abuse run: many malformed or abusive submissions against a real slurmctld
with the aishare plugins loaded and accounting behind it.  Not a test (it takes
minutes): it prints how many were submitted, how many were rejected and why
(by the category of the message the user saw), whether slurmctld stayed up,
and the scheduler's latency (submit to start of a 1-GPU job on an idle node)
before and after.

    AISHARE_PLUGIN_DIR=_build/plugin/.libs bench/abuse.py [--count N]

The cluster keeps other work out of the start-ups' partition with stock Slurm
(job_submit/aishare adds no account check): start-up accounts under a parent
account, `AllowAccounts=` on ai-startup naming them (Slurm matches account
names, not their parents), `EnforcePartLimits=ALL` (without it Slurm accepts
such a job and leaves it pending for ever: "Job's account not permitted to use
this partition (ai-startup allows acme,bolt not ops)") and
`AccountingStorageEnforce=associations` (a made-up account is refused).  The
partitions have a MaxTime, or an absurd --time would be accepted.  Abusive jobs
are submitted by an unprivileged user (nobody), a member of one start-up and of
an account that is not one, as a start-up's user would (root may do more, a
negative --nice for one).

Every abusive submission must be refused, with a message whose category is the
expected one; one that is accepted, refused without a message or refused for
another reason is a failure (exit 1), not a rejection.
"""

import argparse
import collections
import os
import random
import re
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "tests", "cluster"))
import harness  # noqa: E402

STARTUPS = ("acme", "bolt")  # start-up accounts, under the parent "startups"
OTHER = "ops"                # an account that is not a start-up
USER = "nobody"              # member of acme and of ops (its default account)

PARTITIONS = [
    "PartitionName=gpu Nodes=ALL Default=YES MaxTime=2-00:00:00 State=UP",
    "PartitionName=ai-startup Nodes=ALL MaxTime=7-00:00:00 State=UP AllowAccounts=%s"
    % ",".join(STARTUPS),
]
ENFORCE = ["AccountingStorageEnforce=associations,limits", "EnforcePartLimits=ALL"]

# The category of a refusal, from the message sbatch printed: the first match.
CATEGORIES = [
    ("aishare", r"aishare: "),  # job_submit/aishare's own sentence
    ("account", r"Invalid account or account/partition combination"),
    ("partition", r"[Ii]nvalid partition"),
    ("time limit", r"time limit is invalid"),
    ("node count", r"Node count specification invalid|is not a valid node count"),
    ("resources", r"Requested node configuration is not available|"
                  r"More processors requested than permitted"),
    ("node name", r"Invalid node name"),
    ("gres", r"Invalid generic resource"),
    ("array", r"Invalid job array specification"),
    ("feature", r"Invalid feature specification"),
    ("qos", r"Requested partition configuration not available now"),
]

POOL = ["-p", "ai-startup", "-A", STARTUPS[0]]  # a start-up USER belongs to

# (what, sbatch arguments, the category its refusal must have)
ABUSE = [
    ("non-start-up account asks for ai-startup",
     ["-p", "ai-startup", "-A", OTHER, "--gres=gpu:4"], "account"),
    ("non-start-up default account asks for ai-startup",
     ["-p", "ai-startup", "--gres=gpu:4"], "account"),
    ("non-start-up account lists ai-startup among partitions",
     ["-p", "gpu,ai-startup", "-A", OTHER, "--gres=gpu:4"], "account"),
    ("made-up account asks for ai-startup",
     ["-p", "ai-startup", "-A", "no-such-startup", "--gres=gpu:4"], "account"),
    ("made-up account asks for gpu",
     ["-p", "gpu", "-A", "no-such-startup", "--gres=gpu:4"], "account"),
    ("start-up the user is no member of",
     ["-p", "ai-startup", "-A", STARTUPS[1], "--gres=gpu:4"], "account"),
    ("the start-ups' parent account",
     ["-p", "ai-startup", "-A", "startups", "--gres=gpu:4"], "account"),
    ("huge GPU count per node", ["--gres=gpu:999999"], "resources"),
    ("negative GPU count", ["--gres=gpu:-1"], "resources"),
    ("huge GPU count per node in the pool", POOL + ["--gres=gpu:65"], "aishare"),
    ("huge GPU count per job in the pool", POOL + ["--gpus=100000"], "aishare"),
    ("huge GPUs per node in the pool", POOL + ["--gpus-per-node=9999"], "aishare"),
    ("huge node count", ["-N", "100000"], "resources"),
    ("more nodes than the pool has", POOL + ["-N", "17", "--exclusive"], "node count"),
    ("zero nodes", ["-N", "0"], "node count"),
    ("node count beyond 32 bits", POOL + ["-N", "4294967295"], "node count"),
    ("huge task count", POOL + ["--gres=gpu:4", "--ntasks=100000000"], "resources"),
    ("huge CPUs per task", POOL + ["--gres=gpu:4", "--cpus-per-task=100000"],
     "resources"),
    ("huge memory", ["--mem=999999999"], "resources"),
    ("unknown partition", ["-p", "no-such-partition"], "partition"),
    ("overlong partition list", ["-p", "ai-startup," + "x" * 300], "partition"),
    ("absurd time limit", ["--time=999999999"], "time limit"),
    ("negative time limit", ["--time=-5"], "time limit"),
    ("time limit beyond the pool's MaxTime", POOL + ["--time=8-00:00:00"], "time limit"),
    ("unlimited time in the pool", POOL + ["--time=UNLIMITED", "--gres=gpu:4"],
     "time limit"),
    ("unknown node", ["--gres=gpu:4", "-w", "node99"], "node name"),
    ("unknown gres", ["--gres=bogus:1"], "gres"),
    ("huge job array", POOL + ["--gres=gpu:4", "--array=0-100000000"], "array"),
    ("unknown switch feature", POOL + ["--gres=gpu:4", "--constraint=sw_leaf1&sw_leaf9"],
     "feature"),
    ("unknown QOS", POOL + ["--gres=gpu:4", "--qos=gold"], "qos"),
]

# Submissions that must be accepted, or the refusals above prove nothing.
CONTROLS = [
    ("a start-up's member asks for ai-startup", POOL + ["--gres=gpu:4"]),
    ("the non-start-up account asks for gpu", ["-p", "gpu", "--gres=gpu:4"]),
]


def category(message):
    for name, pattern in CATEGORIES:
        if re.search(pattern, message):
            return name
    return None


def submit(c, args):
    """sbatch ARGS as USER: (exit status, stdout, stderr)."""
    proc = subprocess.run(["sbatch", "--parsable", "-o", "/dev/null"] + args +
                          ["--wrap=true"], env=c.env, cwd=c.dir, user=USER,
                          group="nogroup", extra_groups=[], capture_output=True,
                          text=True, timeout=60)
    return proc.returncode, proc.stdout.strip(), proc.stderr.strip()


def set_up_accounts(c):
    """Two start-ups under "startups", and OTHER; USER in acme and OTHER."""
    def sacctmgr(*args):
        c.run(["sacctmgr", "-i"] + list(args))
    sacctmgr("add", "account", "startups", "description=AI start-ups")
    for account in STARTUPS:
        sacctmgr("add", "account", account, "parent=startups",
                 "GrpTRESMins=gres/gpu=600000")
    sacctmgr("add", "account", OTHER, "description=not a start-up")
    sacctmgr("add", "user", USER, "account=%s" % OTHER, "defaultaccount=%s" % OTHER)
    sacctmgr("add", "user", USER, "account=%s" % STARTUPS[0])
    c.wait_until(lambda: "Account=%s UserName=%s" % (STARTUPS[0], USER)
                 in c.scontrol("show", "assoc_mgr", "users=%s" % USER, "flags=assoc"),
                 30, "slurmctld to know %s's associations" % USER)


LATENCY_SAMPLES = 11


def latency(c):
    """Seconds from submission to RUNNING of a 1-GPU job on an idle cluster, as
    "median (min-max)": Slurm starts it at its next scheduling pass, about a
    second apart, so single samples vary by that much."""
    times = []
    for _ in range(LATENCY_SAMPLES):
        t0 = time.time()
        job = c.sbatch("-p", "gpu", "--gres=gpu:1", wrap="true")
        c.wait_job_state(job, ("RUNNING", "COMPLETED"), timeout=60)
        times.append(time.time() - t0)
    return "%.2f s (%.2f-%.2f)" % (statistics.median(times), min(times), max(times))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=2000)
    args = parser.parse_args()
    rng = random.Random(1)
    failures = []
    with harness.Cluster("abuse", nodes=16, leaves=4, plugins=True, accounting=True,
                         params="Share=25%", partitions=PARTITIONS, extra_conf=ENFORCE,
                         switch_features=True, min_job_age=5) as c:
        set_up_accounts(c)
        for what, argv in CONTROLS:
            rc, out, err = submit(c, argv)
            if rc != 0:
                failures.append("control refused (%s): %s" % (what, err))
            else:
                c.run(["scancel", out.split(";")[0]], check=False)
        before = latency(c)
        rejected = collections.Counter()  # (category, what) -> count
        messages = {}
        by_sbatch = 0  # refused by sbatch itself, before slurmctld saw them
        t0 = time.time()
        for _ in range(args.count):
            what, argv, expected = rng.choice(ABUSE)
            rc, out, err = submit(c, argv)
            if rc == 0:
                failures.append("accepted as job %s: %s (%s)" % (out, what, " ".join(argv)))
                c.run(["scancel", out.split(";")[0]], check=False)
                continue
            got = category(err)
            if got != expected:
                failures.append("refused as %s, expected %s: %s: %r"
                                % (got or "unknown", expected, what, err))
                continue
            rejected[got, what] += 1
            by_sbatch += "Batch job submission failed" not in err
            messages.setdefault(got, err.splitlines()[-1] if got != "aishare"
                                else err.splitlines()[0])
        elapsed = time.time() - t0
        alive = c.ping()
        after = latency(c) if alive else "-"
        left = c.run(["squeue", "-h", "-u", USER, "-t", "PD,R"]).stdout.strip()
        if left:
            failures.append("jobs of %s left in the queue:\n%s" % (USER, left))

        print("submitted %d abusive jobs (%d kinds) as %s in %.0f s (%.0f/s)"
              % (args.count, len(ABUSE), USER, elapsed, args.count / elapsed))
        print("rejected with a message of the expected category: %d (%d by sbatch "
              "itself, %d by slurmctld)" % (sum(rejected.values()), by_sbatch,
                                           sum(rejected.values()) - by_sbatch))
        for name, _ in CATEGORIES:
            kinds = {what: n for (got, what), n in rejected.items() if got == name}
            if kinds:
                print("  %-11s %5d  e.g. %s" % (name, sum(kinds.values()), messages[name]))
                for what, count in sorted(kinds.items()):
                    print("  %11s %5d  %s" % ("", count, what))
        print("accepted: %d controls, as they must be (%s); abusive: %d"
              % (len(CONTROLS), "; ".join(w for w, _ in CONTROLS),
                 sum(f.startswith("accepted") for f in failures)))
        print("slurmctld alive: %s; scheduler latency (1-GPU job, median of %d): "
              "before %s, after %s" % (alive, LATENCY_SAMPLES, before, after))
        for failure in failures:
            print("FAILURE: %s" % failure)
        return 0 if alive and not failures else 1


if __name__ == "__main__":
    sys.exit(main())
