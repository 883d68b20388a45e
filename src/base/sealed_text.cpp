// sealed_text.cpp - text closed by a checksum line.
// Copyright (C) 2026 The slurm-aishare authors. GPL-2.0-or-later.
#include "base/sealed_text.hpp"

#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <stdexcept>

namespace aishare {
namespace {

// FNV-1a, 64 bit.
std::uint64_t checksum(const std::string &text)
{
	std::uint64_t hash = 14695981039346656037ull;
	for (unsigned char c : text) {
		hash ^= c;
		hash *= 1099511628211ull;
	}
	return hash;
}

} // namespace

std::string seal_text(const std::string &body)
{
	char end[64];
	std::snprintf(end, sizeof(end), "end %016" PRIx64 "\n", checksum(body));
	return body + end;
}

std::string unseal_text(const std::string &text)
{
	std::size_t end_at = text.rfind("end ");
	if (end_at == text.npos || (end_at > 0 && text[end_at - 1] != '\n'))
		throw std::invalid_argument("no closing checksum line (truncated file?)");
	std::string body = text.substr(0, end_at);
	char expected[32];
	std::snprintf(expected, sizeof(expected), "%016" PRIx64, checksum(body));
	std::string tail = text.substr(end_at + 4);
	if (!tail.empty() && tail.back() == '\n')
		tail.pop_back();
	if (tail != expected)
		throw std::invalid_argument("checksum mismatch (damaged or edited file)");
	return body;
}

} // namespace aishare
