// c_api.cpp - the extern "C" parameter functions of aishare.h over the C++ core.
// Copyright (C) 2026 The slurm-aishare authors. GPL-2.0-or-later.
//
// The adapters are C and run inside Slurm daemons: an exception reaching them would
// abort slurmctld.  Every function here therefore checks its arguments and turns any
// exception into a failure return with errno (ENOMEM for bad_alloc, EIO for a bug).
#ifdef HAVE_CONFIG_H
#include "aishare_config.h" // AISHARE_VERSION, from configure
#endif

#include "aishare.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <initializer_list>
#include <new>
#include <string>
#include <vector>

#include "capi/c_api_support.hpp"
#include "params/param_table.hpp"
#include "params/params.hpp"

namespace {

using aishare::guarded;
using aishare::invalid;
using aishare::c_string;
using aishare::param_table;
using aishare::param_type;

static_assert(static_cast<int>(param_type::boolean) == AISHARE_PARAM_BOOL &&
		      static_cast<int>(param_type::uint) == AISHARE_PARAM_UINT &&
		      static_cast<int>(param_type::percent) == AISHARE_PARAM_PERCENT &&
		      static_cast<int>(param_type::time) == AISHARE_PARAM_TIME &&
		      static_cast<int>(param_type::choice) == AISHARE_PARAM_ENUM &&
		      static_cast<int>(param_type::path) == AISHARE_PARAM_PATH &&
		      static_cast<int>(param_type::partitions) == AISHARE_PARAM_PARTITIONS,
	      "aishare::param_type must number its types as aishare_param_type_t does");

// A C caller may pass any int where aishare.h declares an enum, but in C++ even loading an
// enum object whose value is outside its enumerators' range is undefined; so an enum
// argument is only ever read as the int it is.
template <typename E> int enum_value(const E &value)
{
	static_assert(sizeof(E) == sizeof(int), "C enums are passed as int");
	int number;
	std::memcpy(&number, &value, sizeof(number));
	return number;
}

const param_table *table_of(int table)
{
	switch (table) {
	case AISHARE_PARAMS_CONTROLLER:
		return &aishare::controller_params;
	case AISHARE_PARAMS_NODE:
		return &aishare::node_params;
	}
	return nullptr;
}

// KEY's value in HANDLE if its type is one of TYPES; else nullptr with errno EINVAL.
const aishare::param_value *lookup(const aishare_params_t *handle, const char *key,
				   std::initializer_list<param_type> types, param_type *type = nullptr)
{
	if (!handle || !key)
		return invalid(nullptr);
	aishare::params::entry found = handle->parsed.find(key);
	if (!found.row)
		return invalid(nullptr);
	for (param_type wanted : types) {
		if (found.row->type == wanted) {
			if (type)
				*type = wanted;
			return found.value;
		}
	}
	return invalid(nullptr);
}

// The documentation rows of one table, NULL-free and in table order.  Built once per
// process; the range texts live beside the rows that point into them.
struct info_rows {
	std::vector<std::string> ranges;
	std::vector<aishare_param_info_t> rows;

	explicit info_rows(const param_table &table)
	{
		for (std::size_t i = 0; i < table.size; i++)
			ranges.push_back(aishare::param_range_text(table.rows[i]));
		for (std::size_t i = 0; i < table.size; i++) {
			const aishare::param_row &row = table.rows[i];
			rows.push_back({row.key, static_cast<aishare_param_type_t>(row.type),
					row.default_value, ranges[i].c_str(), row.help,
					row.per_pool ? 1 : 0});
		}
	}
};

} // namespace

