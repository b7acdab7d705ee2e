#!/usr/bin/env bash
# Fuzz the Parquet footer and page decoders with libFuzzer (see docs/FUZZING.md).
#
#   scripts/fuzz.sh [SECONDS] [-- LIBFUZZER_FLAGS...]   build, write seeds, fuzz SECONDS (default 60)
#   scripts/fuzz.sh --smoke                             the same for ~20 s (CI); exit 1 on a finding
#   scripts/fuzz.sh --keep-going [SECONDS]              fork mode: keep fuzzing after a crash/timeout/OOM
#   scripts/fuzz.sh --fallback [SECONDS]                no libFuzzer: plain release build + `mutate`
#
# Everything lives under .build-fuzz/:
#   release/DecoderFuzzer   the libFuzzer + AddressSanitizer build (--scratch-path .build-fuzz)
#   seeds/pyarrow/          small pyarrow-written files (codecs, v1/v2, dictionary, DELTA_*, nested)
#   seeds/corpus/           seed inputs written by `DecoderFuzzer seeds` (regenerated every run)
#   corpus/                 the corpus libFuzzer grows (kept between runs)
#   findings/               crash-*, timeout-*, oom-*, leak-* inputs; fuzz-*.log
# Environment: FUZZ_MAX_LEN (default 65536), FUZZ_RSS_MB (2048), FUZZ_TIMEOUT (10 s per input),
# FUZZ_FORKS (--keep-going workers, default 2), FUZZ_PYTHON (default .venv/bin/python).
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=60
mode=libfuzzer
keep_going=0
extra=()
while [ $# -gt 0 ]; do
    case "$1" in
        --smoke) seconds=20 ;;
        --keep-going) keep_going=1 ;;
        --fallback) mode=fallback ;;
        --) shift; extra=("$@"); break ;;
        -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
        *[!0-9]*|'') echo "unknown argument: $1" >&2; exit 2 ;;
        *) seconds="$1" ;;
    esac
    shift
done

out=.build-fuzz
max_len="${FUZZ_MAX_LEN:-65536}"
rss_mb="${FUZZ_RSS_MB:-2048}"
timeout_s="${FUZZ_TIMEOUT:-10}"
forks="${FUZZ_FORKS:-2}"
python="${FUZZ_PYTHON:-.venv/bin/python}"
mkdir -p "$out/seeds" "$out/corpus" "$out/findings"

if [ "$mode" = libfuzzer ]; then
    build=(swift build -c release --scratch-path "$out" --product DecoderFuzzer
           -Xswiftc -sanitize=fuzzer,address -Xswiftc -DDECODER_FUZZER_LIBFUZZER)
else
    build=(swift build -c release --scratch-path "$out/plain" --product DecoderFuzzer)
fi
echo "==> ${build[*]}"
start=$(date +%s)
"${build[@]}" 2>&1 | grep -v "Cannot export local symbol" || { echo "build failed" >&2; exit 1; }
bin="$("${build[@]}" --show-bin-path)/DecoderFuzzer"
echo "==> built $bin in $(( $(date +%s) - start )) s"

# Seeds written by pyarrow: everything our writer does not produce.
pyarrow_dirs=()
rm -rf "$out/seeds/pyarrow"
if [ -x "$python" ] && "$python" -c 'import pyarrow' 2>/dev/null; then
    echo "==> pyarrow seed files in $out/seeds/pyarrow"
    mkdir -p "$out/seeds/pyarrow"
    pyarrow_dirs=("$out/seeds/pyarrow")
    "$python" - "$out/seeds/pyarrow" <<'PY'
import datetime, decimal, os, sys
import pyarrow as pa
import pyarrow.parquet as pq

out = sys.argv[1]
n = 48

def col(values, typ):
    return pa.array(values, type=typ)

