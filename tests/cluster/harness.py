# SPDX-License-Identifier: GPL-2.0-or-later
"""A real Slurm 22.05 cluster on loopback, private to one test.

Every acceptance test of slurm-aishare runs against the daemons Debian ships
(slurmctld, one slurmd per emulated node, optionally slurmdbd + MariaDB), not
against mocks, so that what the tests prove is what a site will see.

Each Cluster owns a private directory (under /tmp, named after the test), its
own munged, its own ports on 127.0.0.1 and its own configuration files; it
shares nothing with the host's /etc/slurm, /etc/munge or any other test, so
several tests may run side by side (``make -j check``).

Waiting is always done by polling Slurm's own state against a deadline
(wait_until); a wait that expires raises an error naming what it waited for.

Python 3 standard library only.
"""

import atexit
import ctypes
import datetime
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import threading
import time
import traceback

# Where Debian installs Slurm's own plugins; PluginDir must list it first when
# the aishare plugins are added, because PluginDir replaces the built-in path.
STOCK_PLUGIN_DIRS = (
    "/usr/lib/x86_64-linux-gnu/slurm-wlm",
    "/usr/lib/aarch64-linux-gnu/slurm-wlm",
    "/usr/lib/slurm",
    "/usr/lib64/slurm",
)

PLUGIN_FILES = (
    "preempt_aishare.so",
    "site_factor_aishare.so",
    "job_submit_aishare.so",
    "spank_aishare.so",
)

# Job states after which a job never runs again without an explicit requeue.
TERMINAL_JOB_STATES = frozenset(
    "BOOT_FAIL CANCELLED COMPLETED DEADLINE FAILED NODE_FAIL OUT_OF_MEMORY "
    "PREEMPTED TIMEOUT".split()
)

LOG_TAIL_LINES = 60

# Name of the test main() is running; Cluster uses it for its directory and
# ClusterName so that a kept directory says which test made it.
CURRENT_TEST = None

# Clusters not yet torn down, for the atexit/signal safety net.
_LIVE_CLUSTERS = []


class ClusterError(AssertionError):
    """The cluster did not do what the test needed (daemon down, timeout...).

    An AssertionError so that test code and harness failures read alike.
    """


class StopWaiting(ClusterError):
    """Raised by a wait_until predicate to give up at once (the awaited
    state can no longer come, e.g. the job already FAILED)."""


class CommandError(ClusterError):
    """A Slurm client command exited non-zero."""

    def __init__(self, args, proc):
        self.returncode = proc.returncode
        self.stdout = proc.stdout
        self.stderr = proc.stderr
        super().__init__(
            "command failed (exit %d): %s\nstdout: %s\nstderr: %s"
            % (proc.returncode, " ".join(args), proc.stdout.strip()[-2000:],
               proc.stderr.strip()[-2000:]))


# --------------------------------------------------------------------------
# Small helpers: waiting, hostlists, parsing Slurm output
# --------------------------------------------------------------------------

def wait_until(predicate, timeout, what, interval=0.2):
    """Poll predicate() until it returns something truthy; return that value.

    Raises ClusterError naming `what` when `timeout` seconds pass first.  The
    last exception raised by predicate (if any) is included, because "timed
    out" alone rarely says why.
    """
    deadline = time.monotonic() + timeout
    last_error = None
    while True:
        try:
            value = predicate()
            if value:
                return value
            last_error = None
        except StopWaiting:
            raise
        # A predicate may race a daemon (re)start or read a half-written
        # file; programming errors (NameError, TypeError...) are not caught.
        except (ClusterError, OSError, subprocess.SubprocessError, KeyError,
                ValueError, IndexError) as exc:
            last_error = exc
        if time.monotonic() >= deadline:
            detail = ""
            if last_error is not None:
                detail = "; last error: %s" % (last_error,)
            raise ClusterError("timed out after %.0f s waiting for %s%s"
                               % (timeout, what, detail))
        time.sleep(interval)


