#!/usr/bin/env python3
"""Render a Parquet file (read with pyarrow) as JSON lines in the project's
"JSONL conventions".

Usage:
    parquet_to_jsonl.py FILE            # one JSON object per row
    parquet_to_jsonl.py --schema FILE   # one JSON object per top-level field

Conventions (one compact JSON object per row, keys = column names in schema
order, ``json.dumps(obj, ensure_ascii=False, separators=(",", ":"))``):

* null                      -> null
* bool                      -> true / false
* int8..int64, uint8..64    -> JSON number (exact)
* float64                   -> JSON number (Python ``repr``: shortest
                               round-trip text, "-0.0" keeps its sign);
                               NaN / +inf / -inf -> "NaN" / "Infinity" /
                               "-Infinity" (strings)
* float32 / float16         -> JSON number carrying the *shortest decimal
                               that round-trips in the column's own width*
                               (like Swift's ``Float.description``), e.g. a
                               float32 0.1 is written 0.1, not
                               0.10000000149011612.  Same NaN/inf strings.
                               (check_parquet.py rounds both sides to the
                               column width before comparing, so either
                               spelling is accepted there.)
* decimal128 / decimal256   -> JSON string with exactly ``scale`` fractional
                               digits, never exponent form ("-12.340",
                               "0.0000000000"); computed with integer
                               arithmetic, never through float.
* string / large_string     -> JSON string
* binary / large_binary /
  fixed_size_binary         -> standard base64 (with padding)
* date32 / date64           -> "YYYY-MM-DD"
* timestamp (s/ms/us/ns)    -> "YYYY-MM-DDTHH:MM:SS.ffffff" (always 6
                               fractional digits) + "Z" if the type has a
                               time zone.  A zoned timestamp stores a UTC
                               instant, so it is always rendered in UTC with
                               "Z" whatever the zone name is.  Nanoseconds are
                               truncated toward negative infinity (floor), so
                               -1 ns renders as 1969-12-31T23:59:59.999999.
  Years: 4-digit zero-padded when 0 <= year <= 9999, otherwise the signed
  year without padding ("-12-03-04", "10000-01-01").  Conversion uses the
  raw integer values and Howard Hinnant's days->civil algorithm, so any
  int64 value renders (Python's datetime is never used).
* time32 / time64           -> "HH:MM:SS.ffffff" (project extension; ns
                               floored to us)
* list / large_list /
  fixed_size_list           -> JSON array
* struct                    -> JSON object, fields in schema order
* map                       -> JSON array of {"key": k, "value": v} in
                               stored order
* dictionary<…>             -> rendered as its decoded value type
* null type                 -> null

INT96 timestamps are read with ``coerce_int96_timestamp_unit="us"`` so that
dates outside the nanosecond range (years 1677..2262) still read.

The module is imported by make_fixtures.py and check_parquet.py; keep the
public helpers (read_parquet, table_rows, dumps_row, table_to_jsonl_lines,
schema_records) stable.
"""

from __future__ import annotations

import argparse
import base64
import json
import math
import struct
import sys
from decimal import Decimal
from typing import Any, Callable, Iterable, Iterator, List, Optional

import pyarrow as pa
import pyarrow.parquet as pq
import pyarrow.types as pat

__all__ = [
    "read_parquet",
    "array_to_json",
    "table_rows",
    "dumps_row",
    "table_to_jsonl_lines",
    "schema_records",
    "format_date",
    "format_timestamp_us",
    "decimal_text",
    "shortest_float",
]


# ---------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------

def read_parquet(path: str, **kwargs: Any) -> pa.Table:
    """Read a whole Parquet file with pyarrow.

    INT96 columns are coerced to microseconds (instead of pyarrow's default
    nanoseconds) so that values outside the int64-nanosecond range survive.
    Extra keyword arguments are forwarded to ``pyarrow.parquet.read_table``.
    """
    kwargs.setdefault("coerce_int96_timestamp_unit", "us")
    return pq.read_table(path, **kwargs)


