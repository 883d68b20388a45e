#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The SPANK plugin binds each task to its GPU's closest NIC and local cores.

Five emulated nodes, each with the topology of a saved machine named in
plugstack.conf (`TopologyXml=DIR/%n.xml`) and a gres.conf written by
`aishare topo gres` from the same files:

  node01, node02  gpu8-nic8: 4 PCIe switches x (2 H100 + 2 ConnectX-7), 2 sockets
  node03          nvidiaDGX2: 16 V100 under PCIe switches, no NIC in the file
  node04          gpu4-pcie: 4 L40S on root ports, one Ethernet NIC a socket
  node05          a damaged XML file (8 plain fake GPUs)
  node06          24em64t-2n6c2t-pci: 3 GPUs, all NICs on socket 0, hyperthreads
                  numbered 0,2,4... on socket 0 (so affinity visibly narrows)

The choice is read from AISHARE_BINDING (and NCCL_IB_HCA, UCX_NET_DEVICES,
NCCL_SOCKET_IFNAME).  This host has far fewer CPUs than the machines emulated,
so CPU affinity is checked against the plugin's rule: the chosen cores' CPUs
that this task may use, or unchanged when there are none.
"""

import os
import re
import shlex
import shutil
import stat
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

HWLOC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "hwloc")
FIXTURES = {"node01": "gpu8-nic8.xml", "node02": "gpu8-nic8.xml",
            "node03": "nvidiaDGX2.xml", "node04": "gpu4-pcie.xml",
            "node06": "24em64t-2n6c2t-pci.xml"}
GPUS = {"node01": 8, "node02": 8, "node03": 16, "node04": 4, "node05": 8, "node06": 3}
# Show every field of a task on one line.
REPORT = ('echo "$SLURM_PROCID|$SLURMD_NODENAME|$SLURM_STEP_GPUS|$AISHARE_BINDING|'
          '${NCCL_IB_HCA:--}|${NCCL_SOCKET_IFNAME:--}|${UCX_NET_DEVICES:--}|'
          '$(sed -n "s/^Cpus_allowed_list:\\t//p" /proc/self/status)"')


def pmix_client():
    builddir = os.environ.get("AISHARE_BUILDDIR", "")
    path = os.path.join(builddir, "tests", "cluster", "pmix_binding_report")
    if not os.access(path, os.X_OK):
        raise harness.ClusterError("%s is missing: run `make check` (or make -C tests "
                                   "cluster/pmix_binding_report) with PMIx" % path)
    return path


def ranges(cpus):
    """{0, 1, 2, 5} -> '0-2,5'."""
    out, cpus = [], sorted(cpus)
    i = 0
    while i < len(cpus):
        j = i
        while j + 1 < len(cpus) and cpus[j + 1] == cpus[j] + 1:
            j += 1
        out.append(str(cpus[i]) if i == j else "%d-%d" % (cpus[i], cpus[j]))
        i = j + 1
    return ",".join(out)


def expected_affinity(cpus_text):
    """The plugin's rule: chosen CPUs this host lets the task use, else unchanged."""
    chosen = set()
    for part in cpus_text.split(","):
        first, _, last = part.partition("-")
        chosen.update(range(int(first), int(last or first) + 1))
    usable = chosen & os.sched_getaffinity(0)
    return ranges(usable) if usable else "unchanged"


def expected_h100(gpu):
    cores = "0-15" if gpu < 4 else "16-31"
    return ("gpu=%d nic=mlx5_%d pairing=pcie-switch cores=%s cpus=%s affinity=%s"
            % (gpu, gpu, cores, cores, expected_affinity(cores)))


def tasks(proc):
    """The REPORT lines of a step, by rank."""
    out = {}
    for line in proc.stdout.splitlines():
        rank, node, gpus, binding, hca, ifname, ucx, allowed = line.split("|")
        out[int(rank)] = dict(node=node, gpus=gpus, binding=binding, hca=hca,
                              ifname=ifname, ucx=ucx, allowed=allowed)
    return out


