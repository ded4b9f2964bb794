"""The side-by-side benchmark suite (run it through scripts/bench.sh).

Stages, each against processes this script starts and stops itself:
  ingest     Debezium JSON through `tributary mock-kafka` into a table under five view
             shapes (bench_kafka_ingest), beside kcat reading the same topic and the
             decoder alone; events/s and events/s per core.
  freshness  produce-to-visible latency over libpq at fixed offered loads (bench_freshness).
  sizes      at each base-table size, over the wire: single-row UPDATE latency through a
             join + group-by view, beside PostgreSQL 15's UPDATE + REFRESH MATERIALIZED VIEW
             of the same view over the same data, the two taking turns; peak RSS against the
             raw data size; time from start to the first successful SELECT after a restart.
             The two views must agree at the end, or the stage fails.
  serving    pgbench point lookups on a view, -M prepared and -M simple, Tributary and
             PostgreSQL in alternation; TPS ratio and latency percentiles from --log.
  nexmark    build/bench/bench_nexmark's JSON lines, when that binary exists.
Figures are medians over the runs of the mode. Writes OUT/<stamp>.json; report.py turns it
into the Markdown page and the charts.
"""

import argparse
import datetime
import glob
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time

from suite_procs import MockKafka, Processes, TributaryServer, dir_bytes, rss_kib

# What each mode runs. --smoke: seconds (CI checks that the suite works); --quick: a few
# minutes; full: the sizes the README reports. The smoke run leaves Nexmark out: ctest runs
# `bench_nexmark --smoke` as a test of its own, and it alone takes longer than this smoke run.
MODES = {
    "smoke": dict(runs=1, ingest_messages=5000, ingest_partitions=4, fresh_rates=[1000],
                  fresh_seconds=1, sizes=[5000], updates=20, pg_refreshes=3, warm_s=0.01,
                  serve_rows=2000, serve_seconds=1, serve_rounds=1, nexmark=None),
    "quick": dict(runs=3, ingest_messages=100000, ingest_partitions=8,
                  fresh_rates=[1000, 10000, 100000], fresh_seconds=3,
                  sizes=[10000, 100000, 1000000], updates=200, pg_refreshes=5, warm_s=0.2,
                  serve_rows=100000, serve_seconds=5, serve_rounds=2,
                  nexmark=["--events", "50000"]),
    "full": dict(runs=5, ingest_messages=400000, ingest_partitions=16,
                 fresh_rates=[1000, 10000, 100000], fresh_seconds=10,
                 sizes=[10000, 100000, 1000000, 10000000], updates=500, pg_refreshes=7, warm_s=0.2,
                 serve_rows=1000000, serve_seconds=15, serve_rounds=3,
                 nexmark=["--events", "1000000"]),
}

CUSTOMERS = 100
REGIONS = 10


def log(msg):
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def median(values):
    return statistics.median(values) if values else None


def percentile(sorted_values, q):
    if not sorted_values:
        return None
    i = min(len(sorted_values) - 1, int(q * (len(sorted_values) - 1) + 0.5))
    return sorted_values[i]


def json_lines(text):
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("{"):
            out.append(json.loads(line))
    return out


def run(argv, timeout):
    out = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         stdin=subprocess.DEVNULL, timeout=timeout)
    if out.returncode != 0:
        raise RuntimeError(" ".join(argv) + f" failed ({out.returncode}):\n"
                           + out.stderr.decode(errors="replace")[-4000:])
    return out.stdout.decode()


def machine():
    model = platform.processor()
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem_kib = int(f.readline().split()[1])
    return {"cores": os.cpu_count(), "memory_gib": round(mem_kib / 2**20, 1), "cpu": model,
            "kernel": platform.release(), "load_average": list(os.getloadavg())}


def git_commit(source_dir):
    try:
        return subprocess.run(["git", "-C", source_dir, "rev-parse", "--short", "HEAD"],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                              text=True).stdout.strip()
    except OSError:
        return ""


# ---- ingest ---------------------------------------------------------------------------


