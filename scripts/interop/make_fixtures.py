#!/usr/bin/env python3
"""Write a deterministic matrix of Parquet fixtures with pyarrow.

Usage:
    make_fixtures.py OUT_DIR [--skip-big] [--only SUBSTRING]

For every fixture X this writes, into OUT_DIR:

* ``X.parquet``    the file, written by pyarrow.parquet.write_table
* ``X.jsonl``      the expected rows in the project's JSONL conventions,
                   rendered by parquet_to_jsonl.table_to_jsonl_lines from the
                   file *as pyarrow reads it back*.  Before writing, the
                   rendering of the in-memory source table is compared with
                   the read-back rendering and the script aborts on any
                   difference, so the JSONL is also what was put in.
* ``X.meta.json``  how it was written: write_table keyword arguments, Arrow
                   schema (source and read back), row groups, and per leaf
                   column the physical/logical type, chunk encodings,
                   compression and an actual page census (parquet_pages.py).

plus ``manifest.json``: a list of {"name", "parquet", "jsonl", "meta", "rows",
"features": [...]}.

Fixture groups (see build_fixtures()):
  mixed_*        flat table of 5,000 rows, every primitive kind, ~10% nulls,
                 compression {none,snappy,gzip,zstd} x page {v1,v2} x
                 {dict,plain}; 4 row groups of <=1,500 rows, 4 KiB pages.
  enc_*          the mixed table with explicit non-default encodings.
  nested_*       lists / structs / maps, nullable and required variants.
  legacy_*       INT96 timestamps, non-compliant list naming, no Arrow schema.
  edge_*         empty, one row, all-null columns, 1,000,000 rows.
  extra_*        features outside the requested matrix (dictionary fallback,
                 page index + CRC, decimals as INT32/INT64, LZ4_RAW, brotli,
                 no statistics, unusual Arrow types, TIME types).

Everything is derived from fixed seeds; re-running produces identical files.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from decimal import Decimal
from typing import Any, Callable, Dict, List, Optional, Sequence

import pyarrow as pa
import pyarrow.parquet as pq

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from parquet_to_jsonl import (read_parquet, schema_records,  # noqa: E402
                              table_to_jsonl_lines)
from parquet_pages import file_page_summary  # noqa: E402

NULL_RATE = 0.10


# ---------------------------------------------------------------------------
# Value generation helpers
# ---------------------------------------------------------------------------

def dec(unscaled: int, scale: int) -> Decimal:
    """Exact Decimal from an unscaled integer (no decimal context involved)."""
    sign = 1 if unscaled < 0 else 0
    return Decimal((sign, tuple(int(c) for c in str(abs(unscaled))), -scale))


def column(rng: random.Random, n: int, gen: Callable[[random.Random], Any],
           specials: Sequence[Any] = (), nullable: bool = True,
           stride: int = 389) -> List[Any]:
    """n values from ``gen``; ~10% nulls if nullable; ``specials`` are
    scattered deterministically over the whole range (so they land in
    different row groups / pages) and are never nulled."""
    values = [None if nullable and rng.random() < NULL_RATE else gen(rng)
              for _ in range(n)]
    for j, v in enumerate(specials):
        values[(7 + j * stride) % n] = v
    return values


# Boundaries used in several columns.
DATE_MIN, DATE_MAX = -719162, 2932896                       # 0001-01-01, 9999-12-31
US_MIN, US_MAX = -62135596800000000, 253402300799999999     # same bounds in us

STRING_SPECIALS = [
    "", "a", "😀", "🎉 party 🎉", "👩‍👩‍👧 family (ZWJ)", "漢字テスト中文한국어",
    "naïve café", "e\u0301 combining", "שלום עולם", "\u2028\u2029 separators",
    "quote\" backslash\\ slash/", "ctrl\n\t\r\u0001\u001f", "nul\u0000inside",
    "x" * 101, "長い文字列" * 40, "🙂" * 200, "long ascii " * 500,
]
STRING_POOL = ["alpha", "beta", "gamma", "delta", "epsilon", "ζήτα", "η", "θήτα",
               "iota", "kappa", "", "μ", "nu", "ξ", "omicron", "π", "rho", "σ",
               "tau", "υ"]


def rand_text(rng: random.Random) -> str:
    """Mostly dictionary-friendly pool values, sometimes random unicode."""
    r = rng.random()
    if r < 0.5:
        return rng.choice(STRING_POOL)
    if r < 0.9:
        alphabet = "abcdefghijklmnopqrstuvwxyz0123456789 -_ÄÖÜß€漢字😀"
        return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
    return "".join(chr(rng.randint(0x20, 0x2FFF)) for _ in range(rng.randint(30, 150)))


def rand_float(rng: random.Random) -> float:
    return rng.uniform(-1.0, 1.0) * 10.0 ** rng.randint(-30, 30)


# ---------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------

def mixed_table(n: int = 5000, seed: int = 20240102) -> pa.Table:
    """Flat table with one column per primitive kind."""
    rng = random.Random(seed)
    nan, inf = float("nan"), float("inf")

    def ints(bits: int, signed: bool = True):
        lo, hi = (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if signed else (0, (1 << bits) - 1)
        return (lambda r: r.randint(lo, hi)), [lo, hi, 0, -1 if signed else 1, 1]

    def decs(precision: int, scale: int):
        m = 10 ** precision - 1
        specials = [dec(m, scale), dec(-m, scale), dec(0, scale), dec(1, scale),
                    dec(-1, scale), dec(10 ** scale, scale), dec(-(10 ** scale) * 12, scale)]
        return (lambda r: dec(r.randint(-m, m) // 10 ** r.randint(0, precision - 1), scale)), specials

    cols: Dict[str, Any] = {}
    fields: List[pa.Field] = []

    def add(name: str, typ: pa.DataType, values: List[Any], nullable: bool = True) -> None:
        fields.append(pa.field(name, typ, nullable=nullable))
        cols[name] = pa.array(values, type=typ)

    add("row_id", pa.int64(), list(range(n)), nullable=False)      # the required column
    add("c_bool", pa.bool_(), column(rng, n, lambda r: r.random() < 0.5, [True, False]))
    for bits, typ in ((8, pa.int8()), (16, pa.int16()), (32, pa.int32()), (64, pa.int64())):
        gen, sp = ints(bits)
        add("c_int%d" % bits, typ, column(rng, n, gen, sp))
    gen, sp = ints(32, signed=False)
    add("c_uint32", pa.uint32(), column(rng, n, gen, sp + [1 << 31]))
    f32_specials = [nan, -0.0, 0.0, inf, -inf, 1.0, -1.0, 0.1, 3.4028234663852886e38,
                    -3.4028234663852886e38, 1.1754943508222875e-38, 1e-45, 16777217.0]
    add("c_float32", pa.float32(), column(rng, n, rand_float, f32_specials))
    f64_specials = [nan, -0.0, 0.0, inf, -inf, 1.0, -1.0, 0.1, 1.7976931348623157e308,
                    -1.7976931348623157e308, 2.2250738585072014e-308, 5e-324,
                    9007199254740993.0, 1e23, 123456789.123456789]
    add("c_float64", pa.float64(), column(rng, n, rand_float, f64_specials))
    for p, s in ((9, 2), (18, 4), (38, 10)):
        gen, sp = decs(p, s)
        add("c_dec%d_%d" % (p, s), pa.decimal128(p, s), column(rng, n, gen, sp))
    add("c_string", pa.string(), column(rng, n, rand_text, STRING_SPECIALS))
    bin_specials = [b"", b"\x00", b"\xff" * 3, bytes(range(256)), random.Random(7).randbytes(10000)]
    add("c_binary", pa.binary(), column(
        rng, n, lambda r: bytes(r.getrandbits(8) for _ in range(r.randint(0, 40))), bin_specials))
    add("c_date32", pa.date32(), column(
        rng, n, lambda r: r.randint(DATE_MIN, DATE_MAX),
        [0, DATE_MIN, DATE_MAX, -1, 1, 19724, 11016, -25567]))
    ts_specials = [0, -1, 1, US_MIN, US_MAX, 1704164645123456, -1234567, -86400000001,
                   951782400000000]  # ..., 2000-02-29
    ts_gen = (lambda r: r.randint(US_MIN, US_MAX) if r.random() < 0.5
              else r.randint(-(10 ** 15), 2 * 10 ** 15))
    add("c_ts_us_utc", pa.timestamp("us", tz="UTC"), column(rng, n, ts_gen, ts_specials))
    add("c_ts_us", pa.timestamp("us"), column(rng, n, ts_gen, ts_specials))
    add("c_ts_ms_utc", pa.timestamp("ms", tz="UTC"), column(
        rng, n, lambda r: r.randint(US_MIN // 1000, US_MAX // 1000),
        [0, -1, 1, US_MIN // 1000, US_MAX // 1000, 1704164645123]))
    return pa.Table.from_arrays([cols[f.name] for f in fields], schema=pa.schema(fields))


def nested_table(n: int = 2000, seed: int = 424242, nullable: bool = True,
                 item_name: str = "element") -> pa.Table:
    """Nested columns.  ``nullable=False`` makes every level required (no
    nulls anywhere, empty containers still occur).  ``item_name`` is the
    Arrow list child name; it only shows in the Parquet schema when writing
    with use_compliant_nested_type=False."""
    rng = random.Random(seed)
    req = not nullable

    def maybe_null(v: Any, rate: float = NULL_RATE) -> Any:
        return None if nullable and rng.random() < rate else v

    def lst(gen: Callable[[], Any], max_len: int = 6) -> Optional[list]:
        r = rng.random()
        if r < 0.08:
            return None if nullable else []                    # null list
        if r < 0.16:
            return []                                          # empty list
        length = rng.randint(1, max_len) if r < 0.99 else rng.randint(200, 400)
        return [maybe_null(gen()) for _ in range(length)]

    def f(name: str, typ: pa.DataType) -> pa.Field:
        return pa.field(name, typ, nullable=nullable)

    def list_of(typ: pa.DataType) -> pa.DataType:
        return pa.list_(pa.field(item_name, typ, nullable=nullable))

    i32 = lambda: rng.randint(-2 ** 31, 2 ** 31 - 1)  # noqa: E731
    i64 = lambda: rng.randint(-2 ** 63, 2 ** 63 - 1)  # noqa: E731
    txt = lambda: rand_text(rng)                      # noqa: E731

    t_l_int = list_of(pa.int32())
    t_l_str = list_of(pa.string())
    t_ll = list_of(list_of(pa.int64()))
    t_inner = pa.struct([f("d", pa.float64())])
    t_st = pa.struct([f("a", pa.int32()), f("b", pa.string()), f("c", t_inner)])
    t_map = pa.map_(pa.field("key", pa.string(), nullable=False),
                    pa.field("value", pa.int64(), nullable=nullable))
    t_elem = pa.struct([f("x", pa.int32()), f("y", list_of(pa.string()))])
    t_l_st = list_of(t_elem)
    t_st_l = pa.struct([f("tags", list_of(pa.string())), f("n", pa.int32())])

    rows: Dict[str, List[Any]] = {k: [] for k in
                                  ("id", "l_int", "l_str", "ll_int", "st", "mp", "l_st", "st_l")}
    for i in range(n):
        rows["id"].append(i)
        rows["l_int"].append(maybe_null(lst(i32, 8), 0.05))
        rows["l_str"].append(maybe_null(lst(txt), 0.05))
        rows["ll_int"].append(maybe_null(lst(lambda: lst(i64, 4), 4), 0.05))
        rows["st"].append(maybe_null({
            "a": maybe_null(i32()), "b": maybe_null(txt()),
            "c": maybe_null({"d": maybe_null(rand_float(rng))})}))
        keys = rng.sample(STRING_POOL[:10] + ["k%d" % k for k in range(10)], rng.randint(0, 5))
        rows["mp"].append(maybe_null([(k, maybe_null(i64())) for k in keys], 0.08))
        rows["l_st"].append(maybe_null(lst(lambda: {"x": maybe_null(i32()),
                                                    "y": maybe_null(lst(txt, 3))}, 4), 0.05))
        rows["st_l"].append(maybe_null({"tags": maybe_null(lst(txt, 3)),
                                        "n": maybe_null(i32())}))
    if req:
        # lst() may still produce None via maybe_null only when nullable; sanity check.
        assert all(v is not None for col in rows.values() for v in col)
    fields = [pa.field("id", pa.int64(), nullable=False), f("l_int", t_l_int),
              f("l_str", t_l_str), f("ll_int", t_ll), f("st", t_st), f("mp", t_map),
              f("l_st", t_l_st), f("st_l", t_st_l)]
    return pa.Table.from_arrays([pa.array(rows[fl.name], type=fl.type) for fl in fields],
                                schema=pa.schema(fields))


def big_table(n: int = 1_000_000) -> pa.Table:
    """1M rows: sequential int64, "row-<i>", a double derived from i."""
    ids = pa.array(range(n), type=pa.int64())
    names = pa.array(["row-%d" % i for i in range(n)], type=pa.string())
    values = pa.array([i * 0.25 - 1000.0 for i in range(n)], type=pa.float64())
    return pa.table({"id": ids, "name": names, "value": values})


def all_nulls_table(n: int = 1000) -> pa.Table:
    """One non-null id column plus all-null columns of several types."""
    types = {"n_int32": pa.int32(), "n_int64": pa.int64(), "n_double": pa.float64(),
             "n_string": pa.string(), "n_binary": pa.binary(), "n_bool": pa.bool_(),
             "n_decimal": pa.decimal128(18, 3), "n_date": pa.date32(),
             "n_ts": pa.timestamp("us", tz="UTC"), "n_list": pa.list_(pa.int32()),
             "n_struct": pa.struct([("a", pa.int32()), ("b", pa.string())]),
             "n_map": pa.map_(pa.string(), pa.int32()), "n_null": pa.null()}
    fields = [pa.field("id", pa.int64(), nullable=False)] + [pa.field(k, t) for k, t in types.items()]
    arrays = [pa.array(range(n), pa.int64())] + [pa.nulls(n, type=t) for t in types.values()]
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields))


def misc_types_table(n: int = 500, seed: int = 99) -> pa.Table:
    """Arrow types outside the main matrix that Parquet can round-trip."""
    rng = random.Random(seed)
    nan = float("nan")
    cols = {
        "u8": (pa.uint8(), column(rng, n, lambda r: r.randint(0, 255), [0, 255])),
        "u16": (pa.uint16(), column(rng, n, lambda r: r.randint(0, 65535), [0, 65535])),
        "u64": (pa.uint64(), column(rng, n, lambda r: r.getrandbits(64), [0, 2 ** 64 - 1, 2 ** 63])),
        "f16": (pa.float16(), None),
        "d256": (pa.decimal256(76, 20), column(
            rng, n, lambda r: dec(r.randint(-(10 ** 76 - 1), 10 ** 76 - 1), 20),
            [dec(10 ** 76 - 1, 20), dec(-(10 ** 76 - 1), 20), dec(0, 20)])),
        "d_small": (pa.decimal128(4, 4), column(rng, n, lambda r: dec(r.randint(-9999, 9999), 4),
                                                [dec(0, 4), dec(9999, 4), dec(-1, 4)])),
        "d_int": (pa.decimal128(10, 0), column(rng, n, lambda r: dec(r.randint(-10 ** 10 + 1, 10 ** 10 - 1), 0))),
        "lstr": (pa.large_string(), column(rng, n, rand_text, ["", "😀"])),
        "lbin": (pa.large_binary(), column(rng, n, lambda r: r.randbytes(r.randint(0, 10)), [b""])),
        "fsb": (pa.binary(16), column(rng, n, lambda r: r.randbytes(16), [b"\x00" * 16, b"\xff" * 16])),
        "llist": (pa.large_list(pa.int32()), column(
            rng, n, lambda r: [r.randint(-5, 5) if r.random() > 0.1 else None
                               for _ in range(r.randint(0, 4))], [[]])),
        "fsl": (pa.list_(pa.float32(), 3), column(
            rng, n, lambda r: [r.uniform(-1, 1), None if r.random() < 0.1 else 0.5, 2.0])),
        "ts_ns_utc": (pa.timestamp("ns", tz="UTC"), column(
            rng, n, lambda r: r.randint(-(2 ** 63) + 1, 2 ** 63 - 1), [-1, 1, 999, -999, -1001, 0])),
        "ts_ns": (pa.timestamp("ns"), column(rng, n, lambda r: r.randint(-10 ** 18, 10 ** 18), [-1])),
        "ts_s": (pa.timestamp("s"), column(rng, n, lambda r: r.randint(-10 ** 10, 10 ** 10), [-1, 0])),
        "ts_ny": (pa.timestamp("us", tz="America/New_York"), column(
            rng, n, lambda r: r.randint(-10 ** 15, 10 ** 15), [0])),
        # Years outside 1..9999 (rendered signed / unpadded).
        "date_wide": (pa.date32(), column(
            rng, n, lambda r: r.randint(-(2 ** 31), 2 ** 31 - 1),
            [-(2 ** 31), 2 ** 31 - 1, DATE_MIN - 1, DATE_MIN - 366, DATE_MAX + 1, -719528])),
        "ts_us_wide": (pa.timestamp("us", tz="UTC"), column(
            rng, n, lambda r: r.randint(-(2 ** 63), 2 ** 63 - 1),
            [-(2 ** 63), 2 ** 63 - 1, US_MIN - 1, US_MAX + 1])),
        "date64": (pa.date64(), column(rng, n, lambda r: r.randint(-10 ** 5, 10 ** 5) * 86_400_000, [0])),
        "dict_str": (pa.dictionary(pa.int32(), pa.string()), column(
            rng, n, lambda r: r.choice(STRING_POOL))),
        "null_col": (pa.null(), [None] * n),
    }
    f16_vals = column(rng, n, lambda r: r.uniform(-100, 100),
                      [nan, -0.0, 65504.0, -65504.0, 6e-8, 1.0, float("inf")])
    arrays, fields = [], []
    for name, (typ, vals) in cols.items():
        if name == "f16":
            arr = pa.array(f16_vals, pa.float32()).cast(pa.float16())
        elif name == "dict_str":
            arr = pa.array(vals, pa.string()).dictionary_encode()
        else:
            arr = pa.array(vals, type=typ)
        arrays.append(arr)
        fields.append(pa.field(name, arr.type))
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields))


def time_types_table(n: int = 300, seed: int = 5) -> pa.Table:
    rng = random.Random(seed)
    return pa.table({
        "t32_ms": pa.array(column(rng, n, lambda r: r.randint(0, 86_399_999), [0, 86_399_999]),
                           pa.time32("ms")),
        "t64_us": pa.array(column(rng, n, lambda r: r.randint(0, 86_399_999_999), [0, 86_399_999_999]),
                           pa.time64("us")),
        "t64_ns": pa.array(column(rng, n, lambda r: r.randint(0, 86_399_999_999_999),
                                  [0, 86_399_999_999_999]), pa.time64("ns")),
    })


def int96_table(n: int = 1000, seed: int = 96) -> pa.Table:
    """Timestamps for INT96 storage.  Zone-less on purpose: pyarrow reads
    INT96 back without a time zone when coercing the unit."""
    rng = random.Random(seed)
    return pa.table({
        "id": pa.array(range(n), pa.int64()),
        "ts_us": pa.array(column(rng, n, lambda r: r.randint(US_MIN, US_MAX),
                                 [0, -1, 1, US_MIN, US_MAX, 1704164645123456]),
                          pa.timestamp("us")),
        "ts_ns": pa.array(column(rng, n, lambda r: r.randint(-(2 ** 63) + 1, 2 ** 63 - 1),
                                 [0, -1, 1, 999, -1001, 1704164645123456789]),
                          pa.timestamp("ns")),
    })


# ---------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------

# Small pages: data_page_size is only checked after each write batch, hence
# the small write_batch_size; max_rows_per_page also splits the (compact)
# dictionary-index pages, which would otherwise hold a whole row group.
MIXED_PAGE_OPTS = dict(row_group_size=1500, data_page_size=4096, write_batch_size=128,
                       max_rows_per_page=500)
INT_PHYSICAL = ["row_id", "c_int8", "c_int16", "c_int32", "c_int64", "c_uint32",
                "c_date32", "c_ts_us_utc", "c_ts_us", "c_ts_ms_utc"]
BYTE_ARRAYS = ["c_string", "c_binary"]
FLOATS = ["c_float32", "c_float64"]


def column_meta(path: str) -> Dict[str, Any]:
    """Describe the file as written (from its footer and page headers)."""
    pf = pq.ParquetFile(path)
    md = pf.metadata
    pages = file_page_summary(path)
    leaves = []
    for ci in range(md.num_columns):
        col = md.schema.column(ci)
        chunk_encs, codecs, has_stats = set(), set(), False
        for rg in range(md.num_row_groups):
            cc = md.row_group(rg).column(ci)
            chunk_encs.update(cc.encodings)
            codecs.add(cc.compression)
            has_stats = has_stats or cc.is_stats_set
        leaves.append({
            "path": col.path, "physical_type": col.physical_type,
            "logical_type": json.loads(col.logical_type.to_json()),
            "converted_type": col.converted_type,
            "max_definition_level": col.max_definition_level,
            "max_repetition_level": col.max_repetition_level,
            "chunk_encodings": sorted(chunk_encs), "compression": sorted(codecs),
            "statistics": has_stats, **{k: v for k, v in pages[ci].items() if k != "path"},
        })
    return {"format_version": md.format_version, "created_by": md.created_by,
            "num_row_groups": md.num_row_groups,
            "row_group_rows": [md.row_group(i).num_rows for i in range(md.num_row_groups)],
            "has_arrow_schema": b"ARROW:schema" in (md.metadata or {}),
            "columns": leaves}


def write_fixture(out_dir: str, name: str, table: pa.Table, features: List[str],
                  notes: str = "", **write_kwargs: Any) -> Dict[str, Any]:
    """Write X.parquet / X.jsonl / X.meta.json and return the manifest entry."""
    pq_path = os.path.join(out_dir, name + ".parquet")
    pq.write_table(table, pq_path, **write_kwargs)

    back = read_parquet(pq_path)
    lines = list(table_to_jsonl_lines(back))
    expected = list(table_to_jsonl_lines(table))
    if lines != expected:
        bad = next(i for i, (a, b) in enumerate(zip(lines, expected)) if a != b) \
            if len(lines) == len(expected) else "row count"
        raise SystemExit("%s: pyarrow read-back differs from source at row %s:\n"
                         "  source:    %s\n  read back: %s"
                         % (name, bad, expected[bad] if isinstance(bad, int) else len(expected),
                            lines[bad] if isinstance(bad, int) else len(lines)))

    with open(os.path.join(out_dir, name + ".jsonl"), "wb") as f:
        f.write("".join(line + "\n" for line in lines).encode("utf-8"))

    meta = {
        "name": name, "rows": back.num_rows, "features": features, "notes": notes,
        "writer": "pyarrow %s" % pa.__version__,
        "write_table_kwargs": write_kwargs,
        "schema": schema_records(table.schema),
        "schema_read_back": schema_records(back.schema),
        **column_meta(pq_path),
    }
    with open(os.path.join(out_dir, name + ".meta.json"), "w", encoding="utf-8") as f:
        json.dump(meta, f, ensure_ascii=False, indent=1)
        f.write("\n")
    return {"name": name, "parquet": name + ".parquet", "jsonl": name + ".jsonl",
            "meta": name + ".meta.json", "rows": back.num_rows, "features": features}


def build_fixtures(skip_big: bool = False):
    """Yield (name, table_factory, features, notes, write_kwargs)."""
    mixed = mixed_table()
    nested_null = nested_table(nullable=True)
    nested_req = nested_table(nullable=False)
    nested_item = nested_table(nullable=True, item_name="item")
    pv = {"1.0": "v1", "2.0": "v2"}

    # -- mixed matrix -------------------------------------------------------
    for comp in ("none", "snappy", "gzip", "zstd"):
        for dpv in ("1.0", "2.0"):
            for use_dict in (True, False):
                name = "mixed_%s_%s_%s" % (comp, pv[dpv], "dict" if use_dict else "plain")
                yield (name, mixed,
                       ["mixed", "compression:" + comp, "page:" + pv[dpv],
                        "dictionary" if use_dict else "plain", "multi_row_group", "multi_page"],
                       "", dict(compression=comp, data_page_version=dpv,
                                use_dictionary=use_dict, **MIXED_PAGE_OPTS))

    # -- explicit encodings --------------------------------------------------
    for ba_enc, tag in (("DELTA_LENGTH_BYTE_ARRAY", "delta_length"),
                        ("DELTA_BYTE_ARRAY", "delta_byte_array")):
        enc = {c: "DELTA_BINARY_PACKED" for c in INT_PHYSICAL}
        enc.update({c: ba_enc for c in BYTE_ARRAYS})
        enc.update({c: "BYTE_STREAM_SPLIT" for c in FLOATS})
        for dpv in ("1.0", "2.0"):
            yield ("enc_%s_%s" % (tag, pv[dpv]), mixed,
                   ["encoding:DELTA_BINARY_PACKED", "encoding:" + ba_enc,
                    "encoding:BYTE_STREAM_SPLIT", "page:" + pv[dpv], "multi_page"],
                   "ints/dates/timestamps DELTA_BINARY_PACKED, string/binary %s, "
                   "floats BYTE_STREAM_SPLIT; other columns PLAIN" % ba_enc,
                   dict(compression="none", data_page_version=dpv, use_dictionary=False,
                        column_encoding=enc, **MIXED_PAGE_OPTS))
    bss = {c: "BYTE_STREAM_SPLIT" for c in INT_PHYSICAL + FLOATS +
           ["c_dec9_2", "c_dec18_4", "c_dec38_10"]}
    bss["c_bool"] = "RLE"
    for dpv in ("1.0", "2.0"):
        yield ("enc_bss_all_%s" % pv[dpv], mixed,
               ["encoding:BYTE_STREAM_SPLIT", "bss:int", "bss:flba", "encoding:RLE_bool",
                "page:" + pv[dpv], "multi_page"],
               "BYTE_STREAM_SPLIT also on INT32/INT64/FIXED_LEN_BYTE_ARRAY (format 2.11); "
               "booleans RLE",
               dict(compression="none", data_page_version=dpv, use_dictionary=False,
                    column_encoding=bss, **MIXED_PAGE_OPTS))

    # -- nested -------------------------------------------------------------
    for label, tbl in (("nullable", nested_null), ("required", nested_req)):
        for dpv in ("1.0", "2.0"):
            yield ("nested_%s_%s" % (label, pv[dpv]), tbl,
                   ["nested", "list", "struct", "map", label, "page:" + pv[dpv],
                    "compression:snappy", "multi_row_group", "multi_page"], "",
                   dict(compression="snappy", data_page_version=dpv, row_group_size=700,
                        data_page_size=4096, write_batch_size=128, max_rows_per_page=250))

    # -- legacy ---------------------------------------------------------------
    yield ("legacy_int96", int96_table(), ["legacy", "int96"],
           "INT96 timestamps; read with coerce_int96_timestamp_unit='us' (ns floored)",
           dict(use_deprecated_int96_timestamps=True))
    yield ("legacy_list_item_naming", nested_item,
           ["legacy", "nested", "noncompliant_list_naming"],
           "use_compliant_nested_type=False: 3-level lists whose element is named 'item'. "
           "pyarrow cannot write 2-level (legacy) lists, so none are included.",
           dict(use_compliant_nested_type=False, compression="snappy"))
    yield ("legacy_no_arrow_schema_mixed", mixed, ["legacy", "no_arrow_schema", "mixed"],
           "store_schema=False: no ARROW:schema key-value metadata",
           dict(store_schema=False, **MIXED_PAGE_OPTS))
    yield ("legacy_no_arrow_schema_nested", nested_null, ["legacy", "no_arrow_schema", "nested"],
           "store_schema=False", dict(store_schema=False))

    # -- edge ---------------------------------------------------------------
    empty_schema = pa.schema(list(mixed.schema) + list(nested_null.schema)[1:])
    yield ("edge_empty", empty_schema.empty_table(), ["edge", "zero_rows", "nested"],
           "0 rows, mixed + nested columns", {})
    one = pa.Table.from_arrays(
        [mixed.column(i).slice(7, 1) for i in range(mixed.num_columns)] +
        [nested_null.column(i).slice(3, 1) for i in range(1, nested_null.num_columns)],
        schema=empty_schema)
    yield ("edge_one_row", one, ["edge", "one_row", "nested"], "", {})
    yield ("edge_all_nulls", all_nulls_table(), ["edge", "all_nulls", "null_type"], "", {})
    if not skip_big:
        yield ("edge_big_1m", big_table(), ["edge", "big", "multi_row_group"],
               "1,000,000 rows in row groups of 100,000", dict(row_group_size=100_000))

    # -- extras (outside the requested matrix) ------------------------------
    yield ("extra_dict_fallback", mixed, ["extra", "dictionary", "dictionary_fallback", "multi_page"],
           "dictionary_pagesize_limit=2048: high-cardinality columns start with "
           "RLE_DICTIONARY pages and fall back to PLAIN within a chunk",
           dict(dictionary_pagesize_limit=2048, **MIXED_PAGE_OPTS))
    yield ("extra_page_index_crc", mixed, ["extra", "page_index", "page_crc", "page:v2"],
           "write_page_index=True, write_page_checksum=True",
           dict(write_page_index=True, write_page_checksum=True, data_page_version="2.0",
                **MIXED_PAGE_OPTS))
    yield ("extra_decimal_as_int", mixed, ["extra", "decimal_int32_int64"],
           "store_decimal_as_integer=True: decimal(9,2)->INT32, decimal(18,4)->INT64",
           dict(store_decimal_as_integer=True, **MIXED_PAGE_OPTS))
    yield ("extra_no_statistics", mixed, ["extra", "no_statistics"], "",
           dict(write_statistics=False, **MIXED_PAGE_OPTS))
    for comp in ("lz4", "brotli"):
        yield ("extra_%s" % comp, mixed, ["extra", "compression:" + comp], "",
               dict(compression=comp, **MIXED_PAGE_OPTS))
    yield ("extra_misc_types", misc_types_table(),
           ["extra", "uint", "float16", "decimal256", "large_types", "fixed_size_binary",
            "fixed_size_list", "timestamp_ns", "timestamp_s", "date64", "dictionary_type",
            "null_type", "years_outside_1_9999"],
           "Arrow types whose read-back type depends on the stored Arrow schema", {})
    yield ("extra_time_types", time_types_table(), ["extra", "time"],
           "TIME columns; rendered \"HH:MM:SS.ffffff\" (project extension)", {})


def main(argv: Optional[List[str]] = None) -> int:
    ap = argparse.ArgumentParser(description="Write the Parquet interop fixture matrix.")
    ap.add_argument("out_dir")
    ap.add_argument("--skip-big", action="store_true", help="omit the 1,000,000-row fixture")
    ap.add_argument("--only", help="write only fixtures whose name contains this")
    args = ap.parse_args(argv)
    os.makedirs(args.out_dir, exist_ok=True)

    t0 = time.monotonic()
    manifest = []
    for name, table, features, notes, kwargs in build_fixtures(args.skip_big):
        if args.only and args.only not in name:
            continue
        t1 = time.monotonic()
        manifest.append(write_fixture(args.out_dir, name, table, features, notes, **kwargs))
        print("%-34s %8d rows  %6.2fs" % (name, table.num_rows, time.monotonic() - t1),
              file=sys.stderr)
    with open(os.path.join(args.out_dir, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print("%d fixtures in %.1fs" % (len(manifest), time.monotonic() - t0), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
