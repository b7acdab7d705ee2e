#!/usr/bin/env python3
"""Independent check of the generator: replay its Datastream files and compare with _expected.

    generator_replay.py ROOT

Reads every ROOT/<object>/yyyy/MM/dd/HH/mm/*.jsonl or *.avro (fastavro), drops duplicate uuids,
orders each table's events by the per-source order key (source timestamp, then MySQL log file
and position / Oracle scn, rs_id, ssn / PostgreSQL LSN as a number / SQL Server LSN; backfill
first at equal timestamps), applies upserts and deletes by primary key, and compares the final
rows (as JSON values) with ROOT/_expected/<object>.jsonl. Prints "ok N tables" or the
differences; exit 0 when equal.
"""
import base64
import datetime as dt
import decimal
import glob
import json
import os
import re
import struct
import sys

PATH = re.compile(r"^(?P<object>[^/_][^/]*)/\d{4}/\d{2}/\d{2}/\d{2}/\d{2}/[^/]+\.(avro|jsonl)$")


def events_of(path):
    if path.endswith(".avro"):
        import fastavro
        with open(path, "rb") as handle:
            yield from fastavro.reader(handle)
    else:
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    yield json.loads(line, parse_float=decimal.Decimal)


def millis(value):
    if isinstance(value, dt.datetime):
        return int(value.timestamp() * 1000)
    if isinstance(value, (int,)):
        return value
    text = value.replace("Z", "+00:00")
    return int(dt.datetime.fromisoformat(text).timestamp() * 1000)


def order_key(event):
    meta = event["source_metadata"]
    method = event["read_method"]
    ts = millis(event["source_timestamp"])
    backfill = 0 if "backfill" in method else 1
    if method.startswith("mysql"):
        log_file = meta.get("log_file") or ""
        return (ts, backfill, log_file, meta.get("log_position") or 0)
    if method.startswith("oracle"):
        return (ts, backfill, meta.get("scn") or 0, (meta.get("rs_id") or "").strip(), meta.get("ssn") or 0)
    if method.startswith("postgres"):
        lsn = meta.get("lsn") or "0/0"
        hi, lo = lsn.split("/")
        return (ts, backfill, (int(hi, 16) << 32) | int(lo, 16))
    if method.startswith("sqlserver"):
        lsn = meta.get("lsn") or "0:0:0"
        return (ts, backfill, tuple(int(part, 16) for part in lsn.split(":")))
    raise SystemExit(f"unknown read_method {method}")


def is_delete(event):
    meta = event["source_metadata"]
    return meta.get("change_type") in ("DELETE", "UPDATE-DELETE") or bool(meta.get("is_deleted"))


def normalize(value):
    """Payload values as the expected JSONL spells them (timestamps and decimals as text)."""
    if isinstance(value, dt.datetime):
        value = value.astimezone(dt.timezone.utc)
        return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond:06d}Z"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    return value


def canonical(row, schema):
    out = {}
    for field in schema:
        name, kind = field["name"], field["type"]
        value = row.get(name)
        if value is None:
            out[name] = None
        elif kind.startswith("decimal"):
            scale = int(kind[kind.index(",") + 1:-1])
            out[name] = format(decimal.Decimal(str(value)).quantize(decimal.Decimal(1).scaleb(-scale)), "f")
        elif kind == "timestamp":
            if isinstance(value, str):
                value = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
            out[name] = normalize(value)
        elif kind == "float":
            out[name] = struct.unpack("<f", struct.pack("<f", float(value)))[0]
        elif kind == "double":
            out[name] = float(value)
        else:
            out[name] = normalize(value)
    return out


def main():
    root = sys.argv[1]
    tables = {}
    for path in sorted(glob.glob(os.path.join(root, "**", "*"), recursive=True)):
        relative = os.path.relpath(path, root)
        match = PATH.match(relative)
        if not match:
            continue
        tables.setdefault(match["object"], []).append(path)
    failures = 0
    for object_name, paths in sorted(tables.items()):
        summary = json.load(open(os.path.join(root, "_expected", "summary.json")))
        keys = next(t["primary_key"] for t in summary["tables"] if t["object"] == object_name)
        schema = json.load(open(os.path.join(root, "_expected", f"{object_name}.schema.json")))
        seen, events = set(), []
        for path in paths:
            for event in events_of(path):
                if event["uuid"] not in seen:
                    seen.add(event["uuid"])
                    events.append(event)
        events.sort(key=order_key)
        state = {}
        for event in events:
            key = tuple(event["payload"][k] for k in keys)
            if is_delete(event):
                state.pop(key, None)
            else:
                state[key] = event["payload"]
        actual = [canonical(state[key], schema) for key in sorted(state)]
        expected = [canonical(json.loads(line, parse_float=decimal.Decimal), schema)
                    for line in open(os.path.join(root, "_expected", f"{object_name}.jsonl"), encoding="utf-8") if line.strip()]
        if actual != expected:
            failures += 1
            print(f"{object_name}: replay gives {len(actual)} rows, expected {len(expected)}")
            for a, e in zip(actual, expected):
                if a != e:
                    print("  first difference:\n   replay   ", a, "\n   expected ", e)
                    break
    if failures:
        sys.exit(1)
    print(f"ok {len(tables)} tables")


if __name__ == "__main__":
    main()
