// priority_state_file.cpp - each pending job's priority terms on disk.
// Copyright (C) 2026 The slurm-aishare authors. GPL-2.0-or-later.
#include "priority/priority_state_file.hpp"

#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <locale>
#include <sstream>
#include <stdexcept>
#include <variant>

#include "base/json_text.hpp"
#include "base/sealed_text.hpp"

namespace aishare {
namespace {

constexpr const char *header = "slurm-aishare-priority 1";

using member = std::variant<double priority_terms::*, std::int64_t priority_terms::*,
			    std::uint32_t priority_terms::*, bool priority_terms::*,
			    std::string priority_terms::*>;

// Every field of a job line, in the order written.
const std::pair<const char *, member> fields[] = {
	{"account", &priority_terms::account},
	{"partition", &priority_terms::partition},
	{"group", &priority_terms::group},
	{"gpus", &priority_terms::gpus},
	{"in_pool", &priority_terms::in_pool},
	{"pool_guarantee", &priority_terms::pool_guarantee},
	{"pool_used", &priority_terms::pool_used},
	{"pool_pending", &priority_terms::pool_pending},
	{"deficit_factor", &priority_terms::deficit_factor},
	{"start_up", &priority_terms::start_up},
	{"usage_share", &priority_terms::usage_share},
	{"entitlement", &priority_terms::entitlement},
	{"fair_share_factor", &priority_terms::fair_share_factor},
	{"grant", &priority_terms::grant},
	{"used", &priority_terms::used},
	{"expected", &priority_terms::expected},
	{"period_elapsed", &priority_terms::period_elapsed},
	{"pacing_factor", &priority_terms::pacing_factor},
	{"exhausted", &priority_terms::exhausted},
	{"large", &priority_terms::large},
	{"starving", &priority_terms::starving},
	{"waited", &priority_terms::waited},
	{"large_job_factor", &priority_terms::large_job_factor},
	{"deficit", &priority_terms::deficit},
	{"fair_share", &priority_terms::fair_share},
	{"pacing", &priority_terms::pacing},
	{"large_job", &priority_terms::large_job},
	{"total", &priority_terms::total},
	{"capped", &priority_terms::capped},
};

const std::pair<const char *, std::uint64_t priority_weights::*> weight_fields[] = {
	{"deficit", &priority_weights::deficit},
	{"fair_share", &priority_weights::fair_share},
	{"pacing", &priority_weights::pacing},
	{"large_job", &priority_weights::large_job},
	{"cap", &priority_weights::cap},
	{"grant_period", &priority_weights::grant_period},
	{"grant_start", &priority_weights::grant_start},
	{"large_job_gpus", &priority_weights::large_job_gpus},
	{"large_job_wait", &priority_weights::large_job_wait},
};

// Names come from Slurm's records (accounts, partitions): a blank, '=' or a
// control character would break the line format, so they are written as '?'.
std::string safe_name(const std::string &name)
{
	std::string out = name.empty() ? "-" : name;
	for (char &c : out)
		if (static_cast<unsigned char>(c) <= ' ' || c == '=' || c == 0x7f)
			c = '?';
	return out;
}

std::string format_double(double value)
{
	char text[64];
	std::snprintf(text, sizeof(text), "%.6g", value);
	return text;
}

std::string field_text(const priority_terms &t, const member &m)
{
	return std::visit(
		[&](auto pointer) -> std::string {
			using T = std::decay_t<decltype(t.*pointer)>;
			if constexpr (std::is_same_v<T, std::string>)
				return safe_name(t.*pointer);
			else if constexpr (std::is_same_v<T, bool>)
				return t.*pointer ? "1" : "0";
			else if constexpr (std::is_same_v<T, double>)
				return format_double(t.*pointer);
			else
				return std::to_string(t.*pointer);
		},
		m);
}

bool read_field(priority_terms &t, const member &m, const std::string &value)
{
	return std::visit(
		[&](auto pointer) -> bool {
			using T = std::decay_t<decltype(t.*pointer)>;
			if constexpr (std::is_same_v<T, std::string>) {
				t.*pointer = value == "-" ? "" : value;
				return true;
			} else if constexpr (std::is_same_v<T, bool>) {
				t.*pointer = value == "1";
				return value == "0" || value == "1";
			} else if constexpr (std::is_same_v<T, double>) {
				return read_number(value, t.*pointer) && std::isfinite(t.*pointer);
			} else {
				return read_number(value, t.*pointer);
			}
		},
		m);
}

std::string signed_points(std::int64_t value)
{
	return (value > 0 ? "+" : "") + std::to_string(value);
}

std::string fixed(double value, int digits)
{
	char text[64];
	std::snprintf(text, sizeof(text), "%.*f", digits, value);
	return text;
}

std::string explain_text(const priority_state &s, const priority_terms &t)
{
	const priority_weights &w = s.weights;
	char line[512];
	std::string out = "job " + std::to_string(t.job_id) + ": account " +
			  (t.account.empty() ? "-" : t.account) + ", partition " +
			  (t.partition.empty() ? "-" : t.partition) + ", " +
			  std::to_string(t.gpus) + " GPUs; site factor " + signed_points(t.total) +
			  (t.starving ? " (starving large job: above SiteFactorMax)" :
			   t.capped   ? " (capped at SiteFactorMax)" : "") + "\n";
	auto term = [&](const char *name, std::int64_t value, const char *key,
			std::uint64_t weight, double factor, const std::string &why) {
		std::snprintf(line, sizeof(line), "  %-10s %8s = %s %" PRIu64 " x %s\n", name,
			      signed_points(value).c_str(), key, weight, fixed(factor, 4).c_str());
		out += line;
		out += "               " + why + "\n";
	};

	std::string deficit_why;
	if (!t.in_pool)
		deficit_why = "partition " + t.partition + " is not a pool";
	else
		deficit_why = "pool " + t.partition + ": guarantee " +
			      std::to_string(t.pool_guarantee) + " GPUs, used " +
			      std::to_string(t.pool_used) + ", pending " +
			      std::to_string(t.pool_pending) +
			      (t.deficit_factor > 0 ? "; factor (guarantee - used) / guarantee"
						    : "; no deficit (at or above guarantee, or no demand)");
	term("deficit", t.deficit, "WeightDeficit", w.deficit, t.deficit_factor, deficit_why);

	std::string fs_why, pacing_why;
	if (!t.start_up) {
		fs_why = pacing_why = "account " + t.account +
				      " holds no GrpTRESMins=gres/gpu grant: not a start-up";
	} else {
		fs_why = "group " + (t.group.empty() ? std::string("-") : t.group) +
			 ": usage share " + fixed(t.usage_share, 4) + ", entitlement " +
			 fixed(t.entitlement, 4) + "; factor 2^(-usage share / entitlement)";
		pacing_why = "grant " + fixed(t.grant, 1) + " GPU-min, used " + fixed(t.used, 1) +
			     ", expected " + fixed(t.expected, 1) + " at " +
			     fixed(100 * t.period_elapsed, 1) +
			     "% of the grant period; factor (expected - used) / grant" +
			     (t.exhausted ? "; grant exhausted (Slurm's GrpTRESMins limit holds "
					    "the job when AccountingStorageEnforce has limits)"
					  : "");
	}
	term("fair share", t.fair_share, "WeightFairShare", w.fair_share, t.fair_share_factor,
	     fs_why);
	term("pacing", t.pacing, "WeightPacing", w.pacing, t.pacing_factor, pacing_why);
	std::string large_why =
		t.large ? "waited " + fixed(t.waited, 0) + " s of LargeJobWait " +
				  std::to_string(w.large_job_wait) +
				  " s; factor min(1, waited / LargeJobWait)"
			: std::to_string(t.gpus) + " GPUs, below LargeJobGpus " +
				  std::to_string(w.large_job_gpus) + " (or WeightLargeJob=0)";
	term("large job", t.large_job, "WeightLargeJob", w.large_job, t.large_job_factor,
	     large_why);
	std::snprintf(line, sizeof(line), "  %-10s %8s   (SiteFactorMax %" PRIu64 ")\n", "total",
		      signed_points(t.total).c_str(), w.cap);
	out += line;
	return out;
}

std::string explain_json(const priority_state &s, const priority_terms &t)
{
	std::string out = "{\"job_id\": " + std::to_string(t.job_id) +
			  ", \"time\": " + std::to_string(s.time) + ", \"weights\": {";
	bool first = true;
	for (const auto &[key, pointer] : weight_fields) {
		out += std::string(first ? "" : ", ") + "\"" + key +
		       "\": " + std::to_string(s.weights.*pointer);
		first = false;
	}
	out += "}";
	for (const auto &[key, pointer] : fields) {
		std::string value = field_text(t, pointer);
		bool text = std::holds_alternative<std::string priority_terms::*>(pointer);
		bool flag = std::holds_alternative<bool priority_terms::*>(pointer);
		out += std::string(", \"") + key + "\": " +
		       (text ? json_string(t.*std::get<std::string priority_terms::*>(pointer))
			: flag ? (value == "1" ? "true" : "false")
			       : value);
	}
	return out + "}\n";
}

} // namespace

std::string format_priority_state(const priority_state &state)
{
	std::string body = std::string(header) + "\n";
	body += "time " + std::to_string(state.time) + "\n";
	body += "weights";
	for (const auto &[key, pointer] : weight_fields)
		body += std::string(" ") + key + "=" + std::to_string(state.weights.*pointer);
	body += "\n";
	for (const auto &[id, terms] : state.jobs) {
		body += "job " + std::to_string(id);
		for (const auto &[key, pointer] : fields)
			body += std::string(" ") + key + "=" + field_text(terms, pointer);
		body += "\n";
	}
	return seal_text(body);
}

priority_state parse_priority_state(const std::string &text)
{
	std::string body = unseal_text(text);

	priority_state state;
	std::istringstream lines(body);
	std::string line;
	for (std::size_t number = 1; std::getline(lines, line); number++) {
		auto fail = [&](const std::string &problem) {
			throw std::invalid_argument("line " + std::to_string(number) + ": " + problem);
		};
		std::istringstream words(line);
		std::string kind, word;
		words >> kind;
		if (number == 1) {
			if (line != header)
				fail("expected \"" + std::string(header) + "\"");
		} else if (kind == "time") {
			words >> word;
			if (!read_number(word, state.time))
				fail("bad time");
		} else if (kind == "weights") {
			while (words >> word) {
				std::size_t eq = word.find('=');
				bool known = false;
				for (const auto &[key, pointer] : weight_fields)
					if (word.compare(0, eq, key) == 0 && std::string(key).size() == eq)
						known = read_number(word.substr(eq + 1), state.weights.*pointer);
				if (eq == word.npos || !known)
					fail("bad weight " + word);
			}
		} else if (kind == "job") {
			priority_terms t;
			words >> word;
			if (!read_number(word, t.job_id) || state.jobs.count(t.job_id))
				fail("bad or repeated job id");
			while (words >> word) {
				std::size_t eq = word.find('=');
				bool known = false;
				for (const auto &[key, pointer] : fields)
					if (eq != word.npos && word.compare(0, eq, key) == 0 &&
					    std::string(key).size() == eq)
						known = read_field(t, pointer, word.substr(eq + 1));
				if (!known)
					fail("bad field " + word.substr(0, 64));
			}
			state.jobs[t.job_id] = t;
		} else {
			fail("unknown line kind " + kind.substr(0, 64));
		}
	}
	return state;
}

std::string explain_priority(const priority_state &state, const priority_terms &terms, bool json)
{
	return json ? explain_json(state, terms) : explain_text(state, terms);
}

} // namespace aishare
