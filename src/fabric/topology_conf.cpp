// topology_conf.cpp - topology.conf read into switch entries.
// Copyright (C) 2026 The slurm-aishare authors. GPL-2.0-or-later.
#include "fabric/topology_conf.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <strings.h>

#include "base/config_text.hpp"
#include "base/file_io.hpp"

namespace aishare {
namespace {

// Slurm's own lines are short; a longer one is damage, not a switch.
constexpr std::size_t max_line_bytes = 64 * 1024;

bool same_key(const std::string &key, const char *name)
{
	return key.size() == std::strlen(name) && strcasecmp(key.c_str(), name) == 0;
}

bool all_digits(const std::string &text)
{
	return !text.empty() &&
	       std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

} // namespace

std::vector<switch_entry> read_topology_conf(const std::string &text, const std::string &origin,
					     const hostlist_expander &expander)
{
	std::vector<switch_entry> switches;
	config_errors errors(origin);
	if (text.size() > max_topology_conf_bytes)
		throw std::invalid_argument(origin + ": larger than " +
					    std::to_string(max_topology_conf_bytes) +
					    " bytes, not a topology.conf");
	// A zero-byte file is a failed write or copy, not a site without switches
	// (that one is a file of comments, and an "empty tree" problem).
	if (text.empty())
		throw std::invalid_argument(origin + ":1: empty file, no SwitchName line");

	std::size_t names = 0;
	for (const config_line &line : config_lines(text)) {
		unsigned line_number = line.number;
		if (line.text.size() > max_line_bytes) {
			errors.add(line_number, "line longer than " + std::to_string(max_line_bytes) +
							" bytes");
			continue;
		}
		if (line.text.find('\0') != std::string::npos) {
			errors.add(line_number, "NUL byte in the line");
			continue;
		}

		switch_entry def;
		def.line = line_number;
		bool have_name = false, have_link = false, line_ok = true;
		for (const std::string &token : line.words) {
			std::size_t equals = token.find('=');
			if (equals == std::string::npos) {
				errors.add(line_number, quoted_name(token) + " is not Key=Value");
				line_ok = false;
				continue;
			}
			std::string key = token.substr(0, equals);
			std::string value = token.substr(equals + 1);
			bool is_name = same_key(key, "SwitchName");
			bool is_nodes = same_key(key, "Nodes");
			bool is_switches = same_key(key, "Switches");
			bool is_link = same_key(key, "LinkSpeed");
			if (!is_name && !is_nodes && !is_switches && !is_link) {
				errors.add(line_number, "unknown key " + quoted_name(key) +
								" (SwitchName, Nodes, Switches, LinkSpeed)");
				line_ok = false;
				continue;
			}
			if (value.empty()) {
				errors.add(line_number, key + "= has no value");
				line_ok = false;
				continue;
			}
			bool &seen = is_name ? have_name
				     : is_nodes ? def.has_nodes
				     : is_switches ? def.has_switches
						   : have_link;
			if (seen) {
				errors.add(line_number, key + "= given twice");
				line_ok = false;
				continue;
			}
			seen = true;
			if (is_name) {
				def.name = value;
			} else if (is_link) {
				if (!all_digits(value)) {
					errors.add(line_number, "LinkSpeed=" + quoted_name(value) +
									" is not a number");
					line_ok = false;
				}
			} else {
				std::vector<std::string> &list =
					is_nodes ? def.node_names : def.child_names;
				std::string problem;
				if (!expander.expand(value, list, problem)) {
					errors.add(line_number, key + "=" + quoted_name(value) + ": " + problem);
					line_ok = false;
					continue;
				}
				names += list.size();
				if (names > max_switch_names) {
					errors.add(line_number, "more than " + std::to_string(max_switch_names) +
									" names in Nodes= and Switches=");
					errors.raise();
				}
			}
		}
		if (line.words.empty())
			continue; // blank or comment
		if (!have_name) {
			errors.add(line_number, "no SwitchName=");
			continue;
		}
		if (line_ok && errors.empty())
			switches.push_back(std::move(def));
	}
	if (!errors.empty())
		errors.raise();
	return switches;
}

std::vector<switch_entry> load_topology_conf(const std::string &path,
					     const hostlist_expander &expander)
{
	return read_topology_conf(read_input_file(path, max_topology_conf_bytes), path, expander);
}

} // namespace aishare
