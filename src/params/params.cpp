// params.cpp - one parameter string, parsed against a table into typed values.
// Copyright (C) 2026 The slurm-aishare authors. GPL-2.0-or-later.
#include "params/params.hpp"

#include <stdexcept>

namespace aishare {
namespace {

// The C locale's isspace(), without consulting the locale.
bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

std::string_view trim(std::string_view text)
{
	while (!text.empty() && is_blank(text.front()))
		text.remove_prefix(1);
	while (!text.empty() && is_blank(text.back()))
		text.remove_suffix(1);
	return text;
}

// A table's own text (default or bound) that does not read is a bug in the table, not
// a user error; the unit tests read every one, and the C API reports it as EIO.
[[noreturn]] void bad_table(const param_row &row, const char *what)
{
	throw std::logic_error(std::string("parameter table: unreadable ") + what + " of " + row.key);
}

template <typename T> T table_value(const param_row &row, read_result<T> read, const char *what)
{
	if (!read.ok)
		bad_table(row, what);
	return std::move(read.value);
}

const char *bound_text(const param_row &row, const char *text)
{
	if (!text)
		bad_table(row, "bound");
	return text;
}

template <typename T> read_result<param_value> as_param_value(read_result<T> read)
{
	// Filled in place: GCC 12 at -O2 warns (wrongly) of uninitialised members when a
	// variant is moved through read_result::success().
	read_result<param_value> result;
	result.ok = read.ok;
	if (read.ok)
		result.value = std::move(read.value);
	else
		result.error = std::move(read.error);
	return result;
}

// The problems of one string: the first max_problems kept in order, the rest counted,
// so that a string of junk yields a message of bounded length.
class problem_list {
public:
	void add(std::string text)
	{
		if (shown_.size() < params::max_problems)
			shown_.push_back(std::move(text));
		else
			hidden_++;
	}

	bool empty() const { return shown_.empty(); }

