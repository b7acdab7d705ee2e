import Columnar
@testable import DeltaLake
import Foundation
import Synchronization
import ObjectStore
import Testing
import TestSupport

/// A [key: row] dictionary that applies the same upserts/deletes as a merge: the independent oracle.
struct MergeModel {
    var rows: [[Datum]: [Datum]] = [:]
    let keyIndices: [Int]

    mutating func apply(_ batch: RecordBatch, _ actions: [MergeAction]) {
        for row in 0..<batch.rowCount {
            let values = batch.row(row)
            let key = keyIndices.map { values[$0] }
            switch actions[row] {
            case .upsert: rows[key] = values
            case .delete: rows[key] = nil
            }
        }
    }

    func lines(schema: Schema) throws -> [String] {
        let batch = try RecordBatch(schema: schema, rows: Array(rows.values))
        return batch.jsonLines().sorted()
    }
}

enum MergeFixtures {
    static let schema = Schema([
        Field("id", .int64, isNullable: false),
        Field("name", .string),
        Field("amount", .float64),
        Field("tags", .list(Field("element", .string))),
        Field("version", .int64),
    ])

    static func row(_ id: Int64, version: Int64, rng: inout SplitMix64) -> [Datum] {
        let r = rng.next()
        return [
            .integer(id),
            r % 5 == 0 ? .null : .string("name-\(id)-v\(version)"),
            r % 7 == 0 ? .null : .float64(Double(r % 10_000) / 8),
            r % 3 == 0 ? .null : .list((0..<Int(r % 3)).map { .string("t\($0)") }),
            .integer(version),
        ]
    }

    /// A collapsed change batch: `count` distinct random keys below `keySpace`, a third of them deletes.
    static func changes(count: Int, keySpace: Int64, version: Int64, rng: inout SplitMix64) throws -> (RecordBatch, [MergeAction]) {
        var keys = Set<Int64>()
        while keys.count < count { keys.insert(Int64(rng.next() % UInt64(keySpace))) }
        var rows: [[Datum]] = []
        var actions: [MergeAction] = []
        for key in keys.sorted() {
            rows.append(row(key, version: version, rng: &rng))
            actions.append(rng.next() % 3 == 0 ? .delete : .upsert)
        }
        return (try RecordBatch(schema: schema, rows: rows), actions)
    }

    static func lines(_ table: DeltaTable, version: Int64? = nil) async throws -> [String] {
        let snapshot = try await table.snapshot(version: version)
        return try await table.readBatches(snapshot).flatMap { $0.jsonLines() }.sorted()
    }
}

@Suite struct MergeTests {
    @Test func randomRoundsMatchTheDictionaryModel() async throws {
        let store = InMemoryObjectStore()
        var options = DeltaWriteOptions()
        options.maxRowsPerFile = 40
        let table = try await DeltaTable.create(store: store, root: "t", schema: MergeFixtures.schema, options: options)
        var model = MergeModel(keyIndices: [0])
        var rng = SplitMix64(seed: 11)
        var totals = MergeResult()
        for round in 1...8 {
            let (batch, actions) = try MergeFixtures.changes(count: 60, keySpace: 200, version: Int64(round), rng: &rng)
            let result = try await table.merge(batch, actions: actions, keyColumns: ["id"])
            let before = model.rows.count
            model.apply(batch, actions)
            #expect(before + result.inserted - result.deleted == model.rows.count, "round \(round)")
            #expect(result.inserted + result.updated + result.deleted + result.deletesWithoutMatch == batch.rowCount)
            totals.updated += result.updated
            totals.deleted += result.deleted
            totals.deletesWithoutMatch += result.deletesWithoutMatch
            #expect(try await MergeFixtures.lines(table) == (try model.lines(schema: MergeFixtures.schema)), "round \(round)")
        }
        // The key space is small enough that keys are updated and deleted repeatedly.
        #expect(totals.updated > 50 && totals.deleted > 20 && totals.deletesWithoutMatch > 5)
        let history = try await table.commitActions(version: 8)
        #expect(history.contains { if case .remove(let r) = $0 { return r.dataChange && r.size != nil && r.deletionTimestamp != nil }; return false })
    }

