#!/usr/bin/env python3
# make-fixtures.py - builds the GPU node fixtures of the node profile tests.
# Copyright (C) 2026 The slurm-aishare authors. GPL-2.0-or-later.
#
# The CPU part comes from hwloc's synthetic generator; PCI host bridges, PCIe
# switches, GPUs and NICs with their OS devices (what hwloc's NVML and Linux
# backends would add) and an NVLinkBandwidth matrix (laid out like hwloc's own
# for the DGX-2) are inserted; then every file goes once more through lstopo, so
# the committed fixture is hwloc's own output and is known to load.
#
#   cd tests/data/hwloc && ./make-fixtures.py      (needs lstopo-no-graphics or lstopo)
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

SYNTHETIC = "pack:2 numa:1 l3:1 core:16 pu:1"
NVLINK_MBS = 25000  # one NVLink 4 link, as hwloc's NVML backend reports it
# An HGX H100 board joins each GPU to its four NVSwitch chips by 5, 4, 4, 5 links.
NVSWITCH_LINKS = (5, 4, 4, 5)
H100 = ("0302 [10de:2330] [10de:16c1] a1 00", "NVIDIA H100 80GB HBM3")
L40S = ("0302 [10de:26b9] [10de:1851] a1 00", "NVIDIA L40S")
CX7 = "0207 [15b3:1021] [15b3:0041] 00 00"
ETH100G = "0200 [15b3:101d] [15b3:0016] 00 00"  # ConnectX-6 Dx in Ethernet mode
MI210 = ("0380 [1002:740f] [1002:0c34] 02 00", "AMD Instinct MI210")
OSDEV_GPU, OSDEV_NETWORK, OSDEV_OPENFABRICS = 1, 2, 3


def lstopo():
    for name in ("lstopo-no-graphics", "lstopo"):
        path = shutil.which(name)
        if path:
            return path
    sys.exit("make-fixtures.py: lstopo-no-graphics not found; install hwloc")


