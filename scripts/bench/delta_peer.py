#!/usr/bin/env python3
"""The `deltalake` (delta-rs) side of scripts/bench-delta.sh. Prints one JSON line per run.

    delta_peer.py append DIR COMMITS ROWS   create a table and append COMMITS times ROWS rows
    delta_peer.py load DIR REPEATS          load the latest snapshot REPEATS times (median)
    delta_peer.py --summarize RESULTS.jsonl print a Markdown table of the results
"""

from __future__ import annotations

import json
import os
import sys
import time


def schema_rows(first, count):
    import pyarrow as pa
    ids = pa.array(range(first, first + count), pa.int64())
    names = pa.array(["name-%d" % i for i in range(first, first + count)], pa.string())
    amounts = pa.array([i * 0.25 for i in range(first, first + count)], pa.float64())
    schema = pa.schema([pa.field("id", pa.int64(), nullable=False), pa.field("name", pa.string()), pa.field("amount", pa.float64())])
    return pa.Table.from_arrays([ids, names, amounts], schema=schema)


def append(path, commits, rows):
    from deltalake import write_deltalake
    batches = [schema_rows(i * rows, rows) for i in range(commits)]
    start = time.perf_counter()
    for batch in batches:
        write_deltalake(path, batch, mode="append")
    seconds = time.perf_counter() - start
    return {"engine": "deltalake", "mode": "append", "commits": commits, "rows": commits * rows,
            "seconds": seconds, "rows_per_s": commits * rows / seconds}


def load(path, repeats):
    from deltalake import DeltaTable
    times = []
    version = files = None
    for _ in range(repeats):
        start = time.perf_counter()
        dt = DeltaTable(path)
        files = len(dt.file_uris())
        times.append((time.perf_counter() - start) * 1000)
        version = dt.version()
    times.sort()
    return {"engine": "deltalake", "mode": "load", "version": version, "files": files,
            "median_ms": times[len(times) // 2], "min_ms": times[0]}


def summarize(path):
    rows = [json.loads(line) for line in open(path) if line.strip()]
    def best(engine, mode, key, better):
        values = [r[key] for r in rows if r.get("engine") == engine and r.get("mode") == mode]
        return better(values) if values else None
    ours_append = best("swift", "append", "rows_per_s", max)
    theirs_append = best("deltalake", "append", "rows_per_s", max)
    ours_load = best("swift", "load", "median_ms", min)
    theirs_load = best("deltalake", "load", "median_ms", min)
    print("| measurement | datastream-delta | deltalake | datastream-delta vs deltalake |")
    print("|---|---:|---:|---:|")
    if ours_append and theirs_append:
        print("| append, 100 x 10k rows (rows/s, best) | %.0f | %.0f | %.2fx the speed |" % (ours_append, theirs_append, ours_append / theirs_append))
    if ours_load and theirs_load:
        print("| snapshot load, 10,000 commits + checkpoint (ms, best median) | %.1f | %.1f | %.2fx the speed |" % (ours_load, theirs_load, theirs_load / ours_load))
    return 0


def main():
    if sys.argv[1] == "--summarize":
        return summarize(sys.argv[2])
    mode, path, a = sys.argv[1], sys.argv[2], int(sys.argv[3])
    if mode == "append":
        result = append(path, a, int(sys.argv[4]))
    elif mode == "load":
        result = load(path, a)
    else:
        raise SystemExit("unknown mode " + mode)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    status = main()
    sys.stdout.flush()
    os._exit(status)
