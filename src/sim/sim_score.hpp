// sim_score.hpp - the metrics of `aishare sim`, computed the same way for the
// simulator's records and for those bench/replay.py takes from a real Slurm.
// Copyright (C) 2026 The slurm-aishare authors. GPL-2.0-or-later.
#ifndef AISHARE_SIM_SCORE_HPP
#define AISHARE_SIM_SCORE_HPP

#include <string>
#include <vector>

#include "aishare.h"
#include "sim/sim_engine.hpp"
#include "sim/sim_trace.hpp"
#include "fabric/switch_tree.hpp"

namespace aishare {

// HORIZON 0: the last end (or start) in RECORDS.  Throws std::invalid_argument
// for a record naming a node FABRIC does not have.
aishare_sim_score_t score_records(const switch_tree &fabric, const std::vector<sim_record> &records,
				  const sim_cluster &cluster, std::uint32_t gpus_per_node,
				  double horizon);

std::string score_text(const aishare_sim_score_t &score, bool json);

// gpus_busy.svg and wait_cdf.svg in DIR; throws std::runtime_error naming a file.
void write_plots(const std::vector<sim_record> &records, const sim_cluster &cluster,
		 std::uint32_t gpus_per_node, std::size_t nodes, double horizon,
		 const std::string &dir);

// The horizon HORIZON stands for over RECORDS (see score_records).
double score_horizon(const std::vector<sim_record> &records, double horizon);

} // namespace aishare

#endif // AISHARE_SIM_SCORE_HPP
