// conf_nodes.cpp - the nodes slurm.conf defines, and the GPUs their Gres= gives.
// Copyright (C) 2026 The slurm-aishare authors. GPL-2.0-or-later.
#include "fabric/conf_nodes.hpp"

#include <cstring>
#include <stdexcept>
#include <strings.h>
#include <unordered_map>

#include "base/config_text.hpp"
#include "base/file_io.hpp"
#include "fabric/topology_conf.hpp"

namespace aishare {
namespace {

// Slurm refuses far fewer; this only bounds memory on a hostile file.
constexpr std::size_t max_nodes = 4u << 20;

bool parse_count(const std::string &text, uint32_t &count)
{
	if (text.empty() || text.size() > 10)
		return false;
	uint64_t value = 0;
	for (char c : text) {
		if (c < '0' || c > '9')
			return false;
		value = value * 10 + static_cast<uint64_t>(c - '0');
	}
	if (value > UINT32_MAX)
		return false;
	count = static_cast<uint32_t>(value);
	return true;
}

} // namespace

bool gres_gpu_count(const std::string &gres, uint32_t &gpus, std::string &problem)
{
	uint64_t total = 0;
	// Items split at commas outside parentheses: "gpu:2(S:0,1),gpu:a100:2".
	std::vector<std::string> items(1);
	int depth = 0;
	for (char c : gres) {
		if (c == '(')
			depth++;
		else if (c == ')' && depth > 0)
			depth--;
		if (c == ',' && depth == 0)
			items.emplace_back();
		else
			items.back() += c;
	}
	for (std::string item : items) {
		std::size_t paren = item.find('(');
		if (paren != std::string::npos)
			item.erase(paren);
		std::vector<std::string> fields(1);
		for (char c : item) {
			if (c == ':')
				fields.emplace_back();
			else
				fields.back() += c;
		}
		if (fields[0] != "gpu")
			continue;
		// gpu, gpu:TYPE (one each), gpu:N, gpu:TYPE:N.
		uint32_t count = 1;
		const std::string &last = fields.back();
		if (fields.size() > 1 && !last.empty() && last[0] >= '0' && last[0] <= '9' &&
		    !parse_count(last, count)) {
			problem = "Gres=" + gres + ": \"" + last + "\" is not a GPU count";
			return false;
		}
		total += count;
		if (total > UINT32_MAX) {
			problem = "Gres=" + gres + ": too many GPUs";
			return false;
		}
	}
	gpus = static_cast<uint32_t>(total);
	return true;
}

std::vector<conf_node> parse_conf_nodes(const std::string &text, const std::string &origin,
					const hostlist_expander &expander)
{
	std::vector<conf_node> nodes;
	std::unordered_map<std::string, unsigned> first_line;
	config_errors errors(origin);
	// Slurm's rule: NodeName=DEFAULT sets what later lines leave out.
	std::string default_gres;

	for (const config_line &line : config_lines(text)) {
		unsigned line_number = line.number;
		const std::vector<std::string> &tokens = line.words;
		if (tokens.empty() || strncasecmp(tokens[0].c_str(), "NodeName=", 9) != 0)
			continue; // not a node line: passed over
		std::string names = tokens[0].substr(9);
		if (names.empty()) {
			errors.add(line_number, "NodeName= has no value");
			continue;
		}
		bool has_gres = false;
		std::string gres;
		for (std::size_t i = 1; i < tokens.size(); i++) {
			if (strncasecmp(tokens[i].c_str(), "Gres=", 5) == 0) {
				has_gres = true;
				gres = tokens[i].substr(5);
			}
		}
		if (strcasecmp(names.c_str(), "DEFAULT") == 0) {
			if (has_gres)
				default_gres = gres;
			continue;
		}
		if (!has_gres)
			gres = default_gres;
		uint32_t gpus = 0;
		std::string problem;
		if (!gres_gpu_count(gres, gpus, problem)) {
			errors.add(line_number, problem);
			continue;
		}
		std::vector<std::string> expanded;
		if (!expander.expand(names, expanded, problem)) {
			errors.add(line_number, "NodeName=" + names + ": " + problem);
			continue;
		}
		for (const std::string &name : expanded) {
			auto seen = first_line.emplace(name, line_number);
			if (!seen.second) {
				errors.add(line_number, "node " + name + " is defined twice (first on line " +
							  std::to_string(seen.first->second) + ")");
				continue;
			}
			nodes.push_back({name, gpus});
		}
		if (nodes.size() > max_nodes) {
			errors.add(line_number, "more than " + std::to_string(max_nodes) + " nodes");
			break;
		}
	}
	if (!errors.empty())
		errors.raise();
	return nodes;
}

std::vector<conf_node> load_conf_nodes(const std::string &path, const hostlist_expander &expander)
{
	return parse_conf_nodes(read_input_file(path, max_topology_conf_bytes), path,
				expander);
}

} // namespace aishare