ints = [None if i % 7 == 3 else (i * 37) % 101 - 50 for i in range(n)]
big = [None if i % 9 == 4 else (i * 1_000_003) ** 2 - 10**12 for i in range(n)]
strs = [None if i % 8 == 5 else ["alpha", "beta", "gamma", "", "ζήτα", "😀"][i % 6] + str(i % 5) for i in range(n)]
flat = pa.table({
    "i32": col(ints, pa.int32()),
    "i64": col(big, pa.int64()),
    "u8": col([None if v is None else v % 200 + 50 for v in ints], pa.uint8()),
    "u32": col([None if v is None else v + 2**31 for v in ints], pa.uint32()),
    "u64": col([None if v is None else v + 2**63 for v in ints], pa.uint64()),
    "f32": col([None if v is None else v / 3 for v in ints], pa.float32()),
    "f64": col([None if v is None else v / 7 for v in big], pa.float64()),
    "b": col([None if v is None else v % 2 == 0 for v in ints], pa.bool_()),
    "s": col(strs, pa.string()),
    "bin": col([None if s is None else s.encode()[:3] for s in strs], pa.binary()),
    "fixed": col([bytes([i % 256, 7, 9]) for i in range(n)], pa.binary(3)),
    "dec": col([None if v is None else decimal.Decimal(v) / 100 for v in ints], pa.decimal128(9, 2)),
    "dec38": col([None if v is None else decimal.Decimal(v) * 10**20 for v in ints], pa.decimal128(38, 4)),
    "day": col([None if v is None else datetime.date(2000, 1, 1) + datetime.timedelta(days=v * 40) for v in ints], pa.date32()),
    "ts": col([None if v is None else v for v in big], pa.timestamp("us", tz="UTC")),
    "tns": col([None if v is None else v * 1000 for v in ints], pa.timestamp("ns")),
    "t32": col([None if v is None else abs(v) * 1000 for v in ints], pa.time32("ms")),
    "t64": col([None if v is None else abs(v) * 10**6 for v in ints], pa.time64("us")),
})
nested = pa.table({
    "id": col(list(range(n)), pa.int32()),
    "ints": col([None if i % 6 == 1 else [j * i for j in range(i % 4)] for i in range(n)], pa.list_(pa.int64())),
    "matrix": col([[[str(i)] * (i % 3), []] if i % 5 else None for i in range(n)], pa.list_(pa.list_(pa.string()))),
    "m": col([None if i % 7 == 2 else [("k%d" % j, j) for j in range(i % 3)] for i in range(n)], pa.map_(pa.string(), pa.int32())),
    "st": col([None if i % 4 == 0 else {"x": i / 2, "tags": ["a"] * (i % 3)} for i in range(n)],
              pa.struct([("x", pa.float64()), ("tags", pa.list_(pa.string()))])),
})

def write(name, table, **kw):
    path = os.path.join(out, name + ".parquet")
    try:
        pq.write_table(table, path, row_group_size=kw.pop("row_group_size", 20), data_page_size=kw.pop("data_page_size", 128),
                       write_batch_size=kw.pop("write_batch_size", 8), **kw)
    except Exception as e:  # a combination this pyarrow cannot write
        print("  skipped %s: %s" % (name, e))

for codec in ["NONE", "SNAPPY", "GZIP", "ZSTD"]:
    for version in ["1.0", "2.0"]:
        write("flat-%s-v%s" % (codec.lower(), version[0]), flat, compression=codec, data_page_version=version,
              store_schema=False)
write("flat-brotli", flat.select(["i32", "s"]), compression="BROTLI")  # unsupported codecs must fail cleanly
write("flat-lz4", flat.select(["i32", "s"]), compression="LZ4")
write("flat-plain", flat, use_dictionary=False, compression="NONE", store_schema=False)
write("flat-delta", flat.select(["i32", "i64", "s", "bin", "day", "ts"]), use_dictionary=False, compression="NONE",
      column_encoding={"i32": "DELTA_BINARY_PACKED", "i64": "DELTA_BINARY_PACKED", "s": "DELTA_BYTE_ARRAY",
                       "bin": "DELTA_LENGTH_BYTE_ARRAY", "day": "DELTA_BINARY_PACKED", "ts": "DELTA_BINARY_PACKED"})
