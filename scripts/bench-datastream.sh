#!/usr/bin/env bash
# Datastream Avro decode benchmark: our Avro decoder (Sources/Avro) and the connector's full
# Datastream path (Sources/Datastream) against fastavro on the same generated MySQL files.
# See docs/BENCHMARKS.md.
#
#   scripts/bench-datastream.sh [--events N] [--rounds N] [--tables N] [--keep DIR] [--peer-raw] [--strict]
#
# Generates the files once (ChangeDataGenerator, like `datastream-delta generate --source mysql
# --format avro --tables 3 --seed 1`; not timed), then ROUNDS times in alternation: Swift Avro
# decode, Swift Datastream path, fastavro; each run is its own process, loads all files into memory
# untimed, decodes on one thread and prints one JSON line. The table shows the best run of each.
#
#   --keep DIR   generate into / reuse DIR (kept) instead of a temporary directory; files already
#                there (a previous run with the same --events/--tables) are reused
#   --peer-raw   also run fastavro without its logical-type conversions (informative row)
#   --strict     exit 3 when the Swift Avro decode is below 10x fastavro's events/s
set -euo pipefail
cd "$(dirname "$0")/.."

EVENTS=1000000
ROUNDS=3
TABLES=3
KEEP=""
STRICT=0
PEER_RAW=0
while [ $# -gt 0 ]; do
    case "$1" in
        --events) EVENTS="$2"; shift 2 ;;
        --rounds) ROUNDS="$2"; shift 2 ;;
        --tables) TABLES="$2"; shift 2 ;;
        --keep) KEEP="$2"; shift 2 ;;
        --peer-raw) PEER_RAW=1; shift ;;
        --strict) STRICT=1; shift ;;
        -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done

source scripts/setup-common.sh
install_debian_packages
install_python_test_tools
PY="$PWD/.venv/bin/python"
PEER="$PWD/scripts/bench/avro_peer.py"

echo "==> swift build -c release --product DatastreamBenchmark (first build takes several minutes)"
swift build -c release --scratch-path .build-bench --product DatastreamBenchmark
BIN="$(swift build -c release --scratch-path .build-bench --show-bin-path)/DatastreamBenchmark"

if [ -n "$KEEP" ]; then
    mkdir -p "$KEEP"
    WORK="$(cd "$KEEP" && pwd)"
else
    WORK="$(mktemp -d "${TMPDIR:-/tmp}/bench-datastream.XXXXXX")"
    trap 'rm -rf "$WORK"' EXIT
fi
DATA="$WORK/data"
RESULTS="$WORK/results.jsonl"
: > "$RESULTS"

if [ -f "$WORK/generated.json" ] && [ "$(cat "$WORK/generated.args")" = "$EVENTS $TABLES" ]; then
    echo "==> reusing the files in $DATA: $(cat "$WORK/generated.json")"
else
    echo "==> generating $EVENTS MySQL events in $TABLES tables as Avro into $DATA (not timed)"
    rm -rf "$DATA"
    mkdir -p "$DATA"
    "$BIN" --mode generate --dir "$DATA" --source mysql --tables "$TABLES" --events "$EVENTS" --seed 1 | tee "$WORK/generated.json"
    echo "$EVENTS $TABLES" > "$WORK/generated.args"
fi

# Runs one benchmark process and appends its JSON line to the results.
run() {
    local line
    line="$("$@")"
    echo "$line" | tee -a "$RESULTS"
}

echo "==> $ROUNDS rounds; one thread per decoder; $(nproc) cores; fastavro $("$PY" -c 'import fastavro; print(fastavro.__version__)')"
for round in $(seq 1 "$ROUNDS"); do
    echo "--- round $round"
    run "$BIN" --mode decode --dir "$DATA" --path avro
    run "$BIN" --mode decode --dir "$DATA" --path datastream
    run "$PY" "$PEER" --dir "$DATA"
    if [ "$PEER_RAW" -eq 1 ]; then run "$PY" "$PEER" --dir "$DATA" --no-logical-types; fi
done

echo
echo "==> results: best of $ROUNDS"
status=0
"$PY" "$PEER" --summarize "$RESULTS" || status=$?
if [ "$status" -ne 0 ] && [ "$status" -ne 3 ]; then exit "$status"; fi
if [ "$status" -eq 3 ]; then
    echo "note: the goal (Swift Avro decode >= 10x fastavro events/s) is missed"
    [ "$STRICT" -eq 1 ] && exit 3
fi
[ -n "$KEEP" ] && echo "files and results.jsonl kept in $WORK"
exit 0
