// sim_score.cpp - score job records: waits, utilisation, placement, reclaims,
// fairness; and their SVG plots.
// Copyright (C) 2026 The slurm-aishare authors. GPL-2.0-or-later.
//
// Each metric is defined once, here, and documented in aishare(1), SIM.  Only a
// job's final run is in its record: work lost to preemption counts as idle, and a
// preempted run does not appear in the free sets of others.
#include "sim/sim_score.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <queue>
#include <stdexcept>

#include "base/file_io.hpp"
#include "placement/placement_log.hpp"

namespace aishare {
namespace {

// Jain's fairness index of VALUES: (sum x)^2 / (n * sum x^2), 1 when all equal,
// 1/n when one has everything; 1 for an empty or all-zero list.  Negative values
// are invalid (std::invalid_argument).
double jain_index(const std::vector<double> &values)
{
	double sum = 0, squares = 0;
	for (double x : values) {
		if (!(x >= 0) || !std::isfinite(x))
			throw std::invalid_argument("Jain's index of a negative or non-finite value");
		sum += x;
		squares += x * x;
	}
	if (values.empty() || squares == 0)
		return 1.0;
	return sum * sum / (static_cast<double>(values.size()) * squares);
}


const double nan_value = std::numeric_limits<double>::quiet_NaN();

// Nearest rank: the smallest value with at least P% of VALUES at or below it.
double percentile(std::vector<double> values, double p)
{
	if (values.empty())
		return nan_value;
	std::sort(values.begin(), values.end());
	std::size_t rank = static_cast<std::size_t>(std::ceil(p / 100.0 * values.size()));
	return values[std::min(values.size(), std::max<std::size_t>(rank, 1)) - 1];
}

bool started_by(const sim_record &r, double horizon)
{
	return r.start >= 0 && r.start <= horizon;
}

// The part of R's final run within [0, HORIZON] that did the job's work: a run
// holds its GPUs a little longer than its duration (start-up, epilog), and that
// is not useful work.
double ran_within(const sim_record &r, double horizon)
{
	if (!started_by(r, horizon))
		return 0;
	double end = std::min(horizon, r.start + r.duration);
	if (r.end >= 0)
		end = std::min(end, r.end);
	return std::max(0.0, end - std::max(0.0, r.start));
}

std::string number(double value, int decimals)
{
	if (std::isnan(value))
		return "null";
	char text[48];
	std::snprintf(text, sizeof(text), "%.*f", decimals, value);
	return text;
}

std::string shown(double value, int decimals, const char *unit = "")
{
	if (std::isnan(value))
		return "-";
	return number(value, decimals) + unit;
}

} // namespace

double score_horizon(const std::vector<sim_record> &records, double horizon)
{
	if (horizon > 0)
		return horizon;
	double last = 0;
	for (const sim_record &r : records)
		last = std::max({last, r.end, r.start});
	return last > 0 ? last : 1;
}

sim_score score_records(const switch_tree &fabric, const std::vector<sim_record> &records,
			const sim_cluster &cluster, std::uint32_t gpus_per_node, double horizon)
{
	sim_score s;
	const double h = score_horizon(records, horizon);
	s.horizon = h;
	const std::size_t n = fabric.node_count();
	const double capacity = static_cast<double>(n) * gpus_per_node * h;

	// Node indices of every started run, checked against the fabric.
	std::vector<std::vector<std::uint32_t>> nodes_of(records.size());
	for (std::size_t i = 0; i < records.size(); i++)
		for (const std::string &name : records[i].nodelist) {
			long at = fabric.node_index(name);
			if (at < 0)
				throw std::invalid_argument("job " + std::to_string(records[i].id) +
							    ": node " + name + " is not in the topology");
			nodes_of[i].push_back(static_cast<std::uint32_t>(at));
		}

	// 1. Waits; 2. utilisation; 5. what start-ups received and demanded.
	std::vector<double> pool_waits, general_waits, latencies;
	double used = 0, ceiling = 0;
	std::map<std::string, std::pair<double, double>> startups; // received, demanded
	for (const sim_record &r : records) {
		if (r.submit >= h)
			continue;
		bool pool = r.partition == cluster.pool;
		double wait = started_by(r, h) ? r.start - r.submit : h - r.submit;
		(pool ? pool_waits : general_waits).push_back(wait);
		(pool ? s.pool_jobs : s.general_jobs)++;
		s.not_started += !started_by(r, h);
		double ran = ran_within(r, h);
		used += r.gpus * ran;
		ceiling += r.gpus * std::min(r.duration, h - r.submit);
		if (pool) {
			startups[r.account].first += r.gpus * ran;
			startups[r.account].second += r.gpus * r.duration;
		}
		s.reclaims += r.preemptions;
		if (r.reclaim_latency >= 0 && started_by(r, h))
			latencies.push_back(r.reclaim_latency);
	}
	s.pool_wait_p50 = percentile(pool_waits, 50);
	s.pool_wait_p95 = percentile(pool_waits, 95);
	s.general_wait_p50 = percentile(general_waits, 50);
	s.general_wait_p95 = percentile(general_waits, 95);
	s.utilisation = used / capacity;
	s.ceiling = std::min(1.0, ceiling / capacity);
	s.utilisation_ratio = s.ceiling > 0 ? s.utilisation / s.ceiling : nan_value;

	// 3. Placement of multi-node jobs: a sweep over starts and ends, so the free set
	// at a job's start is its partition's nodes no other run holds then
	// (start <= t < end).
	std::vector<std::size_t> by_start;
	for (std::size_t i = 0; i < records.size(); i++)
		if (started_by(records[i], h))
			by_start.push_back(i);
	std::sort(by_start.begin(), by_start.end(),
		  [&](std::size_t a, std::size_t b) { return records[a].start < records[b].start; });
	using ending = std::pair<double, std::size_t>;
	std::priority_queue<ending, std::vector<ending>, std::greater<ending>> ends;
	std::vector<std::uint32_t> occupied(n, 0);
	std::vector<std::uint8_t> job_nodes(n, 0), free_nodes(n, 0);
	double over_bound = 0, over_ideal = 0;
	for (std::size_t k = 0; k < by_start.size();) {
		double t = records[by_start[k]].start;
		while (!ends.empty() && ends.top().first <= t) {
			for (std::uint32_t node : nodes_of[ends.top().second])
				occupied[node]--;
			ends.pop();
		}
		std::size_t group = k;
		for (; k < by_start.size() && records[by_start[k]].start == t; k++) {
			std::size_t i = by_start[k];
			for (std::uint32_t node : nodes_of[i])
				occupied[node]++;
			ends.push({records[i].end >= 0 ? records[i].end
						       : std::numeric_limits<double>::infinity(),
				   i});
		}
		for (std::size_t g = group; g < k; g++) {
			std::size_t i = by_start[g];
			std::vector<std::uint32_t> distinct = nodes_of[i];
			std::sort(distinct.begin(), distinct.end());
			distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
			if (distinct.size() < 2)
				continue;
			const std::vector<std::uint8_t> &partition = cluster.nodes_of(records[i].partition);
			for (std::size_t node = 0; node < n; node++) {
				free_nodes[node] = partition[node] && occupied[node] == 0;
				job_nodes[node] = 0;
			}
			for (std::uint32_t node : distinct)
				job_nodes[node] = 1;
			placement_record m =
				measure_placement(fabric, job_nodes.data(), free_nodes.data(), partition.data());
			s.multi_node_jobs++;
			s.at_bound += m.leaves <= m.free_bound;
			s.at_ideal += m.leaves <= m.ideal;
			over_bound += m.leaves > m.free_bound ? m.leaves - m.free_bound : 0;
			over_ideal += m.leaves > m.ideal ? m.leaves - m.ideal : 0;
		}
	}
	double multi = static_cast<double>(s.multi_node_jobs);
	s.share_at_bound = multi ? s.at_bound / multi : nan_value;
	s.share_at_ideal = multi ? s.at_ideal / multi : nan_value;
	s.leaves_over_bound = multi ? over_bound / multi : nan_value;
	s.leaves_over_ideal = multi ? over_ideal / multi : nan_value;

	// 4. Reclaims.
	s.reclaimed_starts = latencies.size();
	s.reclaim_latency_p50 = percentile(latencies, 50);
	s.reclaim_latency_max =
		latencies.empty() ? nan_value : *std::max_element(latencies.begin(), latencies.end());
	s.reclaim_bound = cluster.reclaim_bound >= 0 ? cluster.reclaim_bound : nan_value;
	for (double latency : latencies)
		s.over_bound += cluster.reclaim_bound >= 0 && latency > cluster.reclaim_bound + 1e-9;

	// 5. Jain's index over start-ups of received / demanded.
	std::vector<double> shares;
	for (const auto &[account, use] : startups)
		if (use.second > 0)
			shares.push_back(use.first / use.second);
	s.startup_accounts = shares.size();
	s.jain = shares.empty() ? nan_value : jain_index(shares);
	return s;
}

std::string score_text(const sim_score &s, bool json)
{
	if (json) {
		auto u = [](std::uint64_t v) { return std::to_string(v); };
		return "{\"horizon\":" + number(s.horizon, 3) + ",\"startup_jobs\":" + u(s.pool_jobs) +
		       ",\"general_jobs\":" + u(s.general_jobs) + ",\"not_started\":" + u(s.not_started) +
		       ",\"startup_wait_p50\":" + number(s.pool_wait_p50, 3) +
		       ",\"startup_wait_p95\":" + number(s.pool_wait_p95, 3) +
		       ",\"general_wait_p50\":" + number(s.general_wait_p50, 3) +
		       ",\"general_wait_p95\":" + number(s.general_wait_p95, 3) +
		       ",\"utilisation\":" + number(s.utilisation, 6) + ",\"ceiling\":" + number(s.ceiling, 6) +
		       ",\"utilisation_of_ceiling\":" + number(s.utilisation_ratio, 6) +
		       ",\"multinode_jobs\":" + u(s.multi_node_jobs) + ",\"at_bound\":" + u(s.at_bound) +
		       ",\"at_ideal\":" + u(s.at_ideal) + ",\"share_at_bound\":" + number(s.share_at_bound, 6) +
		       ",\"share_at_ideal\":" + number(s.share_at_ideal, 6) +
		       ",\"leaves_over_bound\":" + number(s.leaves_over_bound, 6) +
		       ",\"leaves_over_ideal\":" + number(s.leaves_over_ideal, 6) +
		       ",\"reclaims\":" + u(s.reclaims) + ",\"reclaimed_starts\":" + u(s.reclaimed_starts) +
		       ",\"reclaim_latency_p50\":" + number(s.reclaim_latency_p50, 3) +
		       ",\"reclaim_latency_max\":" + number(s.reclaim_latency_max, 3) +
		       ",\"reclaim_latency_bound\":" + number(s.reclaim_bound, 3) + ",\"over_bound\":" + u(s.over_bound) +
		       ",\"startup_accounts\":" + u(s.startup_accounts) + ",\"jain_startups\":" + number(s.jain, 6) +
		       "}\n";
	}
	char line[256];
	std::string text;
	auto row = [&](const char *name, const std::string &value) {
		std::snprintf(line, sizeof(line), "%-34s %s\n", name, value.c_str());
		text += line;
	};
	row("horizon", shown(s.horizon, 0, " s"));
	row("jobs (pool / general / not started)", std::to_string(s.pool_jobs) + " / " +
		    std::to_string(s.general_jobs) + " / " + std::to_string(s.not_started));
	row("pool wait p50 / p95", shown(s.pool_wait_p50, 0, " s") + " / " + shown(s.pool_wait_p95, 0, " s"));
	row("general wait p50 / p95",
	    shown(s.general_wait_p50, 0, " s") + " / " + shown(s.general_wait_p95, 0, " s"));
	row("GPU utilisation / ceiling / ratio", shown(100 * s.utilisation, 1, "%") + " / " +
		    shown(100 * s.ceiling, 1, "%") + " / " + shown(s.utilisation_ratio, 3));
	row("multi-node jobs", std::to_string(s.multi_node_jobs));
	row("  at free-set bound / at ideal", shown(100 * s.share_at_bound, 1, "%") + " / " +
		    shown(100 * s.share_at_ideal, 1, "%"));
	row("  mean leaves over bound / ideal",
	    shown(s.leaves_over_bound, 3) + " / " + shown(s.leaves_over_ideal, 3));
	row("reclaims (jobs preempted)", std::to_string(s.reclaims));
	row("  reclaim latency p50 / max", shown(s.reclaim_latency_p50, 0, " s") + " / " +
		    shown(s.reclaim_latency_max, 0, " s") + " (" + std::to_string(s.reclaimed_starts) +
		    " starts)");
	row("  bound / starts over it",
	    shown(s.reclaim_bound, 0, " s") + " / " + std::to_string(s.over_bound));
	row("Jain's index (start-ups)",
	    shown(s.jain, 3) + " over " + std::to_string(s.startup_accounts) + " accounts");
	return text;
}

namespace {

const int width = 640, height = 360, left = 60, right = 20, top = 30, bottom = 45;

std::string svg_begin(const std::string &title, const std::string &x_label,
		      const std::string &y_label, double x_max, double y_max, int x_decimals)
{
	std::string t = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + std::to_string(width) +
			"\" height=\"" + std::to_string(height) +
			"\" font-family=\"sans-serif\" font-size=\"12\">\n"
			"<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
			"<text x=\"" + std::to_string(width / 2) + "\" y=\"18\" text-anchor=\"middle\" font-size=\"14\">" +
			title + "</text>\n";
	int x0 = left, y0 = height - bottom, x1 = width - right, y1 = top;
	t += "<path d=\"M" + std::to_string(x0) + " " + std::to_string(y1) + " V" + std::to_string(y0) +
	     " H" + std::to_string(x1) + "\" stroke=\"black\" fill=\"none\"/>\n";
	for (int i = 0; i <= 4; i++) {
		double fx = i / 4.0;
		int x = x0 + static_cast<int>(fx * (x1 - x0)), y = y0 - static_cast<int>(fx * (y0 - y1));
		t += "<text x=\"" + std::to_string(x) + "\" y=\"" + std::to_string(y0 + 15) +
		     "\" text-anchor=\"middle\">" + number(fx * x_max, x_decimals) + "</text>\n";
		t += "<text x=\"" + std::to_string(x0 - 5) + "\" y=\"" + std::to_string(y + 4) +
		     "\" text-anchor=\"end\">" + number(fx * y_max, y_max < 10 ? 2 : 0) + "</text>\n";
	}
	t += "<text x=\"" + std::to_string((x0 + x1) / 2) + "\" y=\"" + std::to_string(height - 8) +
	     "\" text-anchor=\"middle\">" + x_label + "</text>\n";
	t += "<text x=\"14\" y=\"" + std::to_string((y0 + y1) / 2) + "\" text-anchor=\"middle\" transform=\"rotate(-90 14 " +
	     std::to_string((y0 + y1) / 2) + ")\">" + y_label + "</text>\n";
	return t;
}

std::string polyline(const std::vector<std::pair<double, double>> &points, double x_max,
		     double y_max, const char *colour, const std::string &label, int legend_row)
{
	int x0 = left, y0 = height - bottom, x1 = width - right, y1 = top;
	std::string d;
	for (const auto &[x, y] : points) {
		double px = x0 + (x_max > 0 ? x / x_max : 0) * (x1 - x0);
		double py = y0 - (y_max > 0 ? y / y_max : 0) * (y0 - y1);
		d += (d.empty() ? "M" : " L") + number(px, 1) + " " + number(py, 1);
	}
	std::string t;
	if (!d.empty())
		t += "<path d=\"" + d + "\" stroke=\"" + colour + "\" fill=\"none\" stroke-width=\"1.5\"/>\n";
	int ly = top + 12 + 16 * legend_row;
	t += "<rect x=\"" + std::to_string(x1 - 150) + "\" y=\"" + std::to_string(ly - 9) +
	     "\" width=\"12\" height=\"3\" fill=\"" + colour + "\"/>\n<text x=\"" +
	     std::to_string(x1 - 132) + "\" y=\"" + std::to_string(ly) + "\">" + label + "</text>\n";
	return t;
}

} // namespace

void write_plots(const std::vector<sim_record> &records, const sim_cluster &cluster,
		 std::uint32_t gpus_per_node, std::size_t nodes, double horizon, const std::string &dir)
{
	const double h = score_horizon(records, horizon);
	// GPUs busy, sampled at 400 points: the final runs of pool and general jobs.
	const int samples = 400;
	std::vector<double> pool(samples + 1, 0), general(samples + 1, 0);
	for (const sim_record &r : records) {
		if (!started_by(r, h))
			continue;
		double end = r.end >= 0 ? std::min(r.end, h) : h;
		int from = static_cast<int>(std::ceil(r.start / h * samples));
		int to = static_cast<int>(std::ceil(end / h * samples));
		for (int i = std::max(0, from); i < std::min(samples + 1, to); i++)
			(r.partition == cluster.pool ? pool : general)[i] += r.gpus;
	}
	double total = static_cast<double>(nodes) * gpus_per_node;
	std::vector<std::pair<double, double>> p, g, sum;
	for (int i = 0; i <= samples; i++) {
		double t = h * i / samples;
		p.push_back({t, pool[i]});
		g.push_back({t, general[i]});
		sum.push_back({t, pool[i] + general[i]});
	}
	std::string busy = svg_begin("GPUs busy (final runs)", "time (trace s)", "GPUs", h, total, 0);
	busy += polyline(sum, h, total, "#444444", "all", 0);
	busy += polyline(p, h, total, "#d95f02", cluster.pool, 1);
	busy += polyline(g, h, total, "#1b9e77", cluster.general, 2);
	busy += "</svg>\n";

	// Wait CDF per class.
	std::vector<double> pool_waits, general_waits;
	for (const sim_record &r : records)
		if (r.submit < h)
			(r.partition == cluster.pool ? pool_waits : general_waits)
				.push_back(started_by(r, h) ? r.start - r.submit : h - r.submit);
	double most = 1;
	for (const std::vector<double> *w : {&pool_waits, &general_waits})
		for (double x : *w)
			most = std::max(most, x);
	auto cdf = [&](std::vector<double> waits) {
		std::sort(waits.begin(), waits.end());
		std::vector<std::pair<double, double>> points;
		for (std::size_t i = 0; i < waits.size(); i++) {
			// At most ~500 points; the last always.
			if (waits.size() > 500 && i % (waits.size() / 500 + 1) && i + 1 != waits.size())
				continue;
			points.push_back({waits[i], static_cast<double>(i + 1) / waits.size()});
		}
		return points;
	};
	std::string waits = svg_begin("Wait (start - submit), cumulative", "wait (trace s)",
				      "fraction of jobs", most, 1, 0);
	waits += polyline(cdf(pool_waits), most, 1, "#d95f02", cluster.pool, 0);
	waits += polyline(cdf(general_waits), most, 1, "#1b9e77", cluster.general, 1);
	waits += "</svg>\n";

	write_file_atomically(dir + "/gpus_busy.svg", busy, 0644);
	write_file_atomically(dir + "/wait_cdf.svg", waits, 0644);
}

} // namespace aishare
