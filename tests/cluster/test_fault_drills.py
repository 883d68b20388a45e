# Copyright (C) 2026 The slurm-aishare authors.  GPL-2.0-or-later.
"""Fault drills: slurmctld killed again and again during reclaims, a slurmd dying
under a job, a damaged ledger state file at start.  Each ends with every job
accounted for and the ledger agreeing with Slurm's job records.

16 nodes x 4 GPUs, Pools=ai-startup, Share=25% (G = 16 GPUs), GraceTime=0.
"""

import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

PARTITIONS = ["PartitionName=gpu Nodes=ALL Default=YES MaxTime=INFINITE State=UP GraceTime=0",
              "PartitionName=ai-startup Nodes=ALL MaxTime=INFINITE State=UP"]
KILLS = 10


def cluster(**extra):
    return harness.Cluster(nodes=16, leaves=4, plugins=True, params="Share=25%",
                           partitions=PARTITIONS, requeue_delay=5, min_job_age=600, **extra)


def general_job(c, seconds):
    return c.sbatch("-p", "gpu", "-N1", "--exclusive", "--gres=gpu:4", wrap="sleep %d" % seconds)


def wait_state_saved(c, since):
    """Slurm writes its job records a moment after a change; a kill -9 before
    that loses what Slurm itself had not saved, which is not what is drilled."""
    job_state = os.path.join(c.dir, "state", "job_state")
    c.wait_until(lambda: os.path.getmtime(job_state) > since, 20,
                 "slurmctld to save its job records")


def test_ten_slurmctld_kills_during_reclaims_lose_no_job():
    """Borrowers outlive the drill and pool jobs outlive each crash window, so no
    job ends while slurmctld is down: a completion sent to a dead slurmctld is
    reconciled by Slurm only at a later node registration, minutes away."""
    with cluster() as c:
        general, startup = [], []
        for kill in range(KILLS):
            # Let the last round settle (its pool job done, its victim running
            # again), then make every node busy with a borrower, so that the
            # next pool job must reclaim.
            for job in startup:
                c.wait_job_state(job, "COMPLETED", timeout=60)
            for job in general:
                c.wait_job_state(job, "RUNNING", timeout=60)
            idle = [n for n, rec in c.nodes().items() if "IDLE" in rec["State"]]
            fresh = [general_job(c, 600) for _ in idle]
            for job in fresh:
                c.wait_job_state(job, "RUNNING", timeout=60)
            general += fresh
            mark = c.log_mark("slurmctld")
            startup.append(c.sbatch("-p", "ai-startup", "-N1", "--exclusive",
                                    "--gres=gpu:4", wrap="sleep 5"))
            c.wait_log("slurmctld", "preempt/aishare: reclaiming", since=mark, timeout=30)
            wait_state_saved(c, time.time())
            c.restart_slurmctld(kill=True)
            print("kill %d: slurmctld killed -9 during a reclaim and restarted" % (kill + 1))
        for job in startup:
            c.wait_job_state(job, "COMPLETED", timeout=60)
        # The last victim runs again once its requeue delay is over; until then
        # the ledger and the job records would be read at different moments.
        for job in general:
            c.wait_job_state(job, "RUNNING", timeout=60)
        requeues = sum(int(c.job(j)["Restarts"]) for j in general)
        # The ledger agrees with the job records: GPUs of running borrowers.
        pool = c.pool_status()["ai-startup"]
        running = sum(4 for j in general if c.job(j)["JobState"] == "RUNNING")
        print("%d kills, %d jobs, %d requeues, ledger reclaims=%d, borrowed %d = %d"
              % (KILLS, len(general + startup), requeues, pool["reclaims"],
                 pool["borrowed"], running))
        # Every job is still in Slurm's records; the borrowers are ended by hand.
        c.run(["scancel"] + [str(j) for j in general])
        for job in general:
            c.wait_job_state(job, "CANCELLED", timeout=60)
        assert requeues == KILLS, requeues
        assert pool["reclaims"] == requeues, (pool, requeues)
        assert (pool["used"], pool["borrowed"]) == (0, running), (pool, running)


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
