#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The four aishare plugins load into the real Slurm daemons.

Catches what unit and ABI tests cannot: a plugin Slurm refuses to dlopen or
does not recognise, a SPANK plugin that breaks srun or slurmstepd, and a
controller plugin that keeps jobs from running.  Needs AISHARE_PLUGIN_DIR
(make check sets it); without it the test fails, it never skips.
"""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

CTLD_TYPES = ("preempt", "site_factor", "job_submit")


def project_version():
    """The version the plugins must report: the project's VERSION file."""
    srcdir = os.environ.get("AISHARE_SRCDIR") or os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "..")
    with open(os.path.join(srcdir, "VERSION")) as f:
        return f.read().strip()


def loaded_line(plugin_type):
    """Regex of the one info line each plugin logs when it loads."""
    return re.compile(r"%s/aishare: slurm-aishare %s loaded: \S"
                      % (re.escape(plugin_type), re.escape(project_version())))


def test_controller_plugins_load_once():
    with harness.Cluster(nodes=4, leaves=2, plugins=True) as c:
        log = c.log_text("slurmctld")
        for ptype in CTLD_TYPES:
            found = loaded_line(ptype).findall(log)
            assert len(found) == 1, (
                "slurmctld log has %d '%s/aishare: slurm-aishare %s loaded:' "
                "lines, expected 1" % (len(found), ptype, project_version()))
        # Slurm names a plugin it could not use; none of ours may be there.
        for bad in ("not a Slurm plugin", "Couldn't find the specified plugin",
                    "cannot open shared object", "undefined symbol"):
            assert bad not in log, "slurmctld log says %r" % bad
        assert c.ping()


def test_jobs_and_steps_run_with_spank_plugin():
    with harness.Cluster(nodes=4, leaves=2, plugins=True) as c:
        help_text = c.run(["srun", "--help"]).stdout
        assert "--aishare-bind" in help_text, help_text[-2000:]

        # An srun step on a named node: its slurmstepd logs into that node's
        # slurmd log (SlurmdLogFile=%n.log) when it loads the SPANK plugin.
        step = c.run(["srun", "-p", "gpu", "-w", "node02", "-N1",
                      "--gres=gpu:1", "printenv", "SLURMD_NODENAME"], timeout=60)
        assert step.stdout.strip() == "node02", step.stdout
        spank = re.compile(r"spank/aishare: slurm-aishare %s loaded: \S"
                           % re.escape(project_version()))
        harness.wait_until(lambda: spank.search(c.log_text("node02")), 20,
                           "the spank/aishare loaded line in node02's slurmd log")

        # The srun option the plugin registers is accepted and validated.
        ok = c.run(["srun", "-p", "ai-startup", "-N1", "--aishare-bind=strict",
                    "true"], check=False, timeout=60)
        assert ok.returncode == 0, ok.stderr
        bad = c.run(["srun", "-p", "ai-startup", "-N1", "--aishare-bind=sideways",
                     "true"], check=False, timeout=60)
        assert bad.returncode != 0, "srun accepted --aishare-bind=sideways"
        assert "--aishare-bind" in bad.stderr and "sideways" in bad.stderr, bad.stderr

        # Batch jobs run in both partitions with all plugins in the way.
        jobs = [c.sbatch("-p", part, "-N2", "--gres=gpu:2", wrap="sleep 1")
                for part in ("gpu", "ai-startup")]
        for jobid, part in zip(jobs, ("gpu", "ai-startup")):
            job = c.wait_job_state(jobid, "COMPLETED", timeout=60)
            assert job["Partition"] == part, job


def test_sprio_shows_pending_job():
    with harness.Cluster(nodes=2, leaves=1, plugins=True) as c:
        blocker = c.sbatch("-p", "gpu", "-N2", "--exclusive", wrap="sleep 60")
        c.wait_job_state(blocker, "RUNNING", timeout=30)
        waiting = c.sbatch("-p", "ai-startup", "-N1", "--gres=gpu:1", wrap="true")
        c.wait_job_state(waiting, "PENDING", timeout=10)
        out = harness.wait_until(
            lambda: (lambda p: p.stdout if str(waiting) in p.stdout else None)(
                c.run(["sprio", "-l"])),
            20, "sprio to list pending job %d" % waiting)
        header = out.splitlines()[0].split()
        assert "SITE" in header, out
        c.run(["scancel", str(blocker)])
        c.wait_job_state(waiting, "COMPLETED", timeout=60)


if __name__ == "__main__":
    harness.main(globals())
