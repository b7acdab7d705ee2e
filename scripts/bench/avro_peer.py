#!/usr/bin/env python3
"""fastavro side of the Datastream Avro decode benchmark (driven by scripts/bench-datastream.sh).

Usage:
    avro_peer.py --dir DIR [--no-logical-types]
    avro_peer.py --summarize RESULTS_JSONL

--dir loads every .avro file under DIR into memory (not timed), then times
list(fastavro.reader(io.BytesIO(data))) over all files on one thread and prints one JSON line,
the same shape as Benchmarks/DatastreamBenchmark:
    {"impl":"fastavro","op":"decode","events":..,"files":..,"bytes":..,"seconds":..,
     "events_per_s":..,"mb_per_s":..,"cpu_seconds":..,"peak_rss_mb":..}
peak_rss_mb is ru_maxrss of this process (interpreter + files in memory + the decoded dicts of
one file at a time); rss_after_load_mb is VmRSS once the files are loaded, before decoding.

--no-logical-types empties fastavro's logical-type readers first, so timestamp-millis/micros stay
ints and decimals stay bytes (no datetime / Decimal objects): op "decode-raw", an informative
upper bound for fastavro (the Swift decoder does convert: timestamps to µs, decimals to 128-bit).

--summarize reads the JSON lines of a driver run and prints the table: best (least wall time) run
of each impl/op, largest peak RSS, largest RSS growth while decoding (peak - after load; an upper
bound, the load itself may set the peak), the events/s ratio of each decoder over fastavro (wall
clock) and the same ratio by least process CPU time (less disturbed by other load on the machine).
Exit 1 when the event counts differ, 3 when the Swift Avro decode is below 10x fastavro's events/s.
"""

import argparse
import io
import json
import os
import resource
import sys
import time

GOAL = 10.0


def load_files(directory):
    files = []
    for root, dirs, names in os.walk(directory):
        dirs.sort()
        for name in sorted(names):
            if name.endswith(".avro"):
                path = os.path.join(root, name)
                with open(path, "rb") as handle:
                    files.append((path, handle.read()))
    return files


def current_rss_mb():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return -1


def decode(directory, raw):
    import fastavro

    op = "decode"
    if raw:
        import fastavro._read
        fastavro._read.LOGICAL_READERS.clear()
        op = "decode-raw"

    files = load_files(directory)
    if not files:
        sys.exit(f"avro_peer.py: no .avro files under {directory}")
    total_bytes = sum(len(data) for _, data in files)
    loaded_mb = current_rss_mb()
    events = 0
    cpu_before = time.process_time()
    started = time.perf_counter()
    for _, data in files:
        events += len(list(fastavro.reader(io.BytesIO(data))))
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_before
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({
        "impl": "fastavro", "op": op, "version": fastavro.__version__,
        "events": events, "files": len(files), "bytes": total_bytes,
        "seconds": round(elapsed, 4), "events_per_s": round(events / elapsed),
        "mb_per_s": round(total_bytes / 1048576 / elapsed, 1), "cpu_seconds": round(cpu, 4),
        "peak_rss_mb": round(peak_kib / 1024, 1), "rss_after_load_mb": round(loaded_mb, 1),
    }))


def summarize(path):
    runs = {}
    with open(path) as handle:
        for line in handle:
            line = line.strip()
            if not line.startswith("{"):
                continue
            record = json.loads(line)
            if "seconds" not in record:
                continue
            runs.setdefault((record["impl"], record["op"]), []).append(record)
    rows = []
    for key in [("swift", "avro"), ("swift", "datastream"), ("fastavro", "decode"), ("fastavro", "decode-raw")]:
        if key in runs:
            best = min(runs[key], key=lambda r: r["seconds"])
            peak = max(r["peak_rss_mb"] for r in runs[key])
            growth = max(r["peak_rss_mb"] - r.get("rss_after_load_mb", r["peak_rss_mb"]) for r in runs[key])
            least_cpu = min(r["cpu_seconds"] for r in runs[key])
            rows.append((key, best, (peak, growth, least_cpu), len(runs[key])))
    peer = next((best for key, best, _, _ in rows if key == ("fastavro", "decode")), None)
    peer_cpu = next((extra[2] for key, _, extra, _ in rows if key == ("fastavro", "decode")), None)
    labels = {
        ("swift", "avro"): "swift AvroContainerReader.readAll",
        ("swift", "datastream"): "swift Datastream path (+events, orderKey, operation)",
        ("fastavro", "decode"): "fastavro list(reader)",
        ("fastavro", "decode-raw"): "fastavro list(reader), no logical types",
    }
    header = f"{'decoder':<54} {'events':>9} {'MB':>6} {'best s':>8} {'events/s':>11} {'MB/s':>7} {'cpu s':>7} {'peak RSS MB':>11} {'+decode MB':>10} {'vs fastavro':>11} {'by CPU':>7}"
    print(header)
    print("-" * len(header))
    for key, best, peak, count in rows:
        ratio = f"{best['events_per_s'] / peer['events_per_s']:.1f}x" if peer else "-"
        cpu_ratio = f"{peer_cpu / peak[2]:.1f}x" if peer_cpu and peak[2] > 0 else "-"
        print(f"{labels[key]:<54} {best['events']:>9} {best['bytes'] / 1048576:>6.0f} {best['seconds']:>8.3f} "
              f"{best['events_per_s']:>11,} {best['mb_per_s']:>7.1f} {best['cpu_seconds']:>7.3f} {peak[0]:>11.1f} {peak[1]:>10.1f} {ratio:>11} {cpu_ratio:>7}")
    counts = {(key, r["events"]) for key, lst in runs.items() for r in lst}
    distinct = {events for _, events in counts}
    status = 0
    if len(distinct) != 1:
        print(f"FAILED: the decoders saw different event counts: {sorted(counts)}", file=sys.stderr)
        status = 1
    else:
        print(f"all decoders saw the same {distinct.pop()} events")
    swift = next((best for key, best, _, _ in rows if key == ("swift", "avro")), None)
    if status == 0 and swift and peer and swift["events_per_s"] < GOAL * peer["events_per_s"]:
        status = 3
    return status


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dir")
    parser.add_argument("--summarize")
    parser.add_argument("--no-logical-types", action="store_true")
    args = parser.parse_args()
    if args.summarize:
        sys.exit(summarize(args.summarize))
    if not args.dir:
        parser.error("--dir DIR or --summarize RESULTS is required")
    decode(args.dir, args.no_logical_types)


if __name__ == "__main__":
    main()
