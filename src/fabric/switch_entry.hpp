// switch_entry.hpp - one switch as a fabric source gives it: what every reader
// produces and switch_tree is built from.
// Copyright (C) 2026 The slurm-aishare authors. GPL-2.0-or-later.
//
// A reader refuses what it cannot read (syntax, a bad hostlist); what is wrong
// with the tree the entries make (a node in two leaves, a cycle, ...) is
// switch_tree's to find and repair, whatever the source.
#ifndef AISHARE_SWITCH_ENTRY_HPP
#define AISHARE_SWITCH_ENTRY_HPP

#include <cstddef>
#include <string>
#include <vector>

namespace aishare {

struct switch_entry {
	std::string name;
	unsigned line = 0;         // where the source defines it: file line, or position from 1
	bool has_nodes = false;    // gives nodes (Nodes=), even if they expand to none
	bool has_switches = false; // gives child switches (Switches=)
	std::vector<std::string> node_names;
	std::vector<std::string> child_names;
};

// All node and child names of one source together: more is a hostile input trying
// to make slurmctld allocate gigabytes (each hostlist expression may name 1e6).
constexpr std::size_t max_switch_names = 4u << 20;

} // namespace aishare

#endif // AISHARE_SWITCH_ENTRY_HPP
