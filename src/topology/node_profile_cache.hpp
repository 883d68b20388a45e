// node_profile_cache.hpp - node profiles kept between runs of a command, keyed on
// each hwloc XML file's identity, so `aishare status` (a Prometheus scrape every
// few seconds) reads hwloc only for the files that changed.
// Copyright (C) 2026 The slurm-aishare authors. GPL-2.0-or-later.
//
// The cache file is only a cache: a missing, damaged or foreign one is an empty
// cache, never an error.  A file's identity is its device, inode, size and
// modification time in nanoseconds; an XML rewritten in place gets a new time.
#ifndef AISHARE_NODE_PROFILE_CACHE_HPP
#define AISHARE_NODE_PROFILE_CACHE_HPP

#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "topology/node_profile.hpp"

namespace aishare {

class node_profile_cache {
public:
	// Reads the cache at PATH when there is a good one.
	explicit node_profile_cache(std::string path);

	// The profile of the hwloc XML at FILE: the cached one when the file is
	// unchanged, else load_node_profile's (which may throw as it does).
	node_profile load(const std::string &file);

	// Writes the cache back when a file was read anew or one went unused: it
	// then holds exactly the files loaded since it was read.  Throws
	// std::runtime_error "PATH: problem".
	void save();

	std::size_t hits() const { return hits_; }
	std::size_t misses() const { return misses_; }

private:
	using stamp = std::tuple<std::uint64_t, std::uint64_t, std::int64_t, std::int64_t>;
	struct entry {
		stamp identity;
		std::size_t profile; // index into profiles_
		bool used = false;
	};

	void read();
	std::size_t intern(const std::string &encoded);

	std::string path_;
	std::vector<std::string> profiles_; // encoded; identical nodes share one
	std::map<std::string, std::size_t> profile_index_;
	std::map<std::string, entry> files_;
	std::size_t hits_ = 0, misses_ = 0;
	bool changed_ = false;
};

} // namespace aishare

#endif // AISHARE_NODE_PROFILE_CACHE_HPP
