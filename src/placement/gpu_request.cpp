// gpu_request.cpp - read the gpu entry of a TRES request string.
// Copyright (C) 2026 The slurm-aishare authors. GPL-2.0-or-later.
#include "placement/gpu_request.hpp"

#include <stdexcept>
#include <vector>

namespace aishare {
namespace {

std::vector<std::string> split(const std::string &text, char separator)
{
	std::vector<std::string> parts;
	std::string::size_type start = 0, end;
	while ((end = text.find(separator, start)) != std::string::npos) {
		parts.push_back(text.substr(start, end - start));
		start = end + 1;
	}
	parts.push_back(text.substr(start));
	return parts;
}

// A decimal count of at most 9 digits (a GPU count beyond that is nonsense and
// must not overflow anything downstream).
// Slurm's gres type names (GPU models such as NVIDIA_H100_80GB_HBM3).
bool valid_type(const std::string &text)
{
	return !text.empty() && text.size() <= 64 &&
	       text.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
				      "0123456789_.-") == std::string::npos;
}

// ENTRY as a user may read it back in one line: controls and bytes beyond ASCII
// become '?', and a long one is cut.
std::string printable(const std::string &entry)
{
	std::string shown = entry.substr(0, 80);
	for (char &c : shown)
		if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7e)
			c = '?';
	return entry.size() > 80 ? shown + "..." : shown;
}

bool all_digits(const std::string &text)
{
	return !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
}

bool read_count(const std::string &text, uint64_t &count)
{
	if (!all_digits(text) || text.size() > 9)
		return false;
	count = 0;
	for (char c : text) {
		if (c < '0' || c > '9')
			return false;
		count = count * 10 + static_cast<uint64_t>(c - '0');
	}
	return true;
}

} // namespace

gpu_count parse_gpu_tres(const char *tres)
{
	gpu_count found;
	if (!tres)
		return found;
	for (const std::string &entry : split(tres, ',')) {
		// "gres:gpu[:type][:count]" or "gres/gpu[:type][:count]"
		std::string rest;
		if (entry.rfind("gres:gpu", 0) == 0 || entry.rfind("gres/gpu", 0) == 0)
			rest = entry.substr(8);
		else
			continue;
		if (!rest.empty() && rest[0] != ':')
			continue; // another gres whose name starts with "gpu"
		std::vector<std::string> fields = split(rest.empty() ? "" : rest.substr(1), ':');
		gpu_count here;
		here.count = 1;
		if (rest.empty()) {
			// "gres:gpu": one GPU
		} else if (fields.size() == 1 && read_count(fields[0], here.count)) {
			// "gres:gpu:8"
		} else if (fields.size() == 1 && valid_type(fields[0]) && !all_digits(fields[0])) {
			here.type = fields[0]; // "gres:gpu:h100": one of that type
		} else if (fields.size() == 2 && valid_type(fields[0]) &&
			   read_count(fields[1], here.count)) {
			here.type = fields[0];
		} else {
			throw std::invalid_argument("GPU request '" + printable(entry) +
						    "' is not gres:gpu[:type][:count]");
		}
		if (found.count)
			throw std::invalid_argument("GPUs asked twice ('" + printable(entry) + "')");
		if (here.count == 0)
			continue;
		found = here;
	}
	return found;
}

} // namespace aishare
