#!/usr/bin/env python3
"""Write a partitioned Delta table with the `deltalake` package (delta-rs), for the DeltaLake
partition interop tests.

Usage:
    delta_partition_write.py TABLE_DIR create            # v0: rows 0..N-1 (awkward partition values)
    delta_partition_write.py TABLE_DIR delete ID_MODULUS # delete rows whose id % ID_MODULUS == 0

Schema: id long, p string, n int, d date, ts timestamp(UTC), b boolean, dec decimal(10,2), v string;
partitioned by p, n, d, ts, b, dec. Prints the table version at the end.
"""

from __future__ import annotations

import datetime as dt
import decimal
import os
import sys

import pyarrow as pa
from deltalake import DeltaTable, write_deltalake

UTC = dt.timezone.utc

SCHEMA = pa.schema([
    pa.field("id", pa.int64()),
    pa.field("p", pa.string()),
    pa.field("n", pa.int32()),
    pa.field("d", pa.date32()),
    pa.field("ts", pa.timestamp("us", tz="UTC")),
    pa.field("b", pa.bool_()),
    pa.field("dec", pa.decimal128(10, 2)),
    pa.field("v", pa.string()),
])
PARTITIONS = ["p", "n", "d", "ts", "b", "dec"]
# Values must match the Swift test (PartitionTests.awkward).
AWKWARD = ["a b", "x/y=z", "100%", "c:d", "é漢🎉", None, "#?*'\"[]^{}\\", "plain"]


def rows():
    out = []
    for i in range(16):
        out.append({
            "id": i,
            "p": AWKWARD[i % len(AWKWARD)],
            "n": None if i % 5 == 4 else (i % 3) - 1,
            "d": None if i % 7 == 6 else dt.date(2024, 2, 29) + dt.timedelta(days=i % 2),
            "ts": None if i % 6 == 5 else dt.datetime(2024, 1, 2, 3, 4, 5, 120000 * (i % 2), tzinfo=UTC),
            "b": None if i % 9 == 8 else i % 2 == 0,
            "dec": None if i % 4 == 3 else decimal.Decimal("0.05") + i,
            "v": "v%d" % i,
        })
    return pa.Table.from_pylist(out, schema=SCHEMA)


def main() -> int:
    path, scenario = sys.argv[1], sys.argv[2]
    if scenario == "create":
        write_deltalake(path, rows(), mode="error", partition_by=PARTITIONS)
    elif scenario == "delete":
        DeltaTable(path).delete("id %% %d = 0" % int(sys.argv[3]))
    else:
        raise SystemExit("unknown scenario " + scenario)
    print(DeltaTable(path).version())
    return 0


if __name__ == "__main__":
    status = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)
