#!/usr/bin/env bash
# Delta Lake benchmark: our DeltaLake module (Benchmarks/DeltaCommitProbe, release build) next to
# the Python `deltalake` package (delta-rs) in the same run. See docs/BENCHMARKS.md.
#
#   scripts/bench-delta.sh [--rounds N] [--commits N] [--rows N] [--log-commits N]
#
#   append: create a table and append COMMITS (100) batches of ROWS (10,000) rows of
#           (id long, name string, amount double); rows/s over the appends (batch building untimed)
#   load:   a table with LOG_COMMITS (10,000) commits written once by delta-commit-probe make-log
#           (commit JSON written directly, one add each, a checkpoint at the last multiple of 100),
#           then the latest snapshot loaded 5 times per process by each engine (median ms)
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=3
COMMITS=100
ROWS=10000
LOG_COMMITS=10000
while [ $# -gt 0 ]; do
    case "$1" in
        --rounds) ROUNDS="$2"; shift 2 ;;
        --commits) COMMITS="$2"; shift 2 ;;
        --rows) ROWS="$2"; shift 2 ;;
        --log-commits) LOG_COMMITS="$2"; shift 2 ;;
        -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done

PY="$PWD/.venv/bin/python"
PEER="$PWD/scripts/bench/delta_peer.py"
echo "==> swift build -c release --product delta-commit-probe"
swift build -c release --scratch-path .build-bench --product delta-commit-probe
BIN="$(swift build -c release --scratch-path .build-bench --show-bin-path)/delta-commit-probe"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/bench-delta.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
RESULTS="$WORK/results.jsonl"
: > "$RESULTS"

echo "==> writing a table with $LOG_COMMITS commits (not timed)"
"$BIN" make-log "$WORK/log" "$LOG_COMMITS"

echo "==> $ROUNDS rounds; $(nproc) cores; deltalake $("$PY" -c 'import deltalake; print(deltalake.__version__)')"
for round in $(seq 1 "$ROUNDS"); do
    echo "--- round $round"
    rm -rf "$WORK/ours" "$WORK/theirs"
    "$BIN" bench-append "$WORK/ours" "$COMMITS" "$ROWS" | sed 's/^{/{"engine":"swift","mode":"append",/' | tee -a "$RESULTS"
    "$PY" "$PEER" append "$WORK/theirs" "$COMMITS" "$ROWS" | tee -a "$RESULTS"
    "$BIN" load "$WORK/log" 5 | sed 's/^{/{"engine":"swift","mode":"load",/' | tee -a "$RESULTS"
    "$PY" "$PEER" load "$WORK/log" 5 | tee -a "$RESULTS"
done
echo
echo "==> results"
"$PY" "$PEER" --summarize "$RESULTS"