    @Test func compositeKeys() async throws {
        let schema = Schema([Field("region", .string, isNullable: false), Field("id", .int32, isNullable: false), Field("value", .string)])
        let table = try await DeltaTable.create(store: InMemoryObjectStore(), root: "", schema: schema)
        var model = MergeModel(keyIndices: [0, 1])
        func batch(_ rows: [(String, Int64, String?)]) throws -> RecordBatch {
            try RecordBatch(schema: schema, rows: rows.map { [.string($0.0), .integer($0.1), $0.2.map(Datum.string) ?? .null] })
        }
        let first = try batch([("eu", 1, "a"), ("us", 1, "b"), ("eu", 2, nil), ("us", 2, "d")])
        try await table.merge(first, actions: Array(repeating: .upsert, count: 4), keyColumns: ["region", "id"])
        model.apply(first, Array(repeating: .upsert, count: 4))
        let second = try batch([("eu", 1, "a2"), ("us", 2, nil), ("ap", 1, "new"), ("us", 3, "never")])
        let actions: [MergeAction] = [.upsert, .delete, .upsert, .delete]
        let result = try await table.merge(second, actions: actions, keyColumns: ["region", "id"])
        model.apply(second, actions)
        #expect(result.updated == 1 && result.deleted == 1 && result.inserted == 1 && result.deletesWithoutMatch == 1)
        #expect(try await MergeFixtures.lines(table) == (try model.lines(schema: schema)))
        #expect(try await MergeFixtures.lines(table).count == 4)
    }

    @Test func onlyFilesWithMatchesAreRewritten() async throws {
        let store = InMemoryObjectStore()
        var options = DeltaWriteOptions()
        options.maxRowsPerFile = 100
        let table = try await DeltaTable.create(store: store, root: "t", schema: MergeFixtures.schema, options: options)
        var rng = SplitMix64(seed: 3)
        let initial = try RecordBatch(schema: MergeFixtures.schema, rows: (0..<500).map { MergeFixtures.row(Int64($0), version: 0, rng: &rng) })
        try await table.append([initial])
        let before = Set(try await table.snapshot().files.keys)
        #expect(before.count == 5)
        // Keys 205 and 250 live in the file holding 200..<300; key 10_000 is new.
        let changes = try RecordBatch(schema: MergeFixtures.schema, rows: [205, 250, 10_000].map { MergeFixtures.row($0, version: 1, rng: &rng) })
        let result = try await table.merge(changes, actions: [.upsert, .delete, .upsert], keyColumns: ["id"])
        #expect(result.candidateFiles == 1 && result.filesRemoved == 1 && result.filesAdded == 2)
        #expect(result.updated == 1 && result.deleted == 1 && result.inserted == 1)
        let after = Set(try await table.snapshot().files.keys)
        #expect(before.subtracting(after).count == 1)
        #expect(after.intersection(before).count == 4)
        #expect(try await MergeFixtures.lines(table).count == 500)
        // A delete of a key no file can hold reads nothing and commits nothing.
        let none = try RecordBatch(schema: MergeFixtures.schema, rows: [MergeFixtures.row(-5, version: 2, rng: &rng)])
        let nothing = try await table.merge(none, actions: [.delete], keyColumns: ["id"])
        #expect(nothing.commit == nil && nothing.candidateFiles == 0 && nothing.bytesRead == 0 && nothing.deletesWithoutMatch == 1)
    }

    @Test func replacementRuleKeepsNewerTableRows() async throws {
        let table = try await DeltaTable.create(store: InMemoryObjectStore(), root: "", schema: MergeFixtures.schema)
        var rng = SplitMix64(seed: 5)
        let initial = try RecordBatch(schema: MergeFixtures.schema, rows: [
            MergeFixtures.row(1, version: 10, rng: &rng), MergeFixtures.row(2, version: 10, rng: &rng), MergeFixtures.row(3, version: 10, rng: &rng),
        ])
        try await table.merge(initial, actions: [.upsert, .upsert, .upsert], keyColumns: ["id"])
        // Incoming: 1 older (dropped), 2 newer (wins), 3 delete older (dropped), 4 new.
        let incoming = try RecordBatch(schema: MergeFixtures.schema, rows: [
            MergeFixtures.row(1, version: 5, rng: &rng), MergeFixtures.row(2, version: 11, rng: &rng),
            MergeFixtures.row(3, version: 9, rng: &rng), MergeFixtures.row(4, version: 1, rng: &rng),
        ])
        let incomingVersions = incoming.column(named: "version")!
        let rule = MergeReplacementRule(columns: ["version"]) { existing, row, incomingRow in
            guard case .integer(let old) = existing.columns[1].datum(at: row), case .integer(let new) = incomingVersions.datum(at: incomingRow) else { return true }
            return new >= old
        }
        let result = try await table.merge(incoming, actions: [.upsert, .upsert, .delete, .upsert], keyColumns: ["id"], rule: rule)
        #expect(result.keptExisting == 2 && result.updated == 1 && result.inserted == 1 && result.deleted == 0)
        let versions = try await table.readBatches(try await table.snapshot()).flatMap { batch in
            (0..<batch.rowCount).map { (batch.columns[0].datum(at: $0), batch.columns[4].datum(at: $0)) }
        }.sorted { "\($0.0)" < "\($1.0)" }
        #expect(versions.map(\.1) == [.integer(10), .integer(11), .integer(10), .integer(1)])
    }

