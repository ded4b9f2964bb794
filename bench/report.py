"""Turns a suite result (OUT/<stamp>.json, from suite.py) into OUT/<stamp>.md — a draft of
the README's Performance section: machine, command, tables, chart links — and the charts
OUT/<stamp>-throughput.png and OUT/<stamp>-latency.png (matplotlib, Debian's
python3-matplotlib). Usage: report.py OUT/<stamp>.json"""

import json
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (after choosing the headless backend)

INGEST_LABELS = [
    ("kcat", "kcat, plain consumer (external process)"),
    ("consumer", "KafkaSource, plain consumer (in process)"),
    ("decoder", "Debezium decoder alone, one core"),
    ("table_only", "ingest into the table, no view"),
    ("passthrough", "ingest + passthrough view"),
    ("filter_project", "ingest + filter + project view"),
    ("group_by", "ingest + group-by count/sum view"),
    ("join", "ingest + two-way join view"),
    ("join_group_by", "ingest + join + group-by view"),
]


def count(n):
    if n is None:
        return "–"
    if n >= 1e6:
        return f"{n / 1e6:.2f} M"
    if n >= 1e4:
        return f"{n / 1e3:.0f} k"
    return f"{n:,.0f}"


def ms(v):
    if v is None:
        return "–"
    if v < 1:
        return f"{v * 1000:.0f} µs"
    return f"{v:,.1f} ms" if v < 10000 else f"{v / 1000:,.1f} s"


def mib(b):
    return f"{b / 2**20:,.1f} MiB"


def section(lines, title, text, header, rows):
    """Appends a ### section: a paragraph, then a Markdown table."""
    lines += [f"### {title}", "", text, ""]
    table(lines, header, rows)


def table(lines, header, rows):
    lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    lines.append("")


def ingest_section(r, lines):
    ing = r.get("ingest")
    if not ing:
        return
    text = (f"{ing['messages']:,} Debezium JSON changes ({ing['bytes'] / ing['messages']:.0f} "
            "bytes on average; 80% inserts, 15% updates moving rows between groups, 5% deletes) "
            f"in {ing['partitions']} partitions of `tributary mock-kafka`, lz4-compressed; median "
            f"of {ing['runs']} run(s). Per core: messages over the process's CPU time (all "
            "threads) in the same window.")
    rows = [[label, count(c["msg_per_s"]), count(c.get("msg_per_core_s"))]
            for key, label in INGEST_LABELS if (c := ing["cases"].get(key))]
    section(lines, "Kafka ingestion", text, ["what", "messages/s", "messages/s per core"], rows)


def freshness_section(r, lines):
    fr = r.get("freshness")
    if not fr:
        return
    text = ("A message produced to Kafka until a `SELECT` over libpq shows it in a view "
            f"(`max(seq)` per partition, polled every 0.5 ms), {fr['seconds']} s at each "
            "offered load:")
    rows = [[count(x["rate"]), count(x["offered_msg_per_s"]), ms(x["p50_ms"]), ms(x["p99_ms"]),
             ms(x["max_ms"]), str(x["lost"])] for x in fr["rates"]]
    section(lines, "Freshness", text,
            ["offered msg/s", "achieved", "p50", "p99", "max", "not seen"], rows)


