#!/usr/bin/env python3
"""Oracle for the Datastream JSON decoder.

Usage: datastream_jsonl_check.py ORIGINAL RENDERED
ORIGINAL is a Datastream JSON file (JSON lines, .gz, or one JSON array); RENDERED holds one JSON
object per decoded row, written by the Swift test with the project's JSON conventions
(decimals as strings, timestamps as ISO text with Z). Every value of every event is compared with
Python's own parse of ORIGINAL (numbers as Decimal, never float). Exit 0 when all match.
"""
import datetime
import decimal
import gzip
import json
import re
import sys

TS = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[T t](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|z|[+-]\d{2}:?\d{2})?$")
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


def micros_of(text):
    m = TS.match(text)
    if not m:
        return None
    y, mo, d, h, mi, s, frac, zone = m.groups()
    try:
        base = datetime.datetime(int(y), int(mo), int(d), int(h), int(mi), int(s), tzinfo=datetime.timezone.utc)
    except ValueError:
        return None
    micros = (base - EPOCH) // datetime.timedelta(microseconds=1)
    if frac:
        micros += int((frac + "000000")[:6])
    if zone and zone not in ("Z", "z"):
        sign = -1 if zone[0] == "-" else 1
        digits = zone[1:].replace(":", "")
        micros -= sign * (int(digits[:2]) * 3600 + int(digits[2:]) * 60) * 1_000_000
    return micros


def load_events(path):
    raw = open(path, "rb").read()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    text = raw.decode("utf-8")
    stripped = text.strip()
    if stripped.startswith("["):
        return json.loads(stripped, parse_float=decimal.Decimal)
    return [json.loads(line, parse_float=decimal.Decimal) for line in text.splitlines() if line.strip()]


def same(orig, ours, where):
    if orig is None:
        return ours is None or fail(where, orig, ours)
    if isinstance(orig, bool):
        return ours == orig or ours == ("true" if orig else "false") or fail(where, orig, ours)
    if isinstance(orig, (int, decimal.Decimal)):
        if isinstance(ours, float):
            return float(orig) == ours or fail(where, orig, ours)
        if isinstance(ours, (int, str)):
            try:
                return decimal.Decimal(str(ours)) == decimal.Decimal(orig) or fail(where, orig, ours)
            except decimal.InvalidOperation:
                return fail(where, orig, ours)
        return fail(where, orig, ours)
    if isinstance(orig, str):
        if ours == orig:
            return True
        mo = micros_of(orig)
        if mo is not None and isinstance(ours, str) and micros_of(ours) == mo:
            return True
        return fail(where, orig, ours)
    if isinstance(orig, (list, dict)):
        if isinstance(ours, str):
            try:
                return json.loads(ours, parse_float=decimal.Decimal) == orig or fail(where, orig, ours)
            except ValueError:
                return fail(where, orig, ours)
        if isinstance(orig, list) and isinstance(ours, list) and len(orig) == len(ours):
            return all(same(o if not isinstance(o, (int, decimal.Decimal)) or isinstance(o, bool) else o, u, where) for o, u in zip(orig, ours))
        return fail(where, orig, ours)
    return fail(where, orig, ours)


failures = []


def fail(where, orig, ours):
    failures.append(f"{where}: original {orig!r} decoded {ours!r}")
    return False


def main():
    events = load_events(sys.argv[1])
    rows = [json.loads(line) for line in open(sys.argv[2], encoding="utf-8") if line.strip()]
    if len(events) != len(rows):
        print(f"event count {len(events)} != decoded rows {len(rows)}")
        return 1
    for index, (event, row) in enumerate(zip(events, rows)):
        for key, value in event.items():
            where = f"event {index} {key}"
            ours = row.get(key)
            if key in ("read_timestamp", "source_timestamp"):
                expected = value * 1000 if isinstance(value, int) else micros_of(value)
                if expected is None or micros_of(ours or "") != expected:
                    fail(where, value, ours)
            elif key == "sort_keys":
                decoded = [m["member0"] if m["member0"] is not None else m["member1"] for m in ours]
                if decoded != value:
                    fail(where, value, ours)
            elif isinstance(value, dict) and key in ("payload", "source_metadata"):
                if set(value) - set(ours or {}):
                    fail(where, sorted(value), sorted(ours or {}))
                for name, item in value.items():
                    same(item, (ours or {}).get(name), f"{where}.{name}")
            else:
                same(value, ours, where)
    for line in failures[:20]:
        print(line)
    print(f"checked {len(events)} events, {len(failures)} mismatches")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
