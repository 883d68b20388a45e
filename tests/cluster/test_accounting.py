#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Accounting smoke test: private MariaDB + slurmdbd behind the cluster.

slurm-aishare takes start-up membership and GPU-hour grants from Slurm
accounting (sacctmgr accounts, GrpTRESMins), so the tests that prove the
guarantee need a working slurmdbd; this checks the harness provides one.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402


def _sacct(c, jobid):
    """{'State':..., 'Account':..., 'AllocTRES':...} of a job's allocation
    as slurmdbd has recorded it, or None while it has not arrived yet."""
    out = c.run(["sacct", "-X", "-n", "-P", "-j", str(jobid),
                 "-o", "JobID,State,Account,Partition,AllocTRES"]).stdout
    for line in out.splitlines():
        fields = line.split("|")
        if fields[0] == str(jobid):
            return dict(zip(["JobID", "State", "Account", "Partition",
                             "AllocTRES"], fields))
    return None


def test_job_accounted_under_its_account():
    with harness.Cluster(nodes=4, leaves=2, accounting=True) as c:
        c.run(["sacctmgr", "-i", "add", "account", "startup-a",
               "description=AI start-up A", "organization=startups"])
        c.run(["sacctmgr", "-i", "add", "user", "root", "account=startup-a"])
        assoc = c.run(["sacctmgr", "-n", "-P", "list", "associations",
                       "account=startup-a", "format=cluster,account,user"]).stdout
        assert "%s|startup-a|root" % c.cluster_name in assoc, assoc

        jobid = c.sbatch("-p", "ai-startup", "-A", "startup-a", "--gres=gpu:2",
                         "-N2", wrap="sleep 1")
        job = c.wait_job_state(jobid, "COMPLETED", timeout=60)
        assert job["Account"] == "startup-a", job["Account"]

        # Job records reach slurmdbd asynchronously, start and end as
        # separate messages (the end may be stored first, without the
        # partition): poll until the record is complete.
        def recorded():
            rec = _sacct(c, jobid)
            if rec and rec["State"] == "COMPLETED" and rec["Partition"]:
                return rec
            return None
        rec = harness.wait_until(recorded, 60, "sacct to show job %d COMPLETED "
                                 "with its partition" % jobid, interval=0.5)
        assert rec["Account"] == "startup-a", rec
        assert rec["Partition"] == "ai-startup", rec
        tres = harness.parse_tres(rec["AllocTRES"])
        assert tres.get("gres/gpu") == "4", rec


def test_gpus_are_tres_with_slurmdbd():
    # Only with slurmdbd can 22.05 track gres/gpu as a TRES (it refuses
    # AccountingStorageTRES=gres/gpu otherwise); GPU-hour grants need it.
    with harness.Cluster(nodes=2, leaves=1, accounting=True) as c:
        for name, node in c.nodes().items():
            tres = harness.parse_tres(node["CfgTRES"])
            assert tres.get("gres/gpu") == "4", (name, node["CfgTRES"])
        jobid = c.sbatch("--gres=gpu:3", wrap="true")
        job = c.wait_job_state(jobid, "COMPLETED", timeout=60)
        assert harness.parse_tres(job["TRES"]).get("gres/gpu") == "3", job["TRES"]


if __name__ == "__main__":
    harness.main(globals())
