# Copyright (C) 2026 The slurm-aishare authors.  GPL-2.0-or-later.
"""The demo (README's main command, contrib/demo.sh) runs to the end and leaves
its report and its two pictures: report.txt with the job table and totals,
pools.png and placement.png, each a well-formed PNG of a real picture's size.

The PNG is checked by its structure, not with an image library: the 8-byte
signature, an IHDR chunk first (13 bytes, CRC valid, width and height of a
plot), an IEND chunk last, and a byte size no blank image has.
"""

import os
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MIN_PNG_BYTES = 10000       # a blank 1000x600 plot compresses to ~3 KB
MIN_SIDE_PIXELS = 300


def check_png(path):
    """(width, height) of the PNG at PATH; AssertionError naming the problem."""
    with open(path, "rb") as f:
        data = f.read()
    name = os.path.basename(path)
    assert data[:8] == PNG_SIGNATURE, "%s: no PNG signature" % name
    length, kind = struct.unpack(">I4s", data[8:16])
    assert kind == b"IHDR" and length == 13, "%s: first chunk is not IHDR" % name
    header = data[16:29]
    (crc,) = struct.unpack(">I", data[29:33])
    assert zlib.crc32(kind + header) == crc, "%s: IHDR CRC mismatch" % name
    width, height, depth, colour = struct.unpack(">IIBB", header[:10])
    assert width >= MIN_SIDE_PIXELS and height >= MIN_SIDE_PIXELS, (
        "%s: %dx%d is too small for a plot" % (name, width, height))
    assert depth in (1, 2, 4, 8, 16) and colour in (0, 2, 3, 4, 6), (
        "%s: bad bit depth %d or colour type %d" % (name, depth, colour))
    assert data[-12:] == b"\x00\x00\x00\x00IEND\xaeB`\x82", "%s: does not end with IEND" % name
    assert len(data) >= MIN_PNG_BYTES, "%s: only %d bytes" % (name, len(data))
    return width, height


def test_demo_writes_report_and_pictures():
    output = tempfile.mkdtemp(prefix="aishare-demo-output-")
    try:
        demo = os.path.join(os.path.dirname(os.path.abspath(__file__)), "demo.py")
        proc = subprocess.run([sys.executable, demo, "--output", output],
                              capture_output=True, text=True, timeout=300)
        print(proc.stdout[-3000:])
        assert proc.returncode == 0, "demo failed (exit %d): %s" % (
            proc.returncode, proc.stderr[-3000:])

        with open(os.path.join(output, "report.txt")) as f:
            report = f.read()
        for expected in ("JOBID", "jobs: ", "multi-node jobs on their ideal number",
                         "jobs requeued to give the start-up pool its share back",
                         "after the start-up job took its share back",
                         "demo finished in"):
            assert expected in report, "report.txt lacks %r" % expected
        # The operator's view shows node classes from the demo's TopologyDir:
        # 16 nodes of the 4-GPU fixture, the last one written with a GPU less.
        assert "TopologyDir= is not set" not in report, "the demo sets no TopologyDir"
        assert "4x NVIDIA L40S, PCIe only, 2 NICs" in report, "no node class in the status"
        assert "16 nodes, 1 degraded" in report, "class counts wrong in the status"
        assert "degraded node16: 3 GPUs, its class has 4" in report, "degraded node missing"
        for picture in ("pools.png", "placement.png"):
            width, height = check_png(os.path.join(output, picture))
            print("%s: %dx%d, valid PNG" % (picture, width, height))
    finally:
        shutil.rmtree(output, ignore_errors=True)


if __name__ == "__main__":
    harness.main(globals())
