// params.hpp - one parameter string, parsed against a table into typed values.
// Copyright (C) 2026 The slurm-aishare authors. GPL-2.0-or-later.
//
// The plugins parse their string at (re)configure time and keep the result; a parse
// never half-succeeds, so a bad new string leaves the old configuration in force.
#ifndef AISHARE_PARAMS_HPP
#define AISHARE_PARAMS_HPP

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "params/param_table.hpp"
#include "params/param_value.hpp"

namespace aishare {

// By row type: boolean → bool; uint, time (seconds) → uint64_t; percent (fraction) →
// double; choice, path → string; partitions → vector of names.
using param_value = std::variant<bool, std::uint64_t, double, std::string, std::vector<std::string>>;

// Reads TEXT as a value of ROW, within the row's bounds.
read_result<param_value> read_param_value(const param_row &row, std::string_view text);

// The canonical spelling of VALUE, a value of ROW ("" for an unset path).
std::string format_param_value(const param_row &row, const param_value &value);

// Per-pool values of per-pool rows: (row index, partition) -> value.
using param_overrides = std::map<std::pair<std::size_t, std::string>, param_value>;

class params {
public:
	// Limits against abuse: the whole string, and the problems listed in one message.
	static constexpr std::size_t max_text = 65536;
	static constexpr std::size_t max_problems = 20;

	// Parses TEXT ("" or blanks: all defaults).  On failure returns nothing and sets
	// ERRORS to every problem in order of appearance, "; "-separated.
	static std::optional<params> parse(const param_table &table, std::string_view text,
					   std::string &errors);

	struct entry {
		const param_row *row;     // nullptr when the key is not in the table
		const param_value *value; // lives as long as this object
	};
	// KEY's row and value (any case).  "Key[pool]" gives the pool's override of a
	// per-pool row, or Key's value when that pool has none.
	entry find(std::string_view key) const;

	// KEY's value (as find() reads it) as T: bool, std::uint64_t, double,
	// std::string or std::vector<std::string>, by the row's type (see
	// param_value).  The policy structs read their parameters with it once per
	// configuration; a key the table lacks or a T that is not the row's type is
	// a programming error (std::logic_error), never a user's.
	template <typename T> const T &get(std::string_view key) const
	{
		entry found = find(key);
		if (!found.row)
			throw std::logic_error("parameter table has no key " + std::string(key));
		if (!std::holds_alternative<T>(*found.value))
			throw std::logic_error("parameter " + std::string(key) + " is not of that type");
		return std::get<T>(*found.value);
	}

	// "Key=value" for every key in table order, space-separated, an unset path as "";
	// per-pool overrides follow their key as "Key[pool]=value".
	std::string summary() const;

private:

	params(const param_table &table, std::vector<param_value> values, param_overrides overrides)
		: table_(&table), values_(std::move(values)), overrides_(std::move(overrides))
	{
	}

	const param_table *table_;
	std::vector<param_value> values_; // one per row of *table_, same order
	param_overrides overrides_;
};

} // namespace aishare

#endif // AISHARE_PARAMS_HPP
