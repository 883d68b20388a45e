#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Bad configuration is refused loudly, at the right moment.

- A bad PrioritySiteFactorParameters at start-up (a bad value, an unknown
  key, a pool partition slurm.conf lacks) stops slurmctld with a message
  naming every problem.
- The same mistake made by `scontrol reconfigure` must not take the cluster
  down: the error is logged, the previous configuration stays in force and
  jobs keep running; a later good reconfigure is adopted.
- Bad plugstack.conf arguments of the SPANK plugin fail the step with an
  error naming the argument.
"""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

BAD_PARAMS = "Share=150%,Bogus=1"
SHARE_PROBLEM = "Share=150%: must be between 0.01% and 100%"
BOGUS_PROBLEM = "Bogus=1: unknown key (known keys: "
CTLD_PLUGIN = r"(?:preempt|site_factor|job_submit)/aishare"


def _lines_with(text, *needles):
    return [l for l in text.splitlines() if all(n in l for n in needles)]


def test_bad_params_stop_slurmctld():
    with harness.Cluster(nodes=2, leaves=1, plugins=True, params=BAD_PARAMS,
                         start=False) as c:
        rc, log = c.start_slurmctld_expect_failure(timeout=30)
        assert rc != 0
        # One message, from one of our plugins, naming both problems at once.
        pattern = re.compile(r"%s: PrioritySiteFactorParameters: " % CTLD_PLUGIN)
        both = [l for l in _lines_with(log, SHARE_PROBLEM, BOGUS_PROBLEM)
                if pattern.search(l)]
        assert both, ("no '<type>/aishare: PrioritySiteFactorParameters: ...' "
                      "line naming both %r and %r in:\n%s"
                      % (SHARE_PROBLEM, BOGUS_PROBLEM, log[-4000:]))
        assert not re.search(r"aishare: slurm-aishare \S+ loaded", log), \
            "a plugin claimed to have loaded the bad parameters"


def test_zero_share_bad_window_and_unknown_pool_stop_slurmctld():
    """The guarantee's own inputs: a pool that guarantees nothing, a lending
    window that is no time, a pool partition slurm.conf does not define."""
    cases = [
        ("Share=0%,LendWindow=soon",
         ["Share=0%: must be between 0.01% and 100%", "LendWindow=soon: "]),
        ("Pools=ai-startup:sme,Share[sme]=10%",
         ["Pools=ai-startup:sme: no partition sme in slurm.conf"]),
    ]
    for params, problems in cases:
        with harness.Cluster(nodes=2, leaves=1, plugins=True, params=params,
                             start=False) as c:
            rc, log = c.start_slurmctld_expect_failure(timeout=30)
            assert rc != 0, params
            pattern = re.compile(r"%s: PrioritySiteFactorParameters: " % CTLD_PLUGIN)
            named = [l for l in _lines_with(log, *problems) if pattern.search(l)]
            assert named, ("%s: no line naming %r in:\n%s"
                           % (params, problems, log[-4000:]))


def test_bad_reconfigure_keeps_previous_configuration():
    with harness.Cluster(nodes=2, leaves=1, plugins=True,
                         params="Share=40%") as c:
        assert re.search(r"%s: slurm-aishare \S+ loaded: .*Share=40%%"
                         % CTLD_PLUGIN, c.log_text("slurmctld"))

        mark = c.reconfigure(params=BAD_PARAMS)
        # Plugins may notice the new string at reconfigure or on their next
        # call; a job submission makes every controller plugin look.
        job = c.sbatch("-p", "ai-startup", "--gres=gpu:1", wrap="true")
        c.wait_log("slurmctld", "PrioritySiteFactorParameters rejected, keeping "
                   "the previous configuration: ", since=mark, timeout=30)
        rejected = _lines_with(c.log_since("slurmctld", mark),
                               "rejected, keeping the previous configuration: ")
        assert all(re.search(r"%s: PrioritySiteFactorParameters rejected" % CTLD_PLUGIN, l)
                   for l in rejected), rejected
        assert any(SHARE_PROBLEM in l and BOGUS_PROBLEM in l for l in rejected), rejected

        # Still up, still scheduling, with the old configuration.
        assert c.ping(), "slurmctld stopped answering after a bad reconfigure"
        c.wait_job_state(job, "COMPLETED", timeout=60)
        job2 = c.sbatch("-p", "gpu", "-N2", "--gres=gpu:4", wrap="true")
        c.wait_job_state(job2, "COMPLETED", timeout=60)
        assert not re.search(r"slurm-aishare \S+ (?:loaded|reconfigured): ",
                             c.log_since("slurmctld", mark)), \
            "a plugin adopted the bad parameters"

        # A good string is adopted and its summary logged.
        mark = c.reconfigure(params="Share=60%")
        job3 = c.sbatch("-p", "ai-startup", "--gres=gpu:1", wrap="true")
        harness.wait_until(
            lambda: re.search(r"%s: slurm-aishare \S+ (?:loaded|reconfigured): "
                              r".*Share=60%%" % CTLD_PLUGIN,
                              c.log_since("slurmctld", mark)),
            30, "the new summary with Share=60% in the slurmctld log")
        c.wait_job_state(job3, "COMPLETED", timeout=60)
        assert c.ping()


def test_bad_spank_arguments_fail_the_step():
    with harness.Cluster(nodes=2, leaves=1, plugins=True,
                         spank_args="Bind=closest") as c:
        good = c.run(["srun", "-N1", "true"], check=False, timeout=60)
        assert good.returncode == 0, good.stderr

        # plugstack.conf is read afresh by every srun and slurmstepd, so a
        # rewrite takes effect without restarting anything.
        c.spank_args = "Bind=sideways"
        c.write_config()
        bad = c.run(["srun", "-N1", "true"], check=False, timeout=60)
        assert bad.returncode != 0, "a step ran with Bind=sideways"
        assert "spank/aishare" in bad.stderr and "Bind=sideways" in bad.stderr, \
            bad.stderr

        c.spank_args = "Bind=strict Verbose=yes"
        c.write_config()
        again = c.run(["srun", "-N1", "true"], check=False, timeout=60)
        assert again.returncode == 0, again.stderr


if __name__ == "__main__":
    harness.main(globals())