def sizes_section(r, lines):
    sizes = r.get("sizes")
    if not sizes:
        return
    text = ("orders (id, customer_id, amount) joined to 100 customers, grouped by region. "
            "Tributary: a single-row `UPDATE` over the wire, maintained incrementally, half "
            "of them durable on return and half with `synchronous_commit = off` (acknowledged "
            "once in the write-ahead log, before the fsync: the maintenance alone). "
            "PostgreSQL 15: the same `UPDATE` plus `REFRESH MATERIALIZED VIEW` of the same view "
            "over the same data (fsync off). Both are loaded first, then take turns in rounds "
            "of updates, so that a drift in the machine's speed affects both alike. Both "
            "views are compared at the end.")
    warm_s = r.get("config", {}).get("warm_s")
    if warm_s:
        text += (f" Each turn starts with {warm_s * 1e3:.0f} ms of untimed `SELECT 1` on the "
                 "connection it times: on this VM a round trip runs at half speed for up to "
                 "150 ms after its vCPUs have been idle, and would otherwise time that.")
    rows = []
    for s in sizes:
        ours, theirs = s["tributary_update_ms"]["p50"], s["postgres_update_refresh_ms"]["p50"]
        row = [f"{s['rows']:,}", ms(ours), ms(s["tributary_update_ms"]["p99"]), ms(theirs),
               f"{theirs / ours:,.1f}×"]
        fast = s.get("tributary_update_async_ms")  # absent from results before 2026-12-06
        row += [ms(fast["p50"]), f"{theirs / fast['p50']:,.1f}×"] if fast else ["–", "–"]
        rows.append(row)
    section(lines, "Update cost, memory and restart against size", text,
            ["base rows", "Tributary UPDATE p50", "p99", "PostgreSQL UPDATE + REFRESH p50",
             "ratio", "p50, synchronous_commit off", "ratio"], rows)
    rows = []
    for s in sizes:
        peak = s["tributary_peak_rss_bytes"]
        rows.append([f"{s['rows']:,}", mib(s["raw_bytes"]), mib(peak),
                     mib(peak / (s["rows"] / 1e6)), f"{peak / s['raw_bytes']:.1f}×",
                     mib(s["tributary_disk_bytes"]), ms(s["tributary_restart_to_select_s"] * 1e3),
                     f"{s['tributary_load_s']:.1f} s / {s['postgres_load_s']:.1f} s"])
    table(lines, ["base rows", "raw data (CSV)", "peak RSS", "per million rows", "RSS / raw",
                  "on disk", "start to first SELECT", "load (Tributary / PostgreSQL)"], rows)
    # What each further million rows costs, without the process's fixed part (its code,
    # threads, memtables and caches), which the smaller sizes' figures mostly are.
    small, large = sizes[-2:] if len(sizes) > 1 else (None, None)
    if small and large["rows"] > small["rows"]:
        millions = (large["rows"] - small["rows"]) / 1e6
        grown = large["tributary_peak_rss_bytes"] - small["tributary_peak_rss_bytes"]
        raw = large["raw_bytes"] - small["raw_bytes"]
        lines.append(f"From {small['rows']:,} to {large['rows']:,} rows the peak grows by "
                     f"{mib(grown / millions)} per further million rows, {grown / raw:.1f}× "
                     f"their raw data ({mib(raw / millions)} per million).")
        lines.append("")
    # Where the memory is at the end of each size's run (tributary_memory; absent before
    # 2026-12-06 18:00).
    parts = ["resident", "heap in use", "heap free", "memtables", "block cache",
             "table readers"]
    rows = [[f"{s['rows']:,}"] + [mib(s["tributary_memory"][p]) for p in parts]
            for s in sizes if "tributary_memory" in s]
    if rows:
        lines.append("At the end of each run, from `tributary_memory` (the heap includes "
                     "RocksDB's memtables, block cache and table readers):")
        lines.append("")
        table(lines, ["base rows"] + parts, rows)


def serving_section(r, lines):
    sv = r.get("serving")
    if not sv:
        return
    text = (f"`pgbench -c {sv['clients']} -j 2 -T {sv['seconds']}`, point lookups "
            f"`SELECT abalance FROM balances WHERE aid = :aid` on a view over {sv['rows']:,} "
            "accounts (PostgreSQL: a materialized view with a unique index), Tributary and "
            f"PostgreSQL in alternation, median of {sv['rounds']} round(s); latencies from "
            "`--log`.")
    rows = []
    for mode, e in sv["modes"].items():
        t, p = e["tributary"], e["postgres"]
        rows.append([mode, count(t["tps"]), count(p["tps"]), f"{e['tps_ratio']:.2g}",
                     f"{ms(t['p50_ms'])} / {ms(t['p99_ms'])}",
                     f"{ms(p['p50_ms'])} / {ms(p['p99_ms'])}"])
    section(lines, "Serving", text, ["mode", "Tributary TPS", "PostgreSQL TPS", "ratio",
                                     "Tributary p50 / p99", "PostgreSQL p50 / p99"], rows)


def nexmark_section(r, lines):
    nx = r.get("nexmark")
    if not nx or "lines" not in nx:
        return
    rows = []
    for x in nx["lines"]:
        if x.get("status") == "refused":
            rows.append([x["query"], x["title"], "refused: " + x.get("error", ""), "", "", ""])
            continue
        rows.append([x["query"], x["title"], x.get("status", ""),
                     count(x.get("events_per_second")),
                     count(x.get("events_per_second_per_core")),
                     count(x.get("events_per_second_per_core_without_broker"))])
    section(lines, "Nexmark", f"`build/bench/bench_nexmark {' '.join(nx['args'])}` (see "
            "bench/nexmark/):", ["query", "what", "status", "events/s", "per core",
                                 "per core without the broker"], rows)


