# Copyright (C) 2026 The slurm-aishare authors.  GPL-2.0-or-later.
"""Fault drills: slurmctld killed again and again while multi-node jobs wait for
a compact placement and while pool jobs reclaim their guarantee, a slurmd dying
under a job, a damaged ledger state file at start.  Each ends with every job
accounted for, the ledger agreeing with Slurm's job records and, after the kills,
the placement log read by `aishare status`.

16 nodes x 4 GPUs in 4 leaves, Pools=ai-startup, Share=25% (G = 16 GPUs), GraceTime=0.
"""

import json
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

PARTITIONS = ["PartitionName=gpu Nodes=ALL Default=YES MaxTime=INFINITE State=UP GraceTime=0",
              "PartitionName=ai-startup Nodes=ALL MaxTime=INFINITE State=UP"]
COMPACT_WAIT_ROUNDS = 3  # one kill each
RECLAIM_ROUNDS = 5       # one kill each, and a second one in rounds 1, 3 and 5
COMPACT_WAIT = 20        # seconds
# A training job of one leaf's worth of GPUs: job_submit/aishare makes it 4 whole
# nodes confined to one switch (--constraint=[sw_leaf1|...|sw_spine]) that wait up
# to COMPACT_WAIT for one leaf (--switches=1@COMPACT_WAIT).
LEAF_JOB = "--gpus=16"
# A borrower that ignores SIGTERM: requeued, it holds its node until slurmd kills
# it KillWait (4 s) later, so slurmctld mostly dies while the reclaim is still in
# flight (the pool job pending, its victims ending).
BORROWER = "trap '' TERM; sleep 600"


def cluster(params="Share=25%", **extra):
    return harness.Cluster(nodes=16, leaves=4, plugins=True, params=params,
                           partitions=PARTITIONS, requeue_delay=5, min_job_age=600, **extra)


def general_job(c, seconds):
    return c.sbatch("-p", "gpu", "-N1", "--exclusive", "--gres=gpu:4", wrap="sleep %d" % seconds)


def wait_state_saved(c, since):
    """Slurm writes its job records a moment after a change; a kill -9 before
    that loses what Slurm itself had not saved, which is not what is drilled."""
    job_state = os.path.join(c.dir, "state", "job_state")
    c.wait_until(lambda: os.path.getmtime(job_state) > since, 20,
                 "slurmctld to save its job records")


def shape(record):
    """What job_submit/aishare made of a job: nodes, confinement, compact wait.

    Slurm shows a pending job's node count as a range ("4-4") and a started
    job's as one number ("4"); a job may start the moment slurmctld is back,
    so the shape holds the least count, which is the same in both."""
    nodes = record["NumNodes"].split("-")[0]
    return "%s nodes, %s, Switches=%s" % (nodes, record["Features"], record.get("Switches"))


def compact_wait_reason(c, job):
    """The job's reason while it waits for one leaf (None otherwise)."""
    state, _, reason = c.run(["squeue", "-h", "-j", str(job), "-o", "%T|%r"]).stdout \
        .strip().partition("|")
    return reason if state == "PENDING" and reason.startswith("aishare: waits") else None


def started_at(c, job, since):
    """When slurmctld started JOB, to the millisecond, from its log after SINCE."""
    found = re.search(r"^\[([^\]]+)\] sched(?:/backfill)?: (?:Allocate|_start_job: Started) "
                      r"JobId=%d " % job, c.log_since("slurmctld", since), re.M)
    return harness.parse_slurm_time(found.group(1)).timestamp() if found else None


def placement_log(c):
    """{job id: leaves} of the lines of StateSaveLocation/aishare_placement.log."""
    with open(os.path.join(c.dir, "state", "aishare_placement.log")) as f:
        return {int(m.group(1)): int(m.group(2))
                for m in re.finditer(r"^job=(\d+) .* leaves=(\d+) ", f.read(), re.M)}