def make_cluster(c):
    """Topology files, fake GPUs, gres.conf from `aishare topo gres`, typed Gres."""
    xml_dir = os.path.join(c.dir, "topology")
    os.makedirs(xml_dir)
    for node, name in FIXTURES.items():
        shutil.copy(os.path.join(HWLOC, name), os.path.join(xml_dir, node + ".xml"))
    with open(os.path.join(xml_dir, "node05.xml"), "w") as f:
        f.write("<?xml version=\"1.0\"?>\n<topology><object type=\"Machine\"")
    for i in range(8, 16):  # the harness makes nvidia0-7; the DGX-2 has 16
        os.mknod(os.path.join(c.dir, "dev", "nvidia%d" % i), stat.S_IFCHR | 0o666,
                 os.makedev(1, 3))
    gres = subprocess.run(
        [harness.aishare_tool(), "topo", "gres", "--file-prefix",
         os.path.join(c.dir, "dev", "nvidia")] +
        [os.path.join(xml_dir, node + ".xml") for node in sorted(FIXTURES)],
        capture_output=True, text=True, timeout=60, check=True).stdout
    gres += "NodeName=node05 Name=gpu File=%s\n" % os.path.join(c.dir, "dev", "nvidia[0-7]")
    with open(os.path.join(c.dir, "gres.conf"), "w") as f:
        f.write(gres)
    with open(c.conf_path) as f:
        conf = f.read()
    # PMIx's client directory lives in TmpFS; the nodes share one host, so each
    # needs its own (slurmstepd expands %n there).
    conf = re.sub(r"(?m)^TmpFS=(.*)$", r"TmpFS=\1/%n", conf)
    for node in GPUS:
        os.makedirs(os.path.join(c.dir, "tmp", node))
    for node, count in GPUS.items():
        kind = re.search(r"NodeName=%s .*?Type=(\S+)" % node, gres)
        typed = "gpu:%s:%d" % (kind.group(1), count) if kind else "gpu:%d" % count
        conf = re.sub(r"(NodeName=%s .*?) Gres=gpu:8 " % node, r"\1 Gres=%s " % typed, conf)
    with open(c.conf_path, "w") as f:
        f.write(conf)
    return xml_dir


def srun(c, *args, check=True):
    return c.run(["srun", "-p", "gpu"] + list(args), check=check, timeout=90)