# ---------------------------------------------------------------------------
# Scalar formatting helpers
# ---------------------------------------------------------------------------

def civil_from_days(z: int) -> tuple:
    """Days since 1970-01-01 -> proleptic Gregorian (year, month, day).

    Howard Hinnant's ``civil_from_days``; Python's floor division makes the
    negative-era adjustment of the C++ original unnecessary.
    """
    z += 719468
    era = z // 146097
    doe = z - era * 146097                                        # [0, 146096]
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365  # [0, 399]
    y = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)               # [0, 365]
    mp = (5 * doy + 2) // 153                                     # [0, 11]
    d = doy - (153 * mp + 2) // 5 + 1                             # [1, 31]
    m = mp + 3 if mp < 10 else mp - 9                             # [1, 12]
    return (y + (1 if m <= 2 else 0), m, d)


def _year_text(y: int) -> str:
    # 4-digit zero padded inside 0..9999, otherwise signed and unpadded.
    return "%04d" % y if 0 <= y <= 9999 else str(y)


def format_date(days: int) -> str:
    """Days since the epoch -> "YYYY-MM-DD"."""
    y, m, d = civil_from_days(days)
    return "%s-%02d-%02d" % (_year_text(y), m, d)


_US_PER_DAY = 86_400_000_000


def format_timestamp_us(micros: int, utc: bool) -> str:
    """Microseconds since the epoch -> "YYYY-MM-DDTHH:MM:SS.ffffff[Z]"."""
    days, rem = divmod(micros, _US_PER_DAY)        # floor: rem in [0, day)
    secs, frac = divmod(rem, 1_000_000)
    hh, rest = divmod(secs, 3600)
    mm, ss = divmod(rest, 60)
    return "%sT%02d:%02d:%02d.%06d%s" % (
        format_date(days), hh, mm, ss, frac, "Z" if utc else "")


def format_time_us(micros: int) -> str:
    """Microseconds since midnight -> "HH:MM:SS.ffffff" (project extension)."""
    secs, frac = divmod(micros, 1_000_000)
    hh, rest = divmod(secs, 3600)
    mm, ss = divmod(rest, 60)
    return "%02d:%02d:%02d.%06d" % (hh, mm, ss, frac)


# Multiplier / divisor to convert a time unit to microseconds.
_TO_US = {"s": (1_000_000, 1), "ms": (1_000, 1), "us": (1, 1), "ns": (1, 1_000)}


