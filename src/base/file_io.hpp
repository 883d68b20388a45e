// file_io.hpp - whole small files, read with a size limit and replaced atomically.
// Copyright (C) 2026 The slurm-aishare authors. GPL-2.0-or-later.
//
// For the plugins' state files next to Slurm's: a crash leaves the old or the new
// content, never a torn one, and a hostile file cannot make slurmctld read gigabytes.
#ifndef AISHARE_FILE_IO_HPP
#define AISHARE_FILE_IO_HPP

#include <cstddef>
#include <string>

namespace aishare {

// Writes PATH atomically: a temporary file beside it, fsync, rename.  Throws
// std::runtime_error "PATH: problem".  State files are private (0600); what a
// user asked the CLI to write is for others to read too (0644, less the umask).
void write_file_atomically(const std::string &path, const std::string &text,
			   unsigned mode = 0600);

// Reads PATH if it holds at most MAX_BYTES (a larger regular file is refused by
// its size, unread); false when it does not exist.  Throws std::runtime_error
// "PATH: problem" otherwise.
bool read_small_file(const std::string &path, std::size_t max_bytes, std::string &text);

// Reads PATH, an input a person names (configuration, node XML): every problem,
// a missing file included, throws std::invalid_argument "PATH: problem".
std::string read_input_file(const std::string &path, std::size_t max_bytes);

} // namespace aishare

#endif // AISHARE_FILE_IO_HPP
