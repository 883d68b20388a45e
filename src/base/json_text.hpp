// json_text.hpp - JSON string literals for the core's reports.
// Copyright (C) 2026 The slurm-aishare authors. GPL-2.0-or-later.
//
// The reports (`aishare status --json`, `aishare topo ... --json`) are built as
// text; names in them come from untrusted files (node names, PCI names, switch
// names), so every string goes through json_string.
#ifndef AISHARE_JSON_TEXT_HPP
#define AISHARE_JSON_TEXT_HPP

#include <cstdio>
#include <string>

namespace aishare {

// TEXT as a quoted JSON string: quotes, backslashes and control characters escaped.
inline std::string json_string(const std::string &text)
{
	std::string out = "\"";
	for (unsigned char c : text) {
		if (c == '"' || c == '\\') {
			out += '\\';
			out += static_cast<char>(c);
		} else if (c < 0x20) {
			char escaped[8];
			std::snprintf(escaped, sizeof(escaped), "\\u%04x", c);
			out += escaped;
		} else {
			out += static_cast<char>(c);
		}
	}
	return out + "\"";
}

} // namespace aishare

#endif // AISHARE_JSON_TEXT_HPP