def test_tasks_get_their_gpus_nic_and_cores():
    with harness.Cluster(nodes=6, leaves=1, gpus_per_node=8, cpus_per_node=32,
                         plugins=True, start=False) as c:
        xml_dir = make_cluster(c)
        c.spank_args = "Bind=closest TopologyXml=%s/%%n.xml" % xml_dir
        with open(os.path.join(c.dir, "plugstack.conf"), "w") as f:
            f.write(c.plugstack_text())
        c.start()

        # 8 ranks on an HGX-like node: each gets the NIC under its own PCIe switch
        # and the cores of its GPU's socket.
        step = tasks(srun(c, "-w", "node01", "-n8", "--gpus-per-task=1",
                          "sh", "-c", REPORT))
        assert sorted(step) == list(range(8)), step
        assert sorted(int(t["gpus"]) for t in step.values()) == list(range(8)), step
        for rank, t in step.items():
            gpu = int(t["gpus"])
            assert t["binding"] == expected_h100(gpu), (rank, t)
            assert t["hca"] == "=mlx5_%d" % gpu and t["ucx"] == "mlx5_%d:1" % gpu, (rank, t)
            assert t["ifname"] == "-", (rank, t)

        # PCIe only: no switch, so each socket's two GPUs share its NIC; it has
        # no RDMA device, so NCCL gets the interface for its sockets.
        step = tasks(srun(c, "-w", "node04", "-n4", "--gpus-per-task=1",
                          "--aishare-bind=strict", "sh", "-c", REPORT))
        for rank, t in step.items():
            gpu = int(t["gpus"])
            nic = "ens1f0np0" if gpu < 2 else "ens2f0np0"
            cores = "0-15" if gpu < 2 else "16-31"
            assert t["binding"] == ("gpu=%d nic=%s pairing=numa cores=%s cpus=%s affinity=%s"
                                    % (gpu, nic, cores, cores, expected_affinity(cores))), t
            assert (t["hca"], t["ifname"], t["ucx"]) == ("-", "=" + nic, nic), t

        # DGX-2 fixture (no NIC in hwloc's file): cores only in closest mode ...
        step = tasks(srun(c, "-w", "node03", "-n2", "--gpus-per-task=1", "sh", "-c", REPORT))
        for rank, t in step.items():
            gpu = int(t["gpus"])
            cores, cpus = ("0-1", "0-1") if gpu < 8 else ("2-3", "24-25")
            assert t["binding"] == ("gpu=%d nic=none pairing=none cores=%s cpus=%s affinity=%s"
                                    % (gpu, cores, cpus, expected_affinity(cpus))), t
            assert (t["hca"], t["ucx"]) == ("-", "-"), t
        # ... and strict refuses the step, saying why.
        bad = srun(c, "-w", "node03", "-n1", "--gpus-per-task=1", "--aishare-bind=strict",
                   "true", check=False)
        assert bad.returncode != 0, "strict ran on a node without NIC"
        assert "aishare: --aishare-bind=strict: the node has no NIC to pair GPU 0" \
            in bad.stderr, bad.stderr

        # A NIC only on the other socket: closest takes it and says so (strict
        # would refuse).  The GPU's socket-0 CPUs are 0,2,...,22: of this host's
        # CPUs only 0 is among them, and the task runs on CPU 0 alone.
        step = tasks(srun(c, "-w", "node06", "-n2", "--gpus-per-task=1", "sh", "-c", REPORT))
        by_gpu = {int(t["gpus"]): t for t in step.values()}
        assert by_gpu[0]["binding"].startswith("gpu=0 nic=mlx4_0 pairing=numa cores=0-5 "), step
        host = os.sched_getaffinity(0)
        if 0 in host and 2 not in host:
            assert by_gpu[0]["binding"].endswith(" affinity=0"), step
            assert by_gpu[0]["allowed"] == "0", step
        assert by_gpu[1]["binding"].startswith("gpu=1 nic=mlx4_0 pairing=machine "), step
        bad = srun(c, "-w", "node06", "-n2", "--gpus-per-task=1", "--aishare-bind=strict",
                   "true", check=False)
        assert bad.returncode != 0 and "GPU 1 (0000:11:00.0, NUMA node 1) has no NIC under " \
            "its PCIe switch or on its NUMA node (nearest: mlx4_0 on NUMA node 0)" \
            in bad.stderr, bad.stderr

        # A damaged XML in closest mode: the job runs unbound, with one warning line.
        warned = srun(c, "-w", "node05", "-n2", "--gpus-per-task=1", "sh", "-c", REPORT)
        warnings = [l for l in warned.stderr.splitlines() if "aishare" in l]
        assert len(warnings) == 1, warned.stderr
        assert "aishare: warning: " in warnings[0] and "node05.xml" in warnings[0], warnings
        for t in tasks(warned).values():
            assert t["binding"].startswith("unbound: ") and t["hca"] == "-", t
        bad = srun(c, "-w", "node05", "-n1", "--gpus-per-task=1", "--aishare-bind=strict",
                   "true", check=False)
        assert bad.returncode != 0 and "node05.xml" in bad.stderr, bad.stderr

        # off: nothing is chosen or exported.
        off = tasks(srun(c, "-w", "node01", "-n1", "--gpus-per-task=1", "--aishare-bind=off",
                         "sh", "-c", REPORT))
        assert off[0]["binding"] == "off" and off[0]["hca"] == "-", off

        # PMIx across two nodes x 4 ranks keeps each rank's binding.
        proc = srun(c, "--mpi=pmix", "-N2", "-w", "node[01-02]", "--ntasks-per-node=4",
                    "--gpus-per-task=1", pmix_client())
        ranks = {}
        for line in proc.stdout.splitlines():
            fields = dict(word.split("=", 1) for word in shlex.split(line))
            ranks[int(fields["rank"])] = fields
        print(proc.stdout, end="")
        assert sorted(ranks) == list(range(8)), proc.stdout + proc.stderr
        for rank, f in ranks.items():
            assert f["host"] == ("node01" if rank < 4 else "node02"), f
            assert f["local_rank"] == str(rank % 4), f
            gpu = int(re.match(r"gpu=(\d+) ", f["binding"]).group(1))
            assert f["binding"] == expected_h100(gpu), f
            assert f["nccl_ib_hca"] == "=mlx5_%d" % gpu, f
            applied = f["binding"].rsplit("affinity=", 1)[1]
            if applied != "unchanged":
                assert f["affinity"] == applied, f
        for node in ("node01", "node02"):
            gpus = sorted(int(re.match(r"gpu=(\d+)", f["binding"]).group(1))
                          for f in ranks.values() if f["host"] == node)
            assert len(set(gpus)) == 4, (node, gpus)

        # Bad plugstack.conf arguments refuse the step, naming the argument.
        c.spank_args = "Bind=closest TopologyXml=topology/%n.xml"
        with open(os.path.join(c.dir, "plugstack.conf"), "w") as f:
            f.write(c.plugstack_text())
        bad = srun(c, "-w", "node01", "-n1", "true", check=False)
        assert bad.returncode != 0, "a step ran with a relative TopologyXml"
        assert "TopologyXml=topology/%n.xml" in bad.stderr, bad.stderr


if __name__ == "__main__":
    harness.main(globals())