def charts(r, base):
    made = []
    ing, sv = r.get("ingest"), r.get("serving")
    if ing or sv:
        fig, axes = plt.subplots(1, 2, figsize=(13, 4.5))
        if ing:
            keys = [(k, l) for k, l in INGEST_LABELS if k in ing["cases"]]
            ax = axes[0]
            ax.barh([l for _, l in keys], [ing["cases"][k]["msg_per_s"] or 0 for k, _ in keys],
                    color=["#888"] * 3 + ["#1f77b4"] * (len(keys) - 3))
            ax.invert_yaxis()
            ax.set_xlabel("messages/s")
            ax.set_title("Kafka ingestion (Debezium JSON)")
        if sv:
            ax = axes[1]
            modes = list(sv["modes"])
            x = range(len(modes))
            ax.bar([i - 0.2 for i in x], [sv["modes"][m]["tributary"]["tps"] for m in modes], 0.4,
                   label="Tributary")
            ax.bar([i + 0.2 for i in x], [sv["modes"][m]["postgres"]["tps"] for m in modes], 0.4,
                   label="PostgreSQL 15")
            ax.set_xticks(list(x), [f"-M {m}" for m in modes])
            ax.set_ylabel("TPS")
            ax.set_title(f"pgbench point lookups on a view ({sv['rows']:,} rows)")
            ax.legend()
        fig.tight_layout()
        fig.savefig(base + "-throughput.png", dpi=110)
        plt.close(fig)
        made.append(base + "-throughput.png")
    fr, sizes = r.get("freshness"), r.get("sizes")
    if fr or sizes:
        fig, axes = plt.subplots(1, 2, figsize=(13, 4.5))
        if fr:
            ax = axes[0]
            rates = [x["rate"] for x in fr["rates"]]
            for key, label in (("p50_ms", "p50"), ("p99_ms", "p99"), ("max_ms", "max")):
                ax.plot(rates, [x[key] for x in fr["rates"]], marker="o", label=label)
            ax.set_xscale("log")
            ax.set_yscale("log")
            ax.set_xlabel("offered load, messages/s")
            ax.set_ylabel("produce → visible in SELECT, ms")
            ax.set_title("Freshness")
            ax.legend()
        if sizes:
            ax = axes[1]
            rows = [s["rows"] for s in sizes]
            ax.plot(rows, [s["tributary_update_ms"]["p50"] for s in sizes], marker="o",
                    label="Tributary: single-row UPDATE, p50")
            if all("tributary_update_async_ms" in s for s in sizes):
                ax.plot(rows, [s["tributary_update_async_ms"]["p50"] for s in sizes], marker="^",
                        label="Tributary, synchronous_commit off, p50")
            ax.plot(rows, [s["postgres_update_refresh_ms"]["p50"] for s in sizes], marker="s",
                    label="PostgreSQL 15: UPDATE + REFRESH, p50")
            ax.set_xscale("log")
            ax.set_yscale("log")
            ax.set_xlabel("base rows")
            ax.set_ylabel("ms")
            ax.set_title("Change latency, join + group-by view")
            ax.legend()
        fig.tight_layout()
        fig.savefig(base + "-latency.png", dpi=110)
        plt.close(fig)
        made.append(base + "-latency.png")
    return made


def main():
    path = sys.argv[1]
    with open(path) as f:
        r = json.load(f)
    base = path[:-len(".json")]
    m = r["machine"]
    lines = ["## Performance", "",
             f"Measured {r['started']} (commit {r['commit']}, `{r['mode']}` mode) on "
             f"{m['cores']} cores ({m['cpu']}), {m['memory_gib']} GiB memory, Linux "
             f"{m['kernel']}; load average {m['load_average'][0]:.1f} at the start and "
             f"{m.get('load_average_end', [0])[0]:.1f} at the end (a shared machine: figures "
             "are indicative). Reproduce with:", "", "```", r["command"] or "scripts/bench.sh",
             "```", ""]
    failed = {k: v["error"] for k, v in r.items() if isinstance(v, dict) and "error" in v}
    r = {k: v for k, v in r.items() if k not in failed}
    for chart in charts(r, base):
        name = os.path.basename(chart)
        lines.append(f"![{name}]({name})")
    lines.append("")
    for name, error in failed.items():
        lines += [f"### {name}: failed", "", "```", error, "```", ""]
    for section in (ingest_section, freshness_section, sizes_section, serving_section,
                    nexmark_section):
        section(r, lines)
    with open(base + ".md", "w") as f:
        f.write("\n".join(lines))
    print(base + ".md")


if __name__ == "__main__":
    main()
