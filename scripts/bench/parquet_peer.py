#!/usr/bin/env python3
"""pyarrow side of the Parquet benchmark (driven by scripts/bench-parquet.sh).

Usage:
    parquet_peer.py --mode write --codec snappy|zstd --rows N --file PATH
    parquet_peer.py --mode read  --codec snappy|zstd --rows N --file PATH
    parquet_peer.py --mode generate --rows N
    parquet_peer.py --verify SWIFT_FILE [--rows N]
    parquet_peer.py --summarize RESULTS_JSONL

write/read/generate print one JSON line, the same shape as Benchmarks/ParquetBenchmark:
    {"impl":"pyarrow","op":"write","codec":"snappy","rows":1000000,"seconds":..,
     "rows_per_s":..,"bytes":..,"peak_rss_mb":..,...}

Timing is symmetric with the Swift side: `write` times pq.write_table into an in-memory
BufferOutputStream (building the table and saving the file are not timed); `read` loads the file
into memory untimed and times pq.read_table on a BufferReader over it. pyarrow's defaults are used
(use_dictionary=True, compression level = codec default, use_threads=True for reading) unless
--no-threads is given. peak_rss_mb is ru_maxrss of this process (includes the interpreter and the
pyarrow import, ~70 MB).

--verify reads SWIFT_FILE with pyarrow and checks (a) every column equals the table built here,
(b) ~1000 sampled rows equal the formulas evaluated with plain Python scalars. Exit 1 if not.

--summarize reads the JSON lines of a driver run and prints the table (best time of each
impl/op/codec, largest peak RSS, and the ratio by least CPU time: pyarrow CPU s / Swift CPU s); exit status 3 when a goal (write >= 0.5x, read >= 1.0x pyarrow)
is missed, so the driver can report it.

The table is a pure function of the row index i (keep in step with
Benchmarks/ParquetBenchmark/main.swift):

    id      int64            i                                                    never null
    qty     int32            (i * 7) % 1000                                       null if i % 10 == 0
    price   decimal(18,2)    unscaled (i * 7919) % 10_000_000                     never null
    big     decimal(38,10)   unscaled +-(i * 1_000_000_007 * 10**12 + i % 9973),
                             negative if i % 4 == 3                               null if i % 13 == 0
    name    string           "customer-{i % 50000}"                               never null
    note    string           "order {i} shipped to warehouse {i % 97} via route {(i * 31) % 1000}"
                                                                                  null if i % 7 == 0
    created timestamp[us,UTC] 1_700_000_000_000_000 + i * 1_000_003               never null
    updated timestamp[us,UTC] created + ((i * 13) % 3600) * 1_000_000             null if i % 5 == 0
    score   float64          (i % 1000) / 7                                       never null
    active  bool             i % 3 == 0                                           never null
"""

import argparse
import datetime
import decimal
import json
import resource
import sys
import time

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

TS = pa.timestamp("us", tz="UTC")
SCHEMA = pa.schema([
    pa.field("id", pa.int64(), nullable=False),
    pa.field("qty", pa.int32()),
    pa.field("price", pa.decimal128(18, 2), nullable=False),
    pa.field("big", pa.decimal128(38, 10)),
    pa.field("name", pa.string(), nullable=False),
    pa.field("note", pa.string()),
    pa.field("created", TS, nullable=False),
    pa.field("updated", TS),
    pa.field("score", pa.float64(), nullable=False),
    pa.field("active", pa.bool_(), nullable=False),
])


def _null_where(mask, values):
    return pc.if_else(mask, pa.scalar(None, type=values.type), values)


def _every(idx, n):
    return pc.equal(pc.remainder(idx, n), 0)