def _to_micros(values: List[Optional[int]], unit: str) -> List[Optional[int]]:
    mul, div = _TO_US[unit]
    if mul == 1 and div == 1:
        return values
    if div == 1:
        return [None if v is None else v * mul for v in values]
    # Floor division: truncation toward negative infinity.
    return [None if v is None else v // div for v in values]


def format_unscaled(unscaled: int, scale: int) -> str:
    """Unscaled decimal integer + scale -> plain decimal text (no exponent)."""
    if scale <= 0:
        return str(unscaled * 10 ** (-scale))
    digits = str(abs(unscaled)).rjust(scale + 1, "0")
    text = digits[:-scale] + "." + digits[-scale:]
    return "-" + text if unscaled < 0 else text


def decimal_text(value: Decimal, scale: int) -> str:
    """Render a Decimal with exactly ``scale`` fractional digits.

    Pure integer arithmetic on ``Decimal.as_tuple()`` - no decimal context is
    involved, so 38/76-digit values never get rounded and "0E-10" renders as
    "0.0000000000".  A value that is not representable at ``scale`` raises.
    """
    sign, digits, exp = value.as_tuple()
    if not isinstance(exp, int):
        raise ValueError("non-finite decimal %r" % (value,))
    n = int("".join(map(str, digits))) if digits else 0
    shift = exp + scale
    if shift >= 0:
        unscaled = n * 10 ** shift
    else:
        unscaled, rem = divmod(n, 10 ** (-shift))
        if rem:
            raise ValueError("decimal %r has more than %d fractional digits" % (value, scale))
    return format_unscaled(-unscaled if sign else unscaled, scale)


_F32 = struct.Struct("<f")
_F16 = struct.Struct("<e")


def shortest_float(x: float, packer: struct.Struct, max_digits: int) -> float:
    """Shortest decimal (as a Python float) that round-trips through
    ``packer`` (binary32 / binary16) to the same value as ``x``.

    ``x`` must already be exactly representable in that width.  The result is
    a double whose ``repr`` is that shortest decimal text.
    """
    for p in range(1, max_digits + 1):
        y = float("%.*g" % (p, x))
        try:
            if packer.unpack(packer.pack(y))[0] == x:
                return y
        except OverflowError:
            continue
    return x


def _float_json(v: float) -> Any:
    """NaN / infinities -> their string spelling; finite floats unchanged."""
    if v != v:
        return "NaN"
    if v == math.inf:
        return "Infinity"
    if v == -math.inf:
        return "-Infinity"
    return v


# ---------------------------------------------------------------------------
# Array -> list of JSON-able Python values
# ---------------------------------------------------------------------------

def _validity(arr: pa.Array) -> List[bool]:
    if arr.null_count == 0:
        return [True] * len(arr)
    return arr.is_valid().to_pylist()


def _map_non_null(values: List[Any], fn: Callable[[Any], Any]) -> List[Any]:
    return [None if v is None else fn(v) for v in values]


def _list_like(arr: pa.Array, child_fn: Callable[[pa.Array], List[Any]]) -> List[Any]:
    """list / large_list / map: ``offsets`` honours the array's slice offset,
    ``values`` is the whole child array, so slice the child to the used
    range first."""
    offsets = arr.offsets.to_pylist()
    start, end = offsets[0], offsets[-1]
    child = child_fn(arr.values.slice(start, end - start))
    valid = _validity(arr)
    return [child[offsets[i] - start:offsets[i + 1] - start] if valid[i] else None
            for i in range(len(arr))]


def _struct_children(arr: pa.StructArray) -> List[List[Any]]:
    # flatten() applies the parent's slice offset (and validity) to children.
    return [array_to_json(child) for child in arr.flatten()]


def _map_entries(entries: pa.StructArray) -> List[Any]:
    keys, items = _struct_children(entries)
    return [{"key": k, "value": v} for k, v in zip(keys, items)]


def array_to_json(arr: Any) -> List[Any]:
    """Convert a pyarrow Array or ChunkedArray to a list of JSON-able values
    following the module's conventions."""
    if isinstance(arr, pa.ChunkedArray):
        out: List[Any] = []
        for chunk in arr.chunks:
            out.extend(array_to_json(chunk))
        return out

    t = arr.type
    if isinstance(t, pa.ExtensionType):
        return array_to_json(arr.storage)
    if pat.is_dictionary(t):
        return array_to_json(arr.dictionary_decode())
    if pat.is_null(t):
        return [None] * len(arr)
    if pat.is_boolean(t) or pat.is_integer(t):
        return arr.to_pylist()
    if pat.is_float64(t):
        return _map_non_null(arr.to_pylist(), _float_json)
    if pat.is_float32(t):
        return _map_non_null(arr.to_pylist(),
                             lambda v: _float_json(shortest_float(v, _F32, 9)))
    if pat.is_float16(t):
        return _map_non_null(arr.to_pylist(),
                             lambda v: _float_json(shortest_float(v, _F16, 5)))
    if pat.is_decimal(t):
        scale = t.scale
        return _map_non_null(arr.to_pylist(), lambda d: decimal_text(d, scale))
    if pat.is_string(t) or pat.is_large_string(t) or pat.is_string_view(t):
        return arr.to_pylist()
    if (pat.is_binary(t) or pat.is_large_binary(t) or pat.is_fixed_size_binary(t)
            or pat.is_binary_view(t)):
        return _map_non_null(arr.to_pylist(),
                             lambda b: base64.b64encode(b).decode("ascii"))
    if pat.is_date32(t):
        return _map_non_null(arr.cast(pa.int32()).to_pylist(), format_date)
    if pat.is_date64(t):
        return _map_non_null(arr.cast(pa.int64()).to_pylist(),
                             lambda ms: format_date(ms // 86_400_000))
    if pat.is_timestamp(t):
        utc = t.tz is not None
        micros = _to_micros(arr.cast(pa.int64()).to_pylist(), t.unit)
        return _map_non_null(micros, lambda us: format_timestamp_us(us, utc))
    if pat.is_time32(t) or pat.is_time64(t):
        raw = arr.cast(pa.int32() if pat.is_time32(t) else pa.int64())
        micros = _to_micros(raw.to_pylist(), t.unit)
        return _map_non_null(micros, format_time_us)
    if pat.is_map(t):
        return _list_like(arr, _map_entries)
    if pat.is_list(t) or pat.is_large_list(t):
        return _list_like(arr, array_to_json)
    if pat.is_fixed_size_list(t):
        size = t.list_size
        child = array_to_json(arr.values.slice(arr.offset * size, len(arr) * size))
        valid = _validity(arr)
        return [child[i * size:(i + 1) * size] if valid[i] else None
                for i in range(len(arr))]
    if pat.is_struct(t):
        names = [t.field(i).name for i in range(t.num_fields)]
        children = _struct_children(arr)
        valid = _validity(arr)
        return [dict(zip(names, vals)) if ok else None
                for ok, vals in zip(valid, zip(*children) if children else
                                    [()] * len(arr))]
    raise NotImplementedError("no JSONL convention for Arrow type %s" % t)


# ---------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------

def table_rows(table: pa.Table) -> List[dict]:
    """All rows of ``table`` as dicts (keys in schema order)."""
    names = table.schema.names
    if len(set(names)) != len(names):
        raise ValueError("duplicate top-level column names: %r" % (names,))
    columns = [array_to_json(col) for col in table.columns]
    if not columns:
        return [{} for _ in range(table.num_rows)]
    return [dict(zip(names, vals)) for vals in zip(*columns)]


def dumps_row(row: Any) -> str:
    """The one true serialisation of a row (or any JSON value)."""
    return json.dumps(row, ensure_ascii=False, separators=(",", ":"),
                      allow_nan=False)


def table_to_jsonl_lines(table: pa.Table) -> Iterator[str]:
    """JSONL lines (without trailing newline) for every row of ``table``."""
    for row in table_rows(table):
        yield dumps_row(row)


def schema_records(schema: pa.Schema) -> List[dict]:
    """One record per top-level field for ``--schema``."""
    return [{"name": f.name, "type": str(f.type), "nullable": f.nullable}
            for f in schema]


def write_lines(lines: Iterable[str], out) -> None:
    """Write lines as UTF-8 with '\\n' terminators to a binary stream."""
    buf: List[str] = []
    for line in lines:
        buf.append(line)
        if len(buf) >= 10_000:
            out.write(("\n".join(buf) + "\n").encode("utf-8"))
            buf.clear()
    if buf:
        out.write(("\n".join(buf) + "\n").encode("utf-8"))


def main(argv: Optional[List[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("file", help="Parquet file to read")
    ap.add_argument("--schema", action="store_true",
                    help="print one JSON line per top-level field instead of rows")
    args = ap.parse_args(argv)

    if args.schema:
        schema = pq.read_schema(args.file)
        write_lines((dumps_row(r) for r in schema_records(schema)), sys.stdout.buffer)
    else:
        write_lines(table_to_jsonl_lines(read_parquet(args.file)), sys.stdout.buffer)
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
