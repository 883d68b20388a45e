# Copyright (C) 2026 The slurm-aishare authors.  GPL-2.0-or-later.
"""The guaranteed share on a real Slurm: lending, reclaim, never beyond G.

16 nodes x 4 GPUs, Pools=ai-startup with Share=25%: the pool's guarantee is
G = 16 GPUs.  General jobs (partition gpu, same nodes) may borrow whatever the
pool leaves idle; a pool job within G takes GPUs back by requeueing the fewest
borrowers; a pool job beyond G never preempts.

GraceTime is 0 here: Slurm 22.05 requeues a victim whose GraceTime is over only
at its next time-limit check (every 30 s), so with GraceTime=N the bound is
N + 30 s + scheduling; with 0 the victims go at once and the bound is two
scheduling cycles (sched_interval=2 s in the harness).
"""

import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

SCHED_INTERVAL = 2
RECLAIM_BOUND = 0 + 2 * SCHED_INTERVAL  # GraceTime + two scheduling cycles


def partitions(*extra):
    return ["PartitionName=gpu Nodes=ALL Default=YES MaxTime=INFINITE State=UP GraceTime=0",
            "PartitionName=ai-startup Nodes=ALL MaxTime=INFINITE State=UP"] + list(extra)


def cluster(params="Share=25%", parts=None):
    return harness.Cluster(nodes=16, leaves=4, plugins=True, params=params,
                           partitions=parts or partitions(), requeue_delay=5)


def fill_with_general_jobs(c, seconds, count=16, partition="gpu"):
    """One whole-node general job per node; waits until all run."""
    jobs = [c.sbatch("-p", partition, "-N1", "--exclusive", "--gres=gpu:4",
                     wrap="sleep %d" % seconds) for _ in range(count)]
    for job in jobs:
        c.wait_job_state(job, "RUNNING", timeout=60)
    return jobs


def restarts(c, jobs):
    return {job: int(c.job(job)["Restarts"]) for job in jobs}


def ledger_state(c):
    with open(os.path.join(c.dir, "state", "aishare_ledger.state")) as f:
        return f.read()


def test_idle_share_is_lent_then_reclaimed_from_the_fewest_jobs():
    with cluster() as c:
        # Idle share: general jobs may take every GPU, the pool's 16 included.
        general = fill_with_general_jobs(c, seconds=15)
        busy = [n for n, rec in c.nodes().items() if "ALLOCATED" in rec["State"]]
        assert len(busy) == 16, busy
        pool = c.pool_status()["ai-startup"]
        assert (pool["capacity"], pool["guarantee"], pool["used"]) == (64, 16, 0), pool
        assert (pool["lent"], pool["borrowers"], pool["borrowed"]) == (16, 16, 64), pool

        startup = c.sbatch("-p", "ai-startup", "-N2", "--exclusive", "--gres=gpu:4",
                           wrap="sleep 5")
        c.wait_job_state(startup, "RUNNING", timeout=30)
        # Slurm's own timestamps, not this test's polling on busy cores.
        record = c.job(startup)
        latency = (harness.parse_slurm_time(record["StartTime"]) -
                   harness.parse_slurm_time(record["SubmitTime"])).total_seconds()
        print("reclaim latency: %.0f s by Slurm's clock (bound %d s)" % (latency, RECLAIM_BOUND))
        assert latency <= RECLAIM_BOUND, latency

        # Exactly the two borrowers whose nodes the pool job needs went.
        requeued = [j for j, n in restarts(c, general).items() if n > 0]
        assert len(requeued) == 2, restarts(c, general)
        assert len(re.findall(r"preempt/aishare: reclaiming 4 GPUs of JobId=\d+",
                              c.log_text("slurmctld"))) == 2

        # None lost: every general job, requeued or not, runs to completion.
        c.wait_job_state(startup, "COMPLETED", timeout=60)
        for job in general:
            c.wait_job_state(job, "COMPLETED", timeout=90)
        assert "pool ai-startup reclaims=2 events=1 " in ledger_state(c), ledger_state(c)
        pool = c.pool_status()["ai-startup"]
        assert (pool["reclaims"], pool["reclaim_events"]) == (2, 1), pool
        assert pool["reclaim_latency_max"] <= RECLAIM_BOUND, pool