aishare_params_t *aishare_params_parse(aishare_param_table_t table, const char *text, char **errors)
{
	if (errors)
		*errors = nullptr;
	const param_table *rows = table_of(enum_value(table));
	if (!rows) {
		if (errors)
			*errors = guarded<char *>(nullptr, [&] {
				return c_string("unknown parameter table " +
						std::to_string(enum_value(table)));
			});
		return invalid(nullptr);
	}
	aishare_params_t *handle = guarded<aishare_params_t *>(nullptr, [&]() -> aishare_params_t * {
		std::string problems;
		std::optional<aishare::params> parsed =
			aishare::params::parse(*rows, text ? text : "", problems);
		if (!parsed) {
			if (errors)
				*errors = c_string(problems);
			return invalid(nullptr);
		}
		return new aishare_params{std::move(*parsed)};
	});
	// An internal error still deserves a line in the log; never a raw what().
	if (!handle && errno == EIO && errors)
		*errors = guarded<char *>(nullptr, [] {
			return c_string("internal error while reading parameters; please report it");
		});
	return handle;
}

void aishare_params_free(aishare_params_t *params)
{
	delete params;
}

int aishare_params_get_uint(const aishare_params_t *params, const char *key, uint64_t *value)
{
	return guarded(-1, [&] {
		param_type type = param_type::uint;
		const aishare::param_value *found =
			lookup(params, key, {param_type::boolean, param_type::uint, param_type::time},
			       &type);
		if (!found || !value)
			return invalid(-1);
		*value = (type == param_type::boolean) ? (std::get<bool>(*found) ? 1 : 0)
						       : std::get<std::uint64_t>(*found);
		return 0;
	});
}

int aishare_params_get_percent(const aishare_params_t *params, const char *key, double *value)
{
	return guarded(-1, [&] {
		const aishare::param_value *found = lookup(params, key, {param_type::percent});
		if (!found || !value)
			return invalid(-1);
		*value = std::get<double>(*found);
		return 0;
	});
}

int aishare_params_get_string(const aishare_params_t *params, const char *key, const char **value)
{
	return guarded(-1, [&] {
		const aishare::param_value *found =
			lookup(params, key, {param_type::choice, param_type::path});
		if (!found || !value)
			return invalid(-1);
		*value = std::get<std::string>(*found).c_str();
		return 0;
	});
}

size_t aishare_params_list_count(const aishare_params_t *params, const char *key)
{
	return guarded<size_t>(0, [&]() -> size_t {
		const aishare::param_value *found = lookup(params, key, {param_type::partitions});
		if (!found)
			return 0;
		return std::get<std::vector<std::string>>(*found).size();
	});
}

const char *aishare_params_list_item(const aishare_params_t *params, const char *key, size_t index)
{
	return guarded<const char *>(nullptr, [&]() -> const char * {
		const aishare::param_value *found = lookup(params, key, {param_type::partitions});
		if (!found)
			return nullptr;
		const auto &names = std::get<std::vector<std::string>>(*found);
		// Past the end is how a caller finds the end: NULL, errno untouched.
		return index < names.size() ? names[index].c_str() : nullptr;
	});
}

char *aishare_params_summary(const aishare_params_t *params)
{
	if (!params)
		return invalid(nullptr);
	return guarded<char *>(nullptr, [&] { return c_string(params->parsed.summary()); });
}

const aishare_param_info_t *aishare_param_table_row(aishare_param_table_t table, size_t index)
{
	return guarded<const aishare_param_info_t *>(nullptr, [&]() -> const aishare_param_info_t * {
		// Function-local statics: built on first use, thread-safely, and only once.
		static const info_rows controller(aishare::controller_params);
		static const info_rows node(aishare::node_params);
		const info_rows *rows = nullptr;
		switch (enum_value(table)) {
		case AISHARE_PARAMS_CONTROLLER:
			rows = &controller;
			break;
		case AISHARE_PARAMS_NODE:
			rows = &node;
			break;
		}
		if (!rows)
			return invalid(nullptr);
		// Past the last row is how a caller finds the end: NULL, errno untouched.
		return index < rows->rows.size() ? &rows->rows[index] : nullptr;
	});
}

const char *aishare_param_type_name(aishare_param_type_t type)
{
	const char *name = aishare::param_type_name(static_cast<param_type>(enum_value(type)));
	return name ? name : invalid(nullptr);
}

const char *aishare_version(void)
{
#ifdef AISHARE_VERSION
	return AISHARE_VERSION;
#else
	return "0.0.0";
#endif
}
