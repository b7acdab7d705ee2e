#!/usr/bin/env bash
# Parquet benchmark: our writer/reader (Sources/Parquet) against pyarrow on the same table.
# See docs/BENCHMARKS.md.
#
#   scripts/bench-parquet.sh [--rows N] [--rounds N] [--codecs "snappy zstd"]
#                            [--swift-args "ARGS"] [--pyarrow-no-threads] [--keep DIR] [--strict]
#
# For each codec, ROUNDS times in alternation: Swift write, pyarrow write, Swift read (of the
# Swift file), pyarrow read (of the pyarrow file); each run is its own process and prints one JSON
# line (rows/s and its own peak RSS). Then pyarrow verifies the Swift file against the formulas and
# the Swift reader reads and checks pyarrow's file. The table shows the best time of each cell.
#
#   --swift-args   extra ParquetBenchmark write options, e.g. "--zstd-level 1 --page-checksums off"
#   --keep DIR     keep the files and results.jsonl in DIR instead of a temporary directory
#   --strict       exit 3 when a goal (write >= 0.5x pyarrow, read >= 1.0x pyarrow) is missed
set -euo pipefail
cd "$(dirname "$0")/.."

ROWS=1000000
ROUNDS=3
CODECS="snappy zstd"
SWIFT_ARGS=""
PEER_READ_ARGS=""
KEEP=""
STRICT=0
while [ $# -gt 0 ]; do
    case "$1" in
        --rows) ROWS="$2"; shift 2 ;;
        --rounds) ROUNDS="$2"; shift 2 ;;
        --codecs) CODECS="$2"; shift 2 ;;
        --swift-args) SWIFT_ARGS="$2"; shift 2 ;;
        --pyarrow-no-threads) PEER_READ_ARGS="--no-threads"; shift ;;
        --keep) KEEP="$2"; shift 2 ;;
        --strict) STRICT=1; shift ;;
        -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done

source scripts/setup-common.sh
install_debian_packages
install_python_test_tools
PY="$PWD/.venv/bin/python"
PEER="$PWD/scripts/bench/parquet_peer.py"

echo "==> swift build -c release --product ParquetBenchmark (first build takes several minutes)"
swift build -c release --scratch-path .build-bench --product ParquetBenchmark
BIN="$(swift build -c release --scratch-path .build-bench --show-bin-path)/ParquetBenchmark"

if [ -n "$KEEP" ]; then
    mkdir -p "$KEEP"
    WORK="$(cd "$KEEP" && pwd)"
else
    WORK="$(mktemp -d "${TMPDIR:-/tmp}/bench-parquet.XXXXXX")"
    trap 'rm -rf "$WORK"' EXIT
fi
RESULTS="$WORK/results.jsonl"
: > "$RESULTS"

# Runs one benchmark process and appends its JSON line to the results.
run() {
    local line
    line="$("$@")"
    echo "$line" | tee -a "$RESULTS"
}

echo "==> $ROWS rows, $ROUNDS rounds, codecs: $CODECS; $(nproc) cores; pyarrow $("$PY" -c 'import pyarrow; print(pyarrow.__version__)')"
verify_failed=0
for codec in $CODECS; do
    sw="$WORK/swift-$codec.parquet"
    pa="$WORK/pyarrow-$codec.parquet"
    for round in $(seq 1 "$ROUNDS"); do
        echo "--- $codec, round $round"
        # shellcheck disable=SC2086  # SWIFT_ARGS is a list of options
        run "$BIN" --mode write --codec "$codec" --rows "$ROWS" --file "$sw" $SWIFT_ARGS
        run "$PY" "$PEER" --mode write --codec "$codec" --rows "$ROWS" --file "$pa"
        run "$BIN" --mode read --codec "$codec" --rows "$ROWS" --file "$sw"
        # shellcheck disable=SC2086
        run "$PY" "$PEER" --mode read --codec "$codec" --rows "$ROWS" --file "$pa" $PEER_READ_ARGS
    done
    echo "--- $codec: same data on both sides"
    "$PY" "$PEER" --verify "$sw" --rows "$ROWS" || verify_failed=1
    if "$BIN" --mode read --codec "$codec" --rows "$ROWS" --file "$pa" >/dev/null; then
        echo "swift reader: $pa holds the $ROWS expected rows (every value equals the formulas)"
    else
        verify_failed=1
    fi
done

echo
echo "==> results: best of $ROUNDS, $ROWS rows, $(nproc) cores${SWIFT_ARGS:+, swift args: $SWIFT_ARGS}${PEER_READ_ARGS:+, pyarrow reads single-threaded}"
status=0
"$PY" "$PEER" --summarize "$RESULTS" || status=$?
if [ "$verify_failed" -ne 0 ]; then
    echo "FAILED: the Swift and pyarrow files do not hold the same data (see above)" >&2
    exit 1
fi
if [ "$status" -ne 0 ] && [ "$status" -ne 3 ]; then exit "$status"; fi
if [ "$status" -eq 3 ]; then
    echo "note: at least one goal (write >= 0.5x, read >= 1.0x pyarrow) is missed"
    [ "$STRICT" -eq 1 ] && exit 3
fi
[ -n "$KEEP" ] && echo "files and results.jsonl kept in $WORK"
exit 0
