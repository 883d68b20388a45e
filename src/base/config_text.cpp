// config_text.cpp - reading Slurm-style configuration files.
// Copyright (C) 2026 The slurm-aishare authors. GPL-2.0-or-later.
#include "base/config_text.hpp"

#include <stdexcept>

namespace aishare {
namespace {

bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

std::vector<std::string> words_of(const std::string &line)
{
	std::vector<std::string> words;
	std::string word;
	bool quoted = false, any = false;
	for (char c : line) {
		if (c == '"') {
			quoted = !quoted;
			any = true;
		} else if (!quoted && is_space(c)) {
			if (any)
				words.push_back(word);
			word.clear();
			any = false;
		} else {
			word += c;
			any = true;
		}
	}
	if (any)
		words.push_back(word);
	return words;
}

} // namespace

std::vector<config_line> config_lines(const std::string &text)
{
	std::vector<config_line> lines;
	unsigned number = 0;
	std::size_t start = 0;
	while (start < text.size()) {
		std::size_t end = text.find('\n', start);
		if (end == std::string::npos)
			end = text.size();
		std::string line = text.substr(start, end - start);
		start = end + 1;
		std::string content = line.substr(0, line.find('#'));
		lines.push_back({++number, std::move(line), words_of(content)});
	}
	return lines;
}

void config_errors::add(unsigned line, const std::string &problem)
{
	if (count_++ >= max_listed)
		return;
	if (!text_.empty())
		text_ += "; ";
	text_ += origin_ + ":" + std::to_string(line) + ": " + problem;
}

void config_errors::raise() const
{
	std::string text = text_;
	if (count_ > max_listed)
		text += "; and " + std::to_string(count_ - max_listed) + " more errors";
	throw std::invalid_argument(text);
}

} // namespace aishare