class Builder:
    """Adds I/O objects to the synthetic topology, numbering gp_index above its own."""

    def __init__(self):
        text = subprocess.run([lstopo(), "--input", SYNTHETIC, "--of", "xml", "-"],
                              check=True, capture_output=True, text=True).stdout
        self.root = ET.fromstring(text)
        self.machine = self.root.find("object")
        for info in list(self.machine.findall("info")):
            if info.get("name") in ("Backend", "SyntheticDescription"):
                self.machine.remove(info)
        self.next_gp = 1 + max(int(o.get("gp_index")) for o in self.root.iter("object"))
        self.packages = self.machine.findall("object[@type='Package']")
        self.gpu_osdevs = []  # gp_index of each nvml OS device
        self.nvswitches = []  # gp_index of each NVSwitch PCI device
        self.gpus = 0
        self.amd_gpus = 0
        self.nics = 0

    def obj(self, parent, **attrs):
        attrs["gp_index"] = str(self.next_gp)
        self.next_gp += 1
        return ET.SubElement(parent, "object", attrs)

    @staticmethod
    def info(obj, name, value):
        ET.SubElement(obj, "info", {"name": name, "value": value})

    def host_bridge(self, package, first_bus, last_bus):
        return self.obj(self.packages[package], type="Bridge", bridge_type="0-1", depth="0",
                        bridge_pci="0000:[%02x-%02x]" % (first_bus, last_bus))

    def bridge(self, parent, bus, dev, first_bus, last_bus, depth, pci_type):
        return self.obj(parent, type="Bridge", bridge_type="1-1", depth=str(depth),
                        bridge_pci="0000:[%02x-%02x]" % (first_bus, last_bus),
                        pci_busid="0000:%02x:%02x.0" % (bus, dev), pci_type=pci_type,
                        pci_link_speed="31.507692")

    def pcidev(self, parent, bus, dev, pci_type, **extra):
        return self.obj(parent, type="PCIDev", pci_busid="0000:%02x:%02x.0" % (bus, dev),
                        pci_type=pci_type, pci_link_speed="31.507692", **extra)

    def compute_gpu(self, parent, bus, card, pci_vendor, backend, osdev_name, gpu_vendor):
        """A GPU's PCI device with the OS device its vendor's backend adds."""
        pci_type, model = card
        pci = self.pcidev(parent, bus, 0, pci_type)
        self.info(pci, "PCIVendor", pci_vendor)
        osdev = self.obj(pci, type="OSDev", name=osdev_name, osdev_type=str(OSDEV_GPU))
        self.info(osdev, "Backend", backend)
        self.info(osdev, "GPUVendor", gpu_vendor)
        self.info(osdev, "GPUModel", model)
        return pci, osdev

    def gpu(self, parent, bus, card):
        """An NVIDIA GPU as hwloc's NVML backend shows it."""
        _, osdev = self.compute_gpu(parent, bus, card, "NVIDIA Corporation", "NVML",
                                    "nvml%d" % self.gpus, "NVIDIA Corporation")
        self.gpu_osdevs.append(osdev.get("gp_index"))
        self.gpus += 1

    def amd_gpu(self, parent, bus, card, render_minor=None):
        """An AMD GPU as hwloc's RSMI backend shows it, with the DRM render
        node the Linux backend adds when it can read /sys/class/drm."""
        pci, _ = self.compute_gpu(parent, bus, card, "Advanced Micro Devices, Inc. [AMD/ATI]",
                                  "RSMI", "rsmi%d" % self.amd_gpus, "AMD")
        if render_minor is not None:
            self.obj(pci, type="OSDev", name="renderD%d" % render_minor,
                     osdev_type=str(OSDEV_GPU))
        self.amd_gpus += 1

    def infiniband(self, parent, bus):
        pci = self.pcidev(parent, bus, 0, CX7)
        self.info(pci, "PCIVendor", "Mellanox Technologies")
        self.info(pci, "PCIDevice", "MT2910 Family [ConnectX-7]")
        net = self.obj(pci, type="OSDev", name="ib%d" % self.nics,
                       osdev_type=str(OSDEV_NETWORK))
        self.info(net, "Address", "00:00:10:49:fe:80:00:00:00:00:00:00:00:00:00:00:00:00:00:%02x" % self.nics)
        fabric = self.obj(pci, type="OSDev", name="mlx5_%d" % self.nics,
                          osdev_type=str(OSDEV_OPENFABRICS))
        self.info(fabric, "NodeGUID", "0000:0000:0000:%04x" % self.nics)
        self.nics += 1

    def ethernet(self, parent, bus, name):
        pci = self.pcidev(parent, bus, 0, ETH100G)
        self.info(pci, "PCIVendor", "Mellanox Technologies")
        self.info(pci, "PCIDevice", "MT2892 Family [ConnectX-6 Dx]")
        net = self.obj(pci, type="OSDev", name=name, osdev_type=str(OSDEV_NETWORK))
        self.info(net, "Address", "0c:42:a1:00:00:%02x" % self.nics)
        self.nics += 1

    def nvlink_matrix(self):
        """GPU <-> NVSwitch bandwidths only, as on the DGX-2: GPUs meet in the switches."""
        objs = ["OSDev:%s" % gp for gp in self.gpu_osdevs] + \
               ["PCIDev:%s" % gp for gp in self.nvswitches]
        n, gpus = len(objs), len(self.gpu_osdevs)
        values = [0] * (n * n)
        for g in range(gpus):
            for s, links in enumerate(NVSWITCH_LINKS):
                values[g * n + gpus + s] = links * NVLINK_MBS
                values[(gpus + s) * n + g] = links * NVLINK_MBS
        block = ET.SubElement(self.root, "distances2hetero", nbobjs=str(n), kind="25",
                              name="NVLinkBandwidth")
        for i in range(0, n, 10):
            text = "".join(o + " " for o in objs[i:i + 10])
            ET.SubElement(block, "indexes", length=str(len(text))).text = text
        for i in range(0, n * n, 10):
            text = "".join("%d " % v for v in values[i:i + 10])
            ET.SubElement(block, "u64values", length=str(len(text))).text = text

    def write(self, path):
        # distances blocks go after the object tree, as hwloc writes them.
        with tempfile.NamedTemporaryFile("w", suffix=".xml", delete=False) as raw:
            raw.write('<?xml version="1.0" encoding="UTF-8"?>\n'
                      '<!DOCTYPE topology SYSTEM "hwloc2.dtd">\n')
            raw.write(ET.tostring(self.root, encoding="unicode"))
        try:
            subprocess.run([lstopo(), "--input", raw.name, "--whole-io", "--of", "xml", "-f",
                            path], check=True)
        finally:
            os.unlink(raw.name)


