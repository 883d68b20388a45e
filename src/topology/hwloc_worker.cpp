// hwloc_worker.cpp - node XML read by hwloc in a worker process, never in ours.
// Copyright (C) 2026 The slurm-aishare authors. GPL-2.0-or-later.
//
// Protocol on a socketpair, every string an 8-byte length and its bytes:
//   request: origin, XML (empty: discover the machine the worker runs on)
//   answer:  one status byte (1: profile, 0: refused), then the encoded profile
//            or the error text
// An end of file instead of the answer means the worker died; waitpid says how.
#include "topology/hwloc_worker.hpp"

#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <stdexcept>

#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <hwloc.h>

#include "topology/node_profile_codec.hpp"

// AddressSanitizer reserves terabytes of address space: no limit under it.
#if defined(__SANITIZE_ADDRESS__)
#define AISHARE_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define AISHARE_UNDER_ASAN 1
#endif
#endif

namespace aishare {
namespace {

// The worker may grow by this much while reading one file; beyond, hwloc's
// allocations fail and the file is refused or the worker dies.  A real node's
// XML needs a few MB.
constexpr unsigned long long worker_memory_limit = 256ULL << 20;
// An encoded profile or error is small; anything larger is not our worker talking.
constexpr std::uint64_t max_answer_bytes = 16ULL << 20;

std::mutex worker_lock; // one file at a time talks to the worker
pid_t worker_pid = -1;
int worker_socket = -1;

bool read_all(int fd, void *buffer, std::size_t size)
{
	char *at = static_cast<char *>(buffer);
	while (size) {
		ssize_t got = read(fd, at, size);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			return false;
		at += got;
		size -= static_cast<std::size_t>(got);
	}
	return true;
}

bool send_all(int fd, const void *buffer, std::size_t size)
{
	const char *at = static_cast<const char *>(buffer);
	while (size) {
		// MSG_NOSIGNAL: a dead peer gives EPIPE here, not SIGPIPE to slurmctld.
		ssize_t sent = send(fd, at, size, MSG_NOSIGNAL);
		if (sent < 0 && errno == EINTR)
			continue;
		if (sent <= 0)
			return false;
		at += sent;
		size -= static_cast<std::size_t>(sent);
	}
	return true;
}

bool send_string(int fd, const std::string &text)
{
	std::uint64_t size = text.size();
	return send_all(fd, &size, sizeof(size)) && send_all(fd, text.data(), text.size());
}

bool read_string(int fd, std::uint64_t max_bytes, std::string &text)
{
	std::uint64_t size = 0;
	if (!read_all(fd, &size, sizeof(size)) || size > max_bytes)
		return false;
	text.resize(size);
	return read_all(fd, &text[0], size);
}

void limit_address_space()
{
#ifndef AISHARE_UNDER_ASAN
	unsigned long long pages = 0;
	if (FILE *statm = std::fopen("/proc/self/statm", "r")) {
		if (std::fscanf(statm, "%llu", &pages) != 1)
			pages = 0;
		std::fclose(statm);
	}
	if (pages) {
		struct rlimit limit;
		limit.rlim_cur = limit.rlim_max =
			pages * static_cast<unsigned long long>(sysconf(_SC_PAGESIZE)) +
			worker_memory_limit;
		setrlimit(RLIMIT_AS, &limit);
	}
#endif
}

[[noreturn]] void worker_main(int fd)
{
	// Nothing of the parent's signal handling or descriptors: default actions,
	// nothing blocked, only our socket open.
	for (int sig = 1; sig < NSIG; sig++)
		signal(sig, SIG_DFL);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, nullptr);
	if (dup2(fd, 3) < 0)
		_exit(1);
	close_range(4, ~0U, 0);
	limit_address_space();
	for (;;) {
		std::string origin, xml, answer;
		char status = 0;
		if (!read_string(3, 4096, origin) ||
		    !read_string(3, max_node_xml_bytes, xml))
			_exit(0);
		try {
			if (xml.empty())
				xml = discover_topology_xml(origin);
			answer = encode_node_profile(profile_from_hwloc_xml(xml, origin));
			status = 1;
		} catch (const std::bad_alloc &) {
			answer = origin + ": hwloc needs more than " +
				 std::to_string(worker_memory_limit >> 20) + " MB to read it; not used";
		} catch (const std::exception &refused) {
			answer = refused.what();
		}
		if (!send_all(3, &status, 1) || !send_string(3, answer))
			_exit(0);
	}
}

void start_worker()
{
	int fds[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
		throw std::runtime_error(std::string("cannot make a socket for the hwloc worker: ") +
					 std::strerror(errno));
	pid_t pid = fork();
	if (pid < 0) {
		int saved = errno;
		close(fds[0]);
		close(fds[1]);
		throw std::runtime_error(std::string("cannot start the hwloc worker: ") +
					 std::strerror(saved));
	}
	if (pid == 0)
		worker_main(fds[1]);
	close(fds[1]);
	worker_pid = pid;
	worker_socket = fds[0];
}

// Ends the worker (it died, hangs or talks nonsense) and says how it ended.
std::string stop_worker()
{
	kill(worker_pid, SIGKILL);
	close(worker_socket);
	worker_socket = -1;
	int status = 0;
	pid_t pid = worker_pid;
	worker_pid = -1;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFSIGNALED(status) && WTERMSIG(status) != SIGKILL)
		return "signal " + std::to_string(WTERMSIG(status));
	if (WIFEXITED(status))
		return "exit " + std::to_string(WEXITSTATUS(status));
	return "killed";
}

// hwloc loads its plugins (OpenCL, GL, libxml2...) when the first topology of a
// process is made and unloads them when the last is destroyed, about 25 ms each
// time.  One topology made before the worker is forked, and kept until exit,
// keeps them loaded in the worker for every file.
struct hwloc_plugin_anchor {
	hwloc_topology_t topology = nullptr;
	hwloc_plugin_anchor() { hwloc_topology_init(&topology); }
	~hwloc_plugin_anchor()
	{
		if (topology)
			hwloc_topology_destroy(topology);
	}
};

} // namespace

