// c_api_support.hpp - what every extern "C" file of the core shares.
// Copyright (C) 2026 The slurm-aishare authors. GPL-2.0-or-later.
//
// The adapters are C and run inside Slurm daemons: an exception reaching them would
// abort slurmctld.  Every C API function therefore runs its body through guarded(),
// which turns any exception into a failure return with errno (ENOMEM for bad_alloc,
// EIO for a bug).
#ifndef AISHARE_C_API_SUPPORT_HPP
#define AISHARE_C_API_SUPPORT_HPP

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>

#include "aishare.h"
#include "params/params.hpp"

// The opaque handle of the C API: one parsed string, immutable once made.
struct aishare_params {
	aishare::params parsed;
};

namespace aishare {

// Runs BODY and returns its result, or FAILED with errno set if it throws.
template <typename T, typename F> T guarded(T failed, F body)
{
	try {
		return body();
	} catch (const std::bad_alloc &) {
		errno = ENOMEM;
	} catch (...) {
		errno = EIO;
	}
	return failed;
}

template <typename T> T invalid(T failed)
{
	errno = EINVAL;
	return failed;
}

// A malloc()ed copy, which the C caller free()s.
inline char *c_string(const std::string &text)
{
	char *copy = static_cast<char *>(std::malloc(text.size() + 1));
	if (!copy)
		throw std::bad_alloc();
	std::memcpy(copy, text.c_str(), text.size() + 1);
	return copy;
}

// FORMAT as "is JSON": false when it is not one of aishare_format_t's values.  C
// callers may pass any int; reading it as the C++ enum would be undefined (UBSan
// says so), so its bytes are read.
inline bool read_format(aishare_format_t format, bool &json)
{
	int value;
	static_assert(sizeof(value) == sizeof(format), "aishare_format_t is an int");
	std::memcpy(&value, &format, sizeof(value));
	json = value == AISHARE_FORMAT_JSON;
	return value == AISHARE_FORMAT_TEXT || value == AISHARE_FORMAT_JSON;
}

// Stores TEXT as a malloc()ed *ERRORS when the caller asked for it.
inline void set_errors(char **errors, const std::string &text)
{
	if (errors)
		*errors = guarded<char *>(nullptr, [&] { return c_string(text); });
}

} // namespace aishare

#endif // AISHARE_C_API_SUPPORT_HPP
