// c_api_fabric.hpp - the opaque aishare_fabric_t, for the C API files that use it.
// Copyright (C) 2026 The slurm-aishare authors. GPL-2.0-or-later.
//
// c_api_fabric.cpp makes fabrics and answers their queries; the placement, topology
// check and simulation files read the switch tree in one.
#ifndef AISHARE_C_API_FABRIC_HPP
#define AISHARE_C_API_FABRIC_HPP

#include "aishare.h"
#include "fabric/switch_tree.hpp"

struct aishare_fabric {
	aishare::switch_tree tree;
};

#endif // AISHARE_C_API_FABRIC_HPP
