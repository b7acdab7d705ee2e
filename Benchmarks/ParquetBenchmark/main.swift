// Parquet write/read benchmark (see docs/BENCHMARKS.md; driven by scripts/bench-parquet.sh).
//
//   ParquetBenchmark --mode write    --codec snappy|zstd --rows N --file PATH
//   ParquetBenchmark --mode read     --codec snappy|zstd --rows N --file PATH
//   ParquetBenchmark --mode generate --rows N
//
// Each run prints one JSON line on stdout:
//   {"impl":"swift","op":"write","codec":"snappy","rows":1000000,"seconds":..,"rows_per_s":..,
//    "bytes":..,"peak_rss_mb":..,...}
// `peak_rss_mb` is VmHWM from /proc/self/status at the end of the timed part, so run each mode in
// its own process. `read` then compares every value read with the formulas below (untimed; skip
// with --no-check) and exits 2 on a difference, so it also checks files written by pyarrow.
// `--per-column` (read) also times each column read alone; `--zstd-level`, `--page-checksums` and
// `--page-rows` (write) change the writer options for experiments.
//
// The table is a pure function of the row index `i`; scripts/bench/parquet_peer.py builds the same
// table with pyarrow and `--verify` checks a Swift-written file against those formulas. Keep the
// two in step.
//
// | column  | type            | value for row i                                                  | null when |
// |---------|-----------------|------------------------------------------------------------------|-----------|
// | id      | int64           | i                                                                | never     |
// | qty     | int32           | (i * 7) % 1000                                                   | i % 10 == 0 |
// | price   | decimal(18,2)   | unscaled (i * 7919) % 10_000_000                                 | never     |
// | big     | decimal(38,10)  | unscaled ±(i * 1_000_000_007 * 10^12 + i % 9973), − when i % 4 == 3 | i % 13 == 0 |
// | name    | string          | "customer-\(i % 50_000)"                                         | never     |
// | note    | string          | "order \(i) shipped to warehouse \(i % 97) via route \((i * 31) % 1000)" | i % 7 == 0 |
// | created | timestamp (µs)  | 1_700_000_000_000_000 + i * 1_000_003                            | never     |
// | updated | timestamp (µs)  | created + ((i * 13) % 3600) * 1_000_000                          | i % 5 == 0 |
// | score   | float64         | Double(i % 1000) / 7                                             | never     |
// | active  | boolean         | i % 3 == 0                                                       | never     |

import Columnar
import Parquet

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: - Options

struct BenchmarkOptions {
    var rows = 1_000_000
    var codec = "snappy"
    var mode = "write"
    var file: String?
    var batchRows = 100_000
    var zstdLevel: Int?
    var pageChecksums: Bool?
    var pageRows: Int?
    var check = true
    var perColumn = false
}

func fail(_ message: String) -> Never {
    var text = "ParquetBenchmark: \(message)\n"
    text.withUTF8 { buffer in _ = write(2, buffer.baseAddress, buffer.count) }
    exit(2)
}

let usage = """
    usage: ParquetBenchmark [--mode write|read|generate] [--codec snappy|zstd|gzip|uncompressed]
                            [--rows N] [--file PATH] [--batch-rows N] [--zstd-level N] [--page-rows N]
                            [--page-checksums on|off] [--no-check] [--per-column]
    """