def test_slurmctld_kills_during_placements_and_reclaims_lose_no_job():
    """slurmctld is killed -9 while a multi-node job shaped by job_submit/aishare
    waits for a compact placement (its pool is beyond its guarantee, so it reclaims
    nothing and waits for a leaf); then while such a job reclaims its guarantee from
    borrowers, and again just after it started.  Borrowers outlive the drill and
    pool jobs outlive each crash window, so no job ends while slurmctld is down: a
    completion sent to a dead slurmctld is reconciled by Slurm only at a later node
    registration, minutes away."""
    with cluster(params="Share=25%%,CompactWait=0:%02d" % COMPACT_WAIT,
                 switch_features=True, extra_conf=["KillWait=4"]) as c:
        kill_times = []
        placed, cancelled, general = [], [], []

        def kill(what):
            kill_times.append(time.time())
            c.restart_slurmctld(kill=True)
            print("kill %d: slurmctld killed -9 %s" % (len(kill_times), what))

        # Compact waits.  Pool jobs hold two nodes of each leaf (32 GPUs, beyond
        # the guarantee of 16): 8 nodes idle, no leaf whole.
        def hold(node):
            return c.sbatch("-p", "ai-startup", "-w", node, "--exclusive", "--gres=gpu:4",
                            wrap="sleep 600")
        holds = {node: hold(node) for nodes in c.leaves.values() for node in nodes[:2]}
        for job in holds.values():
            c.wait_job_state(job, "RUNNING", timeout=60)
        for round_ in range(COMPACT_WAIT_ROUNDS):
            submitted = time.time()
            job = c.sbatch("-p", "ai-startup", LEAF_JOB, wrap="sleep 1")
            placed.append(job)
            reason = c.wait_until(lambda: compact_wait_reason(c, job), 30,
                                  "job %d to wait for a compact placement" % job)
            wait_state_saved(c, submitted)
            shaped = shape(c.job(job))
            kill("while job %d (%s) waited: %s" % (job, shaped, reason))
            # The job, its shape and its wait survive; the ledger still sees the holds.
            assert shape(c.job(job)) == shaped, (c.job(job), shaped)
            reason = c.wait_until(lambda: compact_wait_reason(c, job), 30,
                                  "job %d to wait again after the restart" % job)
            assert c.pool_status()["ai-startup"]["used"] == 32, c.pool_status()
            # A leaf frees: the job takes it.
            leaf = sorted(c.leaves)[round_ % len(c.leaves)]
            released = [holds.pop(node) for node in c.leaves[leaf][:2]]
            cancelled += released
            c.run(["scancel"] + [str(j) for j in released])
            c.wait_job_state(job, "COMPLETED", timeout=60)
            assert c.job_leaves(c.job(job)) == [leaf], (leaf, c.job(job)["NodeList"])
            print("    after the restart: %s; it ran on %s when its holders left"
                  % (reason, leaf))
            for node in c.leaves[leaf][:2]:
                holds[node] = hold(node)
                c.wait_job_state(holds[node], "RUNNING", timeout=60)
        cancelled += list(holds.values())
        c.run(["scancel"] + [str(j) for j in holds.values()])
        for job in cancelled:
            c.wait_job_state(job, "CANCELLED", timeout=60)

        # Reclaims.  Every node busy with a borrower, so that each pool job must
        # take back a leaf's worth of nodes.
        reclaiming, pending_at_kill = [], 0
        for round_ in range(RECLAIM_ROUNDS):
            # Let the last round settle (its pool job done, its victims running
            # again), then make every idle node busy with a borrower.
            for job in reclaiming:
                c.wait_job_state(job, "COMPLETED", timeout=90)
            for job in general:
                c.wait_job_state(job, "RUNNING", timeout=90)
            idle = [n for n, rec in c.nodes().items() if "IDLE" in rec["State"]]
            fresh = [c.sbatch("-p", "gpu", "-N1", "--exclusive", "--gres=gpu:4",
                              wrap=BORROWER) for _ in idle]
            for job in fresh:
                c.wait_job_state(job, "RUNNING", timeout=60)
            general += fresh
            submitted = c.log_mark("slurmctld")
            job = c.sbatch("-p", "ai-startup", LEAF_JOB, wrap="sleep 6")
            reclaiming.append(job)
            c.wait_log("slurmctld", "preempt/aishare: reclaiming", since=submitted, timeout=30)
            wait_state_saved(c, time.time())
            before = c.job(job)
            # Its victims end KillWait after the reclaim, so it is pending unless
            # Slurm took that long to save its records (it saves at most every 5 s).
            pending_at_kill += before["JobState"] == "PENDING"
            kill("during a reclaim for job %d (%s), its victims requeued, the job %s"
                 % (job, shape(before), before["JobState"]))
            assert shape(c.job(job)) == shape(before), (c.job(job), before)
            if round_ % 2 == 0:
                # Once more after it started, once Slurm saved the start (up to
                # 5 s later); job_submit/aishare writes the job's placement line
                # 1-2 s after a start, so the kill may come before or after it.
                # It may start the moment slurmctld is back, before anything
                # here could mark the log: look from its submission on.
                c.wait_job_state(job, "RUNNING", timeout=60)
                start = c.wait_until(lambda: started_at(c, job, submitted), 10,
                                     "slurmctld to log the start of job %d" % job)
                wait_state_saved(c, start)
                kill("%.1f s after job %d started on %s"
                     % (time.time() - start, job, c.job(job)["NodeList"]))
                print("    its placement line was %swritten before the kill"
                      % ("" if job in placement_log(c) else "not "))
        placed += reclaiming
        for job in reclaiming:
            c.wait_job_state(job, "COMPLETED", timeout=90)
        # The last victims run again once their requeue delay is over; until then
        # the ledger and the job records would be read at different moments.
        for job in general:
            c.wait_job_state(job, "RUNNING", timeout=90)

        # Every job is in Slurm's records, in the state it must be in, and Slurm
        # knows no other.
        records = {j: c.job(j) for j in placed + cancelled + general}
        lost = [j for j, rec in records.items() if rec is None]
        assert not lost, lost
        wrong = {j: rec["JobState"] for j, rec in records.items()
                 if rec["JobState"] != ("RUNNING" if j in general else
                                        "CANCELLED" if j in cancelled else "COMPLETED")}
        assert not wrong, wrong
        known = {int(r["JobId"]) for r in map(harness.parse_scontrol_record,
                                              c.scontrol("-o", "show", "job").splitlines())}
        assert known == set(records), known ^ set(records)
        assert all(records[j]["Restarts"] == "0" for j in placed), records
        requeues = sum(int(records[j]["Restarts"]) for j in general)
        # The ledger agrees with the job records: its reclaims are Slurm's requeues,
        # nothing of the pool in use, the running borrowers' GPUs borrowed.
        pool = c.pool_status()["ai-startup"]
        running = 4 * len(general)
        # The placement log, read by aishare status: a line for each multi-node job,
        # one that started in the second or two before a kill included
        # (job_submit/aishare goes on from the last start in the log).
        leaves = placement_log(c)
        unrecorded = [j for j in placed if j not in leaves]
        status = json.loads(c.run([harness.aishare_tool(), "status", "--json"]).stdout)
        c.run([harness.aishare_tool(), "status"])
        print("%d kills (%d in compact waits, %d in reclaims with the pool job still "
              "pending at %d); %d jobs, none lost; %d requeues, ledger reclaims=%d, "
              "borrowed %d = %d; leaves of the multi-node jobs: %s; aishare status: %s"
              % (len(kill_times), COMPACT_WAIT_ROUNDS, RECLAIM_ROUNDS, pending_at_kill,
                 len(records), requeues, pool["reclaims"], pool["borrowed"], running,
                 [leaves.get(j) for j in placed], status["placement"]))
        c.run(["scancel"] + [str(j) for j in general])
        for job in general:
            c.wait_job_state(job, "CANCELLED", timeout=60)
        assert len(kill_times) >= 10, kill_times
        assert requeues >= RECLAIM_ROUNDS, requeues
        assert pool["reclaims"] == requeues, (pool, requeues)
        assert (pool["used"], pool["borrowed"]) == (0, running), (pool, running)
        assert not unrecorded, (unrecorded, leaves, kill_times)
        assert all(leaves[j] == 1 for j in leaves), leaves
        assert status["placement"]["multi_node_jobs"] == len(leaves), status["placement"]
        assert status["placement"]["damaged_lines"] == 0, status["placement"]


