// param_value.cpp - read one parameter value of each type from text, and print it back.
// Copyright (C) 2026 The slurm-aishare authors. GPL-2.0-or-later.
//
// Everything here is byte-oriented and locale-free on purpose: slurmctld and slurmstepd
// may run under any LC_NUMERIC, and a config must mean the same thing everywhere.
#include "params/param_value.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <set>

namespace aishare {
namespace {

// Slurm's own limit for partition names is larger, but longer names do not fit its
// squeue/sinfo columns and only turn up as typos or junk.
constexpr std::size_t max_partition_name = 64;
// Linux PATH_MAX counts the NUL; a longer path could never be opened.
constexpr std::size_t max_path = 4095;

constexpr const char *not_a_time = "not a Slurm time (expected minutes, MM:SS, HH:MM:SS, "
				   "D-HH, D-HH:MM or D-HH:MM:SS)";

bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

char to_lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool all_digits(std::string_view text)
{
	for (char c : text)
		if (!is_digit(c))
			return false;
	return !text.empty();
}

enum class digits_read { ok, not_digits, too_large };

// A non-empty run of decimal digits.  Scanning goes on after an overflow so that
// "99999999999999999999x" is reported as junk rather than as out of range.
digits_read read_digits(std::string_view text, std::uint64_t &value)
{
	if (!all_digits(text))
		return digits_read::not_digits;
	value = 0;
	for (char c : text) {
		unsigned digit = static_cast<unsigned>(c - '0');
		if (value > (UINT64_MAX - digit) / 10)
			return digits_read::too_large;
		value = value * 10 + digit;
	}
	return digits_read::ok;
}

std::vector<std::string_view> split(std::string_view text, char separator)
{
	std::vector<std::string_view> parts;
	for (;;) {
		std::size_t at = text.find(separator);
		parts.push_back(text.substr(0, at));
		if (at == std::string_view::npos)
			return parts;
		text.remove_prefix(at + 1);
	}
}

std::string between(const std::string &min, const std::string &max)
{
	return "must be between " + min + " and " + max;
}

bool is_partition_char(char c)
{
	return is_digit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' ||
	       c == '.' || c == '-';
}

} // namespace

bool equal_ignore_case(std::string_view a, std::string_view b)
{
	if (a.size() != b.size())
		return false;
	for (std::size_t i = 0; i < a.size(); i++)
		if (to_lower(a[i]) != to_lower(b[i]))
			return false;
	return true;
}

std::string quote_text(std::string_view text, std::size_t max_chars)
{
	std::string out;
	for (unsigned char c : text) {
		char piece[8];
		if (c >= 0x20 && c < 0x7f)
			std::snprintf(piece, sizeof(piece), "%c", c);
		else
			std::snprintf(piece, sizeof(piece), "\\x%02x", c);
		std::string_view shown(piece);
		if (out.size() + shown.size() > max_chars) {
			out += "...";
			break;
		}
		out += shown;
	}
	return out;
}

read_result<bool> read_bool(std::string_view text)
{
	for (const char *word : {"yes", "true", "on", "1"})
		if (equal_ignore_case(text, word))
			return read_result<bool>::success(true);
	for (const char *word : {"no", "false", "off", "0"})
		if (equal_ignore_case(text, word))
			return read_result<bool>::success(false);
	return read_result<bool>::failure("must be yes, no, true, false, on, off, 1 or 0");
}

read_result<std::uint64_t> read_uint(std::string_view text, std::uint64_t min, std::uint64_t max)
{
	std::uint64_t value = 0;
	digits_read got = read_digits(text, value);
	if (got == digits_read::not_digits)
		return read_result<std::uint64_t>::failure("not an unsigned integer");
	if (got == digits_read::too_large || value < min || value > max)
		return read_result<std::uint64_t>::failure(
			between(format_uint(min), format_uint(max)));
	return read_result<std::uint64_t>::success(value);
}

read_result<double> read_percent(std::string_view text, double min, double max)
{
	// Only digits[.digits][%]: this shuts out signs, exponents, hex, "nan" and "inf",
	// which a general number reader would accept.
	std::string_view number = text;
	if (!number.empty() && number.back() == '%')
		number.remove_suffix(1);
	std::size_t dot = number.find('.');
	std::string_view whole = number.substr(0, dot);
	bool well_formed = all_digits(whole) &&
			   (dot == std::string_view::npos || all_digits(number.substr(dot + 1)));
	if (!well_formed)
		return read_result<double>::failure("not a percentage (expected e.g. 25% or 12.5%)");

	std::string range = between(format_percent(min), format_percent(max));
	double percent = 0.0;
	auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), percent,
					 std::chars_format::fixed);
	if (ec == std::errc::result_out_of_range) {
		// Out of range is either a huge number or a vanishingly small one.
		if (whole.find_first_not_of('0') != std::string_view::npos)
			return read_result<double>::failure(range);
		percent = 0.0;
	} else if (ec != std::errc() || end != number.data() + number.size()) {
		return read_result<double>::failure("not a percentage (expected e.g. 25% or 12.5%)");
	}
	double fraction = percent / 100.0;
	if (fraction < min || fraction > max)
		return read_result<double>::failure(range);
	return read_result<double>::success(fraction);
}