def test_pool_job_beyond_guarantee_never_preempts():
    with cluster() as c:
        general = fill_with_general_jobs(c, seconds=12)
        ends = time.time() + 12
        # 20 GPUs > G = 16: it may use idle GPUs but must not take any.
        big = c.sbatch("-p", "ai-startup", "-N5", "--exclusive", "--gres=gpu:4",
                       wrap="sleep 1")
        # Poll for the whole life of the borrowers: it stays pending throughout.
        while time.time() < ends - 2:
            assert c.job(big)["JobState"] == "PENDING", c.job(big)
            assert not any(restarts(c, general).values()), restarts(c, general)
            time.sleep(0.5)
        c.wait_job_state(big, "COMPLETED", timeout=60)
        for job in general:
            c.wait_job_state(job, "COMPLETED", timeout=30)
        assert not any(restarts(c, general).values()), restarts(c, general)
        assert "preempt/aishare: reclaiming" not in c.log_text("slurmctld")


def test_down_node_shrinks_the_guarantee():
    with cluster() as c:
        c.scontrol("update", "NodeName=node16", "State=DOWN", "Reason=test")
        c.wait_until(lambda: "DOWN" in c.nodes()["node16"]["State"], 30, "node16 DOWN")
        # C = 60 GPUs, G = floor(25% x 60) = 15.
        pool = c.pool_status()["ai-startup"]
        assert (pool["capacity"], pool["guarantee"]) == (60, 15), pool
        general = fill_with_general_jobs(c, seconds=12, count=15)
        over = c.sbatch("-p", "ai-startup", "-N4", "--exclusive", "--gres=gpu:4",
                        wrap="sleep 1")
        within = c.sbatch("-p", "ai-startup", "-N3", "--exclusive", "--gres=gpu:4",
                          wrap="sleep 1")
        # 12 GPUs fit in G = 15 and preempt at once; 16 would not have.
        c.wait_job_state(within, ("RUNNING", "COMPLETED"), timeout=RECLAIM_BOUND + 10)
        assert c.job(over)["JobState"] == "PENDING", c.job(over)
        requeued = [j for j, n in restarts(c, general).items() if n > 0]
        assert len(requeued) == 3, restarts(c, general)
        c.wait_job_state(over, "COMPLETED", timeout=90)
        for job in general:
            c.wait_job_state(job, "COMPLETED", timeout=90)


def test_bounded_mode_lends_only_to_jobs_within_the_window():
    with cluster(params="Share=25%,LendMode=bounded,LendWindow=1:00") as c:
        kept = {"node13", "node14", "node15", "node16"}  # 16 GPUs = G, from the end
        pool = c.pool_status()["ai-startup"]
        assert (pool["lend_mode"], pool["lend_window"]) == ("bounded", 60), pool
        assert pool["kept_nodes"] == "node16,node15,node14,node13", pool
        long_jobs = [c.sbatch("-p", "gpu", "-N1", "--exclusive", "--gres=gpu:4",
                              "--time=5", wrap="sleep 60") for _ in range(16)]
        c.wait_until(lambda: sum(c.job(j)["JobState"] == "RUNNING" for j in long_jobs) == 12,
                     30, "12 long general jobs running")
        short_jobs = [c.sbatch("-p", "gpu", "-N1", "--exclusive", "--gres=gpu:4",
                               "--time=1", wrap="sleep 15") for _ in range(4)]
        for job in short_jobs:
            c.wait_job_state(job, "RUNNING", timeout=30)

        # Jobs longer than LendWindow never occupy the kept nodes; shorter ones may.
        def hosts(job):
            return set(harness.expand_hostlist(c.job(job).get("NodeList") or ""))
        for job in long_jobs:
            assert not hosts(job) & kept, (job, hosts(job))
        assert set().union(*(hosts(j) for j in short_jobs)) == kept
        pending_long = [j for j in long_jobs if c.job(j)["JobState"] == "PENDING"]
        assert len(pending_long) == 4, pending_long

        # Raising the time limit does not get around the rule: a running short
        # job on kept nodes is refused, a pending one gains the exclusion.
        refused = c.run(["scontrol", "update", "JobId=%d" % short_jobs[0], "TimeLimit=5"],
                        check=False)
        assert refused.returncode != 0, refused.stdout
        assert c.job(short_jobs[0])["TimeLimit"] == "00:01:00", c.job(short_jobs[0])
        queued = c.sbatch("-p", "gpu", "-N1", "--exclusive", "--gres=gpu:4", "--time=1",
                          wrap="sleep 1")
        assert not c.job(queued).get("ExcNodeList") or c.job(queued)["ExcNodeList"] == "(null)"
        c.scontrol("update", "JobId=%d" % queued, "TimeLimit=5")
        excluded = set(harness.expand_hostlist(c.job(queued)["ExcNodeList"]))
        assert excluded == kept, c.job(queued)
        c.run(["scancel", str(queued)])

        # A pool job waits for the short borrowers, at most LendWindow, and
        # nothing is preempted.
        submitted = time.time()
        startup = c.sbatch("-p", "ai-startup", "-N2", "--exclusive", "--gres=gpu:4",
                           wrap="sleep 1")
        c.wait_job_state(startup, ("RUNNING", "COMPLETED"), timeout=60 + 2 * SCHED_INTERVAL)
        waited = time.time() - submitted
        print("bounded: pool job waited %.1f s (LendWindow 60 s)" % waited)
        assert waited <= 60 + 2 * SCHED_INTERVAL, waited
        assert not any(restarts(c, long_jobs + short_jobs).values())
        assert "preempt/aishare: reclaiming" not in c.log_text("slurmctld")
        for job in long_jobs:
            assert not hosts(job) & kept, (job, hosts(job))