func parseOptions() -> BenchmarkOptions {
    var options = BenchmarkOptions()
    var args = CommandLine.arguments.dropFirst()
    func value(_ flag: String) -> String {
        guard let next = args.popFirst() else { fail("\(flag) needs a value\n\(usage)") }
        return next
    }
    func integer(_ flag: String) -> Int {
        let text = value(flag).replacingUnderscores()
        guard let number = Int(text), number >= 0 else { fail("\(flag) needs a non-negative integer, got '\(text)'") }
        return number
    }
    while let arg = args.popFirst() {
        switch arg {
        case "--rows": options.rows = integer(arg)
        case "--codec": options.codec = value(arg)
        case "--mode": options.mode = value(arg)
        case "--file": options.file = value(arg)
        case "--batch-rows": options.batchRows = max(1, integer(arg))
        case "--zstd-level": options.zstdLevel = integer(arg)
        case "--page-rows": options.pageRows = max(1, integer(arg))
        case "--page-checksums":
            switch value(arg) {
            case "on": options.pageChecksums = true
            case "off": options.pageChecksums = false
            case let other: fail("--page-checksums takes on|off, got '\(other)'")
            }
        case "--no-check": options.check = false
        case "--per-column": options.perColumn = true
        case "-h", "--help": print(usage); exit(0)
        default: fail("unknown argument '\(arg)'\n\(usage)")
        }
    }
    guard ["write", "read", "generate"].contains(options.mode) else { fail("unknown mode '\(options.mode)'") }
    if options.mode != "generate", options.file == nil { fail("--mode \(options.mode) needs --file PATH") }
    return options
}

extension String {
    func replacingUnderscores() -> String { String(filter { $0 != "_" }) }
}

func compressionKind(_ name: String) -> CompressionKind {
    switch name {
    case "snappy": return .snappy
    case "zstd": return .zstd
    case "gzip": return .gzip
    case "uncompressed", "none": return .uncompressed
    default: fail("unknown codec '\(name)'")
    }
}

// MARK: - Data

let benchmarkSchema = Schema([
    Field("id", .int64, isNullable: false),
    Field("qty", .int32),
    Field("price", .decimal(precision: 18, scale: 2), isNullable: false),
    Field("big", .decimal(precision: 38, scale: 10)),
    Field("name", .string, isNullable: false),
    Field("note", .string),
    Field("created", .timestamp, isNullable: false),
    Field("updated", .timestamp),
    Field("score", .float64, isNullable: false),
    Field("active", .boolean, isNullable: false),
])

/// Appends the decimal digits of a non-negative `value` (below 10^18).
@inline(__always)
func appendDigits(_ value: Int, to out: inout [UInt8]) {
    var digits = 1
    var power = 10
    while power <= value, digits < 18 { digits += 1; power &*= 10 }
    let start = out.count
    out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: digits))
    var v = value
    var position = start + digits - 1
    while v > 0 {
        out[position] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: v % 10)
        v /= 10
        position -= 1
    }
}

