// Datastream Avro decode benchmark (see docs/BENCHMARKS.md; driven by scripts/bench-datastream.sh).
//
//   DatastreamBenchmark --mode generate --dir DIR [--events N] [--tables N] [--seed N] [--source mysql]
//   DatastreamBenchmark --mode decode   --dir DIR [--path avro|datastream|both]
//
// `generate` writes realistic MySQL Datastream Avro files with ChangeDataGenerator (the same code
// as `datastream-delta generate --format avro`). `decode` loads every `.avro` file under DIR into
// memory (not timed), then, on one thread:
//
// - `avro`: times `AvroContainerReader(bytes:fileName:).readAll()` over every file (columnar batches);
// - `datastream`: times the connector's path: `DatastreamFileDecoder().decode(...)`, then
//   `DatastreamEvents(batch:fileName:)` and `orderKey(at:)` + `operation(at:)` for every row.
//
// Each measurement prints one JSON line on stdout:
//   {"impl":"swift","op":"avro","events":..,"files":..,"bytes":..,"seconds":..,"events_per_s":..,
//    "mb_per_s":..,"cpu_seconds":..,"peak_rss_mb":..}
// `peak_rss_mb` is VmHWM from /proc/self/status after the measurement (it includes the files held
// in memory: `rss_after_load_mb` is VmRSS once they are loaded, before decoding), so the driver
// runs `avro` and `datastream` in separate processes.

import Avro
import Columnar
import Datastream
import DatastreamGenerator
import ObjectStore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

// MARK: - Options

struct BenchmarkOptions {
    var mode = "decode"
    var directory: String?
    var path = "both"
    var events = 1_000_000
    var tables = 3
    var seed: UInt64 = 1
    var source = SourceFlavor.mysql
}

func fail(_ message: String) -> Never {
    var text = "DatastreamBenchmark: \(message)\n"
    text.withUTF8 { buffer in _ = write(2, buffer.baseAddress, buffer.count) }
    exit(2)
}

let usage = """
    usage: DatastreamBenchmark --mode generate --dir DIR [--events N] [--tables N] [--seed N] [--source mysql|oracle|postgresql|sqlserver]
           DatastreamBenchmark --mode decode --dir DIR [--path avro|datastream|both]
    """

func parseOptions() -> BenchmarkOptions {
    var options = BenchmarkOptions()
    var args = CommandLine.arguments.dropFirst()
    func value(_ flag: String) -> String {
        guard let next = args.popFirst() else { fail("\(flag) needs a value\n\(usage)") }
        return next
    }
    func integer(_ flag: String) -> Int {
        let text = String(value(flag).filter { $0 != "_" })
        guard let number = Int(text), number >= 1 else { fail("\(flag) needs a positive integer, got '\(text)'") }
        return number
    }
    while let arg = args.popFirst() {
        switch arg {
        case "--mode": options.mode = value(arg)
        case "--dir": options.directory = value(arg)
        case "--path": options.path = value(arg)
        case "--events": options.events = integer(arg)
        case "--tables": options.tables = integer(arg)
        case "--seed": options.seed = UInt64(integer(arg))
        case "--source":
            let name = value(arg)
            guard let flavor = SourceFlavor(rawValue: name) else { fail("unknown source '\(name)'") }
            options.source = flavor
        case "-h", "--help": print(usage); exit(0)
        default: fail("unknown argument '\(arg)'\n\(usage)")
        }
    }
    guard ["generate", "decode"].contains(options.mode) else { fail("unknown mode '\(options.mode)'\n\(usage)") }
    guard ["avro", "datastream", "both"].contains(options.path) else { fail("unknown path '\(options.path)'") }
    guard options.directory != nil else { fail("--dir DIR is required\n\(usage)") }
    return options
}

// MARK: - Measurements

/// Peak resident set size (VmHWM) of this process in MiB, or -1 when /proc is unavailable.
func peakResidentMegabytes() -> Double { statusMegabytes("VmHWM:") }

/// Current resident set size (VmRSS) of this process in MiB, or -1 when /proc is unavailable.
func residentMegabytes() -> Double { statusMegabytes("VmRSS:") }

/// A `kB` line of /proc/self/status in MiB, or -1.
func statusMegabytes(_ label: String) -> Double {
    guard let file = fopen("/proc/self/status", "r") else { return -1 }
    defer { fclose(file) }
    var line = [CChar](repeating: 0, count: 256)
    while fgets(&line, Int32(line.count), file) != nil {
        let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if text.hasPrefix(label) {
            let digits = text.dropFirst(label.count).filter { $0.isNumber }
            return (Double(String(digits)) ?? -1) / 1024
        }
    }
    return -1
}

/// User + system CPU seconds of this process.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1_000_000 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

