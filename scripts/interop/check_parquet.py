#!/usr/bin/env python3
"""Check that pyarrow reads a Parquet file as the expected JSONL rows and that
the file's column statistics are truthful.

Usage:
    check_parquet.py FILE EXPECTED_JSONL

Exit status:
    0  rows equal and statistics consistent; prints exactly "ok N rows"
    1  rows differ (the first 5 differing rows are printed with the differing
       column names) and/or statistics violations (all printed)
    2  pyarrow cannot read FILE (the pyarrow error is printed), or its
       contents cannot be rendered in the JSONL conventions

Row comparison: FILE is rendered with parquet_to_jsonl (the same code that
produced the fixtures' .jsonl).  Both sides are parsed as JSON and
re-serialised canonically, guided by FILE's Arrow schema:
  * float columns: numbers become floats (1 == 1.0) and are rounded to the
    column width (float32 / float16), so "0.1" and "0.10000000149011612"
    agree for a float32; comparison is otherwise exact (-0.0 != 0.0);
    NaN/Infinity tokens or strings become "NaN"/"Infinity"/"-Infinity", so
    NaN equals NaN;
  * struct objects are re-ordered into schema order (extra keys kept, last);
  * everything else (ints, decimal / timestamp / date / base64 strings) must
    match exactly.

Statistics: for every row group and every top-level primitive column whose
chunk has statistics, check min <= every non-null value <= max (skipped for
float columns containing NaN, INT96, and types without a defined order) and
null_count == actual nulls.  Page CRCs, when present, are verified by pyarrow
while reading.
"""

from __future__ import annotations

import json
import math
import os
import struct
import sys
from decimal import Decimal
from typing import Any, Dict, List, Optional, Tuple

import pyarrow as pa
import pyarrow.parquet as pq
import pyarrow.types as pat

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from parquet_to_jsonl import dumps_row, read_parquet, table_rows  # noqa: E402

MAX_DIFF_ROWS = 5
MAX_SHOWN_CHARS = 300
_F32 = struct.Struct("<f")
_F16 = struct.Struct("<e")
_FLOAT_WORDS = {"NaN", "Infinity", "-Infinity"}


# ---------------------------------------------------------------------------
# Canonical JSON, guided by the Arrow type
# ---------------------------------------------------------------------------

def _base_type(t: pa.DataType) -> pa.DataType:
    while True:
        if isinstance(t, pa.ExtensionType):
            t = t.storage_type
        elif pat.is_dictionary(t):
            t = t.value_type
        else:
            return t


def _canon_float(v: Any, packer: Optional[struct.Struct]) -> Any:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return v                                    # strings, null, garbage
    v = float(v)
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    if packer is not None:
        try:
            v = packer.unpack(packer.pack(v))[0]    # round to column width
        except OverflowError:
            return "Infinity" if v > 0 else "-Infinity"
        if math.isinf(v):
            return "Infinity" if v > 0 else "-Infinity"
    return v


def canonical(v: Any, t: pa.DataType) -> Any:
    """Canonical JSON value of ``v`` for a column of Arrow type ``t``."""
    if v is None:
        return None
    t = _base_type(t)
    if pat.is_floating(t):
        packer = _F32 if pat.is_float32(t) else _F16 if pat.is_float16(t) else None
        return _canon_float(v, packer)
    if (pat.is_list(t) or pat.is_large_list(t) or pat.is_fixed_size_list(t)
            or pat.is_list_view(t) or pat.is_large_list_view(t)):
        if isinstance(v, list):
            return [canonical(x, t.value_type) for x in v]
        return v
    if pat.is_map(t):
        if isinstance(v, list):
            return [{"key": canonical(e.get("key"), t.key_type),
                     "value": canonical(e.get("value"), t.item_type),
                     **{k: x for k, x in e.items() if k not in ("key", "value")}}
                    if isinstance(e, dict) else e for e in v]
        return v
    if pat.is_struct(t):
        if isinstance(v, dict):
            return canonical_struct(v, [t.field(i) for i in range(t.num_fields)])
        return v
    return v


def canonical_struct(obj: Dict[str, Any], fields: List[pa.Field]) -> Dict[str, Any]:
    """Schema-ordered canonical object; keys absent from ``obj`` are left
    out (so they show up as differences), unknown keys are kept at the end."""
    out: Dict[str, Any] = {}
    for f in fields:
        if f.name in obj:
            out[f.name] = canonical(obj[f.name], f.type)
    names = {f.name for f in fields}
    for k, x in obj.items():
        if k not in names:
            out[k] = x
    return out