/// Rows `start ..< start + count` of the benchmark table, built straight into column buffers.
func makeBatch(start: Int, count: Int) -> RecordBatch {
    let rows = start..<(start + count)

    var id = [Int64](); id.reserveCapacity(count)
    var qty = [Int32](); qty.reserveCapacity(count)
    var qtyValid = Bitmap(repeating: true, count: count)
    var price = [Int128](); price.reserveCapacity(count)
    var big = [Int128](); big.reserveCapacity(count)
    var bigValid = Bitmap(repeating: true, count: count)
    var created = [Int64](); created.reserveCapacity(count)
    var updated = [Int64](); updated.reserveCapacity(count)
    var updatedValid = Bitmap(repeating: true, count: count)
    var score = [Double](); score.reserveCapacity(count)
    var active = Bitmap(repeating: false, count: count)

    for (slot, i) in rows.enumerated() {
        id.append(Int64(i))
        if i % 10 == 0 {
            qty.append(0); qtyValid[slot] = false
        } else {
            qty.append(Int32((i * 7) % 1000))
        }
        price.append(Int128((i * 7919) % 10_000_000))
        if i % 13 == 0 {
            big.append(0); bigValid[slot] = false
        } else {
            let magnitude = Int128(i) * 1_000_000_007 * 1_000_000_000_000 + Int128(i % 9973)
            big.append(i % 4 == 3 ? -magnitude : magnitude)
        }
        let createdValue = 1_700_000_000_000_000 + Int64(i) * 1_000_003
        created.append(createdValue)
        if i % 5 == 0 {
            updated.append(0); updatedValid[slot] = false
        } else {
            updated.append(createdValue + Int64((i * 13) % 3600) * 1_000_000)
        }
        score.append(Double(i % 1000) / 7)
        if i % 3 == 0 { active[slot] = true }
    }

    // name: "customer-<i % 50000>"
    let namePrefix = Array("customer-".utf8)
    var nameOffsets = [Int32](); nameOffsets.reserveCapacity(count + 1)
    var nameData = [UInt8](); nameData.reserveCapacity(count * 14)
    nameOffsets.append(0)
    for i in rows {
        nameData.append(contentsOf: namePrefix)
        appendDigits(i % 50_000, to: &nameData)
        nameOffsets.append(Int32(nameData.count))
    }

    // note: "order <i> shipped to warehouse <i % 97> via route <(i * 31) % 1000>", null every 7th
    let noteA = Array("order ".utf8), noteB = Array(" shipped to warehouse ".utf8), noteC = Array(" via route ".utf8)
    var noteOffsets = [Int32](); noteOffsets.reserveCapacity(count + 1)
    var noteData = [UInt8](); noteData.reserveCapacity(count * 50)
    var noteValid = Bitmap(repeating: true, count: count)
    noteOffsets.append(0)
    for (slot, i) in rows.enumerated() {
        if i % 7 == 0 {
            noteValid[slot] = false
        } else {
            noteData.append(contentsOf: noteA)
            appendDigits(i, to: &noteData)
            noteData.append(contentsOf: noteB)
            appendDigits(i % 97, to: &noteData)
            noteData.append(contentsOf: noteC)
            appendDigits((i * 31) % 1000, to: &noteData)
        }
        noteOffsets.append(Int32(noteData.count))
    }

    let columns = [
        Column(type: .int64, count: count, validity: nil, storage: .int64(id)),
        Column(type: .int32, count: count, validity: qtyValid, storage: .int32(qty)),
        Column(type: .decimal(precision: 18, scale: 2), count: count, validity: nil, storage: .int128(price)),
        Column(type: .decimal(precision: 38, scale: 10), count: count, validity: bigValid, storage: .int128(big)),
        Column(type: .string, count: count, validity: nil, storage: .bytes(offsets: nameOffsets, data: nameData)),
        Column(type: .string, count: count, validity: noteValid, storage: .bytes(offsets: noteOffsets, data: noteData)),
        Column(type: .timestamp, count: count, validity: nil, storage: .int64(created)),
        Column(type: .timestamp, count: count, validity: updatedValid, storage: .int64(updated)),
        Column(type: .float64, count: count, validity: nil, storage: .float64(score)),
        Column(type: .boolean, count: count, validity: nil, storage: .boolean(active)),
    ]
    do {
        return try RecordBatch(schema: benchmarkSchema, columns: columns, rowCount: count)
    } catch {
        fail("building the batch: \(error)")
    }
}

func makeBatches(rows: Int, batchRows: Int) -> [RecordBatch] {
    var batches: [RecordBatch] = []
    var start = 0
    while start < rows {
        let count = min(batchRows, rows - start)
        batches.append(makeBatch(start: start, count: count))
        start += count
    }
    return batches
}

// MARK: - Checking read results

/// A canonical text of slot `row` (for comparing read values with the formulas).
func render(_ column: Column, _ row: Int) -> String {
    if column.isNull(row) { return "null" }
    switch column.storage {
    case .int32(let v): return "\(v[row])"
    case .int64(let v): return "\(v[row])"
    case .float64(let v): return "\(v[row])"
    case .int128(let v): return "\(v[row])"
    case .boolean(let bits): return "\(bits[row])"
    case .bytes(let offsets, let data):
        return String(decoding: data[Int(offsets[row])..<Int(offsets[row + 1])], as: UTF8.self)
    default: return "<unexpected storage>"
    }
}