def kcat_read(bootstrap, topic, count):
    """Seconds and child CPU seconds for kcat to read `count` messages of the topic."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    out = subprocess.run(["/usr/bin/kcat", "-C", "-b", bootstrap, "-t", topic, "-o", "beginning",
                          "-c", str(count), "-q", "-f", "%o\n", "-X", "log_level=3",
                          "-X", "fetch.wait.max.ms=5"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                         timeout=300)
    seconds = time.monotonic() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if out.returncode != 0:
        raise RuntimeError("kcat failed: " + out.stderr.decode(errors="replace"))
    got = out.stdout.count(b"\n")
    if got != count:
        raise RuntimeError(f"kcat read {got} messages of {topic}, expected {count}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return seconds, cpu


def stage_ingest(cfg, procs, build):
    partitions = cfg["ingest_partitions"]
    messages = cfg["ingest_messages"]
    kafka = MockKafka(procs, f"{build}/tributary", [("orders", partitions)])
    try:
        lines = json_lines(run([f"{build}/bench/bench_kafka_ingest", "--bootstrap", kafka.bootstrap,
                                "--json", "--runs", str(cfg["runs"]), str(messages),
                                str(partitions)], timeout=3600))
        # kcat's start (metadata, connections) is not reading: time one message, then all,
        # and take the difference. When the difference is lost in the start-up's own jitter
        # (a smoke run's few thousand messages), there is no rate to report.
        rates, per_core = [], []
        for _ in range(cfg["runs"]):
            one, _ = kcat_read(kafka.bootstrap, "orders", 1)
            full, cpu = kcat_read(kafka.bootstrap, "orders", messages)
            if full - one > 0.2 * full:
                rates.append((messages - 1) / (full - one))
                per_core.append(messages / max(cpu, 1e-6))
    finally:
        kafka.close()
    cases = {l["case"]: l for l in lines}
    cases["kcat"] = {"case": "kcat", "msg_per_s": round(median(rates)) if rates else None,
                     "msg_per_core_s": round(median(per_core)) if per_core else None}
    return {"messages": messages, "partitions": partitions, "runs": cfg["runs"],
            "bytes": cases.pop("workload", {}).get("bytes"), "cases": cases}


# ---- freshness ------------------------------------------------------------------------


def stage_freshness(cfg, procs, build):
    rates = cfg["fresh_rates"]
    kafka = MockKafka(procs, f"{build}/tributary", [(f"fresh_{r}", 4) for r in rates])
    server = TributaryServer(procs, f"{build}/tributary")
    try:
        server.start()
        lines = json_lines(run([f"{build}/bench/bench_freshness", "--port", str(server.port),
                                "--bootstrap", kafka.bootstrap, "--partitions", "4", "--json",
                                "--seconds", str(cfg["fresh_seconds"]),
                                "--rates", ",".join(map(str, rates))], timeout=1800))
        server.stop()
    finally:
        kafka.close()
    return {"seconds": cfg["fresh_seconds"], "rates": lines}


# ---- sizes: update cost, memory, restart ----------------------------------------------

SCHEMA = [
    "CREATE TABLE customers (id int PRIMARY KEY, region text)",
    "CREATE TABLE orders (id int PRIMARY KEY, customer_id int, amount numeric(12,2))",
]
VIEW = ("CREATE MATERIALIZED VIEW revenue AS SELECT c.region, count(*) AS n, "
        "sum(o.amount) AS total FROM orders o JOIN customers c ON o.customer_id = c.id "
        "GROUP BY c.region")
SEED = 10000         # rows loaded as VALUES; the rest doubles with INSERT ... SELECT
MAX_STATEMENT = 250000


def order_row(i):
    return f"({i},{i % CUSTOMERS},{i % 1000}.25)"


def decimal_digits_below(n):
    """Sum of len(str(j)) for j in 0..n-1."""
    total, width, low = 0, 1, 0
    while low < n:
        high = min(n, 10 ** width)
        total += (high - low) * width
        low, width = high, width + 1
    return total


def raw_order_bytes(n):
    """Bytes of the orders rows as CSV text (id,customer_id,amount\\n): the raw data size."""
    # customer_id (i % 100) and amount ((i % 1000).25) repeat with period 1000.
    def tail(j):
        return len(str(j % CUSTOMERS)) + len(f"{j % 1000}.25") + 3
    full, rest = divmod(n, 1000)
    return (decimal_digits_below(n) + full * sum(tail(j) for j in range(1000))
            + sum(tail(j) for j in range(rest)))


def load_tributary(conn, rows):
    for sql in SCHEMA:
        conn.execute(sql)
    conn.execute("INSERT INTO customers VALUES " + ",".join(
        f"({i},'r{i % REGIONS}')" for i in range(CUSTOMERS)))
    conn.execute(VIEW)
    seed = min(rows, SEED)
    for start in range(0, seed, 5000):
        conn.execute("INSERT INTO orders VALUES " + ",".join(
            order_row(i) for i in range(start, min(seed, start + 5000))))
    have = seed
    while have < rows:
        # Offsets stay multiples of SEED, so customer_id and amount keep their pattern.
        add = min(have, rows - have, MAX_STATEMENT)
        for lo in range(0, add, MAX_STATEMENT):
            hi = min(add, lo + MAX_STATEMENT)
            conn.execute(f"INSERT INTO orders SELECT id + {have}, customer_id, amount FROM orders "
                         f"WHERE id >= {lo} AND id < {hi}")
        have += add


def load_postgres(conn, rows):
    for sql in SCHEMA:
        conn.execute(sql)
    conn.execute(f"INSERT INTO customers SELECT i, 'r' || (i % {REGIONS}) "
                 f"FROM generate_series(0, {CUSTOMERS - 1}) i")
    conn.execute(f"INSERT INTO orders SELECT i, i % {CUSTOMERS}, (i % 1000) + 0.25 "
                 f"FROM generate_series(0, {rows - 1}) i")
    conn.execute("VACUUM ANALYZE orders")
    conn.execute(VIEW)


def update_ids(rows, count):
    return [(i * 7919) % rows for i in range(count)]


def timed(conn, sql):
    t0 = time.perf_counter()
    conn.execute(sql)
    return (time.perf_counter() - t0) * 1e3


def warm_up(conn, seconds):
    """Untimed `SELECT 1`s on `conn` for `seconds`, before a timed turn.

    On this VM a round trip runs at half speed for 50-150 ms after its vCPUs have been idle
    for a while (back-to-back `SELECT 1` after a 200 ms pause: about 125 us each for the first
    150 ms, then 64 us; single-row updates at 1M rows: 185 us, then 128 us). Each turn of
    the size stage follows the other system's, so without this a whole turn of a few dozen
    updates ran in that slow spell and measured the platform's wake-up, not the update.
    """
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        conn.execute("SELECT 1")


def revenue(conn):
    return [tuple(str(v) for v in r) for r in
            conn.execute("SELECT region, n, total FROM revenue ORDER BY region").fetchall()]


def stage_sizes(cfg, procs, build):
    results = []
    pg = procs.postgres()
    for rows in cfg["sizes"]:
        log(f"sizes: {rows} rows")
        ids = update_ids(rows, cfg["updates"])
        entry = {"rows": rows, "raw_bytes": raw_order_bytes(rows)}
        server = TributaryServer(procs, f"{build}/tributary")
        server.start()
        with server.connect() as ours, server.connect() as ours_async, pg.connect() as theirs:
            # PostgreSQL first: its load ends with VACUUM, and nothing of it runs on during
            # Tributary's load, whose compactions would still run during PostgreSQL's.
            theirs.execute("DROP MATERIALIZED VIEW IF EXISTS revenue")
            theirs.execute("DROP TABLE IF EXISTS orders, customers")
            t0 = time.monotonic()
            load_postgres(theirs, rows)
            entry["postgres_load_s"] = time.monotonic() - t0
            t0 = time.monotonic()
            load_tributary(ours, rows)
            entry["tributary_load_s"] = time.monotonic() - t0
            # The two systems take turns, a round each, so that both are timed under the
            # same conditions: on a shared machine the speed drifts over minutes.
            # Tributary: half of each round's updates durable on return, half with
            # synchronous_commit off (acknowledged once in the write-ahead log, before the
            # fsync), which leaves the maintenance itself. PostgreSQL: the same updates, the
            # first of each round followed by a REFRESH. Every id is updated once by each.
            # Each turn starts with a warm-up (warm_up) on the connection it times.
            ours_async.execute("SET synchronous_commit = off")
            update = "UPDATE orders SET amount = amount + 1 WHERE id = {}"
            lat, lat_async, refresh, both = [], [], [], []
            rounds = cfg["pg_refreshes"]
            for k in range(rounds):
                chunk = ids[k * len(ids) // rounds:(k + 1) * len(ids) // rounds]
                half = len(chunk) // 2
                warm_up(ours, cfg["warm_s"])
                lat += [timed(ours, update.format(i)) for i in chunk[:half]]
                warm_up(ours_async, cfg["warm_s"])
                lat_async += [timed(ours_async, update.format(i)) for i in chunk[half:]]
                warm_up(theirs, cfg["warm_s"])
                for n, i in enumerate(chunk):
                    took = timed(theirs, update.format(i))
                    if n == 0:
                        r = timed(theirs, "REFRESH MATERIALIZED VIEW revenue")
                        refresh.append(r)
                        both.append(took + r)
            theirs.execute("REFRESH MATERIALIZED VIEW revenue")
            if revenue(ours) != revenue(theirs):
                raise RuntimeError(f"revenue differs at {rows} rows:\n tributary {revenue(ours)}"
                                   f"\n postgres  {revenue(theirs)}")
            entry["views_agree"] = True
            entry["postgres_table_bytes"] = theirs.execute(
                "SELECT pg_total_relation_size('orders')").fetchone()[0]
            entry["tributary_memory"] = dict(
                ours.execute("SELECT component, bytes FROM tributary_memory").fetchall())
        lat.sort()
        lat_async.sort()
        entry["tributary_update_ms"] = {"p50": percentile(lat, 0.5),
                                        "p99": percentile(lat, 0.99), "n": len(lat)}
        entry["tributary_update_async_ms"] = {"p50": percentile(lat_async, 0.5),
                                              "p99": percentile(lat_async, 0.99),
                                              "n": len(lat_async)}
        entry["postgres_refresh_ms"] = {"p50": median(refresh), "n": len(refresh)}
        entry["postgres_update_refresh_ms"] = {"p50": median(both), "n": len(both)}
        rss, hwm = rss_kib(server.proc.pid)
        entry["tributary_rss_bytes"] = rss * 1024
        entry["tributary_peak_rss_bytes"] = hwm * 1024
        server.stop()
        entry["tributary_disk_bytes"] = dir_bytes(server.data_dir)
        entry["tributary_restart_to_select_s"] = server.start(
            probe_sql="SELECT region, n, total FROM revenue")
        server.stop()
        server.discard()
        results.append(entry)
        log(f"sizes: {rows} rows: tributary update p50 "
            f"{entry['tributary_update_ms']['p50']:.2f} ms, postgres refresh p50 "
            f"{entry['postgres_refresh_ms']['p50']:.1f} ms")
    return results


# ---- serving --------------------------------------------------------------------------

LOOKUP_VIEW = "CREATE MATERIALIZED VIEW balances AS SELECT aid, abalance FROM accounts WHERE bid >= 0"


def load_accounts_tributary(conn, rows):
    conn.execute("CREATE TABLE accounts (aid int PRIMARY KEY, bid int, abalance int, filler text)")
    conn.execute(LOOKUP_VIEW)
    seed = min(rows, SEED)
    for start in range(0, seed, 5000):
        conn.execute("INSERT INTO accounts VALUES " + ",".join(
            f"({i},{i % 10},{i % 1000},'x')" for i in range(start, min(seed, start + 5000))))
    have = seed
    while have < rows:
        add = min(have, rows - have, MAX_STATEMENT)
        conn.execute(f"INSERT INTO accounts SELECT aid + {have}, bid, abalance, filler FROM "
                     f"accounts WHERE aid < {add}")
        have += add


def load_accounts_postgres(conn, rows):
    conn.execute("CREATE TABLE accounts (aid int PRIMARY KEY, bid int, abalance int, filler text)")
    conn.execute(f"INSERT INTO accounts SELECT i, i % 10, i % 1000, 'x' "
                 f"FROM generate_series(0, {rows - 1}) i")
    conn.execute(LOOKUP_VIEW)
    # PostgreSQL's materialized view needs its own index for point lookups.
    conn.execute("CREATE UNIQUE INDEX ON balances (aid)")
    conn.execute("VACUUM ANALYZE balances")


def pgbench(port, mode, script, seconds, log_dir, tag):
    prefix = os.path.join(log_dir, tag)
    out = run(["/usr/lib/postgresql/15/bin/pgbench", "-n", "-h", "127.0.0.1", "-p", str(port),
               "-U", "tributary", "-M", mode, "-f", script, "-c", "4", "-j", "2",
               "-T", str(seconds), "--log", f"--log-prefix={prefix}", "tributary"],
              timeout=seconds + 120)
    tps = None
    for line in out.splitlines():
        if line.startswith("tps = "):
            tps = float(line.split()[2])
        if line.startswith("number of failed transactions:") and not line.split(":")[1].strip().startswith("0"):
            raise RuntimeError("pgbench had failed transactions:\n" + out)
    if tps is None:
        raise RuntimeError("no TPS in pgbench's output:\n" + out)
    latencies = []
    for path in glob.glob(prefix + ".*"):
        with open(path) as f:
            for line in f:
                latencies.append(int(line.split()[2]) / 1e3)  # µs -> ms
        os.remove(path)
    latencies.sort()
    return tps, percentile(latencies, 0.5), percentile(latencies, 0.99)


def stage_serving(cfg, procs, build):
    rows = cfg["serve_rows"]
    work = procs.temp_dir("tributary-bench-pgbench-")
    script = os.path.join(work, "lookup.sql")
    with open(script, "w") as f:
        f.write(f"\\set aid random(0, {rows - 1})\nSELECT abalance FROM balances WHERE aid = :aid;\n")
    server = TributaryServer(procs, f"{build}/tributary")
    server.start()
    pg = procs.postgres()
    with server.connect() as conn:
        load_accounts_tributary(conn, rows)
    with pg.connect() as conn:
        load_accounts_postgres(conn, rows)
    samples = {}
    for _ in range(cfg["serve_rounds"]):
        for mode in ("prepared", "simple"):
            for system, port in (("tributary", server.port), ("postgres", pg.port)):
                tps, p50, p99 = pgbench(port, mode, script, cfg["serve_seconds"], work,
                                        f"{system}-{mode}")
                samples.setdefault((system, mode), []).append((tps, p50, p99))
    server.stop()
    server.discard()
    out = {"rows": rows, "clients": 4, "seconds": cfg["serve_seconds"],
           "rounds": cfg["serve_rounds"], "modes": {}}
    for mode in ("prepared", "simple"):
        entry = {}
        for system in ("tributary", "postgres"):
            s = samples[(system, mode)]
            entry[system] = {"tps": median([x[0] for x in s]), "p50_ms": median([x[1] for x in s]),
                             "p99_ms": median([x[2] for x in s])}
        entry["tps_ratio"] = entry["tributary"]["tps"] / entry["postgres"]["tps"]
        out["modes"][mode] = entry
    return out


# ---- nexmark --------------------------------------------------------------------------


def stage_nexmark(cfg, procs, build):
    binary = f"{build}/bench/bench_nexmark"
    if cfg["nexmark"] is None:
        return {"skipped": "not in this mode"}
    if not os.access(binary, os.X_OK):
        return {"skipped": f"{binary} is not built"}
    return {"args": cfg["nexmark"], "lines": json_lines(run([binary] + cfg["nexmark"], timeout=3600))}


STAGES = [("ingest", stage_ingest), ("freshness", stage_freshness), ("sizes", stage_sizes),
          ("serving", stage_serving), ("nexmark", stage_nexmark)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=sorted(MODES), default="full")
    parser.add_argument("--build", required=True, help="the build folder")
    parser.add_argument("--out", required=True, help="where <stamp>.json goes")
    parser.add_argument("--stamp", required=True, help="the results' file name, without .json")
    parser.add_argument("--only", default="", help="comma-separated stages to run (default all)")
    parser.add_argument("--command", default="", help="the command line, for the report")
    args = parser.parse_args()
    cfg = MODES[args.mode]
    only = set(filter(None, args.only.split(",")))
    unknown = only - {name for name, _ in STAGES}
    if unknown:
        parser.error("unknown stage(s): " + ", ".join(sorted(unknown)))
    source = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    results = {"mode": args.mode, "command": args.command,
               "started": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
               "commit": git_commit(source), "machine": machine(), "config": cfg}
    procs = Processes()
    failed = []
    try:
        for name, stage in STAGES:
            if only and name not in only:
                continue
            log(f"{name} ...")
            t0 = time.monotonic()
            try:
                results[name] = stage(cfg, procs, args.build)
            except Exception as e:  # noqa: BLE001  (recorded; the run fails at the end)
                log(f"{name} FAILED: {e}")
                results[name] = {"error": str(e)}
                failed.append(name)
            results[name + "_seconds"] = round(time.monotonic() - t0, 1)
            log(f"{name} done in {results[name + '_seconds']} s")
    finally:
        procs.close()
    results["machine"]["load_average_end"] = list(os.getloadavg())
    os.makedirs(args.out, exist_ok=True)
    path = os.path.join(args.out, args.stamp + ".json")
    with open(path, "w") as f:
        json.dump(results, f, indent=1)
    print(path)
    if failed:
        log("failed stages: " + ", ".join(failed))
        sys.exit(1)


if __name__ == "__main__":
    main()