def compress_hostlist(names):
    """['node01','node02','node04'] -> 'node[01-02,04]' (same prefix only)."""
    if not names:
        return ""
    match = [re.fullmatch(r"(.*?)(\d+)", n) for n in names]
    prefixes = {m.group(1) for m in match if m}
    if len(prefixes) != 1 or not all(match):
        return ",".join(names)
    prefix = prefixes.pop()
    width = len(match[0].group(2))
    nums = sorted(int(m.group(2)) for m in match)
    ranges = []
    start = prev = nums[0]
    for n in nums[1:] + [None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        ranges.append("%0*d" % (width, start) if start == prev else
                      "%0*d-%0*d" % (width, start, width, prev))
        if n is not None:
            start = prev = n
    return "%s[%s]" % (prefix, ",".join(ranges))


def expand_hostlist(text):
    """'node[01-03,07],gpu5' -> ['node01','node02','node03','node07','gpu5'].

    Enough of Slurm's hostlist syntax for the names this harness generates
    (one bracket group per name); '(null)' and '' give [].
    """
    if not text or text in ("(null)", "None"):
        return []
    names = []
    for prefix, ranges, plain in re.findall(
            r"([^,\[]+)\[([^\]]+)\]|([^,\[\]]+)", text):
        if plain:
            names.append(plain)
            continue
        for part in ranges.split(","):
            lo, _, hi = part.partition("-")
            hi = hi or lo
            for n in range(int(lo), int(hi) + 1):
                names.append("%s%0*d" % (prefix, len(lo), n))
    return names


def aishare_tool(required=True):
    """The `aishare` command: $AISHARE_TOOL (the installed package's, in
    tests/package), else the built one ($AISHARE_BUILDDIR/src/aishare).  When
    it is not there: ClusterError, or None with required=False."""
    tool = os.environ.get("AISHARE_TOOL") or os.path.join(
        os.environ.get("AISHARE_BUILDDIR", ""), "src", "aishare")
    if os.path.exists(tool):
        return tool
    if required:
        raise ClusterError("aishare not found at %s: set AISHARE_BUILDDIR" % tool)
    return None


# scontrol -o prints one record per line as Key=Value pairs separated by
# single spaces; values may themselves contain '=' (TRES=cpu=2,node=1) and,
# rarely, spaces (Reason=...), so split only where a new Key= begins.
_SCONTROL_FIELD = re.compile(r"(?:^|\s)([A-Za-z][A-Za-z0-9_/:]*)=")


def parse_scontrol_record(line):
    """One line of `scontrol -o show ...` -> dict (values are strings)."""
    record = {}
    matches = list(_SCONTROL_FIELD.finditer(line))
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(line)
        record[m.group(1)] = line[m.end():end].strip()
    return record


def parse_tres(text):
    """'cpu=8,mem=0,node=2,gres/gpu=8' -> {'cpu': '8', ..., 'gres/gpu': '8'}."""
    out = {}
    for item in (text or "").split(","):
        key, sep, value = item.partition("=")
        if sep:
            out[key] = value
    return out


def parse_slurm_time(text):
    """Slurm's 2024-11-24T22:05:01 -> datetime, or None for Unknown/None."""
    try:
        return datetime.datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return None


def _log(msg):
    print("harness: %s" % msg, file=sys.stderr, flush=True)


def _sanitize(name, limit):
    """Lower-case [a-z0-9_] slice usable in a path, a ClusterName and a DB table."""
    text = re.sub(r"[^a-z0-9_]+", "_", (name or "cluster").lower()).strip("_")
    if not text or not text[0].isalpha():
        text = "c_" + text
    return text[:limit]


def _free_ports(count):
    """Pick `count` distinct free TCP ports on 127.0.0.1.

    Ports come from below the kernel's ephemeral range so that an outgoing
    connection (srun, slurmctld's RPCs) cannot take one between our probe and
    the daemon's bind, or while a daemon is being restarted.  Random choice
    keeps concurrent tests from converging on the same ports.
    """
    low = 32768
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
            low = int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        pass
    lo, hi = 10000, max(10000 + 1000, low - 1)
    ports = []
    rng = random.SystemRandom()
    for _ in range(count * 200):
        if len(ports) == count:
            break
        port = rng.randint(lo, hi)
        if port in ports:
            continue
        # Probe the wildcard address without SO_REUSEADDR: that fails if any
        # socket (listening or TIME_WAIT) holds the port on any address.
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            try:
                s.bind(("0.0.0.0", port))
            except OSError:
                continue
        ports.append(port)
    if len(ports) != count:
        raise ClusterError("could not find %d free TCP ports" % count)
    return ports


def _hostname_is_loopback():
    """True when this host's name resolves to a 127.x address.

    With CommunicationParameters=NoInAddrAny,NoCtldInAddrAny Slurm binds its
    listening sockets to the address of gethostname() instead of INADDR_ANY;
    we want that (servers only on loopback) but only when that address is a
    loopback one, otherwise slurmd would not be reachable at 127.0.0.1.
    """
    try:
        addr = socket.gethostbyname(socket.gethostname())
    except OSError:
        return False
    return addr.startswith("127.")


def _conf_key(line):
    """'SlurmdTimeout=10' -> 'slurmdtimeout'; None for node/partition lines
    (NodeName=, PartitionName=... may repeat) and comments."""
    key, sep, _ = line.strip().partition("=")
    if not sep or key.startswith("#") or " " in key:
        return None
    key = key.lower()
    if key in ("nodename", "partitionname", "nodeset", "downnodes",
               "frontendname", "include"):
        return None
    return key


def slurm_prefix():
    """The Slurm installation a test run uses: $AISHARE_SLURM_PREFIX (configure's
    --with-slurm), /usr for Debian's packages.  One run never mixes releases."""
    return os.environ.get("AISHARE_SLURM_PREFIX") or "/usr"


def _stock_plugin_dir():
    prefix = slurm_prefix()
    if prefix != "/usr":
        d = os.path.join(prefix, "lib", "slurm")
        if not os.path.exists(os.path.join(d, "select_cons_tres.so")):
            raise ClusterError("no Slurm plugins in %s (AISHARE_SLURM_PREFIX=%s)"
                               % (d, prefix))
        return d
    for d in STOCK_PLUGIN_DIRS:
        if os.path.exists(os.path.join(d, "select_cons_tres.so")):
            return d
    raise ClusterError("Slurm's plugin directory not found (looked in %s); "
                       "is slurm-wlm-basic-plugins installed?"
                       % ", ".join(STOCK_PLUGIN_DIRS))


_PR_SET_PDEATHSIG = 1
_LIBC = None


def _die_with_parent():
    """preexec_fn of daemons: SIGKILL them if the harness itself dies.

    A test killed with SIGKILL (a CI timeout) runs no teardown; without this
    its slurmctld, slurmd and munged would live on.
    """
    global _LIBC
    if _LIBC is None:
        _LIBC = ctypes.CDLL(None, use_errno=True)
    _LIBC.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def _proc_table():
    """{pid: (ppid, state)} for every process, read from /proc."""
    table = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry) as f:
                data = f.read()
        except OSError:
            continue
        # comm may contain spaces and parentheses: split after the last ')'.
        rest = data[data.rfind(")") + 2:].split()
        table[int(entry)] = (int(rest[1]), rest[0])
    return table


def _environ_has(pid, marker):
    try:
        with open("/proc/%d/environ" % pid, "rb") as f:
            return marker in f.read().split(b"\0")
    except OSError:
        return False


def _tail(path, lines=LOG_TAIL_LINES):
    try:
        with open(path, errors="replace") as f:
            return "".join(f.readlines()[-lines:])
    except OSError as exc:
        return "(cannot read: %s)\n" % exc


# --------------------------------------------------------------------------
# The cluster
# --------------------------------------------------------------------------

