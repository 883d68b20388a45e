#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""site_factor/aishare on a real slurmctld with slurmdbd + MariaDB.

Start-ups are sacctmgr accounts with a GrpTRESMins=gres/gpu grant, grouped under
a parent account.  One cluster, phases in order (time is compressed: grants of a
few GPU-minutes, jobs of seconds, RecalcInterval=1 s):

  fair share   three start-ups with equal grants, one submitting ten times more
               and first: their GPU-seconds converge (Jain's index printed);
  pacing       an account that used ~80% of its grant at 20% of the period
               sinks below one that used ~10% (sprio's SITE, aishare explain);
  reconfigure  a bad weight is refused naming key and value, the old one kept;
               a good one changes the terms;
  restart      usage (Slurm's, saved in StateSaveLocation) survives slurmctld;
  large job    a 4-node job of a badly placed account is overtaken by a
               stream of 1-node jobs of a well placed one until it has waited
               LargeJobWait, then starts.
"""

import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

NODES, GPUS = 4, 4
PERIOD_MIN = 100                      # GrantPeriod in minutes
GRANT_START = int(time.time()) - 20 * 60   # so "now" is 20% into the period
LARGE_JOB_WAIT = 20                   # seconds
BASE = ("Pools=ai-startup,GrantPeriod=%d,GrantStart=%d,LargeJobGpus=%d,"
        "LargeJobWait=0:%02d,RecalcInterval=0:01"
        % (PERIOD_MIN, GRANT_START, 2 * GPUS, LARGE_JOB_WAIT))


def sacctmgr(c, *args):
    c.run(["sacctmgr", "-i"] + list(args))


def add_startup(c, account, parent, grant_gpu_minutes):
    sacctmgr(c, "add", "account", account, "parent=%s" % parent,
             "GrpTRESMins=gres/gpu=%d" % grant_gpu_minutes)
    sacctmgr(c, "add", "user", "root", "account=%s" % account)


def wait_grants_known(c, accounts):
    """slurmdbd pushes new associations to slurmctld asynchronously."""
    def known():
        out = c.scontrol("show", "assoc_mgr", "flags=assoc")
        return all("Account=%s UserName= " % a in out for a in accounts)
    harness.wait_until(known, 30, "slurmctld to know accounts %s" % accounts)


def submit(c, account, seconds, nodes=1, time_limit=2):
    return c.sbatch("-p", "ai-startup", "-A", account, "-N%d" % nodes,
                    "--gres=gpu:%d" % GPUS, "--exclusive", "--time=%d" % time_limit,
                    "-o", "/dev/null", wrap="sleep %s" % seconds)


def all_jobs(c):
    out = c.scontrol("-o", "show", "job")
    return [harness.parse_scontrol_record(l) for l in out.splitlines()
            if l.startswith("JobId=")]


def epoch(text):
    """Slurm's local time stamp as seconds since the epoch, or None."""
    when = harness.parse_slurm_time(text)
    return when.timestamp() if when else None


def gpu_seconds(jobs, accounts, until):
    """GPU-seconds each account's jobs held up to UNTIL (epoch seconds)."""
    used = dict.fromkeys(accounts, 0.0)
    for job in jobs:
        if job.get("Account") not in used or job.get("StartTime") in (None, "Unknown"):
            continue
        start = epoch(job["StartTime"])
        if start is None or start > until:
            continue
        end = until
        if job["JobState"] not in ("RUNNING", "PENDING", "CONFIGURING"):
            end = min(until, epoch(job["EndTime"]) or until)
        gpus = int(harness.parse_tres(job.get("TRES", "")).get("gres/gpu", 0))
        used[job["Account"]] += gpus * max(0.0, end - start)
    return used


def jain(values):
    total, squares = sum(values), sum(v * v for v in values)
    return 1.0 if squares == 0 else total * total / (len(values) * squares)


def pending(c, account):
    out = c.run(["squeue", "-h", "-t", "PD", "-A", account, "-o", "%i"]).stdout
    return out.split()


def explain(c, jobid):
    """The job's priority terms, or None until a pass of the plugin recorded them."""
    proc = c.run([harness.aishare_tool(), "explain", "--json", str(jobid)], check=False)
    if proc.returncode != 0:
        return None
    terms = json.loads(proc.stdout)
    return terms if "total" in terms else None


def site_factors(c):
    """{jobid: SITE} of pending jobs, as sprio shows it."""
    out = c.run(["sprio", "-h", "-o", "%i %S"]).stdout
    return {int(f[0]): int(f[1]) for f in (l.split() for l in out.splitlines()) if len(f) == 2}


def phase_fair_share(c):
    heavy, light = ["sa"], ["sb", "sc"]
    started = time.time()
    # The heavy account submits ten times more, and first.
    for i in range(120):
        submit(c, "sa", 2 + (i % 3) * 0.5)
    for i in range(12):
        for acct in light:
            submit(c, acct, 2 + (i % 3) * 0.5)

    # While every account still has demand, measure: stop at the moment one of
    # the light accounts has nothing left to start.
    def a_light_account_drained():
        return any(not pending(c, a) for a in light)
    harness.wait_until(a_light_account_drained, 150, "a light account to run dry",
                       interval=0.5)
    until = time.time()
    used = gpu_seconds(all_jobs(c), heavy + light, until)
    index = jain(list(used.values()))
    print("# fair share over %.0f s with demand: GPU-seconds %s, Jain's index %.3f"
          % (until - started, {a: round(v) for a, v in used.items()}, index), flush=True)
    c.run(["scancel", "-A", "sa"])
    c.run(["scancel", "-A", "sb"])
    c.run(["scancel", "-A", "sc"])
    assert index >= 0.95, (index, used)
    c.wait_nodes_idle(timeout=60)


def phase_pacing(c):
    # Grants of 2 GPU-minutes: burner uses ~80% (12 GPUs x 8 s; a loaded host
    # adds a second or two), saver ~10%.
    burner = submit(c, "burner", 8, nodes=3)
    saver = submit(c, "saver", 3, nodes=1)
    for job in (burner, saver):
        c.wait_job_state(job, "COMPLETED", timeout=60)
    # Both pending behind a job holding every node, so their priority decides.
    blocker = submit(c, "ops", 600, nodes=NODES, time_limit=20)
    c.wait_job_state(blocker, "RUNNING")
    jobs = {"burner": submit(c, "burner", 1), "saver": submit(c, "saver", 1)}

    def both_explained():
        terms = {a: explain(c, j) for a, j in jobs.items()}
        return terms if all(terms.values()) else None
    terms = harness.wait_until(both_explained, 30, "aishare explain to know both jobs")
    sites = site_factors(c)
    for acct, t in terms.items():
        print("# pacing: %s used %.0f%% of its grant at %.0f%% of the period: "
              "pacing %+d, fair share %+d, site factor %+d (sprio SITE %d)"
              % (acct, 100 * t["used"] / t["grant"], 100 * t["period_elapsed"],
                 t["pacing"], t["fair_share"], t["total"], sites.get(jobs[acct])),
              flush=True)
    b, s = terms["burner"], terms["saver"]
    assert 0.19 <= b["period_elapsed"] <= 0.22, b
    assert 0.6 <= b["used"] / b["grant"] < 1.0, b
    assert s["used"] / s["grant"] <= 0.25, s
    assert b["pacing"] < 0 < s["pacing"], (b, s)
    assert b["total"] < s["total"], (b, s)
    assert sites[jobs["burner"]] < sites[jobs["saver"]], sites
    text = c.run([harness.aishare_tool(), "explain", str(jobs["burner"])]).stdout
    print(text, end="", flush=True)
    assert "WeightPacing 10000 x" in text and "% of the grant period" in text, text
    # aishare status lists every start-up with its grant, usage and pacing.
    status = json.loads(c.run([harness.aishare_tool(), "status", "--json"]).stdout)
    startups = {s["account"]: s for s in status["startups"]}
    print(c.run([harness.aishare_tool(), "status"]).stdout, end="", flush=True)
    assert startups["burner"]["grant_gpu_minutes"] == 2, startups
    assert startups["burner"]["pacing"] < 0 < startups["saver"]["pacing"], startups
    assert startups["burner"]["used_gpu_minutes"] > startups["saver"]["used_gpu_minutes"], \
        startups
    return jobs, blocker, b


def phase_reconfigure(c, jobs):
    mark = c.reconfigure(params=BASE + ",WeightFairShare=2000000")
    c.wait_log("slurmctld", "WeightFairShare=2000000", since=mark)
    assert "keeping the previous configuration" in c.log_since("slurmctld", mark)
    mark = c.reconfigure(params=BASE + ",WeightPacing=0")

    def pacing_off():
        t = explain(c, jobs["burner"])
        return t if t and t["pacing"] == 0 and t["fair_share"] != 0 else None
    harness.wait_until(pacing_off, 30, "WeightPacing=0 to take effect")


def phase_restart(c, jobs, before):
    c.restart_slurmctld()

    def explained_again():
        t = explain(c, jobs["burner"])
        # A new pass after the restart wrote the file again.
        return t if t and t.get("used") is not None and t["pacing"] == 0 else None
    after = harness.wait_until(explained_again, 60, "explain after the restart")
    print("# restart: burner used %.2f GPU-min before, %.2f after"
          % (before["used"], after["used"]), flush=True)
    assert abs(after["used"] - before["used"]) <= 0.05 * before["used"], (before, after)


def phase_large_job(c, jobs, blocker):
    # A small weight for large jobs, so that before LargeJobWait the large job
    # (burner: poor fair share) stays below the stream of 1-node jobs of
    # "fresh" (alone in its group: fair share >= 5000) and only the
    # starvation rule can get it started.
    mark = c.reconfigure(params=BASE + ",WeightPacing=0,WeightLargeJob=1000")
    c.wait_log("slurmctld", "WeightLargeJob=1000 ", since=mark)
    c.run(["scancel", str(blocker), str(jobs["burner"]), str(jobs["saver"])])
    c.wait_nodes_idle(timeout=60)
    stream = [submit(c, "fresh", 3) for _ in range(6)]
    large = submit(c, "burner", 2, nodes=NODES)
    submitted = time.time()
    overtaken = set()

    # Keep six small jobs pending, until the large job starts.
    def large_started():
        job = c.job(large)
        if job["JobState"] in ("RUNNING", "COMPLETING", "COMPLETED"):
            return job
        waiting = pending(c, "fresh")
        for jobid in stream:
            if str(jobid) not in waiting:
                overtaken.add(jobid)
        for _ in range(max(0, 6 - len(waiting))):
            stream.append(submit(c, "fresh", 3))
        return None
    job = harness.wait_until(large_started, LARGE_JOB_WAIT + 60,
                             "the large job to start", interval=0.5)
    waited = epoch(job["StartTime"]) - int(submitted)
    print("# large job: started after %d s (LargeJobWait %d s); %d small jobs "
          "started before it" % (waited, LARGE_JOB_WAIT, len(overtaken)), flush=True)
    c.run(["scancel", "-A", "fresh"])
    # Overtaken until it was starving, then not any more.
    assert len(overtaken) >= 8, "the small jobs should have gone first until then"
    assert LARGE_JOB_WAIT - 2 <= waited <= LARGE_JOB_WAIT + 30, waited


def test_priority_with_accounting():
    with harness.Cluster(nodes=NODES, leaves=1, gpus_per_node=GPUS, plugins=True,
                         accounting=True, params=BASE, min_job_age=600,
                         # Slurm charges a job's usage at its end only with
                         # limits enforced (acct_policy calls priority's
                         # job_end); the grant is then also Slurm's hard limit.
                         extra_conf=["AccountingStorageEnforce=associations,limits"]) as c:
        sacctmgr(c, "add", "account", "startups", "description=start-ups")
        sacctmgr(c, "add", "account", "cohort2", "description=second cohort")
        sacctmgr(c, "add", "account", "ops", "description=operators")
        sacctmgr(c, "add", "user", "root", "account=ops")
        for acct in ("sa", "sb", "sc"):
            add_startup(c, acct, "startups", 100000)
        for acct in ("burner", "saver"):
            add_startup(c, acct, "cohort2", 2)
        sacctmgr(c, "add", "account", "cohort3", "description=third cohort")
        add_startup(c, "fresh", "cohort3", 100000)
        wait_grants_known(c, ["sa", "sb", "sc", "burner", "saver", "fresh"])

        phase_fair_share(c)
        jobs, blocker, burner_terms = phase_pacing(c)
        phase_reconfigure(c, jobs)
        phase_restart(c, jobs, burner_terms)
        phase_large_job(c, jobs, blocker)


if __name__ == "__main__":
    harness.main(globals())