/// Whether slot `a` of `x` equals slot `b` of `y` (null-aware; null placeholders are ignored).
func sameSlot(_ x: Column, _ a: Int, _ y: Column, _ b: Int) -> Bool {
    let xNull = x.isNull(a), yNull = y.isNull(b)
    if xNull || yNull { return xNull == yNull }
    switch (x.storage, y.storage) {
    case (.int32(let u), .int32(let v)): return u[a] == v[b]
    case (.int64(let u), .int64(let v)): return u[a] == v[b]
    case (.float64(let u), .float64(let v)): return u[a].bitPattern == v[b].bitPattern
    case (.int128(let u), .int128(let v)): return u[a] == v[b]
    case (.boolean(let u), .boolean(let v)): return u[a] == v[b]
    case (.bytes(let uo, let ud), .bytes(let vo, let vd)):
        return ud[Int(uo[a])..<Int(uo[a + 1])].elementsEqual(vd[Int(vo[b])..<Int(vo[b + 1])])
    default: return false
    }
}

/// Compares every row of `batches` (read back from a file) with freshly generated rows.
func checkAll(_ batches: [RecordBatch], totalRows: Int) -> String? {
    let names = benchmarkSchema.fields.map(\.name)
    var base = 0
    for batch in batches {
        guard batch.schema.fields.map(\.name) == names else { return "column names \(batch.schema.fields.map(\.name))" }
        for (index, field) in benchmarkSchema.fields.enumerated() where batch.columns[index].type != field.type {
            return "column '\(field.name)' has type \(batch.columns[index].type), expected \(field.type)"
        }
        let expected = makeBatch(start: base, count: batch.rowCount)
        for index in names.indices {
            let got = batch.columns[index], want = expected.columns[index]
            for row in 0..<batch.rowCount where !sameSlot(got, row, want, row) {
                return "row \(base + row) column '\(names[index])': read \(render(got, row)), expected \(render(want, row))"
            }
        }
        base += batch.rowCount
    }
    guard base == totalRows else { return "read \(base) rows, expected \(totalRows)" }
    return nil
}

// MARK: - Measuring

func seconds(_ duration: Duration) -> Double {
    let parts = duration.components
    return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
}

/// CPU time (user + system, all threads) this process has used so far, in seconds.
func processCPUSeconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

/// Peak resident set size (VmHWM) of this process in MiB, or -1 when unknown.
func peakRSSMegabytes() -> Double {
    guard let file = fopen("/proc/self/status", "r") else { return -1 }
    defer { fclose(file) }
    var line: UnsafeMutablePointer<CChar>?
    var capacity = 0
    defer { free(line) }
    while getline(&line, &capacity, file) > 0 {
        guard let line else { break }
        let text = String(cString: line)
        if text.hasPrefix("VmHWM:") {
            let digits = text.dropFirst(6).filter { $0.isNumber }
            if let kilobytes = Double(String(digits)) { return kilobytes / 1024 }
        }
    }
    return -1
}

func readFile(_ path: String) -> [UInt8] {
    guard let file = fopen(path, "rb") else { fail("cannot open \(path)") }
    defer { fclose(file) }
    fseek(file, 0, SEEK_END)
    let size = ftell(file)
    fseek(file, 0, SEEK_SET)
    guard size >= 0 else { fail("cannot size \(path)") }
    return [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
        initialized = size == 0 ? 0 : fread(buffer.baseAddress, 1, size, file)
        if initialized != size { fail("short read of \(path)") }
    }
}

func writeFile(_ path: String, _ bytes: [UInt8]) {
    guard let file = fopen(path, "wb") else { fail("cannot create \(path)") }
    let written = bytes.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, file) }
    if written != bytes.count || fclose(file) != 0 { fail("short write of \(path)") }
}

func json(_ pairs: [(String, Any)]) -> String {
    let body = pairs.map { key, value -> String in
        switch value {
        case let text as String: return "\"\(key)\":\"\(text)\""
        case let number as Double: return "\"\(key)\":\(number.isFinite ? (number * 1e6).rounded() / 1e6 : -1)"
        default: return "\"\(key)\":\(value)"
        }
    }
    return "{" + body.joined(separator: ",") + "}"
}

// MARK: - Main

let options = parseOptions()
let clock = ContinuousClock()