func format(_ value: Double, _ digits: Int = 3) -> String {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let rounded = (value * scale).rounded() / scale
    return "\(rounded)"
}

func report(op: String, events: Int, files: Int, bytes: Int, elapsed: Double, cpu: Double, loadedMegabytes: Double) {
    let line = "{\"impl\":\"swift\",\"op\":\"\(op)\",\"events\":\(events),\"files\":\(files),\"bytes\":\(bytes),"
        + "\"seconds\":\(format(elapsed, 4)),\"events_per_s\":\(Int((Double(events) / elapsed).rounded())),"
        + "\"mb_per_s\":\(format(Double(bytes) / 1_048_576 / elapsed, 1)),\"cpu_seconds\":\(format(cpu, 4)),"
        + "\"peak_rss_mb\":\(format(peakResidentMegabytes(), 1)),\"rss_after_load_mb\":\(format(loadedMegabytes, 1))}"
    print(line)
}

// MARK: - Modes

struct LoadedFile {
    var name: String
    var bytes: [UInt8]
}

func loadAvroFiles(under directory: String) async throws -> [LoadedFile] {
    let store = try LocalFileSystemStore(root: directory)
    let objects = try await store.listAll(prefix: "")
    var files: [LoadedFile] = []
    for object in objects where object.path.rawValue.hasSuffix(".avro") {
        files.append(LoadedFile(name: object.path.rawValue, bytes: try await store.get(object.path)))
    }
    return files
}

/// Avro container files to columnar batches, nothing else.
func decodeAvro(_ files: [LoadedFile]) throws -> Int {
    var events = 0
    for file in files {
        var reader = try AvroContainerReader(bytes: file.bytes, fileName: file.name)
        let batch = try reader.readAll()
        events += batch.rowCount
    }
    return events
}

/// What the connector does per file: decode, wrap as events, order key and operation per row.
func decodeDatastream(_ files: [LoadedFile]) throws -> (events: Int, deletes: Int, checksum: Int64) {
    let decoder = DatastreamFileDecoder()
    var events = 0
    var deletes = 0
    var checksum: Int64 = 0
    for file in files {
        let batch = try decoder.decode(file.bytes, fileName: file.name)
        let wrapped = try DatastreamEvents(batch: batch, fileName: file.name)
        for row in 0..<wrapped.count {
            let key = try wrapped.orderKey(at: row)
            checksum &+= key.sourceTimestampMicros
            if wrapped.operation(at: row) == .delete { deletes += 1 }
        }
        events += wrapped.count
    }
    return (events, deletes, checksum)
}

func runDecode(_ options: BenchmarkOptions, directory: String) async throws {
    let files = try await loadAvroFiles(under: directory)
    guard !files.isEmpty else { fail("no .avro files under \(directory)") }
    let bytes = files.reduce(0) { $0 + $1.bytes.count }
    let loadedMegabytes = residentMegabytes()
    let clock = ContinuousClock()

    if options.path == "avro" || options.path == "both" {
        let cpuBefore = cpuSeconds()
        let started = clock.now
        let events = try decodeAvro(files)
        let elapsed = seconds(clock.now - started)
        report(op: "avro", events: events, files: files.count, bytes: bytes, elapsed: elapsed, cpu: cpuSeconds() - cpuBefore, loadedMegabytes: loadedMegabytes)
    }
    if options.path == "datastream" || options.path == "both" {
        let cpuBefore = cpuSeconds()
        let started = clock.now
        let result = try decodeDatastream(files)
        let elapsed = seconds(clock.now - started)
        report(op: "datastream", events: result.events, files: files.count, bytes: bytes, elapsed: elapsed, cpu: cpuSeconds() - cpuBefore, loadedMegabytes: loadedMegabytes)
        // Keeps the per-row work observable (and on stderr, so stdout stays one JSON line per run).
        var note = "datastream: \(result.deletes) deletes, order-key checksum \(result.checksum)\n"
        note.withUTF8 { buffer in _ = write(2, buffer.baseAddress, buffer.count) }
    }
}

func runGenerate(_ options: BenchmarkOptions, directory: String) async throws {
    var generator = GeneratorOptions()
    generator.source = options.source
    generator.format = .avro
    generator.tables = options.tables
    generator.events = options.events
    generator.seed = options.seed
    let store = try LocalFileSystemStore(root: directory)
    let summary = try await ChangeDataGenerator.generate(generator, into: store, prefix: "")
    print("{\"op\":\"generate\",\"files\":\(summary.files),\"events\":\(summary.writtenEvents),\"bytes\":\(summary.bytes)}")
}

let options = parseOptions()
guard let directory = options.directory else { fail("--dir DIR is required") }
do {
    switch options.mode {
    case "generate": try await runGenerate(options, directory: directory)
    default: try await runDecode(options, directory: directory)
    }
} catch {
    fail("\(error)")
}
