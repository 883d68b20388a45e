// switch_records.cpp - slurmctld's switch table read into switch entries.
// Copyright (C) 2026 The slurm-aishare authors. GPL-2.0-or-later.
#include "fabric/switch_records.hpp"

#include <stdexcept>

namespace aishare {

std::vector<switch_entry> read_switch_records(const std::vector<switch_record> &records,
					      const std::string &origin,
					      const hostlist_expander &expander)
{
	std::vector<switch_entry> switches;
	switches.reserve(records.size());
	std::size_t names = 0;
	for (const switch_record &record : records) {
		switch_entry entry;
		entry.name = record.name;
		entry.line = static_cast<unsigned>(switches.size() + 1);
		entry.has_nodes = !record.nodes.empty();
		entry.has_switches = !record.switches.empty();
		std::string problem;
		if ((entry.has_nodes && !expander.expand(record.nodes, entry.node_names, problem)) ||
		    (entry.has_switches &&
		     !expander.expand(record.switches, entry.child_names, problem)))
			throw std::invalid_argument(origin + ": switch " + quoted_name(record.name) +
						    ": " + problem);
		names += entry.node_names.size() + entry.child_names.size();
		if (names > max_switch_names)
			throw std::invalid_argument(origin + ": more than " +
						    std::to_string(max_switch_names) +
						    " node and switch names");
		switches.push_back(std::move(entry));
	}
	return switches;
}

} // namespace aishare
