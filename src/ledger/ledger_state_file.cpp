// ledger_state_file.cpp - the pool ledger's history on disk.
// Copyright (C) 2026 The slurm-aishare authors. GPL-2.0-or-later.
#include "ledger/ledger_state_file.hpp"

#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <sstream>
#include <stdexcept>

#include "params/param_value.hpp"
#include "base/sealed_text.hpp"

namespace aishare {
namespace {

constexpr const char *header = "slurm-aishare-ledger 1";

// "12,13": job ids, at most a few thousand (one reclaim's victims).
bool read_victims(const std::string &text, std::vector<std::uint32_t> &victims)
{
	std::istringstream items(text);
	std::string item;
	while (std::getline(items, item, ',')) {
		std::uint32_t id = 0;
		if (item.empty() || item.find_first_not_of("0123456789") != item.npos ||
		    !read_number(item, id) || victims.size() >= 100000)
			return false;
		victims.push_back(id);
	}
	return !victims.empty();
}

} // namespace

std::string format_ledger_state(const ledger_state &state)
{
	std::string body = std::string(header) + "\n";
	if (state.params.find('\n') != std::string::npos)
		throw std::invalid_argument("parameter summary spans lines");
	if (!state.params.empty())
		body += "params " + state.params + "\n";
	for (const auto &[partition, h] : state.pools) {
		char line[512];
		std::snprintf(line, sizeof(line),
			      " reclaims=%" PRIu64 " events=%" PRIu64
			      " latency_sum=%.3f latency_max=%.3f reclaim_started=%" PRId64 "\n",
			      h.reclaims, h.reclaim_events, h.latency_sum, h.latency_max,
			      h.reclaim_started);
		body += "pool " + partition + line;
		if (!h.victims.empty()) {
			body.pop_back(); // the victims go on the pool's line
			body += " victims=";
			for (std::size_t i = 0; i < h.victims.size(); i++)
				body += (i ? "," : "") + std::to_string(h.victims[i]);
			body += "\n";
		}
	}
	return seal_text(body);
}

ledger_state parse_ledger_state(const std::string &text)
{
	std::string body = unseal_text(text);

	ledger_state state;
	ledger_histories &histories = state.pools;
	std::istringstream lines(body);
	std::string line;
	for (std::size_t number = 1; std::getline(lines, line); number++) {
		auto fail = [&](const std::string &problem) {
			throw std::invalid_argument("line " + std::to_string(number) + ": " + problem);
		};
		if (number == 1) {
			if (line != header)
				fail("expected \"" + std::string(header) + "\"");
			continue;
		}
		if (line.rfind("params ", 0) == 0 && number == 2) {
			state.params = line.substr(7);
			continue;
		}
		std::istringstream words(line);
		std::string word, partition;
		words >> word >> partition;
		if (word != "pool" || partition.empty())
			fail("expected \"pool PARTITION key=value...\"");
		if (!read_partitions(partition).ok)
			fail("bad partition name " + quote_text(partition));
		if (histories.count(partition))
			fail("pool " + partition + " appears twice");
		pool_history h;
		while (words >> word) {
			std::size_t eq = word.find('=');
			std::string key = word.substr(0, eq), value = eq == word.npos ? "" : word.substr(eq + 1);
			bool ok = false;
			if (key == "reclaims")
				ok = read_number(value, h.reclaims);
			else if (key == "events")
				ok = read_number(value, h.reclaim_events);
			else if (key == "latency_sum")
				ok = read_number(value, h.latency_sum) && std::isfinite(h.latency_sum) &&
				     h.latency_sum >= 0;
			else if (key == "latency_max")
				ok = read_number(value, h.latency_max) && std::isfinite(h.latency_max) &&
				     h.latency_max >= 0;
			else if (key == "reclaim_started")
				ok = read_number(value, h.reclaim_started) && h.reclaim_started >= 0;
			else if (key == "victims")
				ok = read_victims(value, h.victims);
			else
				fail("unknown field " + quote_text(key));
			if (!ok)
				fail("bad value of " + key + ": " + quote_text(value));
		}
		histories[partition] = h;
	}
	return state;
}

} // namespace aishare
