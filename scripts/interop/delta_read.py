#!/usr/bin/env python3
"""Read a Delta table with the `deltalake` package (delta-rs) as an independent oracle.

Usage:
    delta_read.py TABLE_DIR [--version N] [--key COLUMN]

Prints one JSON header line
    {"version": N, "files": [sorted add paths], "history": [...], "protocol": {...},
     "num_rows": R, "stats": {path: {"num_records", "min.id", ... as delta-rs parsed them}}}
followed by the table's rows as JSON lines in the project's conventions (see
parquet_to_jsonl.py), sorted by COLUMN (default "id") and then by the whole line.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import pyarrow as pa  # noqa: E402
from deltalake import DeltaTable  # noqa: E402
from parquet_to_jsonl import dumps_row, table_rows  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("table")
    ap.add_argument("--version", type=int)
    ap.add_argument("--key", default="id")
    args = ap.parse_args()

    dt = DeltaTable(args.table, version=args.version)
    table = dt.to_pyarrow_table()
    adds = pa.table(dt.get_add_actions(flatten=True)).to_pydict()
    proto = dt.protocol()
    history = []
    for entry in dt.history():
        history.append({k: entry.get(k) for k in ("version", "operation", "engineInfo", "isBlindAppend", "txnId") if k in entry})
    # Statistics as delta-rs parsed them from add.stats (a few columns, when the table has them).
    stats = {}
    stat_keys = [k for k in ("num_records", "min.id", "max.id", "null_count.id", "min.text", "max.text",
                             "null_count.text", "null_count.record.a", "min.day", "max.day") if k in adds]
    for i, path in enumerate(adds.get("path", [])):
        entry = {}
        for k in stat_keys:
            v = adds[k][i]
            entry[k] = v if v is None or isinstance(v, (int, str)) else str(v)
        stats[path] = entry
    header = {
        "version": dt.version(),
        "files": sorted(adds.get("path", [])),
        "history": history,
        "protocol": {
            "minReaderVersion": proto.min_reader_version,
            "minWriterVersion": proto.min_writer_version,
            "readerFeatures": proto.reader_features,
            "writerFeatures": proto.writer_features,
        },
        "num_rows": table.num_rows,
        "stats": stats,
    }
    rows = table_rows(table)
    key = args.key
    rows.sort(key=lambda r: (json.dumps(r.get(key)), dumps_row(r)))
    out = sys.stdout
    out.write(json.dumps(header, separators=(",", ":")) + "\n")
    for row in rows:
        out.write(dumps_row(row) + "\n")
    return 0


if __name__ == "__main__":
    status = main()
    sys.stdout.flush()
    sys.stderr.flush()
    # Skip interpreter teardown: the deltalake extension occasionally aborts (SIGABRT) while its
    # runtime threads are torn down after all output is written, which would fail a good run.
    os._exit(status)