    @Test func idempotentWithTxn() async throws {
        let table = try await DeltaTable.create(store: InMemoryObjectStore(), root: "", schema: MergeFixtures.schema)
        var rng = SplitMix64(seed: 9)
        let (batch, actions) = try MergeFixtures.changes(count: 10, keySpace: 20, version: 1, rng: &rng)
        let txn = DeltaTransaction(appId: "cdc", version: 1)
        let first = try await table.merge(batch, actions: actions, keyColumns: ["id"], txn: txn)
        let again = try await table.merge(batch, actions: actions, keyColumns: ["id"], txn: txn)
        #expect(first.commit?.skipped == false && again.commit?.skipped == true)
        #expect(try await table.snapshot().version == 1)
    }

    @Test func rejectsBadInput() async throws {
        let table = try await DeltaTable.create(store: InMemoryObjectStore(), root: "", schema: MergeFixtures.schema)
        var rng = SplitMix64(seed: 1)
        let dup = try RecordBatch(schema: MergeFixtures.schema, rows: [MergeFixtures.row(1, version: 1, rng: &rng), MergeFixtures.row(1, version: 2, rng: &rng)])
        await #expect(throws: DeltaError.self) { try await table.merge(dup, actions: [.upsert, .upsert], keyColumns: ["id"]) }
        await #expect(throws: DeltaError.self) { try await table.merge(dup.slice(0..<1), actions: [], keyColumns: ["id"]) }
        await #expect(throws: DeltaError.self) { try await table.merge(dup.slice(0..<1), actions: [.upsert], keyColumns: ["nope"]) }
        await #expect(throws: DeltaError.self) { try await table.merge(dup.slice(0..<1), actions: [.upsert], keyColumns: ["tags"]) }
        let nullKey = try RecordBatch(schema: MergeFixtures.schema, rows: [[.integer(1), .null, .null, .null, .null]])
        await #expect(throws: DeltaError.self) { try await table.merge(nullKey, actions: [.upsert], keyColumns: ["name"]) }
        let other = try RecordBatch(schema: Schema([Field("id", .int64)]), rows: [[.integer(1)]])
        await #expect(throws: DeltaError.self) { try await table.merge(other, actions: [.upsert], keyColumns: ["id"]) }
    }
}

/// Merged tables read by the Python `deltalake` package equal the dictionary model at every version.
@Suite(.enabled(if: PythonTools.available, "needs DATASTREAM_DELTA_PYTHON (scripts/test.sh)"))
struct MergeInteropTests {
    @Test func everyVersionReadsLikeTheModelInDeltalake() async throws {
        try await withTemporaryDirectory { directory in
            let store = try LocalFileSystemStore(root: directory.path)
            var options = DeltaWriteOptions()
            options.maxRowsPerFile = 30
            let table = try await DeltaTable.create(store: store, root: "merged", schema: MergeFixtures.schema, options: options)
            var model = MergeModel(keyIndices: [0])
            var rng = SplitMix64(seed: 21)
            var expected: [Int64: [String]] = [0: []]
            for round in 1...5 {
                let (batch, actions) = try MergeFixtures.changes(count: 40, keySpace: 120, version: Int64(round), rng: &rng)
                let result = try await table.merge(batch, actions: actions, keyColumns: ["id"], txn: DeltaTransaction(appId: "cdc", version: Int64(round)))
                model.apply(batch, actions)
                if let version = result.commit?.version { expected[version] = try model.lines(schema: MergeFixtures.schema).map(normalizedLine) }
            }
            let tableDirectory = directory.appendingPathComponent("merged").path
            for (version, lines) in expected.sorted(by: { $0.key < $1.key }) {
                let oracle = try OracleRead(tableDirectory: tableDirectory, version: version)
                let same = oracle.rows.sorted() == lines.sorted()
                #expect(same, "version \(version): \(firstDifference(oracle.rows.sorted(), lines.sorted()))")
            }
            let latest = try OracleRead(tableDirectory: tableDirectory)
            let history = latest.header["history"] as? [[String: Any]] ?? []
            #expect(history.contains { $0["operation"] as? String == "MERGE" })
        }
    }
}

/// Merging 10k rows into a 1M-row table; run with DELTA_MERGE_BENCH=1 (prints time and peak RSS).
@Suite(.enabled(if: ProcessInfo.processInfo.environment["DELTA_MERGE_BENCH"] == "1", "set DELTA_MERGE_BENCH=1"))
struct MergeBenchmarkTests {
    static func peakRSSKilobytes() -> String {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        return status.split(separator: "\n").first { $0.hasPrefix("VmHWM") }.map(String.init) ?? "?"
    }

