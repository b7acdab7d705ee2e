#!/usr/bin/env python3
"""Oracle for Datastream event ordering.

Usage: datastream_order_check.py EVENTS.jsonl
Reads Datastream JSON events of one source and prints, one per line, the dense rank of each event
under the documented order (docs/DATASTREAM.md), computed independently of the Swift code:
MySQL (ts, backfill first, log file base name, numeric suffix, position); Oracle (ts, scn,
rs_id stripped, ssn); PostgreSQL (ts, backfill first, LSN hi<<32|lo); SQL Server (ts, backfill
first, LSN as three hex numbers).
"""
import datetime
import json
import re
import sys


def ts_micros(value):
    if isinstance(value, int):
        return value * 1000
    dt = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=datetime.timezone.utc)
    return round(dt.timestamp() * 1_000_000)


def key(event):
    ts = ts_micros(event["source_timestamp"])
    meta = event["source_metadata"]
    method = event["read_method"]
    if method.startswith("mysql"):
        log_file = meta.get("log_file") or ""
        if not log_file:
            return (ts, 0, "", 0, 0)
        m = re.match(r"^(.*?)\.?(\d+)$", log_file)
        base, seq = (m.group(1), int(m.group(2))) if m else (log_file, 0)
        return (ts, 1, base.encode(), seq, meta.get("log_position") or 0)
    if method.startswith("oracle"):
        return (ts, meta.get("scn") or 0, (meta.get("rs_id") or "").strip(" \t").encode(), meta.get("ssn") or 0)
    if method.startswith("postgres"):
        lsn = meta.get("lsn") or ""
        if not lsn:
            return (ts, 0, 0)
        hi, lo = lsn.split("/")
        return (ts, 1, (int(hi, 16) << 32) | int(lo, 16))
    lsn = meta.get("lsn") or ""
    if not lsn:
        return (ts, 0, ())
    return (ts, 1, tuple(int(part, 16) for part in lsn.split(":")))


def main():
    events = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8") if line.strip()]
    keys = [key(event) for event in events]
    distinct = sorted(set(keys))
    rank = {k: i for i, k in enumerate(distinct)}
    for k in keys:
        print(rank[k])
    return 0


if __name__ == "__main__":
    sys.exit(main())