	std::string join() const
	{
		std::string text;
		for (const std::string &problem : shown_) {
			if (!text.empty())
				text += "; ";
			text += problem;
		}
		if (hidden_ > 0)
			text += "; and " + format_uint(hidden_) +
				(hidden_ == 1 ? " more problem" : " more problems");
		return text;
	}

private:
	std::vector<std::string> shown_;
	std::size_t hidden_ = 0;
};

std::string known_keys(const param_table &table)
{
	std::string text;
	for (std::size_t i = 0; i < table.size; i++) {
		if (i > 0)
			text += ", ";
		text += table.rows[i].key;
	}
	return text;
}

// "Share[sme]" -> ("Share", "sme"); a key without brackets -> (key, "").  Returns
// false when the brackets are malformed.
bool split_scoped_key(std::string_view key, std::string_view &base, std::string_view &pool)
{
	std::size_t open = key.find('[');
	if (open == key.npos) {
		base = key;
		pool = {};
		return key.find(']') == key.npos;
	}
	if (key.back() != ']' || key.find(']') != key.size() - 1)
		return false;
	base = trim(key.substr(0, open));
	pool = trim(key.substr(open + 1, key.size() - open - 2));
	return true;
}

// The table's partitions row: per-pool keys must name one of its partitions.
std::optional<std::size_t> pools_row(const param_table &table)
{
	for (std::size_t i = 0; i < table.size; i++)
		if (table.rows[i].type == param_type::partitions)
			return i;
	return std::nullopt;
}

// How each per-pool key was first written, for duplicate and pool messages.
using override_shown_map = std::map<std::pair<std::size_t, std::string>, std::string>;

void read_override(const param_row &row, std::size_t index, std::string_view pool,
			   std::string_view value, const std::string &shown, problem_list &problems,
			   param_overrides &overrides, override_shown_map &shown_as)
{
	if (!row.per_pool) {
		problems.add(shown + ": " + row.key + " cannot be set per partition");
		return;
	}
	if (auto name = read_partitions(pool); !name.ok || name.value.size() != 1) {
		problems.add(shown + ": " + (name.ok ? "one partition name expected in []" : name.error));
		return;
	}
	auto key = std::make_pair(index, std::string(pool));
	if (auto first = shown_as.find(key); first != shown_as.end()) {
		problems.add(shown + ": duplicate key (first given as " + first->second + ")");
		return;
	}
	shown_as[key] = shown;
	if (value.empty()) {
		problems.add(shown + ": empty value");
	} else if (auto read = read_param_value(row, value); !read.ok) {
		problems.add(shown + ": " + read.error);
	} else {
		overrides[key] = std::move(read.value);
	}
}

void check_override_pools(const param_table &table, const std::vector<param_value> &values,
				  const override_shown_map &shown_as, problem_list &problems)
{
	std::optional<std::size_t> pools = pools_row(table);
	for (const auto &[key, shown] : shown_as) {
		const std::vector<std::string> *names =
			pools ? &std::get<std::vector<std::string>>(values[*pools]) : nullptr;
		bool listed = false;
		for (std::size_t i = 0; names && i < names->size() && !listed; i++)
			listed = (*names)[i] == key.second;
		if (!listed)
			problems.add(shown + ": partition \"" + quote_text(key.second) +
				     "\" is not one of " + (pools ? table.rows[*pools].key : "the pools") +
				     "=" + (names ? format_partitions(*names) : ""));
	}
}

} // namespace

read_result<param_value> read_param_value(const param_row &row, std::string_view text)
{
	switch (row.type) {
	case param_type::boolean:
		return as_param_value(read_bool(text));
	case param_type::uint:
		return as_param_value(read_uint(
			text, table_value(row, read_uint(bound_text(row, row.min)), "minimum"),
			table_value(row, read_uint(bound_text(row, row.max)), "maximum")));
	case param_type::percent:
		return as_param_value(read_percent(
			text, table_value(row, read_percent(bound_text(row, row.min)), "minimum"),
			table_value(row, read_percent(bound_text(row, row.max)), "maximum")));
	case param_type::time:
		return as_param_value(read_time(
			text, table_value(row, read_time(bound_text(row, row.min)), "minimum"),
			table_value(row, read_time(bound_text(row, row.max)), "maximum")));
	case param_type::choice:
		return as_param_value(read_choice(text, bound_text(row, row.choices)));
	case param_type::path:
		return as_param_value(read_path(text));
	case param_type::partitions:
		return as_param_value(read_partitions(text));
	}
	bad_table(row, "type");
}

std::string format_param_value(const param_row &row, const param_value &value)
{
	// std::get throws on a value of another type: a bug, reported like one.
	switch (row.type) {
	case param_type::boolean:
		return format_bool(std::get<bool>(value));
	case param_type::uint:
		return format_uint(std::get<std::uint64_t>(value));
	case param_type::percent:
		return format_percent(std::get<double>(value));
	case param_type::time:
		return format_time(std::get<std::uint64_t>(value));
	case param_type::choice:
	case param_type::path:
		return std::get<std::string>(value);
	case param_type::partitions:
		return format_partitions(std::get<std::vector<std::string>>(value));
	}
	bad_table(row, "type");
}

std::optional<params> params::parse(const param_table &table, std::string_view text,
				    std::string &errors)
{
	errors.clear();
	if (text.size() > max_text) {
		errors = "parameter string is " + format_uint(text.size()) + " bytes, longer than the " +
			 format_uint(max_text) + "-byte limit";
		return std::nullopt;
	}

	std::vector<param_value> values;
	for (std::size_t i = 0; i < table.size; i++) {
		const param_row &row = table.rows[i];
		values.push_back(table_value(row, read_param_value(row, row.default_value), "default"));
	}
	if (trim(text).empty())
		return params(table, std::move(values), {});

	problem_list problems;
	param_overrides overrides;
	override_shown_map override_shown; // each per-pool key as first given
	// Each key as first given, "Key=Value" as quoted in messages; "" until given.
	std::vector<std::string> first_given(table.size);
	bool keys_listed = false; // the list of known keys is shown once per message
	std::size_t start = 0;
	for (std::size_t number = 1;; number++) {
		std::size_t comma = text.find(',', start);
		bool last = comma == std::string_view::npos;
		std::string_view item = trim(text.substr(start, last ? text.npos : comma - start));
		start = comma + 1;

		if (item.empty()) {
			problems.add("item " + format_uint(number) + " is empty" +
				     (last && number > 1 ? " (trailing comma)" : ""));
		} else if (std::size_t equals = item.find('='); equals == item.npos) {
			problems.add(quote_text(item) + ": expected Key=Value");
		} else {
			std::string_view key = trim(item.substr(0, equals));
			std::string_view value = trim(item.substr(equals + 1));
			std::string shown = quote_text(key) + "=" + quote_text(value);
			std::string_view base, pool;
			std::size_t index = 0;
			bool well_formed = split_scoped_key(key, base, pool);
			const param_row *row = find_param_row(table, base, &index);
			if (key.empty()) {
				problems.add(shown + ": expected Key=Value");
			} else if (!well_formed) {
				problems.add(shown + ": expected Key=Value or Key[partition]=Value");
			} else if (row && !pool.empty()) {
				read_override(*row, index, pool, value, shown, problems, overrides,
					      override_shown);
			} else if (row && key.find('[') != key.npos) {
				problems.add(shown + ": empty partition name in []");
			} else if (!row) {
				std::string problem = shown + ": unknown key";
				if (!keys_listed)
					problem += " (known keys: " + known_keys(table) + ")";
				keys_listed = true;
				problems.add(std::move(problem));
			} else if (!first_given[index].empty()) {
				problems.add(shown + ": duplicate key (first given as " +
					     first_given[index] + ")");
			} else {
				first_given[index] = shown;
				// An empty path is how a user writes "unset", as the default does.
				if (value.empty() && row->type != param_type::path) {
					problems.add(shown + ": empty value");
				} else if (auto read = read_param_value(*row, value); !read.ok) {
					problems.add(shown + ": " + read.error);
				} else {
					values[index] = std::move(read.value);
				}
			}
		}
		if (last)
			break;
	}

	// After the loop, since Pools may come after the keys that name its partitions.
	check_override_pools(table, values, override_shown, problems);
	if (!problems.empty()) {
		errors = problems.join();
		return std::nullopt;
	}
	return params(table, std::move(values), std::move(overrides));
}

params::entry params::find(std::string_view key) const
{
	std::string_view base, pool;
	std::size_t index = 0;
	if (!split_scoped_key(key, base, pool))
		return {nullptr, nullptr};
	const param_row *row = find_param_row(*table_, base, &index);
	if (!row || (!pool.empty() && !row->per_pool))
		return {nullptr, nullptr};
	if (auto found = overrides_.find({index, std::string(pool)}); found != overrides_.end())
		return {row, &found->second};
	return {row, &values_[index]};
}

std::string params::summary() const
{
	std::string line;
	for (std::size_t i = 0; i < table_->size; i++) {
		const param_row &row = table_->rows[i];
		std::string value = format_param_value(row, values_[i]);
		if (i > 0)
			line += ' ';
		line += row.key;
		line += '=';
		line += (row.type == param_type::path && value.empty()) ? "\"\"" : value;
		for (const auto &[key, pool_value] : overrides_)
			if (key.first == i)
				line += " " + std::string(row.key) + "[" + key.second +
					"]=" + format_param_value(row, pool_value);
	}
	return line;
}

} // namespace aishare
