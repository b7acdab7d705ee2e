#!/usr/bin/env python3
"""Write Delta tables with the `deltalake` package (delta-rs), for the DeltaLake interop tests.

Usage:
    delta_write.py TABLE_DIR history   # v0 write, v1 append, v2 overwrite, v3 append,
                                       # checkpoint at v3, v4 append (every type, nulls)
    delta_write.py TABLE_DIR simple    # v0 write of (id long, name string, ts timestamp)
    delta_write.py TABLE_DIR append-simple FIRST_ID COUNT   # append rows to a `simple` table

Prints the table version at the end.
"""

from __future__ import annotations

import datetime as dt
import decimal
import os
import sys

import pyarrow as pa
from deltalake import DeltaTable, write_deltalake

UTC = dt.timezone.utc

FULL_SCHEMA = pa.schema([
    pa.field("id", pa.int64(), nullable=False),
    pa.field("flag", pa.bool_()),
    pa.field("tiny", pa.int8()),
    pa.field("small", pa.int16()),
    pa.field("int", pa.int32()),
    pa.field("big", pa.int64()),
    pa.field("real", pa.float32()),
    pa.field("double", pa.float64()),
    pa.field("dec", pa.decimal128(18, 4)),
    pa.field("text", pa.string()),
    pa.field("blob", pa.binary()),
    pa.field("day", pa.date32()),
    pa.field("ts", pa.timestamp("us", tz="UTC")),
    pa.field("local", pa.timestamp("us")),
    pa.field("ints", pa.list_(pa.int32())),
    pa.field("record", pa.struct([pa.field("a", pa.int32()), pa.field("b", pa.string())])),
    pa.field("props", pa.map_(pa.string(), pa.int64())),
])


def full_rows(ids):
    rows = []
    for i in ids:
        def maybe(v, every=4):
            return None if i % every == 3 else v
        rows.append({
            "id": i,
            "flag": maybe(i % 2 == 0),
            "tiny": maybe((i * 7) % 128 - 64),
            "small": maybe(i * 300 - 20000),
            "int": maybe(i * 100000 - 7),
            "big": maybe(i * 10_000_000_000 - 3),
            "real": maybe(i / 4.0),
            "double": maybe(i / 3.0),
            "dec": maybe(decimal.Decimal(i * 12345).scaleb(-4) - decimal.Decimal("1.5")),
            "text": maybe("text-%d-é" % i),
            "blob": maybe(bytes([i % 256, 0, 255])),
            "day": maybe(dt.date(2024, 1, 1) + dt.timedelta(days=i * 11)),
            "ts": maybe(dt.datetime(2024, 1, 2, 3, 4, 5, 123456, tzinfo=UTC) + dt.timedelta(hours=i)),
            "local": maybe(dt.datetime(2023, 5, 6, 7, 8, 9, 654321) + dt.timedelta(minutes=i)),
            "ints": maybe([i, None, -i] if i % 5 else []),
            "record": maybe({"a": i, "b": None if i % 3 == 0 else "b%d" % i}),
            "props": maybe([("k%d" % i, i), ("z", None)]),
        })
    return pa.Table.from_pylist(rows, schema=FULL_SCHEMA)


SIMPLE_SCHEMA = pa.schema([
    pa.field("id", pa.int64()),
    pa.field("name", pa.string()),
    pa.field("ts", pa.timestamp("us", tz="UTC")),
])


def simple_rows(first, count):
    rows = [{"id": i, "name": None if i % 4 == 1 else "name-%d" % i,
             "ts": dt.datetime(2024, 6, 1, tzinfo=UTC) + dt.timedelta(seconds=i)} for i in range(first, first + count)]
    return pa.Table.from_pylist(rows, schema=SIMPLE_SCHEMA)


def main() -> int:
    path, scenario = sys.argv[1], sys.argv[2]
    if scenario == "history":
        write_deltalake(path, full_rows(range(0, 5)), mode="error", name="full", description="every type")
        write_deltalake(path, full_rows(range(5, 10)), mode="append")
        write_deltalake(path, full_rows(range(100, 105)), mode="overwrite")
        write_deltalake(path, full_rows(range(105, 108)), mode="append")
        DeltaTable(path).create_checkpoint()
        write_deltalake(path, full_rows(range(108, 110)), mode="append")
    elif scenario == "simple":
        write_deltalake(path, simple_rows(0, 6), mode="error")
    elif scenario == "append-simple":
        write_deltalake(path, simple_rows(int(sys.argv[3]), int(sys.argv[4])), mode="append")
    else:
        raise SystemExit("unknown scenario " + scenario)
    print(DeltaTable(path).version())
    return 0


if __name__ == "__main__":
    status = main()
    sys.stdout.flush()
    sys.stderr.flush()
    # Skip interpreter teardown: the deltalake extension occasionally aborts (SIGABRT) while its
    # runtime threads are torn down after all output is written, which would fail a good run.
    os._exit(status)
