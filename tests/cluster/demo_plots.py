# Copyright (C) 2026 The slurm-aishare authors.  GPL-2.0-or-later.
"""The demo's two pictures, drawn with matplotlib (python3-matplotlib).

pools_png      the start-up pool over time, from `aishare status --json`
               samples: GPUs used by the pool, lent to other partitions, the
               guarantee and capacity as lines, reclaims as marks;
placement_png  every job over the nodes, grouped by leaf switch: a bar per
               node from the job's start to its end, so a compact job is a
               block inside one switch's band and a scattered one is not.
"""

import matplotlib

matplotlib.use("Agg")  # files only: no display on a build host
import matplotlib.pyplot as plt  # noqa: E402


def pools_png(path, samples, pool_name="ai-startup"):
    """SAMPLES: list of `aishare status --json` documents, in time order."""
    points = []
    for doc in samples:
        for pool in doc.get("pools", []):
            if pool["partition"] == pool_name:
                points.append((doc["time"], pool))
    if not points:
        raise ValueError("no status samples of pool %s" % pool_name)
    t0 = points[0][0]
    t = [when - t0 for when, _ in points]
    series = {key: [pool[key] for _, pool in points]
              for key in ("capacity", "guarantee", "used", "lent", "borrowed",
                          "reclaims")}

    fig, (gpus, reclaims) = plt.subplots(
        2, 1, figsize=(10, 6), sharex=True, gridspec_kw={"height_ratios": [3, 1]})
    gpus.step(t, series["capacity"], where="post", color="0.6", label="capacity")
    gpus.step(t, series["guarantee"], where="post", color="black", linestyle="--",
              label="guarantee")
    gpus.fill_between(t, series["used"], step="post", alpha=0.6, color="tab:blue",
                      label="used by the pool's jobs")
    stacked = [u + l for u, l in zip(series["used"], series["lent"])]
    gpus.fill_between(t, series["used"], stacked, step="post", alpha=0.5,
                      color="tab:orange", label="guaranteed GPUs lent")
    gpus.step(t, series["borrowed"], where="post", color="tab:red", linewidth=1,
              label="GPUs borrowed by other partitions")
    gpus.set_ylabel("GPUs")
    gpus.set_title("pool %s: use, lending and reclaims" % pool_name)
    gpus.legend(loc="upper left", fontsize="small")
    gpus.grid(alpha=0.3)

    reclaims.step(t, series["reclaims"], where="post", color="tab:purple")
    steps = [(when, after) for when, before, after in
             zip(t[1:], series["reclaims"], series["reclaims"][1:]) if after > before]
    if steps:
        reclaims.plot([w for w, _ in steps], [n for _, n in steps], "v",
                      color="tab:purple", label="reclaim")
        reclaims.legend(loc="upper left", fontsize="small")
    reclaims.set_ylabel("jobs preempted")
    reclaims.set_xlabel("seconds since the first sample")
    reclaims.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def placement_png(path, leaves, jobs, t0):
    """LEAVES: {leaf: [node, ...]}; JOBS: [(jobid, partition, [node], start,
    end)] with datetimes; T0: the datetime of the time axis' origin."""
    rows, bands = {}, []
    for leaf in sorted(leaves):
        first = len(rows)
        for node in leaves[leaf]:
            rows[node] = len(rows)
        bands.append((leaf, first, len(rows)))

    fig, ax = plt.subplots(figsize=(10, 0.3 * len(rows) + 1.5))
    colours = {"ai-startup": plt.cm.Blues, "gpu": plt.cm.Oranges}
    for index, (jobid, partition, nodes, start, end) in enumerate(jobs):
        if not start or not end or not nodes:
            continue
        shade = colours.get(partition, plt.cm.Greys)(0.45 + 0.4 * ((index * 7) % 10) / 10)
        left, width = (start - t0).total_seconds(), (end - start).total_seconds()
        for node in nodes:
            if node in rows:
                ax.barh(rows[node], max(width, 0.3), left=left, height=0.8,
                        color=shade, edgecolor="black", linewidth=0.4)
        if len(nodes) > 1:
            middle = sum(rows.get(n, 0) for n in nodes) / len(nodes)
            ax.text(left + max(width, 0.3) / 2, middle, str(jobid), ha="center",
                    va="center", fontsize=6)
    for leaf, first, last in bands:
        ax.axhline(last - 0.5, color="black", linewidth=1)
        ax.text(1.01, (first + last - 1) / 2, leaf, transform=ax.get_yaxis_transform(),
                ha="left", va="center", fontsize=8, fontweight="bold")
    ax.set_xlim(left=0)
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels(list(rows), fontsize=6)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xlabel("seconds since the first submission")
    ax.set_title("placement: jobs over nodes, grouped by leaf switch "
                 "(blue: ai-startup, orange: gpu; multi-node jobs labelled)")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
