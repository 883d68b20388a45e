// hostlist_expander.hpp - hostlist expressions ("n[01-16]") as names, by the
// caller's expander.
// Copyright (C) 2026 The slurm-aishare authors. GPL-2.0-or-later.
//
// Hostlists are Slurm's syntax and the core has no Slurm header: the caller lends
// an expander that runs Slurm's own code; this class holds its answers to what
// every fabric source demands of a name.
#ifndef AISHARE_HOSTLIST_EXPANDER_HPP
#define AISHARE_HOSTLIST_EXPANDER_HPP

#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace aishare {

// Expands one hostlist expression into LIST, its names joined by ','.  When it
// refuses the expression it returns false, with its message in PROBLEM if it has
// one.
using hostlist_expand_fn =
	std::function<bool(const std::string &expression, std::string &list, std::string &problem)>;

class hostlist_expander {
public:
	explicit hostlist_expander(hostlist_expand_fn expand) : expand_(std::move(expand)) {}
	// Appends the names of EXPRESSION to NAMES; false and PROBLEM when refused.
	bool expand(const std::string &expression, std::vector<std::string> &names,
		    std::string &problem) const;

private:
	hostlist_expand_fn expand_;
};

// TEXT in double quotes for a message, a runaway one cut short.
std::string quoted_name(const std::string &text);

} // namespace aishare

#endif // AISHARE_HOSTLIST_EXPANDER_HPP
