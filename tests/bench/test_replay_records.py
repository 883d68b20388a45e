# Copyright (C) 2026 The slurm-aishare authors.  GPL-2.0-or-later.
"""bench/replay.py turns sacct's runs into trace-time records without a
cluster: Slurm's whole-second timestamps against the replay's fractional start
time T0.  A job submitted and started in the same wall second as T0 must not
get a negative start (which `aishare sim --score` refuses) nor lose its nodes,
whatever the fraction of that second T0 fell on.  The expected values are
worked out by hand in each test.
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "bench"))
sys.path.insert(0, os.path.join(HERE, "..", "cluster"))
import harness  # noqa: E402
import replay  # noqa: E402

SPEEDUP = 64
HORIZON = 10000


def job(jobid, partition="gpu", submit=0):
    return dict(id=jobid, account="ga", partition=partition, nodes=1, gpus=8,
                duration=640, submit=submit, time_limit=1280)


def run(jobid, submit, start, end, state="COMPLETED", nodes=("node01",)):
    return dict(trace_id=jobid, account="ga", partition="gpu", submit=submit,
                start=start, end=end, state=state, nodes=list(nodes))


def test_same_second_as_t0_late_fraction():
    # T0 = 1000.9: sacct says 1000 for submit and start.  What is left of that
    # second after T0 is [1000.9, 1001), middle 1000.95, so 0.05 s * 64 = 3.2.
    records = replay.records_from_runs([job(4)], [run(4, 1000, 1000, 1010)],
                                       1000.9, SPEEDUP, HORIZON)
    r = records[0]
    assert r["submit"] == 3.2 and r["start"] == 3.2, r
    assert r["nodelist"] == "node01", r
    # End: middle of [1010, 1011) is 1010.5; (1010.5 - 1000.9) * 64 = 614.4.
    assert r["end"] == 614.4, r


def test_same_second_as_t0_early_fraction():
    # T0 = 1000.2: [1000.2, 1001), middle 1000.6, so 0.4 s * 64 = 25.6.
    records = replay.records_from_runs([job(5)], [run(5, 1000, 1000, 1001)],
                                       1000.2, SPEEDUP, HORIZON)
    r = records[0]
    assert r["submit"] == 25.6 and r["start"] == 25.6, r
    # End in the next second: (1001.5 - 1000.2) * 64 = 83.2.
    assert r["end"] == 83.2, r


def test_every_fraction_of_t0_gives_ordered_times():
    # The random failure of the replay smoke: jobs at trace time 0, T0 at any
    # fraction of its second.  Submit <= start <= end, all >= 0, nodes kept.
    for tenth in range(10):
        t0 = 1000 + tenth / 10.0
        runs = [run(1, 1000, 1000, 1000), run(2, 1000, 1001, 1002)]
        for r in replay.records_from_runs([job(1), job(2)], runs, t0, SPEEDUP, HORIZON):
            assert 0 <= r["submit"] <= r["start"] <= r["end"], (t0, r)
            assert r["nodelist"] == "node01", (t0, r)


def test_requeued_job_and_reclaim_latency():
    # Job 1 (general) runs on node01 from T0's second and is preempted at
    # 1003; start-up job 2, submitted at 1001, starts there at 1004.
    t0 = 1000.5
    runs = [run(1, 1000, 1000, 1003, state="PREEMPTED"),
            run(2, 1001, 1004, 1010, nodes=("node01",)),
            run(1, 1003, 1012, 1020)]
    records = replay.records_from_runs([job(1), job(2, replay.POOL, 32)], runs,
                                       t0, SPEEDUP, HORIZON)
    general, startup = records
    assert general["preemptions"] == 1, general
    # Submit of the first run: middle of [1000.5, 1001) = 1000.75 -> 16.0.
    assert general["submit"] == 16.0, general
    # Start of the last run: (1012.5 - 1000.5) * 64 = 768.0.
    assert general["start"] == 768.0, general
    # Start-up: submit (1001.5 - 1000.5) * 64 = 64.0, start 4 * 64 = 256.0;
    # its node was freed at (1003.5 - 1000.5) * 64 = 192.0: latency 64.0.
    assert startup["submit"] == 64.0 and startup["start"] == 256.0, startup
    assert startup["reclaim_latency"] == 64.0, startup


def test_job_that_never_ran_and_the_horizon():
    runs = [run(1, 1000, None, None, state="PENDING", nodes=()),
            run(2, 1000, 1200, None, state="RUNNING")]
    records = replay.records_from_runs([job(1), job(2), job(3, submit=7)], runs,
                                       1000.0, SPEEDUP, 1000)
    never, late, unsubmitted = records
    assert never["start"] == -1 and never["end"] == -1 and never["nodelist"] == ""
    # Started at (1200.5 - 1000) * 64 = 12832 > horizon 1000: not counted.
    assert late["start"] == -1 and late["nodelist"] == "", late
    # No sacct record at all: the trace's own submit time stands.
    assert unsubmitted["submit"] == 7.0 and unsubmitted["start"] == -1, unsubmitted


if __name__ == "__main__":
    harness.main(globals())
