// delta-commit-probe: a small driver for multi-process commit tests and the Delta benchmark.
//
//   delta-commit-probe append TABLE_DIR FIRST_ID COUNT   COUNT single-row commits (ids FIRST_ID…)
//   delta-commit-probe delete-id TABLE_DIR ID            delete the row with this id (copy-on-write); exit 3 on a commit conflict
//   delta-commit-probe bench-append TABLE_DIR COMMITS ROWS   create a table, COMMITS appends of ROWS rows
//   delta-commit-probe make-log TABLE_DIR COMMITS        a table with COMMITS commits (JSON written directly) and checkpoints
//   delta-commit-probe load TABLE_DIR REPEATS            time snapshot loads
//
// Results are printed as one JSON line. The table lives at the root of a LocalFileSystemStore.
#if canImport(Glibc)
import Glibc
#endif
import Columnar
import DeltaLake
import JSONCoding
import ObjectStore

let schema = Schema([Field("id", .int64, isNullable: false), Field("name", .string), Field("amount", .float64)])

func fail(_ message: String) -> Never {
    var line = "delta-commit-probe: " + message + "\n"
    line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    exit(1)
}

func nowNanos() -> UInt64 {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
}

func rows(first: Int64, count: Int) throws -> RecordBatch {
    var ids: [Int64] = []
    var offsets: [Int32] = [0]
    var data: [UInt8] = []
    var amounts: [Double] = []
    for i in 0..<Int64(count) {
        let id = first + i
        ids.append(id)
        data.append(contentsOf: "name-\(id)".utf8)
        offsets.append(Int32(data.count))
        amounts.append(Double(id) * 0.25)
    }
    return try RecordBatch(schema: schema, columns: [
        Column(type: .int64, count: count, validity: nil, storage: .int64(ids)),
        Column(type: .string, count: count, validity: nil, storage: .bytes(offsets: offsets, data: data)),
        Column(type: .float64, count: count, validity: nil, storage: .float64(amounts)),
    ], rowCount: count)
}

func table(_ directory: String) throws -> DeltaTable {
    DeltaTable(store: try LocalFileSystemStore(root: directory), root: "")
}

let arguments = Array(CommandLine.arguments.dropFirst())
guard arguments.count == 4 || (arguments.count == 3 && ["make-log", "load", "delete-id"].contains(arguments[0])) else {
    fail("usage: append DIR FIRST_ID COUNT | delete-id DIR ID | bench-append DIR COMMITS ROWS | make-log DIR COMMITS | load DIR REPEATS")
}
do {
    switch arguments[0] {
    case "append":
        guard let first = Int64(arguments[2]), let count = Int(arguments[3]), count >= 0 else { fail("bad FIRST_ID/COUNT") }
        let target = try table(arguments[1])
        var attempts = 0
        var versions: [Int64] = []
        for i in 0..<Int64(count) {
            let result = try await target.append([try rows(first: first + i, count: 1)])
            attempts += result.attempts
            versions.append(result.version)
        }
        print(JSONValue.object([("first", .int(first)), ("count", .int(Int64(count))), ("attempts", .int(Int64(attempts))),
                                ("versions", .array(versions.map { .int($0) }))]).serialized)
    case "delete-id":
        guard let id = Int64(arguments[2]) else { fail("bad ID") }
        do {
            let result = try await table(arguments[1]).delete(description: "id = \(id)") { batch, row in
                if case .integer(let value) = batch.columns[0].datum(at: row) { return value == id }
                return false
            }
            print(JSONValue.object([("id", .int(id)), ("version", .int(result.version)), ("attempts", .int(Int64(result.attempts)))]).serialized)
        } catch let error as DeltaError where error.code == .commitConflict {
            print(JSONValue.object([("id", .int(id)), ("conflict", .string(error.description))]).serialized)
            exit(3)
        }
    case "bench-append":
        guard let commits = Int(arguments[2]), let count = Int(arguments[3]), commits > 0, count > 0 else { fail("bad COMMITS/ROWS") }
        let store = try LocalFileSystemStore(root: arguments[1])
        let target = try await DeltaTable.create(store: store, root: "", schema: schema)
        let batches = try (0..<commits).map { try rows(first: Int64($0 * count), count: count) }
        let start = nowNanos()
        for batch in batches { _ = try await target.append([batch]) }
        let seconds = Double(nowNanos() - start) / 1e9
        print(JSONValue.object([("commits", .int(Int64(commits))), ("rows", .int(Int64(commits * count))), ("seconds", .number(String(seconds))),
                                ("rows_per_s", .number(String(Double(commits * count) / seconds)))]).serialized)
    case "make-log":
        guard let commits = Int64(arguments[2]), commits > 1 else { fail("bad COMMITS") }
        let store = try LocalFileSystemStore(root: arguments[1])
        var options = DeltaWriteOptions()
        options.writeCheckpoints = false
        let target = try await DeltaTable.create(store: store, root: "", schema: schema, options: options)
        let first = try await target.append([try rows(first: 0, count: 1)])
        guard let template = first.addedFiles.first else { fail("no file written") }
        let lastCheckpoint = (commits - 1) / 100 * 100
        for version in 2..<commits {
            var add = template
            add.path = "part-\(version)-" + template.path
            let line = DeltaAction.commitInfo(.object([("timestamp", .int(template.modificationTime + version)), ("operation", .string("WRITE")),
                                                       ("operationParameters", .object([("mode", .string("Append"))])),
                                                       ("engineInfo", .string(DeltaTable.engineInfo))]))
            let text = line.json.serialized + "\n" + DeltaAction.add(add).json.serialized + "\n"
            let name = String(repeating: "0", count: 20 - String(version).count) + String(version)
            try await store.put(try ObjectPath("_delta_log/\(name).json"), Array(text.utf8), mode: .createOnly)
            if version == lastCheckpoint { try await target.writeCheckpoint(version: version) }
        }
        print(JSONValue.object([("commits", .int(commits)), ("checkpoint", .int(lastCheckpoint))]).serialized)
    case "load":
        guard let repeats = Int(arguments[2]), repeats > 0 else { fail("bad REPEATS") }
        let target = try table(arguments[1])
        var times: [Double] = []
        var version: Int64 = -1
        var files = 0
        for _ in 0..<repeats {
            let start = nowNanos()
            let snapshot = try await target.snapshot()
            times.append(Double(nowNanos() - start) / 1e6)
            version = snapshot.version
            files = snapshot.files.count
        }
        times.sort()
        print(JSONValue.object([("version", .int(version)), ("files", .int(Int64(files))), ("median_ms", .number(String(times[times.count / 2]))),
                                ("min_ms", .number(String(times[0])))]).serialized)
    default:
        fail("unknown mode \(arguments[0])")
    }
} catch {
    fail("\(error)")
}
