// sealed_text.hpp - the plugins' state files: text closed by a checksum line, and
// the numbers read back from them.
// Copyright (C) 2026 The slurm-aishare authors. GPL-2.0-or-later.
//
// A torn write or a hand edit changes the checksum, so a damaged file is refused
// as a whole instead of being half believed.  FNV-1a is no defence against
// forgery; the files live in StateSaveLocation, which only SlurmUser may write.
#ifndef AISHARE_SEALED_TEXT_HPP
#define AISHARE_SEALED_TEXT_HPP

#include <locale>
#include <sstream>
#include <string>

namespace aishare {

// BODY followed by "end <16 hex digits>\n".
std::string seal_text(const std::string &body);

// The body of sealed TEXT; throws std::invalid_argument when the closing line is
// missing or its checksum does not match.
std::string unseal_text(const std::string &text);

// A whole field as a number in the C locale; false for "", junk or trailing text.
template <typename T> bool read_number(const std::string &text, T &value)
{
	std::istringstream in(text);
	in.imbue(std::locale::classic());
	in >> value;
	return !text.empty() && !in.fail() && in.eof();
}

} // namespace aishare

#endif // AISHARE_SEALED_TEXT_HPP