write("flat-delta-v2-zstd", flat.select(["i32", "i64", "s", "bin"]), use_dictionary=False, compression="ZSTD",
      data_page_version="2.0",
      column_encoding={"i32": "DELTA_BINARY_PACKED", "i64": "DELTA_BINARY_PACKED", "s": "DELTA_LENGTH_BYTE_ARRAY",
                       "bin": "DELTA_BYTE_ARRAY"})
write("flat-bss", flat.select(["f32", "f64", "i32", "i64", "fixed"]), use_dictionary=False, compression="NONE",
      column_encoding={"f32": "BYTE_STREAM_SPLIT", "f64": "BYTE_STREAM_SPLIT", "i32": "BYTE_STREAM_SPLIT",
                       "i64": "BYTE_STREAM_SPLIT", "fixed": "BYTE_STREAM_SPLIT"})
write("flat-rle-bool", flat.select(["b"]), use_dictionary=False, compression="NONE", data_page_version="2.0",
      column_encoding={"b": "RLE"})
write("flat-crc", flat, compression="SNAPPY", write_page_checksum=True, store_schema=False)
write("flat-page-index", flat.select(["i32", "s"]), compression="NONE", write_page_index=True)
write("flat-int96", flat.select(["ts", "tns"]), compression="NONE", use_deprecated_int96_timestamps=True)
write("flat-one-group", flat.select(["i32", "s", "b"]), compression="NONE", row_group_size=1000, data_page_size=1 << 20)
write("flat-empty", flat.slice(0, 0), compression="NONE")
write("flat-all-null", pa.table({"x": pa.array([None] * 30, type=pa.int64()), "y": pa.array([None] * 30, type=pa.string())}),
      compression="NONE")
for codec in ["NONE", "SNAPPY", "ZSTD"]:
    for version in ["1.0", "2.0"]:
        write("nested-%s-v%s" % (codec.lower(), version[0]), nested, compression=codec, data_page_version=version,
              store_schema=False)
write("nested-legacy", nested, compression="NONE", use_compliant_nested_type=False)
write("nested-plain", nested, compression="GZIP", use_dictionary=False, data_page_version="2.0")
big_dict = pa.table({"s": pa.array(["value-%d" % (i % 200) for i in range(600)])})
write("dict-fallback", big_dict, compression="SNAPPY", dictionary_pagesize_limit=256, row_group_size=600, data_page_size=512)
print("  %d files" % len(os.listdir(out)))
PY
else
    echo "==> no pyarrow at $python: seeds come from our writer only (scripts/test.sh creates .venv)"
fi

echo "==> seed corpus in $out/seeds/corpus"
rm -rf "$out/seeds/corpus"
ASAN_OPTIONS=detect_leaks=0 SWIFT_BACKTRACE=enable=no "$bin" seeds "$out/seeds/corpus" "${pyarrow_dirs[@]}"

# Tokens libFuzzer inserts as a whole: magic, extreme zigzag varints (Thrift i32/i64 fields, RLE run
# headers), extreme little-endian lengths, compact-protocol field headers of page headers.
cat > "$out/parquet.dict" <<'DICT'
magic="PAR1"
magic_encrypted="PARE"
varint_i32_max_zigzag="\xFE\xFF\xFF\xFF\x0F"
varint_i32_min_zigzag="\xFF\xFF\xFF\xFF\x0F"
varint_u32_max="\xFF\xFF\xFF\xFF\x07"
varint_i64_max_zigzag="\xFE\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\x01"
varint_2_31="\x80\x80\x80\x80\x08"
le32_max="\xFF\xFF\xFF\x7F"
le32_min="\x00\x00\x00\x80"
le32_all="\xFF\xFF\xFF\xFF"
field_i32_next="\x15"
field_i64_next="\x16"
field_binary_next="\x18"
field_list_next="\x19"
field_struct_next="\x1C"
field_struct_plus2="\x2C"
field_struct_plus4="\x4C"
field_struct_plus5="\x5C"
stop_stop="\x00\x00"
encoding_rle_dictionary="\x15\x10"
encoding_delta_binary_packed="\x15\x0A"
encoding_delta_byte_array="\x15\x0E"
encoding_byte_stream_split="\x15\x12"
page_dictionary="\x15\x04"
page_v2="\x15\x06"
DICT

