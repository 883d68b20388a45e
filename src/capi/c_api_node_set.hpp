// c_api_node_set.hpp - the opaque aishare_node_set_t, for the C API files that use it.
// Copyright (C) 2026 The slurm-aishare authors. GPL-2.0-or-later.
//
// c_api_nodes.cpp makes and fills node sets; c_api_binding.cpp reads a node's
// profile from one to bind tasks.
#ifndef AISHARE_C_API_NODE_SET_HPP
#define AISHARE_C_API_NODE_SET_HPP

#include "aishare.h"
#include "topology/node_set.hpp"

struct aishare_node_set {
	aishare::node_set set;
};

#endif // AISHARE_C_API_NODE_SET_HPP
