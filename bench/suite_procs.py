"""Processes of the benchmark suite: the Tributary server, its mock Kafka cluster and a
throwaway PostgreSQL 15 cluster. Everything started here is recorded by PID and stopped by
Processes.close() (also on SIGINT/SIGTERM), and every temporary folder is removed."""

import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time

import psycopg

PG_BIN = "/usr/lib/postgresql/15/bin"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_kib(pid):
    """(VmRSS, VmHWM) of a live process, in KiB."""
    values = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values[key] = int(rest.split()[0])
    return values.get("VmRSS", 0), values.get("VmHWM", 0)


def dir_bytes(path):
    total = 0
    for root, _, files in os.walk(path):
        for name in files:
            try:
                total += os.path.getsize(os.path.join(root, name))
            except OSError:
                pass
    return total


class Processes:
    """Owns child processes and temporary folders; close() releases them all."""

    def __init__(self):
        self.children = []   # Popen objects still to stop
        self.dirs = []       # temporary folders to remove
        self.clusters = []   # PostgresCluster objects to stop
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, self._on_signal)

    def _on_signal(self, signum, _frame):
        self.close()
        raise SystemExit(128 + signum)

    def postgres(self):
        """The run's PostgreSQL cluster, started on first use and shared by the stages."""
        if not self.clusters:
            PostgresCluster(self)
        return self.clusters[0]

    def temp_dir(self, prefix):
        path = tempfile.mkdtemp(prefix=prefix)
        self.dirs.append(path)
        return path

    def spawn(self, argv, log_path):
        log = open(log_path, "ab")
        proc = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL)
        log.close()
        self.children.append(proc)
        return proc

    def stop(self, proc, sig=signal.SIGTERM, timeout=30):
        """Signals one child and waits for it (SIGKILL after `timeout`). Returns its code."""
        if proc.poll() is None:
            proc.send_signal(sig)
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if proc in self.children:
            self.children.remove(proc)
        return proc.returncode

    def close(self):
        for proc in list(self.children):
            self.stop(proc, timeout=10)
        for cluster in list(self.clusters):
            cluster.stop()
        for path in self.dirs:
            shutil.rmtree(path, ignore_errors=True)
        self.dirs = []


class MockKafka:
    """`tributary mock-kafka`: librdkafka's mock cluster in its own process."""

    def __init__(self, procs, binary, topics=()):
        self.procs = procs
        work = procs.temp_dir("tributary-bench-kafka-")
        self.log = os.path.join(work, "mock.log")
        argv = [binary, "mock-kafka"]
        for name, partitions in topics:
            argv += ["--topic", f"{name}:{partitions}"]
        self.proc = procs.spawn(argv, self.log)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with open(self.log) as f:
                first = f.readline()
            if first.endswith("\n") and first.startswith("bootstrap.servers="):
                self.bootstrap = first.strip().split("=", 1)[1]
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.01)
        raise RuntimeError("tributary mock-kafka did not start: " + open(self.log).read())

    def close(self):
        self.procs.stop(self.proc)


class TributaryServer:
    """The real server binary on a free port with its own data folder."""

    def __init__(self, procs, binary):
        self.procs = procs
        self.binary = binary
        self.work = procs.temp_dir("tributary-bench-server-")
        self.data_dir = os.path.join(self.work, "data")
        self.log = os.path.join(self.work, "server.log")
        self.port = free_port()
        self.proc = None

    def conninfo(self):
        return (f"host=127.0.0.1 port={self.port} user=tributary dbname=tributary "
                "sslmode=disable connect_timeout=10")

    def start(self, probe_sql="SELECT 1", timeout=3600):
        """Starts the server; returns the seconds from spawn to the first successful
        `probe_sql` over the wire."""
        t0 = time.monotonic()
        self.proc = self.procs.spawn(
            [self.binary, "--listen", f"127.0.0.1:{self.port}", "--data-dir", self.data_dir,
             "--log-level", "warn"], self.log)
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"tributary exited ({self.proc.returncode}): "
                                   + open(self.log).read()[-4000:])
            try:
                with psycopg.connect(self.conninfo(), autocommit=True) as conn:
                    conn.execute(probe_sql).fetchall()
                return time.monotonic() - t0
            except psycopg.Error:
                if time.monotonic() - t0 > timeout:
                    raise
                time.sleep(0.005)

    def stop(self):
        code = self.procs.stop(self.proc, timeout=120)
        if code != 0:
            raise RuntimeError(f"tributary did not shut down cleanly ({code}): "
                               + open(self.log).read()[-4000:])

    def connect(self):
        return psycopg.connect(self.conninfo(), autocommit=True)

    def discard(self):
        """Removes the stopped server's folder (data and log) now rather than at the end."""
        shutil.rmtree(self.work, ignore_errors=True)
        self.procs.dirs.remove(self.work)


class PostgresCluster:
    """A throwaway PostgreSQL 15 cluster (owned by `postgres` when we run as root, since
    PostgreSQL refuses to run as root), with role and database `tributary`."""

    def __init__(self, procs):
        self.procs = procs
        self.as_root = os.geteuid() == 0
        self.dir = procs.temp_dir("tributary-bench-pg-")
        self.data = os.path.join(self.dir, "data")
        sock = os.path.join(self.dir, "sock")
        os.mkdir(self.data, 0o700)
        os.mkdir(sock, 0o700)
        if self.as_root:
            pw = pwd.getpwnam("postgres")
            for path in (self.dir, self.data, sock):
                os.chown(path, pw.pw_uid, pw.pw_gid)
        self._run([f"{PG_BIN}/initdb", "-D", self.data, "-A", "trust", "-U", "postgres",
                   "-E", "UTF8", "--locale=C", "--no-sync"])
        self.port = free_port()
        self._run([f"{PG_BIN}/pg_ctl", "-D", self.data, "-l", os.path.join(self.dir, "server.log"),
                   "-w", "-t", "60", "-o",
                   f"-k {sock} -p {self.port} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c shared_buffers=512MB "
                   "-c max_wal_size=4GB",
                   "start"])
        self.started = True
        procs.clusters.append(self)
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres",
                             autocommit=True) as conn:
            conn.execute("CREATE ROLE tributary SUPERUSER LOGIN")
            conn.execute("CREATE DATABASE tributary OWNER tributary")

    def _run(self, argv):
        if self.as_root:
            argv = ["/usr/sbin/runuser", "-u", "postgres", "--"] + argv
        out = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             stdin=subprocess.DEVNULL, timeout=120)
        if out.returncode != 0:
            raise RuntimeError(" ".join(argv) + " failed:\n" + out.stdout.decode(errors="replace"))

    def conninfo(self):
        return (f"host=127.0.0.1 port={self.port} user=tributary dbname=tributary "
                "sslmode=disable")

    def connect(self):
        return psycopg.connect(self.conninfo(), autocommit=True)

    def stop(self):
        if self.started:
            self.started = False
            self._run([f"{PG_BIN}/pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop"])
        if self in self.procs.clusters:
            self.procs.clusters.remove(self)
