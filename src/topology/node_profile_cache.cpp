// node_profile_cache.cpp - node profiles kept between runs, keyed on file identity.
// Copyright (C) 2026 The slurm-aishare authors. GPL-2.0-or-later.
//
// The file is sealed text:
//   aishare node profile cache 1
//   profile <encoded profile in hex>                 (one per distinct profile)
//   file <dev> <ino> <size> <mtime ns> <profile> <path>   (path to the line's end)
//   end <checksum>
#include "topology/node_profile_cache.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <sstream>
#include <stdexcept>

#include "base/file_io.hpp"
#include "topology/node_profile_codec.hpp"
#include "base/sealed_text.hpp"

namespace aishare {
namespace {

constexpr const char *header = "aishare node profile cache 1";
// 4096 nodes of a few distinct profiles take well under a megabyte.
constexpr std::size_t max_cache_bytes = 64u << 20;

std::string to_hex(const std::string &bytes)
{
	static const char digits[] = "0123456789abcdef";
	std::string hex;
	hex.reserve(bytes.size() * 2);
	for (unsigned char c : bytes) {
		hex += digits[c >> 4];
		hex += digits[c & 15];
	}
	return hex;
}

int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

bool from_hex(const std::string &hex, std::string &bytes)
{
	if (hex.size() % 2)
		return false;
	bytes.clear();
	for (std::size_t i = 0; i < hex.size(); i += 2) {
		int high = hex_digit(hex[i]), low = hex_digit(hex[i + 1]);
		if (high < 0 || low < 0)
			return false;
		bytes += static_cast<char>(high * 16 + low);
	}
	return true;
}

} // namespace

node_profile_cache::node_profile_cache(std::string path) : path_(std::move(path))
{
	try {
		read();
	} catch (const std::exception &) {
		// Only a cache: start empty, and the next save replaces the bad file.
		profiles_.clear();
		profile_index_.clear();
		files_.clear();
		changed_ = true;
	}
}

void node_profile_cache::read()
{
	std::string text;
	if (!read_small_file(path_, max_cache_bytes, text))
		return;
	std::istringstream lines(unseal_text(text));
	std::string line;
	if (!std::getline(lines, line) || line != header)
		throw std::invalid_argument("not a cache of this version");
	while (std::getline(lines, line)) {
		std::istringstream fields(line);
		std::string kind;
		fields >> kind;
		if (kind == "profile") {
			std::string hex, bytes;
			fields >> hex;
			if (!from_hex(hex, bytes))
				throw std::invalid_argument("bad profile");
			decode_node_profile(bytes); // refuses what would not serve a query
			intern(bytes);
		} else if (kind == "file") {
			std::uint64_t dev, ino;
			std::int64_t size, mtime;
			std::size_t profile;
			std::string file;
			if (!(fields >> dev >> ino >> size >> mtime >> profile) ||
			    profile >= profiles_.size())
				throw std::invalid_argument("bad file line");
			fields.get();
			std::getline(fields, file);
			if (file.empty())
				throw std::invalid_argument("bad file line");
			files_[file] = entry{stamp(dev, ino, size, mtime), profile};
		} else {
			throw std::invalid_argument("unknown line");
		}
	}
}

std::size_t node_profile_cache::intern(const std::string &encoded)
{
	auto found = profile_index_.find(encoded);
	if (found != profile_index_.end())
		return found->second;
	profiles_.push_back(encoded);
	profile_index_.emplace(encoded, profiles_.size() - 1);
	return profiles_.size() - 1;
}

node_profile node_profile_cache::load(const std::string &file)
{
	struct stat st;
	bool known = stat(file.c_str(), &st) == 0 && file.find('\n') == std::string::npos;
	stamp identity;
	if (known) {
		identity = stamp(st.st_dev, st.st_ino, st.st_size,
				 static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 +
					 st.st_mtim.tv_nsec);
		auto found = files_.find(file);
		if (found != files_.end() && found->second.identity == identity) {
			found->second.used = true;
			hits_++;
			return decode_node_profile(profiles_[found->second.profile]);
		}
	}
	misses_++;
	node_profile profile = load_node_profile(file); // the file's own errors
	if (known) {
		files_[file] = entry{identity, intern(encode_node_profile(profile)), true};
		changed_ = true;
	}
	return profile;
}

void node_profile_cache::save()
{
	for (const auto &file : files_)
		changed_ = changed_ || !file.second.used;
	if (!changed_)
		return;
	// Only what was used, with the profiles renumbered to those it needs.
	std::ostringstream body;
	body.imbue(std::locale::classic());
	body << header << '\n';
	std::map<std::size_t, std::size_t> renumber;
	for (const auto &file : files_)
		if (file.second.used && renumber.emplace(file.second.profile, renumber.size()).second)
			body << "profile " << to_hex(profiles_[file.second.profile]) << '\n';
	for (const auto &file : files_) {
		if (!file.second.used)
			continue;
		const stamp &s = file.second.identity;
		body << "file " << std::get<0>(s) << ' ' << std::get<1>(s) << ' ' << std::get<2>(s)
		     << ' ' << std::get<3>(s) << ' ' << renumber[file.second.profile] << ' '
		     << file.first << '\n';
	}
	write_file_atomically(path_, seal_text(body.str()), 0600);
	changed_ = false;
}

} // namespace aishare