class Cluster:
    """A private Slurm cluster on 127.0.0.1; use as a context manager.

    Nodes are node01..nodeNN, each one `slurmd -D -N nodeNN` on its own port,
    each with `gpus_per_node` fake GPUs (character devices in the private
    directory).  Nodes are grouped in `leaves` leaf switches leaf1..leafK
    under one switch `spine` (topology/tree).

    with Cluster(nodes=4, leaves=2) as c:
        job = c.sbatch("-p", "gpu", "--gres=gpu:1", wrap="true")
        c.wait_job_state(job, "COMPLETED")

    Arguments:
      name           directory/ClusterName stem (default: the running test)
      nodes, leaves, gpus_per_node, cpus_per_node, real_memory: the machine
      plugins        True: load all four aishare plugins from
                     $AISHARE_PLUGIN_DIR (missing plugins fail, never skip)
      params         PrioritySiteFactorParameters (None: no such line)
      spank_args     arguments after spank_aishare.so in plugstack.conf
      accounting     True: private MariaDB + slurmdbd, cluster registered
      extra_conf     slurm.conf lines; each replaces a generated line with
                     the same key
      partitions     PartitionName= lines replacing `gpu` + `ai-startup`
      task_plugin    task/none by default: task/affinity cannot bind the
                     emulated CPUs a 2-core host does not have
      min_job_age    MinJobAge; long enough that a finished job can still
                     be read with `scontrol show job` by a polling test
      gpu_classes    [(count, gpus, type), ...]: node classes in node order
                     (typed Gres=gpu:TYPE:N) instead of `gpus_per_node` each
      switch_features  True: every node carries the feature sw_<switch> of
                     each switch above it (job_submit/aishare confines jobs
                     with them)
      node_weights   {node: Weight=} for the nodes named
      requeue_delay  seconds a requeued job waits before it may run again
                     (AuthInfo cred_expire, at least 5; read only when
                     slurmctld starts); None keeps Slurm's 120
      start          False: only set up (munged, configs, accounting), e.g.
                     to call start_slurmctld_expect_failure()
    """

    def __init__(self, name=None, nodes=16, leaves=4, gpus_per_node=4,
                 cpus_per_node=8, real_memory=32000, plugins=False,
                 params=None, spank_args="", accounting=False,
                 extra_conf=(), partitions=None, task_plugin="task/none",
                 min_job_age=30, requeue_delay=None, start=True, start_timeout=90,
                 gpu_classes=None, switch_features=False, node_weights=None):
        self.name = name or CURRENT_TEST or "cluster"
        self.num_nodes = nodes
        self.num_leaves = leaves
        self.gpus_per_node = gpus_per_node
        self.cpus_per_node = cpus_per_node
        self.real_memory = real_memory
        self.plugins = plugins
        self.params = params
        self.spank_args = spank_args
        self.accounting = accounting
        self.extra_conf = list(extra_conf)
        self.partitions = partitions
        self.task_plugin = task_plugin
        self.min_job_age = min_job_age
        self.requeue_delay = requeue_delay
        self.autostart = start
        self.start_timeout = start_timeout

        self.switch_features = switch_features
        self.node_weights = dict(node_weights or {})
        if gpu_classes:
            nodes = sum(count for count, _, _ in gpu_classes)
            self.num_nodes = nodes
        if nodes < 1 or leaves < 1 or leaves > nodes:
            raise ValueError("need 1 <= leaves <= nodes (got nodes=%d leaves=%d)"
                             % (nodes, leaves))
        if os.geteuid() != 0:
            raise ClusterError("the cluster harness must run as root "
                               "(SlurmUser=root, mknod for fake GPUs)")

        self.plugin_dir = None
        if plugins:
            self.plugin_dir = self._find_aishare_plugins()
        self.stock_plugin_dir = _stock_plugin_dir()

        width = max(2, len(str(nodes)))
        self.node_names = ["node%0*d" % (width, i + 1) for i in range(nodes)]
        # Contiguous blocks of nodes per leaf, as sites cable them.
        per_leaf = -(-nodes // leaves)
        self.leaves = {}
        for k in range(leaves):
            members = self.node_names[k * per_leaf:(k + 1) * per_leaf]
            if members:
                self.leaves["leaf%d" % (k + 1)] = members
        self.leaf_of = {n: leaf for leaf, ns in self.leaves.items() for n in ns}
        # Per node: (GPUs, GPU type or "").
        if gpu_classes:
            self.node_gpus = {}
            names = iter(self.node_names)
            for count, gpus, gpu_type in gpu_classes:
                for _ in range(count):
                    self.node_gpus[next(names)] = (gpus, gpu_type)
        else:
            self.node_gpus = {n: (gpus_per_node, "") for n in self.node_names}
        self.max_gpus = max(g for g, _ in self.node_gpus.values())

        self.cluster_name = "%s_%s" % (_sanitize(self.name, 24),
                                       secrets.token_hex(3))
        self.dir = None
        self.env = None
        self._procs = {}       # daemon name -> Popen
        self._failed = False
        self._torn_down = False

    # ---- plugin discovery -------------------------------------------------

    @staticmethod
    def _find_aishare_plugins():
        """The directory of the built aishare plugins, or a loud failure.

        Cluster tests never skip: a CI run without plugins must go red.
        """
        plugin_dir = os.environ.get("AISHARE_PLUGIN_DIR")
        if not plugin_dir:
            raise ClusterError(
                "plugins=True but AISHARE_PLUGIN_DIR is not set; it must name "
                "the directory holding %s (make check sets it to the build "
                "tree's plugin/.libs)" % ", ".join(PLUGIN_FILES))
        missing = [f for f in PLUGIN_FILES
                   if not os.path.isfile(os.path.join(plugin_dir, f))]
        if missing:
            raise ClusterError(
                "plugins=True but AISHARE_PLUGIN_DIR=%s lacks %s; build the "
                "plugins first (make) or point AISHARE_PLUGIN_DIR at them"
                % (plugin_dir, ", ".join(missing)))
        return os.path.abspath(plugin_dir)

    # ---- context manager --------------------------------------------------

    def __enter__(self):
        try:
            self.setup()
            if self.autostart:
                self.start()
        except BaseException:
            self._failed = True
            self.teardown()
            raise
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None:
            self._failed = True
        self.teardown()
        return False

    # ---- set-up -----------------------------------------------------------

    def setup(self):
        """Private directory, ports, munged, config files, accounting."""
        # From here on the atexit/signal safety net knows this cluster.
        _LIVE_CLUSTERS.append(self)
        _install_signal_handlers()
        self.dir = tempfile.mkdtemp(
            prefix="aishare-%s-" % _sanitize(self.name, 40), dir="/tmp")
        # munged insists that every directory above its socket is searchable
        # by all; the secrets (munge.key, slurmdbd.conf) have their own modes.
        os.chmod(self.dir, 0o755)
        for sub in ("log", "run", "state", "spool", "dev", "munge", "tmp"):
            os.makedirs(os.path.join(self.dir, sub))
            os.chmod(os.path.join(self.dir, sub), 0o755)
        for node in self.node_names:
            os.makedirs(os.path.join(self.dir, "spool", node), mode=0o755)

        n_ports = 1 + self.num_nodes + (2 if self.accounting else 0)
        ports = _free_ports(n_ports)
        self.ctld_port = ports[0]
        self.node_ports = dict(zip(self.node_names, ports[1:1 + self.num_nodes]))
        if self.accounting:
            self.dbd_port, self.db_port = ports[1 + self.num_nodes:]

        self.conf_path = os.path.join(self.dir, "slurm.conf")
        self.munge_socket = os.path.join(self.dir, "munge", "munge.socket")
        self.env = self._client_env()

        self._make_fake_gpus()
        self._start_munge()
        self.write_config()
        if self.accounting:
            self._start_mariadb()
            self._start_slurmdbd()
        _log("cluster %s in %s" % (self.cluster_name, self.dir))

    def _client_env(self):
        """Environment for daemons and client commands.

        Inherited SLURM_* variables are dropped (a test run inside a Slurm
        job must not leak its job's settings into ours).  The marker variable
        lets teardown find every process descending from this cluster, e.g.
        slurmstepd and job processes that slurmd double-forks away.
        """
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("SLURM_", "SBATCH_", "SRUN_", "SALLOC_"))}
        env["SLURM_CONF"] = self.conf_path
        env["AISHARE_HARNESS_DIR"] = self.dir
        prefix = slurm_prefix()
        if prefix != "/usr":
            # That release's daemons and commands, before any others.
            env["PATH"] = "%s/sbin:%s/bin:%s" % (prefix, prefix, env.get("PATH", ""))
        env["LC_ALL"] = "C"
        return env

    def _make_fake_gpus(self):
        # Count-only GPU gres registers as zero GPUs in 22.05, so gres.conf
        # needs File=; /dev/null's major:minor makes a harmless device node.
        for i in range(self.max_gpus):
            path = os.path.join(self.dir, "dev", "nvidia%d" % i)
            os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))

    # ---- munge ------------------------------------------------------------

    def _start_munge(self):
        mdir = os.path.join(self.dir, "munge")
        key = os.path.join(mdir, "munge.key")
        fd = os.open(key, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o400)
        with os.fdopen(fd, "wb") as f:
            f.write(os.urandom(1024))
        self._spawn("munged", [
            "munged", "-F",
            "--socket=%s" % self.munge_socket,
            "--key-file=%s" % key,
            "--pid-file=%s" % os.path.join(mdir, "munged.pid"),
            "--log-file=%s" % os.path.join(self.dir, "log", "munged.log"),
            "--seed-file=%s" % os.path.join(mdir, "munged.seed"),
        ])

        def munge_works():
            self._check_alive("munged")
            return subprocess.run(
                ["munge", "--socket=%s" % self.munge_socket, "-n"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                timeout=10).returncode == 0
        wait_until(munge_works, 20, "munged to answer on %s" % self.munge_socket)

    # ---- configuration files ----------------------------------------------

    def _path(self, *parts):
        return os.path.join(self.dir, *parts)

    def slurm_conf_text(self):
        """slurm.conf for the current attributes (params, extra_conf, ...)."""
        lines = [
            "# Generated by tests/cluster/harness.py for test %s" % self.name,
            "ClusterName=%s" % self.cluster_name,
            "SlurmctldHost=localhost(127.0.0.1)",
            "SlurmctldPort=%d" % self.ctld_port,
            "SlurmUser=root",
            "SlurmdUser=root",
            "AuthType=auth/munge",
            "CredType=cred/munge",
            "AuthInfo=socket=%s%s" % (
                self.munge_socket,
                ",cred_expire=%d" % self.requeue_delay if self.requeue_delay else ""),
            # Messages to and from slurmdbd (sacctmgr, sacct, slurmctld) are
            # signed through the "global" munge socket named here, not
            # AuthInfo; left unset they would use /run/munge.
            "AccountingStoragePass=socket=%s" % self.munge_socket,
            "StateSaveLocation=%s" % self._path("state"),
            # %n: one spool, pid and log file per emulated node (multiple-slurmd).
            "SlurmdSpoolDir=%s/%%n" % self._path("spool"),
            "SlurmdPidFile=%s/%%n.pid" % self._path("run"),
            "SlurmdLogFile=%s/%%n.log" % self._path("log"),
            "SlurmctldPidFile=%s" % self._path("run", "slurmctld.pid"),
            "SlurmctldLogFile=%s" % self._path("log", "slurmctld.log"),
            "SlurmctldDebug=info",
            "SlurmdDebug=info",
            "PlugStackConfig=%s" % self._path("plugstack.conf"),
            "TmpFS=%s" % self._path("tmp"),
            "ProctrackType=proctrack/linuxproc",
            "TaskPlugin=%s" % self.task_plugin,
            "JobAcctGatherType=jobacct_gather/none",
            "JobCompType=jobcomp/none",
            "MpiDefault=none",
            "SwitchType=switch/none",
            "SelectType=select/cons_tres",
            "SelectTypeParameters=CR_Core",
            "GresTypes=gpu",
            "TopologyPlugin=topology/tree",
            "SchedulerType=sched/backfill",
            # Fast loops so tests do not wait on Slurm's minute-scale defaults.
            "SchedulerParameters=bf_interval=1,sched_interval=2,"
            "batch_sched_delay=1,bf_resolution=5",
            "PriorityType=priority/multifactor",
            "PriorityCalcPeriod=1",
            "MinJobAge=%d" % self.min_job_age,
            "ReturnToService=2",
            # The emulated nodes claim more CPUs/memory than this host has;
            # without config_overrides slurmd would drain them as "Low ...".
            "SlurmdParameters=config_overrides",
            "SlurmdTimeout=60",
            "SlurmctldTimeout=30",
            "MessageTimeout=10",
            "TCPTimeout=5",
            "InactiveLimit=0",
            "KillWait=2",
            "WaitTime=0",
            "UnkillableStepTimeout=30",
        ]
        if _hostname_is_loopback():
            lines.append("CommunicationParameters=NoInAddrAny,NoCtldInAddrAny")
        if self.plugins:
            lines += [
                "PluginDir=%s:%s" % (self.stock_plugin_dir, self.plugin_dir),
                "PreemptType=preempt/aishare",
                "PreemptMode=REQUEUE",
                "PrioritySiteFactorPlugin=site_factor/aishare",
                "JobSubmitPlugins=aishare",
            ]
        else:
            lines.append("PluginDir=%s" % self.stock_plugin_dir)
        if self.params is not None:
            lines.append("PrioritySiteFactorParameters=%s" % self.params)
        if self.accounting:
            # Makes GPUs a TRES (CfgTRES of nodes, TRES of jobs, sacct).
            # Slurm 22.05 refuses any non-builtin TRES without slurmdbd
            # ("slurmdbd is required to run with TRES gres/gpu"), so clusters
            # without accounting see GPUs only as gres, not as TRES.
            lines += [
                "AccountingStorageType=accounting_storage/slurmdbd",
                "AccountingStorageHost=localhost",
                "AccountingStoragePort=%d" % self.dbd_port,
                "AccountingStorageTRES=gres/gpu",
            ]
        else:
            lines.append("AccountingStorageType=accounting_storage/none")
        # extra_conf lines win over generated ones with the same key, so a
        # test can change e.g. SlurmdTimeout without knowing our defaults.
        overridden = {_conf_key(l) for l in self.extra_conf} - {None}
        lines = [l for l in lines if _conf_key(l) not in overridden]
        lines += list(self.extra_conf)

        # Two sockets when the CPU count allows, like the GPU nodes we emulate.
        if self.cpus_per_node % 2 == 0:
            cpus = "CPUs=%d Sockets=2 CoresPerSocket=%d ThreadsPerCore=1" % (
                self.cpus_per_node, self.cpus_per_node // 2)
        else:
            cpus = "CPUs=%d" % self.cpus_per_node
        for node in self.node_names:
            gpus, gpu_type = self.node_gpus[node]
            gres = (" Gres=gpu:%s%d" % (gpu_type + ":" if gpu_type else "", gpus)
                    if gpus else "")
            if self.switch_features:
                gres += " Features=sw_%s,sw_spine" % self.leaf_of[node]
            if node in self.node_weights:
                gres += " Weight=%d" % self.node_weights[node]
            lines.append(
                "NodeName=%s NodeHostname=localhost NodeAddr=127.0.0.1 Port=%d "
                "%s RealMemory=%d%s State=UNKNOWN"
                % (node, self.node_ports[node], cpus, self.real_memory, gres))
        if self.partitions is not None:
            lines += list(self.partitions)
        else:
            lines += [
                "PartitionName=gpu Nodes=ALL Default=YES MaxTime=INFINITE State=UP",
                "PartitionName=ai-startup Nodes=ALL MaxTime=INFINITE State=UP",
            ]
        return "\n".join(lines) + "\n"

    def write_config(self):
        """(Re)write slurm.conf, gres.conf, topology.conf and plugstack.conf."""
        self._write(self.conf_path, self.slurm_conf_text())
        gres = []
        shapes = sorted(set(self.node_gpus.values()))
        for gpus, gpu_type in shapes:
            if not gpus:
                continue
            members = [n for n in self.node_names if self.node_gpus[n] == (gpus, gpu_type)]
            files = self._path("dev", "nvidia[0-%d]" % (gpus - 1)) \
                if gpus > 1 else self._path("dev", "nvidia0")
            gres.append("NodeName=%s Name=gpu%s File=%s"
                        % (compress_hostlist(members),
                           " Type=%s" % gpu_type if gpu_type else "", files))
        self._write(self._path("gres.conf"), "\n".join(gres) + "\n")
        topo = ["SwitchName=%s Nodes=%s" % (leaf, compress_hostlist(nodes))
                for leaf, nodes in self.leaves.items()]
        topo.append("SwitchName=spine Switches=%s"
                    % compress_hostlist(list(self.leaves)))
        self._write(self._path("topology.conf"), "\n".join(topo) + "\n")
        self._write(self._path("plugstack.conf"), self.plugstack_text())

    def plugstack_text(self):
        if not self.plugins:
            return "# no SPANK plugins (plugins=False)\n"
        return "required %s %s\n" % (
            os.path.join(self.plugin_dir, "spank_aishare.so"),
            self.spank_args or "")

    @staticmethod
    def _write(path, text, mode=0o644):
        tmp = path + ".tmp"
        with open(tmp, "w") as f:
            f.write(text)
        os.chmod(tmp, mode)
        os.replace(tmp, path)

    # ---- accounting: MariaDB + slurmdbd -----------------------------------

    def _start_mariadb(self):
        datadir = self._path("mysql")
        self.db_socket = self._path("run", "mariadb.sock")
        install = subprocess.run(
            ["mariadb-install-db", "--no-defaults", "--datadir=%s" % datadir,
             "--user=root", "--auth-root-authentication-method=socket",
             "--skip-test-db", "--skip-name-resolve"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            timeout=120)
        if install.returncode != 0:
            raise ClusterError("mariadb-install-db failed (exit %d):\n%s"
                               % (install.returncode, install.stdout[-3000:]))
        # --no-defaults first: nothing from /etc/mysql may leak in.
        self._spawn("mariadbd", [
            "mariadbd", "--no-defaults",
            "--datadir=%s" % datadir,
            "--socket=%s" % self.db_socket,
            "--port=%d" % self.db_port,
            "--bind-address=127.0.0.1",
            "--user=root",
            "--pid-file=%s" % self._path("run", "mariadbd.pid"),
            "--log-error=%s" % self._path("log", "mariadbd.log"),
            "--tmpdir=%s" % self._path("tmp"),
            "--skip-log-bin",
            "--skip-name-resolve",
            # Below 128M slurmdbd logs "error: Database settings not recommended".
            "--innodb-buffer-pool-size=128M",
            # slurmdbd warns below these; native AIO is not in every sandbox.
            "--innodb-lock-wait-timeout=900",
            "--innodb-use-native-aio=0",
            "--max-connections=64",
        ])

        def db_answers():
            self._check_alive("mariadbd")
            return self._sql("SELECT 1", check=False).returncode == 0
        wait_until(db_answers, 60, "mariadbd to accept connections on %s"
                   % self.db_socket, interval=0.3)
        # slurmdbd connects over TCP, where root's socket authentication does
        # not apply: give it its own password user.
        self.db_user = "slurm"
        self.db_pass = secrets.token_hex(12)
        self._sql("CREATE USER '%s'@'127.0.0.1' IDENTIFIED BY '%s'; "
                  "GRANT ALL ON *.* TO '%s'@'127.0.0.1';"
                  % (self.db_user, self.db_pass, self.db_user))

    def _sql(self, statement, check=True):
        proc = subprocess.run(
            ["mariadb", "--no-defaults", "--socket=%s" % self.db_socket,
             "-uroot", "-N", "-B", "-e", statement],
            capture_output=True, text=True, timeout=30)
        if check and proc.returncode != 0:
            raise CommandError(["mariadb", "-e", statement], proc)
        return proc

    def _start_slurmdbd(self):
        conf = "\n".join([
            "# Generated by tests/cluster/harness.py",
            "AuthType=auth/munge",
            "AuthInfo=socket=%s" % self.munge_socket,
            "DbdHost=localhost",
            "DbdAddr=127.0.0.1",
            "DbdPort=%d" % self.dbd_port,
            "SlurmUser=root",
            "DebugLevel=info",
            "LogFile=%s" % self._path("log", "slurmdbd.log"),
            "PidFile=%s" % self._path("run", "slurmdbd.pid"),
            "PluginDir=%s" % self.stock_plugin_dir,
        ] + (["CommunicationParameters=NoInAddrAny"]
             if _hostname_is_loopback() else []) + [
            "StorageType=accounting_storage/mysql",
            "StorageHost=127.0.0.1",
            "StoragePort=%d" % self.db_port,
            "StorageUser=%s" % self.db_user,
            "StoragePass=%s" % self.db_pass,
            "StorageLoc=slurm_acct_db",
        ]) + "\n"
        # slurmdbd refuses a config readable by others (it holds a password).
        self._write(self._path("slurmdbd.conf"), conf, mode=0o600)
        self._spawn("slurmdbd", ["slurmdbd", "-D"])

        def dbd_answers():
            self._check_alive("slurmdbd")
            return self.run(["sacctmgr", "-n", "-P", "list", "cluster"],
                            check=False, timeout=20).returncode == 0
        wait_until(dbd_answers, 60, "slurmdbd to answer sacctmgr on port %d"
                   % self.dbd_port, interval=0.5)
        # The cluster must exist before slurmctld registers; adding it also
        # creates the root account with a root user association, so jobs of
        # root run without further sacctmgr work.
        self.run(["sacctmgr", "-i", "add", "cluster", self.cluster_name])
        assoc = self.run(["sacctmgr", "-n", "-P", "list", "associations",
                          "cluster=%s" % self.cluster_name, "user=root",
                          "format=account,user"]).stdout
        if "root|root" not in assoc:
            self.run(["sacctmgr", "-i", "add", "user", "root",
                      "account=root", "cluster=%s" % self.cluster_name])

    # ---- daemons ------------------------------------------------------------

    def _spawn(self, name, argv):
        """Start a daemon in the foreground as our child; output to log/NAME.out."""
        out = open(self._path("log", "%s.out" % name), "ab")
        try:
            proc = subprocess.Popen(argv, env=self.env, cwd=self.dir,
                                    stdin=subprocess.DEVNULL, stdout=out,
                                    stderr=subprocess.STDOUT,
                                    start_new_session=True,
                                    preexec_fn=_die_with_parent)
        finally:
            out.close()
        self._procs[name] = proc
        return proc

    def _check_alive(self, name):
        proc = self._procs.get(name)
        if proc is None:
            raise ClusterError("%s was never started" % name)
        if proc.poll() is not None:
            # StopWaiting: no point in polling a dead daemon until the deadline.
            raise StopWaiting("%s exited with status %d; its log ends:\n%s"
                               % (name, proc.returncode,
                                  self._daemon_log_tail(name, 30)))

    def _daemon_log_tail(self, name, lines=LOG_TAIL_LINES):
        text = ""
        for path in (self.log_path(name), self._path("log", "%s.out" % name)):
            if os.path.exists(path):
                text += "==> %s <==\n%s" % (path, _tail(path, lines))
        return text

    def log_path(self, daemon):
        """Log file of 'slurmctld', 'slurmdbd', 'munged', 'mariadbd' or a node
        name (slurmd, and the slurmstepd of steps on that node)."""
        if daemon == "munged":
            # munged -F logs to stderr only, whatever --log-file says.
            return self._path("log", "munged.out")
        return self._path("log", "%s.log" % daemon)

    def log_text(self, daemon):
        try:
            with open(self.log_path(daemon), errors="replace") as f:
                return f.read()
        except FileNotFoundError:
            return ""

    def log_mark(self, daemon):
        """Current size of a daemon log; pass to log_since() later."""
        try:
            return os.path.getsize(self.log_path(daemon))
        except FileNotFoundError:
            return 0

    def log_since(self, daemon, mark):
        with open(self.log_path(daemon), "rb") as f:
            f.seek(mark)
            return f.read().decode(errors="replace")

    def wait_log(self, daemon, text, timeout=30, since=0):
        """Wait until the daemon's log (after byte `since`) contains `text`."""
        return wait_until(
            lambda: text in self.log_since(daemon, since)
            if os.path.exists(self.log_path(daemon)) else False,
            timeout, "%r in the %s log" % (text, daemon))

    def start(self):
        """Start slurmctld and every slurmd; wait until all nodes are IDLE."""
        self.start_slurmctld()
        self.start_slurmds()
        self.wait_nodes_idle(self.start_timeout)

    def start_slurmctld(self, timeout=60):
        """Start slurmctld (recovering state from the state dir) and wait
        until it answers `scontrol ping`.

        No -i: a state file slurmctld cannot read after a restart is a bug
        the tests must see, not skip.
        """
        if "slurmctld" in self._procs and self._procs["slurmctld"].poll() is None:
            raise ClusterError("slurmctld is already running")
        self._spawn("slurmctld", ["slurmctld", "-D"])

        def ctld_up():
            self._check_alive("slurmctld")
            return self.ping()
        wait_until(ctld_up, timeout, "slurmctld to answer scontrol ping")

    def ping(self):
        """True when `scontrol ping` reports the primary slurmctld UP."""
        proc = self.run(["scontrol", "ping"], check=False, timeout=20)
        return proc.returncode == 0 and "is UP" in proc.stdout

    def start_slurmd(self, node):
        self._spawn(node, ["slurmd", "-D", "-N", node])

    def start_slurmds(self):
        for node in self.node_names:
            self.start_slurmd(node)

    def kill_slurmd(self, node):
        """kill -9 one node's slurmd (its running steps keep running).

        slurmctld marks the node DOWN only after SlurmdTimeout (60 s here;
        pass extra_conf=["SlurmdTimeout=..."] to shorten it), so a test that
        needs the node DOWN at once should also `scontrol update` it.
        """
        return self.stop_daemon(node, signal.SIGKILL, 10)

    def stop_daemon(self, name, sig=signal.SIGTERM, timeout=30):
        """Signal a daemon we started and wait for it to exit; return its status."""
        proc = self._procs.get(name)
        if proc is None or proc.poll() is not None:
            return proc.returncode if proc else None
        proc.send_signal(sig)
        try:
            return proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
            raise ClusterError("%s did not exit within %d s of signal %d; killed"
                               % (name, timeout, sig))

    def stop_slurmctld(self, timeout=30):
        """Orderly shutdown (SIGTERM: slurmctld saves its state first)."""
        return self.stop_daemon("slurmctld", signal.SIGTERM, timeout)

    def kill_slurmctld(self):
        """kill -9: a crash, nothing saved beyond what was already on disk."""
        return self.stop_daemon("slurmctld", signal.SIGKILL, 10)

    def restart_slurmctld(self, kill=False, timeout=60):
        """Stop (or kill -9) slurmctld and start it again on the same state dir."""
        if kill:
            self.kill_slurmctld()
        else:
            self.stop_slurmctld()
        self.start_slurmctld(timeout)

    def start_slurmctld_expect_failure(self, timeout=30):
        """Start slurmctld when it is expected to refuse (e.g. bad parameters).

        Returns (exit status, log text: SlurmctldLogFile + its stdout/stderr).
        Raises if it is still running after `timeout` seconds (then it is
        killed) or if it exits 0.
        """
        mark = self.log_mark("slurmctld")
        out_path = self._path("log", "slurmctld.out")
        out_mark = os.path.getsize(out_path) if os.path.exists(out_path) else 0
        proc = self._spawn("slurmctld", ["slurmctld", "-D"])
        try:
            rc = proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
            raise ClusterError("slurmctld was expected to refuse to start but "
                               "was still running after %d s; its log:\n%s"
                               % (timeout, self._daemon_log_tail("slurmctld")))
        text = self.log_since("slurmctld", mark) \
            if os.path.exists(self.log_path("slurmctld")) else ""
        with open(out_path, "rb") as f:
            f.seek(out_mark)
            text += f.read().decode(errors="replace")
        if rc == 0:
            raise ClusterError("slurmctld was expected to fail but exited 0; "
                               "log:\n%s" % text)
        return rc, text

    def reconfigure(self, params=None, spank_args=None, extra_conf=None,
                    check=True):
        """Rewrite the config files with new values and run `scontrol reconfigure`.

        Only the arguments given change.  Returns the slurmctld log mark taken
        before the reconfigure, for log_since()/wait_log(since=...).
        """
        if params is not None:
            self.params = params
        if spank_args is not None:
            self.spank_args = spank_args
        if extra_conf is not None:
            self.extra_conf = list(extra_conf)
        self.write_config()
        mark = self.log_mark("slurmctld")
        self.scontrol("reconfigure", check=check)
        return mark

    # ---- client commands ---------------------------------------------------

    def run(self, args, check=True, timeout=60, input=None):
        """Run a client command against this cluster; CompletedProcess (text)."""
        try:
            proc = subprocess.run(args, env=self.env, cwd=self.dir, input=input,
                                  capture_output=True, text=True,
                                  timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            raise ClusterError("command timed out after %d s: %s"
                               % (timeout, " ".join(args))) from exc
        if check and proc.returncode != 0:
            raise CommandError(list(args), proc)
        return proc

    def scontrol(self, *args, check=True, timeout=60):
        """`scontrol ARGS...`; returns stdout."""
        return self.run(["scontrol"] + list(args), check=check,
                        timeout=timeout).stdout

    def sbatch(self, *args, wrap=None, script=None, check=True):
        """Submit a batch job; returns its id (int).

        Either `wrap` (a shell command line) or `script` (the text of a batch
        script) or neither (then args must name a script file).
        """
        argv = ["sbatch", "--parsable"] + list(args)
        if wrap is not None:
            argv.append("--wrap=%s" % wrap)
        if script is not None:
            fd, path = tempfile.mkstemp(prefix="job-", suffix=".sh", dir=self.dir)
            with os.fdopen(fd, "w") as f:
                f.write(script)
            argv.append(path)
        proc = self.run(argv, check=check)
        if proc.returncode != 0:
            return None
        return int(proc.stdout.strip().split(";")[0])

    def job(self, jobid, details=False):
        """`scontrol show job -o JOBID` as a dict, or None once purged.

        details=True adds -d (JOB_GRES=gpu:N, the GPUs actually allocated;
        per-node detail fields repeat, so only their last value survives).
        """
        argv = ["scontrol", "-o"] + (["-d"] if details else []) + \
            ["show", "job", str(jobid)]
        proc = self.run(argv, check=False)
        if proc.returncode != 0:
            if "Invalid job id" in proc.stderr:
                return None
            raise CommandError(["scontrol", "show", "job", str(jobid)], proc)
        lines = proc.stdout.strip().splitlines()
        return parse_scontrol_record(lines[0]) if lines else None

    def nodes(self):
        """{node name: dict of `scontrol show node -o`}."""
        out = self.scontrol("-o", "show", "node")
        records = [parse_scontrol_record(l) for l in out.splitlines() if l.strip()]
        return {r["NodeName"]: r for r in records}

    @staticmethod
    def job_gpus(job):
        """GPUs allocated to a job record taken with details=True (0 if none)."""
        total = 0
        for item in (job.get("JOB_GRES") or "").split(","):
            parts = item.split(":")
            if parts[0] == "gpu" and len(parts) >= 2:
                count = parts[-1].split("(")[0]
                total += int(count) if count.isdigit() else 0
        return total

    def pool_status(self):
        """`aishare status --json` of the built tool: {partition: pool dict}."""
        pools = json.loads(self.run([aishare_tool(), "status", "--json"]).stdout)["pools"]
        return {pool["partition"]: pool for pool in pools}

    def job_leaves(self, job):
        """Leaf switches a job's nodes span (sorted), from the generated topology."""
        return sorted({self.leaf_of[n]
                       for n in expand_hostlist(job.get("NodeList"))
                       if n in self.leaf_of})

    # ---- waits ---------------------------------------------------------------

    @staticmethod
    def wait_until(predicate, timeout, what, interval=0.2):
        """Same as the module's wait_until, for convenience in tests."""
        return wait_until(predicate, timeout, what, interval)

    def wait_nodes_idle(self, timeout=90):
        """Wait until every node is exactly IDLE (no DRAIN/NOT_RESPONDING flag)."""
        def all_idle():
            self._check_alive("slurmctld")
            states = {n: r.get("State") for n, r in self.nodes().items()}
            bad = {n: s for n, s in states.items() if s != "IDLE"}
            all_idle.last = bad
            return len(states) == self.num_nodes and not bad
        all_idle.last = None
        try:
            wait_until(all_idle, timeout, "all %d nodes to be IDLE"
                       % self.num_nodes, interval=0.5)
        except ClusterError as exc:
            raise ClusterError("%s; nodes not IDLE: %s"
                               % (exc, all_idle.last)) from None

    def wait_job_state(self, jobid, states, timeout=60):
        """Wait until the job is in one of `states`; return its record.

        Fails at once when the job reaches a terminal state not asked for
        (e.g. FAILED while waiting for COMPLETED), with its reason.
        """
        if isinstance(states, str):
            states = {states}
        states = set(states)
        seen = {}

        def reached():
            job = self.job(jobid)
            if job is None:
                raise StopWaiting("job %s vanished (purged after MinJobAge) "
                                   "while waiting for %s; last state %s"
                                   % (jobid, "/".join(sorted(states)),
                                      seen.get("state")))
            state = job.get("JobState")
            seen["state"] = state
            if state in states:
                return job
            if state in TERMINAL_JOB_STATES:
                raise StopWaiting("job %s ended %s (Reason=%s) while waiting for %s"
                             % (jobid, state, job.get("Reason"),
                                "/".join(sorted(states))))
            return None

        return wait_until(reached, timeout, "job %s to be %s"
                          % (jobid, "/".join(sorted(states))))

    # ---- teardown --------------------------------------------------------------

    def _our_processes(self):
        """Every live process that belongs to this cluster.

        Our Popen children, plus anything carrying our marker environment
        variable (slurmstepd and job processes are double-forked by slurmd and
        re-parented to init, so the tree alone misses them), plus all
        descendants of both.
        """
        table = _proc_table()
        marker = ("AISHARE_HARNESS_DIR=%s" % self.dir).encode()
        roots = {p.pid for p in self._procs.values() if p.poll() is None}
        me = os.getpid()
        for pid in table:
            if pid != me and pid not in roots and _environ_has(pid, marker):
                roots.add(pid)
        children = {}
        for pid, (ppid, _) in table.items():
            children.setdefault(ppid, []).append(pid)
        found, todo = set(), list(roots)
        while todo:
            pid = todo.pop()
            if pid in found or pid == me:
                continue
            found.add(pid)
            todo.extend(children.get(pid, ()))
        return {p for p in found if table.get(p, (0, "Z"))[1] != "Z"}

    def _terminate(self, pids, grace):
        """SIGTERM the pids, then SIGKILL whatever is left after `grace` s."""
        for pid in pids:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        popens = {p.pid: p for p in self._procs.values()}
        deadline = time.monotonic() + grace
        alive = set(pids)
        while alive and time.monotonic() < deadline:
            for pid in list(alive):
                if pid in popens:
                    if popens[pid].poll() is not None:
                        alive.discard(pid)
                elif not os.path.exists("/proc/%d" % pid) or \
                        _proc_table_state(pid) in (None, "Z"):
                    alive.discard(pid)
            if alive:
                time.sleep(0.1)
        for pid in alive:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        for pid in alive:
            if pid in popens:
                try:
                    popens[pid].wait(10)
                except subprocess.TimeoutExpired:
                    _log("pid %d survived SIGKILL" % pid)

    def teardown(self):
        """Stop everything this cluster started; keep or remove its directory."""
        if self._torn_down:
            return
        self._torn_down = True
        if self in _LIVE_CLUSTERS:
            _LIVE_CLUSTERS.remove(self)
        if self.dir is None:
            return
        infra = ("slurmdbd", "mariadbd", "munged")
        # 1. slurmctld, slurmd, and everything descending from jobs.
        slurm = {p.pid for n, p in self._procs.items()
                 if n not in infra and p.poll() is None}
        self._terminate(slurm, 10)
        infra_pids = {self._procs[n].pid for n in infra if n in self._procs}
        # slurmstepd ignores SIGTERM; job processes do not.  A short grace
        # lets jobs' own handlers run, then SIGKILL ends the rest.
        leftovers = self._our_processes() - infra_pids
        if leftovers:
            self._terminate(leftovers, 2)
        # 2. Services the Slurm daemons used, in dependency order.
        for name in infra:
            proc = self._procs.get(name)
            if proc is not None and proc.poll() is None:
                self._terminate({proc.pid}, 20)
        stray = self._our_processes()
        if stray:
            self._terminate(stray, 5)

        keep = os.environ.get("AISHARE_KEEP") == "1"
        if self._failed:
            self.print_log_tails()
        if self._failed or keep:
            _log("cluster directory kept: %s" % self.dir)
        else:
            shutil.rmtree(self.dir, ignore_errors=True)

    def print_log_tails(self, lines=LOG_TAIL_LINES):
        """Last lines of every daemon log, to stderr (called on failure)."""
        logdir = self._path("log")
        try:
            names = sorted(os.listdir(logdir))
        except OSError:
            return
        for name in names:
            path = os.path.join(logdir, name)
            if os.path.getsize(path) == 0:
                continue
            count = lines
            # NAME.out mostly repeats NAME.log (daemons in -D copy their log
            # to stdout); its end still shows crashes the log cannot.
            if name.endswith(".out") and \
                    os.path.exists(path[:-len(".out")] + ".log"):
                count = 10
            sys.stderr.write("\n==> %s (last %d lines) <==\n%s"
                             % (path, count, _tail(path, count)))
        sys.stderr.flush()

    def mark_failed(self):
        """Keep the directory and print logs at teardown even without an
        exception (e.g. a soft check failed)."""
        self._failed = True


def _proc_table_state(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            data = f.read()
    except OSError:
        return None
    return data[data.rfind(")") + 2:].split()[0]


# --------------------------------------------------------------------------
# Safety net and test runner
# --------------------------------------------------------------------------

def _teardown_all():
    for cluster in list(_LIVE_CLUSTERS):
        try:
            cluster._failed = True
            cluster.teardown()
        except Exception:
            traceback.print_exc()


atexit.register(_teardown_all)


def _on_signal(signum, frame):
    # Turn SIGTERM/SIGHUP (make check timeout, CI cancel) into an exception so
    # that `with Cluster()` blocks unwind and stop their daemons.
    raise KeyboardInterrupt("signal %d" % signum)


def _install_signal_handlers():
    """SIGTERM/SIGHUP unwind `with Cluster()` blocks (once, main thread only,
    and only where nobody else installed a handler)."""
    if threading.current_thread() is not threading.main_thread():
        return
    for sig in (signal.SIGTERM, signal.SIGHUP):
        if signal.getsignal(sig) in (signal.SIG_DFL, None):
            signal.signal(sig, _on_signal)


def main(namespace, argv=None):
    """Run every test_* function of a test script; exit 0 only if all pass.

    Prints `PASS: name` / `FAIL: name` per test and a last line
    `N passed, M failed`.  Arguments on the command line select tests by name.
    A test that raises anything fails; there is no skip.
    """
    global CURRENT_TEST
    argv = sys.argv[1:] if argv is None else argv
    _install_signal_handlers()
    tests = [(name, fn) for name, fn in namespace.items()
             if name.startswith("test_") and callable(fn)]
    if argv:
        unknown = set(argv) - {n for n, _ in tests}
        if unknown:
            print("unknown test(s): %s" % ", ".join(sorted(unknown)),
                  file=sys.stderr)
            sys.exit(1)
        tests = [(n, f) for n, f in tests if n in argv]
    passed = failed = 0
    for name, fn in tests:
        CURRENT_TEST = name
        started = time.monotonic()
        try:
            fn()
        except BaseException as exc:  # noqa: B902 - report, then go on
            failed += 1
            traceback.print_exc()
            print("# %s: %.1f s" % (name, time.monotonic() - started), flush=True)
            print("FAIL: %s" % name, flush=True)
            if isinstance(exc, KeyboardInterrupt):
                break
        else:
            passed += 1
            print("# %s: %.1f s" % (name, time.monotonic() - started), flush=True)
            print("PASS: %s" % name, flush=True)
        finally:
            CURRENT_TEST = None
    print("%d passed, %d failed" % (passed, failed), flush=True)
    sys.exit(0 if failed == 0 and passed > 0 else 1)
