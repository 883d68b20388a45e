#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""`aishare topo gres` output is a gres.conf that real Slurm accepts.

Four emulated nodes of the 4-GPU PCIe fixture (2 sockets x 16 cores, GPUs 0-1
on socket 0 and 2-3 on socket 1): their gres.conf is exactly what
`aishare topo gres` writes from the nodes' hwloc XML, with File= pointing at
the harness's fake devices.  Stock slurmd must register every node with its
four typed GPUs, and a job asking for the GPU type by name must run.
"""

import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

FIXTURE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data",
                       "hwloc", "gpu4-pcie.xml")


def test_generated_gres_conf_registers_typed_gpus():
    with harness.Cluster(nodes=4, leaves=2, gpus_per_node=4, cpus_per_node=32,
                         start=False) as c:
        xml_dir = os.path.join(c.dir, "topology")
        os.makedirs(xml_dir)
        for node in c.node_names:
            shutil.copy(FIXTURE, os.path.join(xml_dir, node + ".xml"))
        gres = subprocess.run(
            [harness.aishare_tool(), "topo", "gres", "--file-prefix",
             os.path.join(c.dir, "dev", "nvidia"), xml_dir],
            capture_output=True, text=True, timeout=60, check=True).stdout
        print(gres, end="")
        lines = gres.splitlines()
        assert len(lines) == 16, lines
        assert all("Type=NVIDIA_L40S" in l and "Links=" not in l for l in lines), lines
        with open(os.path.join(c.dir, "gres.conf"), "w") as f:
            f.write(gres)
        # The site names the type in slurm.conf too, so jobs may ask for it.
        with open(c.conf_path) as f:
            conf = f.read()
        assert conf.count(" Gres=gpu:4 ") == 4, conf
        with open(c.conf_path, "w") as f:
            f.write(conf.replace(" Gres=gpu:4 ", " Gres=gpu:NVIDIA_L40S:4 "))
        c.start()

        for name, node in c.nodes().items():
            assert node["State"] == "IDLE", (name, node["State"])
            # Four typed GPUs; the sockets come from gres.conf's Cores=.
            assert node["Gres"] == "gpu:NVIDIA_L40S:4(S:0-1)", (name, node["Gres"])

        job = c.sbatch("-p", "gpu", "-N1", "--gres=gpu:NVIDIA_L40S:2",
                       wrap="echo GPUS=$CUDA_VISIBLE_DEVICES")
        c.wait_job_state(job, "COMPLETED", timeout=60)
        details = c.job(job, details=True)
        assert harness.Cluster.job_gpus(details) == 2, details.get("JOB_GRES")
        # slurmd took every line as it was: no gres complaint in any log.
        for daemon in ["slurmctld"] + c.node_names:
            # (the test's own directory name holds "gres": it is cut out)
            lines = c.log_text(daemon).replace(c.dir, "DIR").lower().splitlines()
            complaints = [l for l in lines if "error" in l and "gres" in l]
            assert not complaints, (daemon, complaints)


if __name__ == "__main__":
    harness.main(globals())