def hgx_h100(path, missing_gpu=None):
    """2 sockets, 4 PCIe switches (2 a socket), each with 2 H100 and 2 ConnectX-7."""
    b = Builder()
    gpu_index = 0
    for switch, base in enumerate((0x10, 0x30, 0x90, 0xb0)):
        host = b.host_bridge(switch // 2, base, base + 0x1f)
        root = b.bridge(host, base, 1, base + 1, base + 0x1f, 1,
                        "0604 [8086:352a] [8086:0000] 04 00")
        up = b.bridge(root, base + 1, 0, base + 2, base + 0x1f, 2,
                      "0604 [1000:c030] [1000:a064] b0 00")
        bus = base + 3
        for port in range(4):
            down = b.bridge(up, base + 2, port, bus, bus, 3,
                            "0604 [1000:c030] [1000:a064] b0 00")
            if port % 2 == 0:
                if gpu_index != missing_gpu:
                    b.gpu(down, bus, H100)
                gpu_index += 1
            else:
                b.infiniband(down, bus)
            bus += 1
    # The four NVSwitch chips, as PCI devices behind their own host bridge.
    host = b.host_bridge(1, 0xd0, 0xd0)
    for chip in range(len(NVSWITCH_LINKS)):
        pci = b.pcidev(host, 0xd0, chip, "0680 [10de:22a3] [10de:1796] a1 00",
                       subtype="NVSwitch")
        b.nvswitches.append(pci.get("gp_index"))
    b.nvlink_matrix()
    b.write(path)


def pcie_l40s(path):
    """4 L40S-like GPUs on root ports (no switch), one 100G Ethernet NIC a socket."""
    b = Builder()
    for package, base in enumerate((0x20, 0xa0)):
        host = b.host_bridge(package, base, base + 0x1f)
        for port in range(2):
            bus = base + 1 + port
            root = b.bridge(host, base, 1 + port, bus, bus, 1,
                            "0604 [8086:352a] [8086:0000] 04 00")
            b.gpu(root, bus, L40S)
        bus = base + 3
        root = b.bridge(host, base, 3, bus, bus, 1, "0604 [8086:352b] [8086:0000] 04 00")
        b.ethernet(root, bus, "ens%df0np0" % (package + 1))
    b.write(path)


def mixed_vendors(path):
    """Two L40S-like NVIDIA GPUs on socket 0; on socket 1 two AMD MI210, the
    first with its DRM render node in the XML, the second without."""
    b = Builder()
    host = b.host_bridge(0, 0x20, 0x2f)
    for port in range(2):
        bus = 0x21 + port
        root = b.bridge(host, 0x20, 1 + port, bus, bus, 1, "0604 [8086:352a] [8086:0000] 04 00")
        b.gpu(root, bus, L40S)
    host = b.host_bridge(1, 0xa0, 0xaf)
    for port, render_minor in enumerate((130, None)):
        bus = 0xa1 + port
        root = b.bridge(host, 0xa0, 1 + port, bus, bus, 1, "0604 [8086:352a] [8086:0000] 04 00")
        b.amd_gpu(root, bus, MI210, render_minor)
    b.write(path)


def main():
    os.chdir(os.path.dirname(os.path.abspath(__file__)))
    hgx_h100("gpu8-nic8.xml")
    hgx_h100("gpu8-nic8-missing-gpu.xml", missing_gpu=5)
    pcie_l40s("gpu4-pcie.xml")
    mixed_vendors("gpu-mixed-vendors.xml")


if __name__ == "__main__":
    main()
