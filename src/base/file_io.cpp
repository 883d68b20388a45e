// file_io.cpp - whole small files, read with a size limit and replaced atomically.
// Copyright (C) 2026 The slurm-aishare authors. GPL-2.0-or-later.
#include "base/file_io.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <stdexcept>
#include <unistd.h>
#include <vector>

namespace aishare {
namespace {

std::string system_error(const std::string &path, const char *what)
{
	return path + ": " + what + ": " + std::strerror(errno);
}

} // namespace

void write_file_atomically(const std::string &path, const std::string &text, unsigned mode)
{
	std::string temporary = path + ".new";
	int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
			static_cast<mode_t>(mode));
	if (fd < 0)
		throw std::runtime_error(system_error(temporary, "cannot create"));
	std::size_t written = 0;
	while (written < text.size()) {
		ssize_t n = ::write(fd, text.data() + written, text.size() - written);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			std::string problem = system_error(temporary, "cannot write");
			::close(fd);
			::unlink(temporary.c_str());
			throw std::runtime_error(problem);
		}
		written += static_cast<std::size_t>(n);
	}
	// fsync before rename: after a crash the name points at old or new content, whole.
	if (::fsync(fd) != 0 || ::close(fd) != 0) {
		std::string problem = system_error(temporary, "cannot sync");
		::unlink(temporary.c_str());
		throw std::runtime_error(problem);
	}
	if (::rename(temporary.c_str(), path.c_str()) != 0) {
		std::string problem = system_error(path, "cannot replace");
		::unlink(temporary.c_str());
		throw std::runtime_error(problem);
	}
}

bool read_small_file(const std::string &path, std::size_t max_bytes, std::string &text)
{
	int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return false;
		throw std::runtime_error(system_error(path, "cannot open"));
	}
	// A huge (or sparse) regular file is refused by its size, before a byte is read.
	struct stat info;
	if (::fstat(fd, &info) == 0 && S_ISREG(info.st_mode) &&
	    static_cast<unsigned long long>(info.st_size) > max_bytes) {
		::close(fd);
		throw std::runtime_error(path + ": larger than " + std::to_string(max_bytes) +
					 " bytes");
	}
	text.clear();
	std::vector<char> buffer(65536);
	for (;;) {
		ssize_t n = ::read(fd, buffer.data(), buffer.size());
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			std::string problem = system_error(path, "cannot read");
			::close(fd);
			throw std::runtime_error(problem);
		}
		if (n == 0)
			break;
		text.append(buffer.data(), static_cast<std::size_t>(n));
		if (text.size() > max_bytes) {
			::close(fd);
			throw std::runtime_error(path + ": larger than " + std::to_string(max_bytes) +
						 " bytes");
		}
	}
	::close(fd);
	return true;
}

std::string read_input_file(const std::string &path, std::size_t max_bytes)
{
	std::string text;
	try {
		if (!read_small_file(path, max_bytes, text))
			throw std::invalid_argument(path + ": no such file");
	} catch (const std::runtime_error &failed) {
		throw std::invalid_argument(failed.what());
	}
	return text;
}

} // namespace aishare
