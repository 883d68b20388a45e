#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The harness itself, with stock Slurm only (plugins=False).

If this fails, every other cluster test fails for reasons that have nothing
to do with slurm-aishare, so it checks the emulated machine the others rely
on: 16 nodes with 4 fake GPUs each in 4 leaf switches, both partitions, GPU
jobs and multi-node steps across several slurmd.
"""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402


def test_sixteen_gpu_nodes_in_four_leaves():
    with harness.Cluster(nodes=16, leaves=4, gpus_per_node=4) as c:
        nodes = c.nodes()
        assert sorted(nodes) == ["node%02d" % i for i in range(1, 17)], sorted(nodes)
        for name, node in nodes.items():
            assert node["State"] == "IDLE", (name, node["State"])
            # Gres registered from the File= devices, not just configured:
            # a node whose slurmd found no devices would show gpu:0 / drain.
            assert node["Gres"] == "gpu:4", (name, node["Gres"])
            assert node["Partitions"] == "gpu,ai-startup", (name, node["Partitions"])
            assert node["Port"] == str(c.node_ports[name]), (name, node["Port"])

        # GPUs are gres but not a TRES here: 22.05 needs slurmdbd for a
        # gres/gpu TRES (test_accounting checks CfgTRES gres/gpu=4).
        assert "gres/gpu" not in nodes["node01"]["CfgTRES"], nodes["node01"]["CfgTRES"]

        parts = c.scontrol("-o", "show", "partition").splitlines()
        parts = {harness.parse_scontrol_record(p)["PartitionName"]:
                 harness.parse_scontrol_record(p) for p in parts}
        assert sorted(parts) == ["ai-startup", "gpu"], sorted(parts)
        assert parts["gpu"]["Default"] == "YES"
        for p in parts.values():
            assert p["Nodes"] == "node[01-16]", p["Nodes"]
            assert p["TotalNodes"] == "16", p["TotalNodes"]

        topo = [harness.parse_scontrol_record(l)
                for l in c.scontrol("show", "topology").splitlines() if l.strip()]
        leaves = {t["SwitchName"]: t["Nodes"] for t in topo if t["Level"] == "0"}
        assert leaves == {"leaf1": "node[01-04]", "leaf2": "node[05-08]",
                          "leaf3": "node[09-12]", "leaf4": "node[13-16]"}, leaves
        spine = [t for t in topo if t["Level"] == "1"]
        assert len(spine) == 1 and spine[0]["SwitchName"] == "spine", spine
        assert spine[0]["Switches"] == "leaf[1-4]", spine[0]
        # The harness's own map (used by the demo and placement tests) agrees.
        assert {k: harness.compress_hostlist(v) for k, v in c.leaves.items()} == leaves


def test_gpu_jobs_run_in_both_partitions():
    with harness.Cluster(nodes=16, leaves=4, gpus_per_node=4) as c:
        script = "#!/bin/sh\necho GPUS=$CUDA_VISIBLE_DEVICES\nsleep 1\n"
        jobs = {part: c.sbatch("-p", part, "--gres=gpu:4", "--nodes=2",
                               "-o", "%s-%%j.out" % part, script=script)
                for part in ("gpu", "ai-startup")}
        for part, jobid in jobs.items():
            job = c.wait_job_state(jobid, "COMPLETED", timeout=60)
            assert job["Partition"] == part, job
            assert job["NumNodes"] == "2", job
            assert job["ExitCode"] == "0:0", job
            assert job["TresPerNode"] == "gres:gpu:4", job
            assert len(harness.expand_hostlist(job["NodeList"])) == 2, job
            detail = c.job(jobid, details=True)
            assert c.job_gpus(detail) == 8, detail.get("JOB_GRES")
            with open(os.path.join(c.dir, "%s-%d.out" % (part, jobid))) as f:
                out = f.read()
            # slurmd bound the four fake devices of the batch node.
            assert "GPUS=0,1,2,3" in out, out

        # A parallel step spans several slurmd: each task reports its node.
        step = c.run(["srun", "-p", "ai-startup", "-N4", "--gres=gpu:1",
                      "--ntasks-per-node=1", "--switches=1",
                      "sh", "-c", "echo $SLURMD_NODENAME $CUDA_VISIBLE_DEVICES"],
                     timeout=60)
        lines = sorted(step.stdout.split("\n"))
        lines = [l for l in lines if l]
        assert len(lines) == 4, step.stdout
        names = [l.split()[0] for l in lines]
        assert len(set(names)) == 4, names
        assert all(l.split()[1] == "0" for l in lines), lines
        # --switches=1 on an idle machine: all four nodes under one leaf.
        assert len({c.leaf_of[n] for n in names}) == 1, names
        assert all(re.fullmatch(r"node\d\d", n) for n in names), names


def test_slurmctld_restart_keeps_running_jobs():
    # The harness's restart helpers, used by the tests that prove the pool
    # ledger survives slurmctld restarts: same state dir, jobs recovered.
    with harness.Cluster(nodes=2, leaves=1) as c:
        job = c.sbatch("-N2", "--gres=gpu:1", wrap="sleep 8")
        c.wait_job_state(job, "RUNNING", timeout=30)
        c.restart_slurmctld()             # orderly: SIGTERM saves state
        assert c.job(job)["JobState"] == "RUNNING"
        c.restart_slurmctld(kill=True)    # crash: kill -9
        assert c.job(job)["JobState"] == "RUNNING"
        c.wait_job_state(job, "COMPLETED", timeout=60)
        later = c.sbatch("--gres=gpu:4", wrap="true")
        c.wait_job_state(later, "COMPLETED", timeout=60)
        assert int(later) > int(job)


if __name__ == "__main__":
    harness.main(globals())
