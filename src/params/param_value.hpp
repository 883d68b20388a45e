// param_value.hpp - read one parameter value of each type from text, and print it back.
// Copyright (C) 2026 The slurm-aishare authors. GPL-2.0-or-later.
//
// Pure functions, no state: the parameter parser (params.cpp) calls them for user input
// and for the defaults of the tables alike, so a default can never be spelled in a way
// the user could not write.  An error text says only what is wrong ("must be between
// 0% and 100%"); the caller prefixes the key and value it came from.
#ifndef AISHARE_PARAM_VALUE_HPP
#define AISHARE_PARAM_VALUE_HPP

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace aishare {

// The value types of the parameter tables; the numbers are those of aishare_param_type_t.
enum class param_type {
	boolean = 0,
	uint = 1,
	percent = 2,
	time = 3,
	choice = 4,
	path = 5,
	partitions = 6,
};

// Either a value (ok) or a text saying what is wrong with the input (!ok).
template <typename T> struct read_result {
	bool ok = false;
	T value{};
	std::string error;

	static read_result success(T v) { return {true, std::move(v), {}}; }
	static read_result failure(std::string e) { return {false, T{}, std::move(e)}; }
};

// yes|no|true|false|on|off|1|0, any case.
read_result<bool> read_bool(std::string_view text);

// Decimal digits only, within [min, max]; too many digits is out of range, not a wrap.
read_result<std::uint64_t> read_uint(std::string_view text, std::uint64_t min = 0,
				     std::uint64_t max = UINT64_MAX);

// "25%", "25" or "12.5%", as a fraction within [min, max] (itself within 0..1).
read_result<double> read_percent(std::string_view text, double min = 0.0, double max = 1.0);

// Slurm's time formats, as seconds within [min, max]: minutes, minutes:seconds,
// hours:minutes:seconds, days-hours, days-hours:minutes, days-hours:minutes:seconds.
// No UNLIMITED: every limit here is a finite time.
read_result<std::uint64_t> read_time(std::string_view text, std::uint64_t min = 0,
				     std::uint64_t max = UINT64_MAX);

// One of CHOICES ("preempt|bounded|none"), any case; the value is the canonical spelling.
read_result<std::string> read_choice(std::string_view text, std::string_view choices);

// An absolute path, or "" for unset.
read_result<std::string> read_path(std::string_view text);

// Partition names separated by ':', each 1..64 of [A-Za-z0-9_.-], none twice.
read_result<std::vector<std::string>> read_partitions(std::string_view text);

// Canonical spellings, read back unchanged by the readers above.
std::string format_bool(bool value);                       // "yes", "no"
std::string format_uint(std::uint64_t value);              // "10000"
std::string format_percent(double fraction);               // "25%", "12.5%"
std::string format_time(std::uint64_t seconds);            // "10:00", "1:00:00", "1-00:00:00"
std::string format_partitions(const std::vector<std::string> &names); // "a:b"

// Text from the input as a message may quote it: bytes outside printable ASCII shown
// as \xNN, cut to at most MAX_CHARS characters plus "..." so that junk input cannot
// make a message (or a slurmctld log line) arbitrarily long.
std::string quote_text(std::string_view text, std::size_t max_chars = 64);

// ASCII case-insensitive equality (config keys and words; no locale).
bool equal_ignore_case(std::string_view a, std::string_view b);

} // namespace aishare

#endif // AISHARE_PARAM_VALUE_HPP