    @Test func tenThousandIntoOneMillion() async throws {
        let table = try await DeltaTable.create(store: InMemoryObjectStore(), root: "", schema: MergeFixtures.schema)
        var rng = SplitMix64(seed: 77)
        let started = ContinuousClock.now
        for chunk in 0..<10 {
            let rows = (0..<100_000).map { MergeFixtures.row(Int64(chunk * 100_000 + $0) * 2, version: 1, rng: &rng) }
            try await table.append([try RecordBatch(schema: MergeFixtures.schema, rows: rows)])
        }
        print("bench: loaded 1M rows in 10 files in \(ContinuousClock.now - started); \(Self.peakRSSKilobytes())")
        // 10k keys spread over the whole key range: half updates of existing keys, half inserts.
        let (batch, actions) = try MergeFixtures.changes(count: 10_000, keySpace: 2_000_000, version: 2, rng: &rng)
        let mergeStart = ContinuousClock.now
        let result = try await table.merge(batch, actions: actions, keyColumns: ["id"])
        print("bench: merged 10k rows in \(ContinuousClock.now - mergeStart): inserted \(result.inserted) updated \(result.updated) deleted \(result.deleted) candidates \(result.candidateFiles) rewritten \(result.filesRemoved) read \(result.bytesRead) B; \(Self.peakRSSKilobytes())")
        #expect(result.inserted + result.updated + result.deleted + result.deletesWithoutMatch == 10_000)
    }
}

/// Runs `hook` once, just before the first commit put, to simulate a concurrent writer.
final class MergeRaceStore: ObjectStore {
    let base: any ObjectStore
    private let hook: Mutex<(@Sendable () async -> Void)?>

    init(base: any ObjectStore, hook: @escaping @Sendable () async -> Void) {
        self.base = base
        self.hook = Mutex(hook)
    }

    var rootDescription: String { base.rootDescription }
    func get(_ path: ObjectPath) async throws(ObjectStoreError) -> [UInt8] { try await base.get(path) }
    func get(_ path: ObjectPath, range: Range<Int>) async throws(ObjectStoreError) -> [UInt8] { try await base.get(path, range: range) }
    func list(prefix: String, startAfter: ObjectPath?, limit: Int) async throws(ObjectStoreError) -> ObjectListing {
        try await base.list(prefix: prefix, startAfter: startAfter, limit: limit)
    }
    func delete(_ path: ObjectPath) async throws(ObjectStoreError) { try await base.delete(path) }
    func head(_ path: ObjectPath) async throws(ObjectStoreError) -> ObjectMetadata? { try await base.head(path) }
    func put(_ path: ObjectPath, _ bytes: [UInt8], mode: PutMode) async throws(ObjectStoreError) {
        if mode == .createOnly, let pending = hook.withLock({ h in defer { h = nil }; return h }) { await pending() }
        try await base.put(path, bytes, mode: mode)
    }
}

@Suite struct MergeConflictTests {
    @Test func concurrentRewriteOfACandidateFileIsAConflict() async throws {
        let base = InMemoryObjectStore()
        var options = DeltaWriteOptions()
        options.maxRowsPerFile = 100
        let table = try await DeltaTable.create(store: base, root: "t", schema: MergeFixtures.schema, options: options)
        var rng = SplitMix64(seed: 31)
        try await table.append([try RecordBatch(schema: MergeFixtures.schema, rows: (0..<200).map { MergeFixtures.row(Int64($0), version: 0, rng: &rng) })])
        let theirs = try RecordBatch(schema: MergeFixtures.schema, rows: [MergeFixtures.row(5, version: 1, rng: &rng)])
        let ours = try RecordBatch(schema: MergeFixtures.schema, rows: [MergeFixtures.row(6, version: 2, rng: &rng)])
        let racing = DeltaTable(store: MergeRaceStore(base: base) {
            _ = try? await table.merge(theirs, actions: [.upsert], keyColumns: ["id"])
        }, root: "t", options: options)
        let error = await #expect(throws: DeltaError.self) { try await racing.merge(ours, actions: [.upsert], keyColumns: ["id"]) }
        #expect(error?.code == .commitConflict)
        // Their merge landed, ours did not.
        let rows = try await table.readBatches(try await table.snapshot()).flatMap { b in (0..<b.rowCount).map { b.row($0) } }
        #expect(rows.count == 200)
        #expect(rows.first { $0[0] == .integer(5) }?[4] == .integer(1))
        #expect(rows.first { $0[0] == .integer(6) }?[4] == .integer(0))
    }
}
