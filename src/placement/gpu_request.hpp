// gpu_request.hpp - the GPUs a job asks for, read from Slurm's TRES request strings.
// Copyright (C) 2026 The slurm-aishare authors. GPL-2.0-or-later.
//
// sbatch turns --gpus=16 into tres_per_job "gres:gpu:16" (22.05; "gres/gpu:16" in
// later releases) and --gpus-per-node / --gres=gpu:h100:2 into tres_per_node.
// Both spellings are read, with or without a type, among other TRES entries.
#ifndef AISHARE_GPU_REQUEST_HPP
#define AISHARE_GPU_REQUEST_HPP

#include <cstdint>
#include <string>

namespace aishare {

struct gpu_count {
	uint64_t count = 0;  // 0: no GPU entry
	std::string type;    // "" when no type was named
};

// The gpu entry of a TRES request string (NULL or "" for none).  Throws
// std::invalid_argument naming the entry when it is malformed.
gpu_count parse_gpu_tres(const char *tres);

} // namespace aishare

#endif // AISHARE_GPU_REQUEST_HPP
