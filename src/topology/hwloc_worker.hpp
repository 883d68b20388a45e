// hwloc_worker.hpp - node XML read by hwloc in a worker process, never in ours.
// Copyright (C) 2026 The slurm-aishare authors. GPL-2.0-or-later.
//
// hwloc 2.9 (Debian 12's) crashes on some damaged XML inside hwloc_topology_load
// (an object with a cpuset but no complete_cpuset is enough, with either of its
// XML readers), and sizes bitmaps from indexes in the file, so one hostile file
// can make it allocate gigabytes.  Node XML comes from other machines and this
// code is meant to run inside slurmctld, where a crash stops the whole cluster;
// so hwloc reads every node XML in a worker process, under a memory limit, and
// sends back only the profile.  A worker that dies takes the file with it.
//
// One worker serves every file (a fork costs 1-10 ms, a profile 0.3 ms): it is
// started on the first file, replaced after it dies, and exits when this process
// closes its end (at exit).  It keeps no file descriptor of this process but its
// socket, so it never holds slurmctld's ports open.
#ifndef AISHARE_HWLOC_WORKER_HPP
#define AISHARE_HWLOC_WORKER_HPP

#include <string>

#include "topology/node_profile.hpp"

namespace aishare {

// Seconds one file may take in the worker before it is killed and the file refused.
constexpr int hwloc_worker_time_limit = 20;

// What profile_from_hwloc_xml(XML, ORIGIN) gives, computed in the worker.
// Throws std::invalid_argument "ORIGIN: problem" when hwloc refused the file,
// crashed on it ("hwloc crashed (signal 11) reading it") or took too long, and
// std::runtime_error when no worker could be started.  Thread-safe.
node_profile profile_in_hwloc_worker(const std::string &xml, const std::string &origin);

// Ends the worker now, if one runs (the next file starts another).  slurmstepd
// calls this once the node is read: proctrack counts every child of the step, so
// an idle worker would keep the step from ending.  Thread-safe.
void stop_hwloc_worker();

} // namespace aishare

#endif // AISHARE_HWLOC_WORKER_HPP
