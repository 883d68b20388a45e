// fuzz_node_profile.cpp - libFuzzer target: a node profile as the hwloc worker sends
// it, and everything that reads a profile in our process.
// Copyright (C) 2026 The slurm-aishare authors. GPL-2.0-or-later.
//
// fuzz_node_xml drives the whole path, but through the worker process, at tens of
// inputs a second.  The worker's own step, profile_from_hwloc_xml, is hwloc's XML
// import: run in-process it crashes in hwloc within seconds (the reason the worker
// exists, see hwloc_worker.hpp).  What runs in our process is the reader of the
// worker's answer and what consumes the profile (node classes, reports, gres.conf
// lines, task binding on the node), fuzzed here at libFuzzer speed.  Any answer
// must decode or be refused with a reason; a decoded profile must encode to bytes
// that decode to the same bytes again, and serve every query.  Its values are
// whatever the answer says: decoding checks only the shape.
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <vector>

#include "aishare.h"
#include "capi/c_api_node_set.hpp"
#include "fuzz_node_queries.hpp"
#include "topology/node_profile_codec.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	aishare::node_profile profile;
	try {
		profile = aishare::decode_node_profile(
			std::string(reinterpret_cast<const char *>(data), size));
	} catch (const std::invalid_argument &refused) {
		if (!*refused.what())
			abort();
		return 0;
	}
	std::string encoded = aishare::encode_node_profile(profile);
	if (aishare::encode_node_profile(aishare::decode_node_profile(encoded)) != encoded)
		abort();

	// The node, and a copy that lost its last GPU: a degraded member of its class.
	aishare_node_set_t *set = aishare_node_set_create();
	if (!set)
		return 0;
	set->set.add("fuzz01", profile);
	if (!profile.gpus.empty()) {
		aishare::node_profile fewer = profile;
		fewer.gpus.pop_back();
		fewer.nvlinks.pop_back(); // a row and a column per GPU, as decoded
		for (std::vector<int> &row : fewer.nvlinks)
			row.pop_back();
		set->set.add("fuzz02", fewer);
	}
	fuzz_query_node_set(set);
	aishare_node_set_free(set);
	return 0;
}
