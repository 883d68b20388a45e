// param_table.cpp - the declarative tables of policy parameters, one per consumer.
// Copyright (C) 2026 The slurm-aishare authors. GPL-2.0-or-later.
#include "params/param_table.hpp"

#include <iterator>

#include "params/lend_mode.hpp"

namespace aishare {
namespace {

using t = param_type;

// Order matters: it is the order of the summary line and of the documentation.
constexpr param_row controller_rows[] = {
	{"Pools", t::partitions, "ai-startup", nullptr, nullptr, nullptr,
	 "partitions whose jobs own a guaranteed pool"},
	{"Share", t::percent, "25%", "0.01%", "100%", nullptr,
	 "fraction of each pool partition's usable GPUs guaranteed to its jobs", true},
	{"LendMode", t::choice, "preempt", nullptr, nullptr, lend_mode_choices,
	 "how idle guaranteed GPUs are lent to other partitions", true},
	{"LendWindow", t::time, "1:00:00", "1:00", "7-00:00:00", nullptr,
	 "in bounded mode, the longest time limit a borrowing job may have", true},
	{"ReclaimBeyondShare", t::boolean, "no", nullptr, nullptr, nullptr,
	 "let other partitions preempt pool jobs that use more than their pool's guarantee"},
	{"CompactWait", t::time, "5:00", "0:00", "1-00:00:00", nullptr,
	 "how long a multi-node job may wait for its fewest leaf switches before falling back "
	 "(Slurm caps it at SchedulerParameters max_switch_wait, 300 s by default)"},
	{"WholeNodes", t::boolean, "yes", nullptr, nullptr, nullptr,
	 "round GPU jobs that ask for at least one node's GPUs up to whole exclusive nodes"},
	{"PlaceAllPartitions", t::boolean, "no", nullptr, nullptr, nullptr,
	 "place the GPU jobs of every partition compactly, not only those of the pools"},
	{"TopologyDir", t::path, "", nullptr, nullptr, nullptr,
	 "directory of per-node hwloc XML files named <nodename>.xml"},
	{"WeightDeficit", t::uint, "10000", "0", "1000000", nullptr,
	 "priority weight of a pool's deficit against its guarantee"},
	{"WeightFairShare", t::uint, "10000", "0", "1000000", nullptr,
	 "priority weight of fair share between start-ups"},
	{"WeightPacing", t::uint, "10000", "0", "1000000", nullptr,
	 "priority weight of pacing the use of GPU-hour grants"},
	{"WeightLargeJob", t::uint, "5000", "0", "1000000", nullptr,
	 "priority weight that keeps large jobs from starving"},
	{"SiteFactorMax", t::uint, "50000", "1", "10000000", nullptr,
	 "cap on the sum of the priority terms; must be at least every weight"},
	{"GrantPeriod", t::time, "30-00:00:00", "1:00", "3660-00:00:00", nullptr,
	 "length of a GPU-hour grant's period, over which pacing expects a linear burn"},
	{"GrantStart", t::uint, "0", "0", "4102444800", nullptr,
	 "start of the first grant period, in seconds since 1970 (periods repeat from it)"},
	{"LargeJobGpus", t::uint, "8", "1", "1000000", nullptr,
	 "a job asking at least this many GPUs is large (anti-starvation)"},
	{"LargeJobWait", t::time, "1:00:00", "0:01", "30-00:00:00", nullptr,
	 "wait after which a large job goes above every job that is not starving"},
	{"RecalcInterval", t::time, "0:30", "0:00", "1:00:00", nullptr,
	 "how often pending jobs' site factors are recomputed between PriorityCalcPeriod "
	 "passes (0: only at those)"},
};

constexpr param_row node_rows[] = {
	{"Bind", t::choice, "closest", nullptr, nullptr, "off|closest|strict",
	 "how tasks are bound to GPU, NIC and cores"},
	{"TopologyXml", t::path, "", nullptr, nullptr, nullptr,
	 "hwloc XML of this node instead of the live topology; %n is the node name"},
	{"Verbose", t::boolean, "no", nullptr, nullptr, nullptr, "log each task's binding"},
};

} // namespace

// Plain aggregates of constants: initialised before any code runs, so a plugin may
// read them from its init() without static-order worries.
const param_table controller_params = {controller_rows, std::size(controller_rows)};
const param_table node_params = {node_rows, std::size(node_rows)};

const param_row *find_param_row(const param_table &table, std::string_view key, std::size_t *index)
{
	for (std::size_t i = 0; i < table.size; i++) {
		if (equal_ignore_case(key, table.rows[i].key)) {
			if (index)
				*index = i;
			return &table.rows[i];
		}
	}
	return nullptr;
}

std::string param_range_text(const param_row &row)
{
	if (row.type == param_type::choice && row.choices)
		return row.choices;
	if (row.min && row.max)
		return std::string(row.min) + ".." + row.max;
	return {};
}

const char *param_type_name(param_type type)
{
	switch (type) {
	case param_type::boolean:
		return "bool";
	case param_type::uint:
		return "integer";
	case param_type::percent:
		return "percent";
	case param_type::time:
		return "time";
	case param_type::choice:
		return "choice";
	case param_type::path:
		return "path";
	case param_type::partitions:
		return "partitions";
	}
	return nullptr;
}

} // namespace aishare