def test_slurmd_death_downs_the_node_and_shrinks_the_guarantee():
    with cluster(extra_conf=["SlurmdTimeout=5"]) as c:
        victim = c.sbatch("-p", "gpu", "-w", "node16", "-N1", "--exclusive", "--gres=gpu:4",
                          "--requeue", wrap="sleep 30")
        c.wait_job_state(victim, "RUNNING", timeout=30)
        c.kill_slurmd("node16")
        c.wait_until(lambda: "DOWN" in c.nodes()["node16"]["State"], 60, "node16 DOWN")
        pool = c.pool_status()["ai-startup"]
        assert (pool["capacity"], pool["guarantee"]) == (60, 15), pool
        # The job is not lost: Slurm requeues it off the dead node... which it
        # asked for by name, so it waits for node16 to come back.
        c.wait_until(lambda: c.job(victim)["JobState"] in ("PENDING", "REQUEUED",
                                                           "REQUEUE_HOLD", "COMPLETED"),
                     60, "job %d requeued" % victim)
        c.start_slurmd("node16")
        c.wait_until(lambda: "DOWN" not in c.nodes()["node16"]["State"], 60, "node16 back")
        pool = c.pool_status()["ai-startup"]
        assert (pool["capacity"], pool["guarantee"]) == (64, 16), pool
        if c.job(victim)["JobState"] == "REQUEUE_HOLD":
            c.scontrol("release", str(victim))
        c.wait_job_state(victim, "COMPLETED", timeout=120)


def test_damaged_state_file_at_start_is_set_aside():
    with cluster() as c:
        state = os.path.join(c.dir, "state", "aishare_ledger.state")
        c.stop_slurmctld()
        with open(state, "w") as f:
            f.write("slurm-aishare-ledger 1\npool ai-startup reclaims=9\x00\xff garbage")
        c.start_slurmctld()
        log = c.log_text("slurmctld")
        assert re.search(r"preempt/aishare: %s: no closing checksum line .*starting with "
                         r"empty reclaim history, the file is kept as %s\.damaged"
                         % (re.escape(state), re.escape(state)), log), log[-3000:]
        assert os.path.exists(state + ".damaged")
        # The guarantee still works, and a good file is written again.
        general = [general_job(c, 10) for _ in range(16)]
        for job in general:
            c.wait_job_state(job, "RUNNING", timeout=60)
        startup = c.sbatch("-p", "ai-startup", "-N1", "--exclusive", "--gres=gpu:4",
                           wrap="sleep 1")
        c.wait_job_state(startup, "COMPLETED", timeout=60)
        pool = c.pool_status()["ai-startup"]
        assert pool["reclaims"] == 1, pool
        with open(state) as f:
            text = f.read()
        assert text.startswith("slurm-aishare-ledger 1\nparams Pools=ai-startup Share=25% "), text
        assert "\npool ai-startup reclaims=1 " in text, text


if __name__ == "__main__":
    harness.main(globals())
