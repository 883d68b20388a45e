// hostlist_expander.cpp - hostlist expressions as names, checked.
// Copyright (C) 2026 The slurm-aishare authors. GPL-2.0-or-later.
#include "fabric/hostlist_expander.hpp"

namespace aishare {

std::string quoted_name(const std::string &text)
{
	// Names in messages come from the input: cut a runaway one short.
	if (text.size() > 80)
		return "\"" + text.substr(0, 77) + "...\"";
	return "\"" + text + "\"";
}

bool hostlist_expander::expand(const std::string &expression, std::vector<std::string> &names,
			       std::string &problem) const
{
	std::string text, refusal;
	if (!expand_(expression, text, refusal)) {
		problem = refusal.empty() ? "cannot expand " + quoted_name(expression) : refusal;
		return false;
	}
	// The expander owns the syntax; we only split its ','-separated answer.
	std::size_t start = 0, before = names.size();
	while (start <= text.size()) {
		std::size_t comma = text.find(',', start);
		if (comma == std::string::npos)
			comma = text.size();
		if (comma > start)
			names.emplace_back(text, start, comma - start);
		start = comma + 1;
	}
	if (names.size() == before) {
		problem = quoted_name(expression) + " names no host";
		return false;
	}
	// Slurm reads an unclosed bracket ("n[1-") as the name "n]" rather than
	// refusing it; no host is called that, so it is a typing error to report.
	for (std::size_t i = before; i < names.size(); i++)
		if (names[i].find_first_of("[]") != std::string::npos) {
			problem = quoted_name(expression) + " gives the name " + quoted_name(names[i]) +
				  ", not a host name (an unclosed bracket?)";
			names.resize(before);
			return false;
		}
	return true;
}

} // namespace aishare