def test_slurmctld_killed_during_a_reclaim_loses_no_job():
    # GraceTime=5 keeps the victims in their grace period when slurmctld dies.
    parts = ["PartitionName=gpu Nodes=ALL Default=YES MaxTime=INFINITE State=UP GraceTime=5",
             "PartitionName=ai-startup Nodes=ALL MaxTime=INFINITE State=UP"]
    with cluster(parts=parts) as c:
        general = fill_with_general_jobs(c, seconds=45)
        mark = c.log_mark("slurmctld")
        startup = c.sbatch("-p", "ai-startup", "-N2", "--exclusive", "--gres=gpu:4",
                           wrap="sleep 3")
        c.wait_log("slurmctld", "preempt/aishare: reclaiming", since=mark, timeout=20)
        # Kill once Slurm has saved its job records after the preemption: a job
        # Slurm accepted but never wrote to disk is lost by Slurm itself on kill -9.
        reclaimed_at = time.time()
        job_state = os.path.join(c.dir, "state", "job_state")
        c.wait_until(lambda: os.path.getmtime(job_state) > reclaimed_at, 20,
                     "slurmctld to save its job state after the preemption")
        assert c.job(startup)["JobState"] == "PENDING", c.job(startup)
        c.restart_slurmctld(kill=True)

        # Every job runs to completion: the pool job, the victims after their
        # requeue, the others undisturbed.
        c.wait_job_state(startup, "COMPLETED", timeout=90)
        for job in general:
            c.wait_job_state(job, "COMPLETED", timeout=120)
        victims = [j for j, n in restarts(c, general).items() if n > 0]
        assert len(victims) == 2, restarts(c, general)

        # The ledger agrees with the job records: two reclaims, nothing in use.
        pool = c.pool_status()["ai-startup"]
        assert (pool["reclaims"], pool["reclaim_events"]) == (2, 1), pool
        assert (pool["used"], pool["borrowed"], pool["borrowers"]) == (0, 0, 0), pool


def test_two_pools_keep_both_guarantees():
    parts = partitions("PartitionName=sme Nodes=ALL MaxTime=INFINITE State=UP")
    with cluster(params="Pools=ai-startup:sme,Share=25%,Share[sme]=25%", parts=parts) as c:
        # sme holds exactly its guarantee (16 GPUs); general jobs borrow the rest.
        assert sorted(c.pool_status()) == ["ai-startup", "sme"]
        sme = fill_with_general_jobs(c, seconds=12, count=4, partition="sme")
        general = fill_with_general_jobs(c, seconds=12, count=12)
        startup = c.sbatch("-p", "ai-startup", "-N2", "--exclusive", "--gres=gpu:4",
                           wrap="sleep 1")
        c.wait_job_state(startup, ("RUNNING", "COMPLETED"), timeout=RECLAIM_BOUND + 10)
        assert not any(restarts(c, sme).values()), restarts(c, sme)
        assert sum(1 for n in restarts(c, general).values() if n) == 2, restarts(c, general)
        for job in sme + general + [startup]:
            c.wait_job_state(job, "COMPLETED", timeout=90)


if __name__ == "__main__":
    harness.main(globals())