stamp=$(date +%Y%m%d-%H%M%S)
log="$out/findings/fuzz-$stamp.log"
before=$(ls "$out/findings" | grep -cE '^(crash|timeout|oom|leak|slow-unit)-' || true)

if [ "$mode" = fallback ]; then
    echo "==> $bin mutate ... --seconds $seconds (log: $log)"
    set +e
    "$bin" mutate "$out/seeds/corpus" "$out/corpus" --seconds "$seconds" --timeout "$timeout_s" --seed "${FUZZ_SEED:-$(date +%s)}" \
        --crash-file "$out/findings/crash-current.bin" 2>&1 | tee "$log"
    status=${PIPESTATUS[0]}
    set -e
    if [ "$status" -ne 0 ]; then
        dest="$out/findings/crash-mutate-$stamp.bin"
        mv "$out/findings/crash-current.bin" "$dest" 2>/dev/null || true
        echo "==> FINDING: the fuzzer died (status $status); input: $dest" >&2
        echo "    reproduce: $bin replay $dest" >&2
        exit 1
    fi
    exit 0
fi

flags=(-rss_limit_mb="$rss_mb" -malloc_limit_mb="$rss_mb" -timeout="$timeout_s" -max_len="$max_len"
       -max_total_time="$seconds" -print_final_stats=1 -detect_leaks=0 -artifact_prefix="$out/findings/" -dict="$out/parquet.dict")
if [ "$keep_going" = 1 ]; then
    flags+=(-fork="$forks" -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
fi
echo "==> $bin ${flags[*]} ${extra[*]:-} $out/corpus $out/seeds/corpus (log: $log)"
set +e
# SWIFT_BACKTRACE=enable=no: libFuzzer/ASan print the stack; the Swift backtracer would race them.
ASAN_OPTIONS="detect_leaks=0:allocator_may_return_null=0:${ASAN_OPTIONS:-}" SWIFT_BACKTRACE=enable=no \
    "$bin" "${flags[@]}" "${extra[@]}" "$out/corpus" "$out/seeds/corpus" > "$log" 2>&1
status=$?
set -e
# The harness's outcome table (inputs per target and error code), then libFuzzer's summary.
grep -E '^DecoderFuzzer outcomes|^  (file|footer|chunk|codec|kernel) ' "$log" || true
grep -E '^#[0-9]+ +(INITED|DONE)|^stat::|^Done|ERROR|SUMMARY|Fatal error|^artifact_prefix|Test unit written|^INFO: exiting' "$log" | tail -30 || true
grep -E '^#[0-9]+: cov' "$log" | tail -1 || true   # fork mode: total executions so far
after=$(ls "$out/findings" | grep -cE '^(crash|timeout|oom|leak|slow-unit)-' || true)
if [ "$status" -ne 0 ] || [ "$after" -gt "$before" ]; then
    echo "==> FINDING (status $status): new inputs in $out/findings:" >&2
    ls -t "$out/findings" | grep -E '^(crash|timeout|oom|leak|slow-unit)-' | head -$(( after - before > 0 ? after - before : 1 )) >&2
    echo "    reproduce: $bin $out/findings/<file>   (or: swift build --product DecoderFuzzer && .build/debug/DecoderFuzzer replay <file>)" >&2
    exit 1
fi
echo "==> no findings"
