// lend_mode.cpp - lending mode words, read from lend_mode_choices.
// Copyright (C) 2026 The slurm-aishare authors. GPL-2.0-or-later.
#include "params/lend_mode.hpp"

#include "params/param_value.hpp"

namespace aishare {
namespace {

// The INDEX-th word of lend_mode_choices, "" past the last.
std::string_view choice_word(std::size_t index)
{
	std::string_view rest = lend_mode_choices;
	for (;;) {
		std::size_t bar = rest.find('|');
		if (index == 0)
			return rest.substr(0, bar);
		if (bar == std::string_view::npos)
			return {};
		rest.remove_prefix(bar + 1);
		index--;
	}
}

} // namespace

std::string_view lend_mode_name(lend_mode mode)
{
	return choice_word(static_cast<std::size_t>(mode));
}

bool lend_mode_named(std::string_view word, lend_mode &mode)
{
	for (std::size_t i = 0; !choice_word(i).empty(); i++)
		if (equal_ignore_case(word, choice_word(i))) {
			mode = static_cast<lend_mode>(i);
			return true;
		}
	return false;
}

} // namespace aishare