switch options.mode {
case "generate":
    let start = clock.now
    let batches = makeBatches(rows: options.rows, batchRows: options.batchRows)
    let built = seconds(start.duration(to: clock.now))
    print(json([
        ("impl", "swift"), ("op", "generate"), ("rows", batches.reduce(0) { $0 + $1.rowCount }),
        ("seconds", built), ("rows_per_s", Double(options.rows) / built), ("peak_rss_mb", peakRSSMegabytes()),
    ]))

case "write":
    var writerOptions = ParquetWriterOptions()
    writerOptions.compression = compressionKind(options.codec)
    if let level = options.zstdLevel { writerOptions.compressionLevel = level }
    if let checksums = options.pageChecksums { writerOptions.pageChecksums = checksums }
    if let pageRows = options.pageRows { writerOptions.dataPageRowLimit = pageRows }

    let buildStart = clock.now
    let batches = makeBatches(rows: options.rows, batchRows: options.batchRows)
    let built = seconds(buildStart.duration(to: clock.now))

    let start = clock.now
    let cpuStart = processCPUSeconds()
    let bytes: [UInt8]
    do {
        var writer = try ParquetFileWriter(schema: benchmarkSchema, options: writerOptions)
        for batch in batches { try writer.write(batch) }
        bytes = try writer.finish()
    } catch {
        fail("write failed: \(error)")
    }
    let elapsed = seconds(start.duration(to: clock.now))
    let cpu = processCPUSeconds() - cpuStart
    writeFile(options.file!, bytes)
    print(json([
        ("impl", "swift"), ("op", "write"), ("codec", options.codec), ("rows", options.rows),
        ("seconds", elapsed), ("rows_per_s", Double(options.rows) / elapsed), ("cpu_seconds", cpu), ("bytes", bytes.count),
        ("peak_rss_mb", peakRSSMegabytes()), ("build_seconds", built),
        ("page_checksums", writerOptions.pageChecksums ? "on" : "off"),
        ("compression_level", writerOptions.compressionLevel.map { "\($0)" } ?? "default"),
    ]))

case "read":
    let path = options.file!
    let bytes = readFile(path)
    let start = clock.now
    let cpuStart = processCPUSeconds()
    let batches: [RecordBatch]
    let fileRows: Int
    do {
        let reader = try ParquetFileReader(bytes: bytes, fileName: path)
        fileRows = reader.rowCount
        batches = try reader.readAll()
    } catch {
        fail("read failed: \(error)")
    }
    let elapsed = seconds(start.duration(to: clock.now))
    let cpu = processCPUSeconds() - cpuStart
    let rows = batches.reduce(0) { $0 + $1.rowCount }
    let peak = peakRSSMegabytes()
    var checked = "skipped"
    if options.check {
        if rows != options.rows { fail("\(path) has \(rows) rows, expected \(options.rows) (pass --rows)") }
        if let problem = checkAll(batches, totalRows: rows) { fail("\(path): \(problem)") }
        checked = "ok"
    }
    if options.perColumn {
        // Diagnostic: each column read alone (best of 3), to see where read time goes.
        for field in benchmarkSchema.fields {
            var best = Double.infinity
            for _ in 0..<3 {
                let columnStart = clock.now
                do {
                    _ = try ParquetFileReader(bytes: bytes, fileName: path).readAll(columns: [field.name])
                } catch {
                    fail("read of column \(field.name) failed: \(error)")
                }
                best = min(best, seconds(columnStart.duration(to: clock.now)))
            }
            print(json([
                ("impl", "swift"), ("op", "read-column"), ("codec", options.codec), ("column", field.name),
                ("seconds", best), ("rows_per_s", Double(rows) / best),
            ]))
        }
    }
    print(json([
        ("impl", "swift"), ("op", "read"), ("codec", options.codec), ("rows", rows),
        ("seconds", elapsed), ("rows_per_s", Double(rows) / elapsed), ("cpu_seconds", cpu), ("bytes", bytes.count),
        ("peak_rss_mb", peak), ("row_groups", batches.count), ("footer_rows", fileRows), ("check", checked),
    ]))

default:
    fail(usage)
}