def _short(v: Any) -> str:
    if v is _MISSING:
        return "<missing>"
    s = dumps_row(v)
    return s if len(s) <= MAX_SHOWN_CHARS else s[:MAX_SHOWN_CHARS] + "…"


_MISSING = object()


# ---------------------------------------------------------------------------
# Row comparison
# ---------------------------------------------------------------------------

def load_expected(path: str) -> Tuple[List[Any], List[str]]:
    """Parsed JSONL rows (a trailing empty line is ignored) + parse errors."""
    with open(path, "rb") as f:
        text = f.read().decode("utf-8")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    rows, errors = [], []
    for i, line in enumerate(lines):
        try:
            rows.append(json.loads(line))
        except ValueError as e:
            rows.append(_MISSING)
            errors.append("expected line %d is not valid JSON: %s" % (i + 1, e))
    return rows, errors


def compare_rows(schema: pa.Schema, actual: List[dict], expected: List[Any]) -> List[str]:
    """Messages for the first MAX_DIFF_ROWS differing rows (+ count summary)."""
    fields = list(schema)
    msgs: List[str] = []
    n_diff = 0
    for i in range(max(len(actual), len(expected))):
        a = actual[i] if i < len(actual) else _MISSING
        e = expected[i] if i < len(expected) else _MISSING
        ca = canonical_struct(a, fields) if isinstance(a, dict) else a
        ce = canonical_struct(e, fields) if isinstance(e, dict) else e
        if ca is not _MISSING and ce is not _MISSING and dumps_row(ca) == dumps_row(ce):
            continue
        n_diff += 1
        if n_diff > MAX_DIFF_ROWS:
            continue
        if not (isinstance(ca, dict) and isinstance(ce, dict)):
            msgs.append("row %d: expected %s | actual %s" % (i, _short(ce), _short(ca)))
            continue
        msgs.append("row %d differs:" % i)
        for k in list(ca) + [k for k in ce if k not in ca]:
            va, ve = ca.get(k, _MISSING), ce.get(k, _MISSING)
            if va is _MISSING or ve is _MISSING or dumps_row(va) != dumps_row(ve):
                msgs.append("  %s: expected %s | actual %s" % (k, _short(ve), _short(va)))
    if n_diff:
        msgs.append("%d of %d rows differ (actual %d rows, expected %d rows)"
                    % (n_diff, max(len(actual), len(expected)), len(actual), len(expected)))
    return msgs


# ---------------------------------------------------------------------------
# Statistics validation
# ---------------------------------------------------------------------------

_UNIT_FROM_PARQUET = {"milliseconds": "ms", "microseconds": "us", "nanoseconds": "ns"}
_UNIT_SCALE = {"s": 1, "ms": 1_000, "us": 1_000_000, "ns": 1_000_000_000}


