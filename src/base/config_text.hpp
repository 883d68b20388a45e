// config_text.hpp - reading Slurm-style configuration files (slurm.conf,
// topology.conf): lines of whitespace-separated Key=Value words, '#' comments,
// and every problem named by file and line, all reported at once.
// Copyright (C) 2026 The slurm-aishare authors. GPL-2.0-or-later.
#ifndef AISHARE_CONFIG_TEXT_HPP
#define AISHARE_CONFIG_TEXT_HPP

#include <cstddef>
#include <string>
#include <vector>

namespace aishare {

struct config_line {
	unsigned number;                // from 1
	std::string text;               // as written, comment included
	std::vector<std::string> words; // comment removed; a "double-quoted part" kept whole
};

// Every line of TEXT, blank ones included (their words are empty).
std::vector<config_line> config_lines(const std::string &text);

// Problems "ORIGIN:LINE: problem", the first max_listed of them kept.
class config_errors {
public:
	static constexpr std::size_t max_listed = 20;

	explicit config_errors(const std::string &origin) : origin_(origin) {}
	void add(unsigned line, const std::string &problem);
	bool empty() const { return count_ == 0; }
	// Throws std::invalid_argument with every problem, joined by "; ".
	[[noreturn]] void raise() const;

private:
	std::string origin_;
	std::string text_;
	std::size_t count_ = 0;
};

} // namespace aishare

#endif // AISHARE_CONFIG_TEXT_HPP
