// switch_records.hpp - the fabric source of the plugins: slurmctld's own switch
// table, each switch's name with the hostlists of its nodes or child switches.
// Copyright (C) 2026 The slurm-aishare authors. GPL-2.0-or-later.
//
// Slurm has already read topology.conf and refused what it could not; these
// are its records as they stand, handed over without a Slurm type.
#ifndef AISHARE_SWITCH_RECORDS_HPP
#define AISHARE_SWITCH_RECORDS_HPP

#include <string>
#include <vector>

#include "fabric/hostlist_expander.hpp"
#include "fabric/switch_entry.hpp"

namespace aishare {

struct switch_record {
	std::string name;
	std::string nodes;    // hostlist of its nodes, "" for none
	std::string switches; // hostlist of its child switches, "" for none
};

// The records as switch entries, in table order.  Throws std::invalid_argument
// naming the switch when a hostlist is refused or the names are too many.
std::vector<switch_entry> read_switch_records(const std::vector<switch_record> &records,
					      const std::string &origin,
					      const hostlist_expander &expander);

} // namespace aishare

#endif // AISHARE_SWITCH_RECORDS_HPP