node_profile profile_in_hwloc_worker(const std::string &xml, const std::string &origin)
{
	static hwloc_plugin_anchor anchor;
	std::lock_guard<std::mutex> hold(worker_lock);
	// A worker that died idle (killed by someone) fails the first send; one
	// fresh worker is then tried before the file is judged.
	for (int attempt = 0; attempt < 2; attempt++) {
		if (worker_pid < 0)
			start_worker();
		if (!send_string(worker_socket, origin) || !send_string(worker_socket, xml)) {
			stop_worker();
			continue;
		}
		struct pollfd answer = { worker_socket, POLLIN, 0 };
		int ready;
		while ((ready = poll(&answer, 1, hwloc_worker_time_limit * 1000)) < 0 &&
		       errno == EINTR)
			;
		if (ready == 0) {
			stop_worker();
			throw std::invalid_argument(origin + ": hwloc took more than " +
						    std::to_string(hwloc_worker_time_limit) +
						    " s to read it; not used");
		}
		char status = 0;
		std::string text;
		if (!read_all(worker_socket, &status, 1) ||
		    !read_string(worker_socket, max_answer_bytes, text)) {
			std::string how = stop_worker();
			throw std::invalid_argument(origin + ": hwloc crashed (" + how +
						    ") reading it; the file is damaged, not used");
		}
		if (status != 1)
			throw std::invalid_argument(text);
		try {
			return decode_node_profile(text);
		} catch (const std::invalid_argument &garbled) {
			stop_worker();
			throw std::runtime_error(origin + ": the hwloc worker answered with a " +
						 garbled.what());
		}
	}
	throw std::runtime_error(origin + ": the hwloc worker cannot be reached");
}

void stop_hwloc_worker()
{
	std::lock_guard<std::mutex> hold(worker_lock);
	if (worker_pid >= 0)
		stop_worker();
}

} // namespace aishare
