# Copyright (C) 2026 The slurm-aishare authors.  GPL-2.0-or-later.
"""Smoke run of the replay benchmark (bench/replay.py) on 8 nodes in 2 leaves,
64 times faster than real time, for stock Slurm with preemption (B1) and the
aishare plugins (P), each beside `aishare sim` of the same jobs.  The trace
is small and written here: general jobs fill the machine, then start-up jobs
arrive and must take GPUs back.  The figures are not checked (it is a
benchmark); what is: every trace job has a record from sacct and ran, the
reclaims were recorded, slurmctld stayed up, and the table has a replay and a
sim column per configuration with every metric these jobs make measurable.
"""

import csv
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

SRCDIR = os.environ.get("AISHARE_SRCDIR",
                        os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
# id, submit, account, partition, nodes, gpus, duration (trace seconds)
TRACE = [(1, 0, "ga", "gpu", 1, 8, 640), (2, 0, "ga", "gpu", 1, 8, 640),
         (3, 0, "gb", "gpu", 1, 8, 640), (4, 0, "gb", "gpu", 1, 8, 640),
         (5, 0, "ga", "gpu", 1, 8, 640), (6, 0, "gb", "gpu", 1, 8, 640),
         (7, 0, "ga", "gpu", 0, 16, 640),
         (8, 128, "sa", "ai-startup", 2, 16, 256),
         (9, 192, "sb", "ai-startup", 1, 8, 256),
         (10, 256, "gb", "gpu", 1, 1, 128), (11, 256, "ga", "gpu", 1, 2, 128),
         (12, 320, "sa", "ai-startup", 1, 4, 128), (13, 320, "sb", "ai-startup", 1, 4, 128)]


def write_trace(path):
    with open(path, "w") as f:
        f.write("id,submit,account,partition,nodes,gpus,duration,time_limit\n")
        for job in TRACE:
            f.write("%d,%d,%s,%s,%d,%d,%d,%d\n" % (job + (2 * job[-1],)))


def records(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def test_replay_smoke():
    out = tempfile.mkdtemp(prefix="aishare-replay-smoke-")
    trace = os.path.join(out, "smoke.csv")
    write_trace(trace)
    proc = subprocess.run(
        [sys.executable, os.path.join(SRCDIR, "bench", "replay.py"), "--trace", trace,
         "--nodes", "8", "--leaves", "2", "--speedup", "64", "--drain", "1600",
         "--configs", "B1,P", "--sim", "--output", out],
        capture_output=True, text=True, timeout=600)
    print(proc.stdout)
    print(proc.stderr[-3000:], file=sys.stderr)
    assert proc.returncode == 0, "replay.py failed"

    for name in ("B1", "P"):
        for prefix in ("records", "sim-records"):
            rows = records(os.path.join(out, "%s-%s.csv" % (prefix, name)))
            assert len(rows) == len(TRACE), (prefix, name, len(rows))
            # The machine holds the trace's work twice over within the horizon.
            ended = [r for r in rows if float(r["end"]) >= 0 and r["nodelist"]]
            assert len(ended) == len(TRACE), (prefix, name, rows)
            # Start-ups arrive on a full machine: both take GPUs back.
            assert sum(int(r["preemptions"]) for r in rows) > 0, (prefix, name)
        assert "%s: " % name in proc.stdout and "slurmctld alive" in proc.stdout

    table = proc.stdout.split("\n\n")[-1]
    heading = table.splitlines()[0].split()
    assert heading == ["B1", "B1", "sim", "P", "P", "sim"], heading
    for label in ("start-up wait p50 (s)", "general wait p95 (s)", "GPU utilisation",
                  "utilisation / trace ceiling", "at the free-set bound",
                  "reclaims (preemptions)", "reclaim latency max (s)",
                  "Jain's index, start-ups"):
        row = [line for line in table.splitlines() if line.strip().startswith(label)]
        assert row, label
        cells = row[0].strip()[len(label):].split()
        assert len(cells) == 4 and "-" not in cells, (label, cells)
    with open(os.path.join(out, "report.txt")) as f:
        assert "GPU utilisation" in f.read()
    shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    harness.main(globals())