def _big_decimal(start, count):
    """decimal128(38,10) from Python ints (the values pass 64 bits, so no int64 cast trick)."""
    chunks = []
    for i in range(start, start + count):
        if i % 13 == 0:
            v = 0
        else:
            v = i * 1_000_000_007 * 10**12 + i % 9973
            if i % 4 == 3:
                v = -v
        chunks.append(v.to_bytes(16, "little", signed=True))
    validity = pc.invert(_every(pa.array(range(start, start + count), pa.int64()), 13))
    validity_buf = validity.buffers()[1]
    if validity.offset != 0:  # not expected from a fresh compute result, but be safe
        validity_buf = pa.concat_arrays([validity]).buffers()[1]
    return pa.Array.from_buffers(pa.decimal128(38, 10), count,
                                 [validity_buf, pa.py_buffer(b"".join(chunks))])


def make_batch(start, count):
    """Rows start .. start+count-1 as a RecordBatch, vectorized with pyarrow.compute."""
    idx = pa.array(range(start, start + count), type=pa.int64())
    qty = _null_where(_every(idx, 10), pc.cast(pc.remainder(pc.multiply(idx, 7), 1000), pa.int32()))
    # int64 -> decimal128(19,0) is exact; view() keeps the unscaled integer and relabels the scale.
    price = pc.cast(pc.remainder(pc.multiply(idx, 7919), 10_000_000), pa.decimal128(19, 0)).view(pa.decimal128(18, 2))
    big = _big_decimal(start, count)
    name = pc.binary_join_element_wise("customer-", pc.cast(pc.remainder(idx, 50_000), pa.string()), "")
    note = pc.binary_join_element_wise(
        "order ", pc.cast(idx, pa.string()),
        " shipped to warehouse ", pc.cast(pc.remainder(idx, 97), pa.string()),
        " via route ", pc.cast(pc.remainder(pc.multiply(idx, 31), 1000), pa.string()), "")
    note = _null_where(_every(idx, 7), note)
    created_us = pc.add(pc.multiply(idx, 1_000_003), 1_700_000_000_000_000)
    updated_us = pc.add(created_us, pc.multiply(pc.remainder(pc.multiply(idx, 13), 3600), 1_000_000))
    created = pc.cast(created_us, TS)
    updated = _null_where(_every(idx, 5), pc.cast(updated_us, TS))
    score = pc.divide(pc.cast(pc.remainder(idx, 1000), pa.float64()), 7.0)
    active = _every(idx, 3)
    return pa.RecordBatch.from_arrays([idx, qty, price, big, name, note, created, updated, score, active],
                                      schema=SCHEMA)


def make_table(rows, batch_rows=100_000):
    batches = [make_batch(s, min(batch_rows, rows - s)) for s in range(0, rows, batch_rows)]
    return pa.Table.from_batches(batches, schema=SCHEMA)


def expected_row(i):
    """Row i from the formulas with plain Python scalars (independent of make_batch)."""
    epoch = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
    created = 1_700_000_000_000_000 + i * 1_000_003
    big = i * 1_000_000_007 * 10**12 + i % 9973
    if i % 4 == 3:
        big = -big
    return {
        "id": i,
        "qty": None if i % 10 == 0 else (i * 7) % 1000,
        "price": decimal.Decimal((i * 7919) % 10_000_000).scaleb(-2),
        "big": None if i % 13 == 0 else decimal.Decimal(big).scaleb(-10),
        "name": f"customer-{i % 50_000}",
        "note": None if i % 7 == 0 else f"order {i} shipped to warehouse {i % 97} via route {(i * 31) % 1000}",
        "created": epoch + datetime.timedelta(microseconds=created),
        "updated": None if i % 5 == 0 else epoch + datetime.timedelta(microseconds=created + ((i * 13) % 3600) * 1_000_000),
        "score": (i % 1000) / 7,
        "active": i % 3 == 0,
    }


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def emit(**fields):
    print(json.dumps(fields, separators=(",", ":")), flush=True)


