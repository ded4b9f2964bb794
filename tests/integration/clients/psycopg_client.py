"""psycopg 3 (Debian's python3-psycopg) against a running Tributary server.

Usage: psycopg_client.py <conninfo>. Exits 0 when every check passes; otherwise prints
the failing check and exits 1. Run by tests/integration/drivers_test.cc, which starts the
server. Covers server-side parameter binding, binary cursors, transactions (psycopg opens
them implicitly), executemany, pipeline mode and error SQLSTATEs.
"""

import datetime
import decimal
import sys

import psycopg
from psycopg import errors


def check(condition, what):
    if not condition:
        print("FAILED:", what)
        sys.exit(1)


def main(conninfo):
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(
            "create table orders (id int primary key, customer text, amount numeric(12,2),"
            " weight double precision, placed timestamp, due date, paid boolean, qty bigint)")
        conn.execute(
            "create materialized view by_customer as"
            " select customer, count(*) as n, sum(amount) as total from orders group by customer")

    # psycopg's default: every statement inside a transaction, committed by commit().
    with psycopg.connect(conninfo) as conn:
        cur = conn.cursor()
        placed = datetime.datetime(2024, 2, 29, 12, 30, 15, 250000)
        cur.execute(
            "insert into orders values (%s, %s, %s, %s, %s, %s, %s, %s)",
            (1, "ann", decimal.Decimal("10.50"), 0.25, placed, datetime.date(2024, 3, 1), True,
             9_000_000_000))
        check(conn.info.transaction_status == psycopg.pq.TransactionStatus.INTRANS,
              "an implicit transaction is open")
        cur.executemany(
            "insert into orders (id, customer, amount, paid) values (%s, %s, %s, %s)",
            [(i, "bob" if i % 2 else "cy", decimal.Decimal(i), i % 3 == 0) for i in range(2, 12)])
        # Reads inside the transaction see its writes.
        cur.execute("select count(*) from orders")
        check(cur.fetchone()[0] == 11, "reads see the transaction's own writes")
        conn.commit()

    with psycopg.connect(conninfo) as conn:
        cur = conn.cursor()
        cur.execute("select customer, n, total from by_customer order by customer")
        rows = cur.fetchall()
        check(rows == [("ann", 1, decimal.Decimal("10.50")), ("bob", 5, decimal.Decimal("35")),
                       ("cy", 5, decimal.Decimal("30"))], "view after commit: %r" % (rows,))
        conn.rollback()

        # Typed values come back as Python types, in text and in binary.
        for binary in (False, True):
            cur = conn.cursor(binary=binary)
            cur.execute("select id, customer, amount, weight, placed, due, paid, qty"
                        " from orders where id = %s", (1,))
            row = cur.fetchone()
            check(row == (1, "ann", decimal.Decimal("10.50"), 0.25, placed,
                          datetime.date(2024, 3, 1), True, 9_000_000_000),
                  "typed row (binary=%s): %r" % (binary, row))
            cur.execute("select interval '1 day 02:00:00', %s::int + 1", (41,))
            check(cur.fetchone() == (datetime.timedelta(days=1, hours=2), 42),
                  "interval and parameter (binary=%s)" % binary)
            # bytes bind as bytea (binary when the cursor is) and come back as bytes.
            blob = bytes([0, 255, 92, 10]) + b"tail"
            cur.execute("select %s::bytea, length(%s::bytea)", (blob, blob))
            check(cur.fetchone() == (blob, len(blob)), "bytea round trip (binary=%s)" % binary)
        conn.rollback()

        # Rollback discards.
        cur = conn.cursor()
        cur.execute("delete from orders where customer = %s", ("bob",))
        check(cur.rowcount == 5, "delete rowcount %r" % cur.rowcount)
        conn.rollback()
        cur.execute("select count(*) from orders")
        check(cur.fetchone()[0] == 11, "rollback restored the rows")
        conn.rollback()

        # Error SQLSTATEs become psycopg's exception classes.
        try:
            cur.execute("insert into orders (id) values (%s)", (1,))
            check(False, "duplicate key must fail")
        except errors.UniqueViolation as e:
            check(e.sqlstate == "23505", "sqlstate %s" % e.sqlstate)
        conn.rollback()
        try:
            cur.execute("select * from no_such_table")
            check(False, "unknown table must fail")
        except errors.UndefinedTable as e:
            check(e.sqlstate == "42P01", "sqlstate %s" % e.sqlstate)
        conn.rollback()
        try:
            cur.execute("select %s::int", ("twelve",))
            check(False, "a bad integer must fail")
        except errors.InvalidTextRepresentation:
            pass
        conn.rollback()

    # Pipeline mode: many statements, one round trip.
    with psycopg.connect(conninfo, autocommit=True) as conn:
        with conn.pipeline():
            for i in range(100, 150):
                conn.execute("insert into orders (id, customer, amount) values (%s, %s, %s)",
                             (i, "pipe", decimal.Decimal("1.25")))
            cur = conn.execute("select count(*), sum(amount) from orders where customer = 'pipe'")
        check(cur.fetchone() == (50, decimal.Decimal("62.50")), "pipelined inserts")
        cur = conn.execute("select n from by_customer where customer = %s", ("pipe",))
        check(cur.fetchone() == (50,), "the view saw the pipelined inserts")

    print("psycopg: all checks passed")


if __name__ == "__main__":
    main(sys.argv[1])