read_result<std::uint64_t> read_time(std::string_view text, std::uint64_t min, std::uint64_t max)
{
	std::size_t dash = text.find('-');
	bool has_days = dash != std::string_view::npos;
	std::vector<std::string_view> clock = split(has_days ? text.substr(dash + 1) : text, ':');
	if (clock.size() > 3)
		return read_result<std::uint64_t>::failure(not_a_time);
	// What each clock field counts depends on the format, as in Slurm's time_str2mins():
	// after days, or with three fields, hours first; otherwise minutes[:seconds].
	static const std::uint64_t units[] = {3600, 60, 1};
	std::size_t first_unit = (has_days || clock.size() == 3) ? 0 : 1;

	// Every field is checked for junk before any overflow is reported.
	std::uint64_t seconds = 0;
	bool too_large = false;
	auto add = [&](std::string_view field, std::uint64_t unit) {
		std::uint64_t count = 0;
		digits_read got = read_digits(field, count);
		if (got == digits_read::not_digits)
			return false;
		if (got == digits_read::too_large || count > (UINT64_MAX - seconds) / unit)
			too_large = true;
		else
			seconds += count * unit;
		return true;
	};
	if (has_days && !add(text.substr(0, dash), 86400))
		return read_result<std::uint64_t>::failure(not_a_time);
	for (std::size_t i = 0; i < clock.size() && first_unit + i < 3; i++)
		if (!add(clock[i], units[first_unit + i]))
			return read_result<std::uint64_t>::failure(not_a_time);
	if (too_large || seconds < min || seconds > max)
		return read_result<std::uint64_t>::failure(between(format_time(min), format_time(max)));
	return read_result<std::uint64_t>::success(seconds);
}

read_result<std::string> read_choice(std::string_view text, std::string_view choices)
{
	std::vector<std::string_view> words = split(choices, '|');
	for (std::string_view word : words)
		if (equal_ignore_case(text, word))
			return read_result<std::string>::success(std::string(word));
	std::string message = "must be ";
	for (std::size_t i = 0; i < words.size(); i++) {
		if (i > 0)
			message += (i + 1 == words.size()) ? " or " : ", ";
		message += words[i];
	}
	return read_result<std::string>::failure(message);
}

read_result<std::string> read_path(std::string_view text)
{
	// "" is how the summary line prints an unset path, so it reads back as unset.
	if (text.empty() || text == "\"\"")
		return read_result<std::string>::success({});
	if (text.front() != '/')
		return read_result<std::string>::failure("must be an absolute path (starting with /)");
	if (text.size() > max_path)
		return read_result<std::string>::failure("is longer than " + format_uint(max_path) +
							 " bytes");
	// Whitespace would not survive slurm.conf and plugstack.conf parsing anyway; control
	// characters are never intended.  Bytes >= 0x80 stay allowed for UTF-8 names.
	for (unsigned char c : text)
		if (c <= 0x20 || c == 0x7f)
			return read_result<std::string>::failure(
				"must not contain whitespace or control characters");
	return read_result<std::string>::success(std::string(text));
}

read_result<std::vector<std::string>> read_partitions(std::string_view text)
{
	using result = read_result<std::vector<std::string>>;
	std::vector<std::string> names;
	// A set, not a scan of NAMES: a 64 KiB string of one-letter names must stay cheap.
	std::set<std::string_view> seen;
	std::vector<std::string_view> items = split(text, ':');
	for (std::size_t i = 0; i < items.size(); i++) {
		std::string_view name = items[i];
		std::string quoted = "\"" + quote_text(name) + "\"";
		if (name.empty())
			return result::failure("empty partition name at position " +
					       format_uint(i + 1));
		if (name.size() > max_partition_name)
			return result::failure("partition name " + quoted + " is longer than " +
					       format_uint(max_partition_name) + " characters");
		for (char c : name)
			if (!is_partition_char(c))
				return result::failure("partition name " + quoted +
						       " has a character other than A-Z a-z 0-9 _ . -");
		if (!seen.insert(name).second)
			return result::failure("partition " + quoted + " is listed twice");
		names.emplace_back(name);
	}
	return result::success(std::move(names));
}

std::string format_bool(bool value)
{
	return value ? "yes" : "no";
}

std::string format_uint(std::uint64_t value)
{
	return std::to_string(value);
}

std::string format_percent(double fraction)
{
	// In millionths of a percent: fine enough for any share of any cluster, and coarse
	// enough to hide the binary noise of fraction * 100 ("7%", not "7.000000000000001%").
	double scaled = std::round(fraction * 1e8);
	if (!(scaled >= 0.0)) // negative or NaN: never produced by read_percent
		scaled = 0.0;
	if (scaled > 1e15) // keeps the conversion below defined for any input
		scaled = 1e15;
	auto millionths = static_cast<std::uint64_t>(scaled);
	std::string text = format_uint(millionths / 1000000);
	if (std::uint64_t rest = millionths % 1000000) {
		char digits[8];
		std::snprintf(digits, sizeof(digits), "%06llu", static_cast<unsigned long long>(rest));
		std::string_view shown(digits);
		text += '.';
		text += shown.substr(0, shown.find_last_not_of('0') + 1);
	}
	return text + '%';
}

std::string format_time(std::uint64_t seconds)
{
	// As squeue prints a time limit: "5:00", "1:00:00", "1-00:00:00".
	unsigned long long days = seconds / 86400;
	unsigned hours = static_cast<unsigned>(seconds / 3600 % 24);
	unsigned minutes = static_cast<unsigned>(seconds / 60 % 60);
	unsigned secs = static_cast<unsigned>(seconds % 60);
	char text[48];
	if (days > 0)
		std::snprintf(text, sizeof(text), "%llu-%02u:%02u:%02u", days, hours, minutes, secs);
	else if (hours > 0)
		std::snprintf(text, sizeof(text), "%u:%02u:%02u", hours, minutes, secs);
	else
		std::snprintf(text, sizeof(text), "%u:%02u", minutes, secs);
	return text;
}

std::string format_partitions(const std::vector<std::string> &names)
{
	std::string text;
	for (const std::string &name : names) {
		if (!text.empty())
			text += ':';
		text += name;
	}
	return text;
}

} // namespace aishare