def verify(path, rows):
    decimal.getcontext().prec = 60
    actual = pq.read_table(path)
    problems = []
    if rows is None:
        rows = actual.num_rows
    if actual.num_rows != rows:
        problems.append(f"{actual.num_rows} rows, expected {rows}")
    for field in SCHEMA:
        got = actual.schema.field(field.name) if field.name in actual.schema.names else None
        if got is None:
            problems.append(f"missing column {field.name}")
        elif got.type != field.type:
            problems.append(f"column {field.name}: type {got.type}, expected {field.type}")
    if problems:
        print("verify FAILED: " + "; ".join(problems))
        return 1

    # (a) whole columns against the vectorized table
    expected = make_table(rows)
    for name in SCHEMA.names:
        a = actual.column(name).combine_chunks()
        e = expected.column(name).combine_chunks()
        if not a.equals(e):
            diff = pc.invert(pc.fill_null(pc.equal(a, e), False))
            both_null = pc.and_(a.is_null(), e.is_null())
            diff = pc.and_(diff, pc.invert(both_null))
            first = pc.index(diff, True).as_py()
            problems.append(f"column {name} differs, first at row {first}: "
                            f"{a[first].as_py()!r} != {e[first].as_py()!r}")
    # (b) sampled rows against scalar formulas
    samples = sorted(set(list(range(min(rows, 64))) + list(range(0, rows, max(1, rows // 997))) + [rows - 1]))
    sampled = 0
    for i in samples:
        if i < 0:
            continue
        got = actual.slice(i, 1).to_pylist()[0]
        want = expected_row(i)
        for name in SCHEMA.names:
            if got[name] != want[name]:
                problems.append(f"row {i} column {name}: {got[name]!r} != {want[name]!r}")
        sampled += 1
        if len(problems) > 10:
            break
    if problems:
        print("verify FAILED: " + "; ".join(problems[:10]))
        return 1
    meta = pq.ParquetFile(path).metadata
    print(f"verify ok: {path}: {rows} rows x {len(SCHEMA)} columns equal the formulas "
          f"({sampled} rows checked one by one; {meta.num_row_groups} row groups, created_by {meta.created_by!r})")
    return 0


def summarize(path):
    """Print the comparison table from the JSON lines the driver collected (best time per cell)."""
    best, cpu, rss, size, order = {}, {}, {}, {}, []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line.startswith("{"):
                continue
            r = json.loads(line)
            if r.get("op") not in ("write", "read"):
                continue
            key = (r["op"], r["codec"], r["impl"])
            if (r["op"], r["codec"]) not in order:
                order.append((r["op"], r["codec"]))
            if key not in best or r["seconds"] < best[key]["seconds"]:
                best[key] = r
            if "cpu_seconds" in r:
                cpu[key] = min(cpu.get(key, float("inf")), r["cpu_seconds"])
            rss[key] = max(rss.get(key, 0), r.get("peak_rss_mb", 0))
            size[key] = r.get("bytes")
    goals = {"write": 0.5, "read": 1.0}
    header = ["op", "codec", "swift rows/s", "pyarrow rows/s", "swift/pyarrow", "goal", "by CPU time",
              "swift peak RSS MB", "pyarrow peak RSS MB", "file MB swift / pyarrow"]
    def cpu_ratio(op, codec):
        # pyarrow CPU seconds / Swift CPU seconds for the same rows: less sensitive than wall
        # time to other load on the machine; counts all of pyarrow's threads.
        s, p = cpu.get((op, codec, "swift")), cpu.get((op, codec, "pyarrow"))
        return f"{p / s:.2f}" if s and p else "-"

    rows = []
    missed = 0
    for op, codec in sorted(order, key=lambda k: (["write", "read"].index(k[0]), k[1])):
        s, p = best.get((op, codec, "swift")), best.get((op, codec, "pyarrow"))
        if not s or not p:
            continue
        ratio = s["rows_per_s"] / p["rows_per_s"]
        goal = goals[op]
        ok = ratio >= goal
        missed += not ok
        rows.append([op, codec, f"{s['rows_per_s']:,.0f}", f"{p['rows_per_s']:,.0f}", f"{ratio:.2f}",
                     f">= {goal:.1f} {'met' if ok else 'MISSED'}", cpu_ratio(op, codec),
                     f"{rss[(op, codec, 'swift')]:.0f}", f"{rss[(op, codec, 'pyarrow')]:.0f}",
                     f"{size[(op, codec, 'swift')] / 1e6:.1f} / {size[(op, codec, 'pyarrow')] / 1e6:.1f}"])
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(header)]
    print("| " + " | ".join(h.ljust(w) for h, w in zip(header, widths)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for r in rows:
        print("| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |")
    return missed


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--mode", choices=["write", "read", "generate"], default="write")
    p.add_argument("--codec", default="snappy")
    p.add_argument("--rows", type=lambda s: int(s.replace("_", "")), default=None)
    p.add_argument("--file")
    p.add_argument("--batch-rows", type=int, default=100_000)
    p.add_argument("--no-threads", action="store_true", help="read with use_threads=False")
    p.add_argument("--per-column", action="store_true",
                   help="read mode: also time each column read alone (best of 3)")
    p.add_argument("--verify", metavar="SWIFT_FILE")
    p.add_argument("--summarize", metavar="RESULTS_JSONL",
                   help="print the comparison table of collected JSON lines; exit 3 if a goal is missed")
    args = p.parse_args()

    if args.summarize:
        return 3 if summarize(args.summarize) else 0
    if args.verify:
        return verify(args.verify, args.rows)
    rows = 1_000_000 if args.rows is None else args.rows
    codec = "none" if args.codec == "uncompressed" else args.codec

    if args.mode == "generate":
        t0 = time.perf_counter()
        table = make_table(rows, args.batch_rows)
        built = time.perf_counter() - t0
        emit(impl="pyarrow", op="generate", rows=table.num_rows, seconds=round(built, 6),
             rows_per_s=round(rows / built, 1), peak_rss_mb=round(peak_rss_mb(), 1))
        return 0
    if not args.file:
        p.error(f"--mode {args.mode} needs --file")

    if args.mode == "write":
        t0 = time.perf_counter()
        table = make_table(rows, args.batch_rows)
        built = time.perf_counter() - t0
        sink = pa.BufferOutputStream()
        t0, c0 = time.perf_counter(), time.process_time()
        pq.write_table(table, sink, compression=codec)
        buf = sink.getvalue()
        elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
        with open(args.file, "wb") as f:
            f.write(buf)
        emit(impl="pyarrow", op="write", codec=args.codec, rows=rows, seconds=round(elapsed, 6),
             rows_per_s=round(rows / elapsed, 1), cpu_seconds=round(cpu, 6), bytes=buf.size, peak_rss_mb=round(peak_rss_mb(), 1),
             build_seconds=round(built, 6), pyarrow=pa.__version__)
        return 0

    # read
    with open(args.file, "rb") as f:
        buf = pa.py_buffer(f.read())
    t0, c0 = time.perf_counter(), time.process_time()
    table = pq.read_table(pa.BufferReader(buf), use_threads=not args.no_threads)
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    if args.rows is not None and table.num_rows != rows:
        print(f"read {table.num_rows} rows, expected {rows}", file=sys.stderr)
        return 1
    if args.per_column:
        for name in table.column_names:
            best = float("inf")
            for _ in range(3):
                t0 = time.perf_counter()
                pq.read_table(pa.BufferReader(buf), columns=[name], use_threads=not args.no_threads)
                best = min(best, time.perf_counter() - t0)
            emit(impl="pyarrow", op="read-column", codec=args.codec, column=name, seconds=round(best, 6),
                 rows_per_s=round(table.num_rows / best, 1))
    emit(impl="pyarrow", op="read", codec=args.codec, rows=table.num_rows, seconds=round(elapsed, 6),
         rows_per_s=round(table.num_rows / elapsed, 1), cpu_seconds=round(cpu, 6), bytes=buf.size, peak_rss_mb=round(peak_rss_mb(), 1),
         threads=not args.no_threads, pyarrow=pa.__version__)
    return 0


if __name__ == "__main__":
    sys.exit(main())