def _rescale(values: List[Optional[int]], from_unit: str, to_unit: str) -> List[Optional[int]]:
    a, b = _UNIT_SCALE[from_unit], _UNIT_SCALE[to_unit]
    if a == b:
        return values
    if b > a:
        return [None if v is None else v * (b // a) for v in values]
    return [None if v is None else v // (a // b) for v in values]


def _dec_from_stat(v: Any, scale: int) -> Any:
    # Built from text: exact, no decimal context rounding.
    if isinstance(v, (bytes, bytearray)):                    # big-endian two's complement
        v = int.from_bytes(v, "big", signed=True)
    if isinstance(v, int) and not isinstance(v, bool):      # unscaled integer
        return Decimal("%dE%d" % (v, -scale))
    return v


def stat_keys(arr: pa.Array, st: Any, col: Any) -> Optional[Tuple[List[Any], Any, Any]]:
    """(values, stat_min, stat_max) in one comparable Python domain, or None
    if min/max cannot be checked for this column.  ``col`` is the Parquet
    ColumnSchema."""
    t = _base_type(arr.type)
    if pat.is_dictionary(arr.type):
        arr = arr.dictionary_decode()
    if isinstance(arr.type, pa.ExtensionType):
        arr = arr.storage
    phys = col.physical_type
    if phys == "INT96":
        return None                                  # sort order undefined
    if pat.is_boolean(t) or pat.is_integer(t):
        return arr.to_pylist(), st.min, st.max
    if pat.is_floating(t):
        vals = arr.to_pylist()
        if any(v is not None and v != v for v in vals):
            return None                              # NaN present: skip
        lo, hi = st.min, st.max
        if pat.is_float16(t):
            lo, hi = (_F16.unpack(bytes(x))[0] if isinstance(x, (bytes, bytearray)) else x
                      for x in (st.min_raw, st.max_raw))
        return vals, lo, hi
    if pat.is_decimal(t):
        lo, hi = st.min, st.max
        return arr.to_pylist(), _dec_from_stat(lo, t.scale), _dec_from_stat(hi, t.scale)
    if pat.is_string(t) or pat.is_large_string(t) or pat.is_string_view(t):
        return ([None if v is None else v.encode("utf-8") for v in arr.to_pylist()],
                bytes(st.min_raw), bytes(st.max_raw))
    if (pat.is_binary(t) or pat.is_large_binary(t) or pat.is_fixed_size_binary(t)
            or pat.is_binary_view(t)):
        return arr.to_pylist(), bytes(st.min_raw), bytes(st.max_raw)
    if pat.is_date32(t):
        return arr.cast(pa.int32()).to_pylist(), st.min_raw, st.max_raw
    if pat.is_date64(t):
        return ([None if v is None else v // 86_400_000 for v in arr.cast(pa.int64()).to_pylist()],
                st.min_raw, st.max_raw)
    if pat.is_timestamp(t) or pat.is_time32(t) or pat.is_time64(t):
        unit = _UNIT_FROM_PARQUET.get(json.loads(col.logical_type.to_json()).get("timeUnit"))
        if unit is None:                             # legacy converted types
            unit = {"TIMESTAMP_MILLIS": "ms", "TIMESTAMP_MICROS": "us",
                    "TIME_MILLIS": "ms", "TIME_MICROS": "us"}.get(col.converted_type)
        if unit is None:
            return None
        raw = arr.cast(pa.int32() if pat.is_time32(t) else pa.int64()).to_pylist()
        return _rescale(raw, t.unit, unit), st.min_raw, st.max_raw
    return None


def check_statistics(path: str, table: pa.Table) -> List[str]:
    """Violations of min/max/null_count for top-level primitive columns."""
    md = pq.ParquetFile(path).metadata
    names = table.schema.names
    problems: List[str] = []
    row0 = 0
    for rg in range(md.num_row_groups):
        rgmd = md.row_group(rg)
        nrows = rgmd.num_rows
        for ci in range(md.num_columns):
            col = md.schema.column(ci)
            if (col.max_repetition_level != 0 or col.max_definition_level > 1
                    or col.path not in names):
                continue                              # nested leaf
            field = table.schema.field(col.path)
            if pat.is_nested(_base_type(field.type)):
                continue
            st = rgmd.column(ci).statistics
            if st is None:
                continue
            arr = table.column(col.path).slice(row0, nrows).combine_chunks()
            where = "row group %d column %s" % (rg, col.path)
            if st.has_null_count and st.null_count != arr.null_count:
                problems.append("%s: statistics null_count %d != actual nulls %d"
                                % (where, st.null_count, arr.null_count))
            if not st.has_min_max or pat.is_null(field.type):
                continue
            try:
                keys = stat_keys(arr, st, col)
            except Exception as e:                    # undecodable statistics
                problems.append("%s: cannot interpret statistics: %s" % (where, e))
                continue
            if keys is None:
                continue
            vals, lo, hi = keys
            present = [v for v in vals if v is not None]
            if not present:
                continue
            vmin, vmax = min(present), max(present)
            try:
                ok_lo, ok_hi = lo <= vmin, vmax <= hi
            except TypeError as e:
                problems.append("%s: statistics not comparable: %s" % (where, e))
                continue
            if not ok_lo:
                problems.append("%s: statistics min %r > actual min %r" % (where, lo, vmin))
            if not ok_hi:
                problems.append("%s: statistics max %r < actual max %r" % (where, hi, vmax))
        row0 += nrows
    return problems


# ---------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------

def main(argv: List[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    path, expected_path = argv
    try:
        table = read_parquet(path, page_checksum_verification=True)
        pq.ParquetFile(path).metadata
    except Exception as e:                            # pyarrow refused the file
        print("pyarrow cannot read %s: %s: %s" % (path, type(e).__name__, e))
        return 2
    try:
        actual = table_rows(table)
    except Exception as e:
        print("cannot render %s as JSONL: %s: %s" % (path, type(e).__name__, e))
        return 2

    try:
        expected, parse_errors = load_expected(expected_path)
    except (OSError, UnicodeDecodeError) as e:
        print("cannot read expected JSONL %s: %s" % (expected_path, e))
        return 1
    msgs = parse_errors[:MAX_DIFF_ROWS] + compare_rows(table.schema, actual, expected)
    stats = check_statistics(path, table)
    if stats:
        msgs.append("statistics violations (%d):" % len(stats))
        msgs.extend("  " + p for p in stats)
    if msgs:
        print("\n".join(msgs))
        return 1
    print("ok %d rows" % len(actual))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
