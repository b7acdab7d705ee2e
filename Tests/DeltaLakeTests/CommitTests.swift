import JSONCoding
import Columnar
@testable import DeltaLake
import Foundation
import ObjectStore
import Synchronization
import Testing
import TestSupport

/// Creating, appending and the commit protocol (races, conflicts, idempotency, ambiguous puts).
@Suite struct CommitTests {
    static let schema = Schema([Field("id", .int64, isNullable: false), Field("name", .string)])

    static func batch(_ ids: Range<Int64>) throws -> RecordBatch {
        try RecordBatch(schema: schema, rows: ids.map { [.integer($0), $0 % 3 == 0 ? .null : .string("n\($0)")] })
    }

    static func ids(_ table: DeltaTable, version: Int64? = nil) async throws -> [Int64] {
        let snapshot = try await table.snapshot(version: version)
        return try await table.readBatches(snapshot).flatMap { batch in (0..<batch.rowCount).map { batch.columns[0].datum(at: $0) } }
            .compactMap { if case .integer(let i) = $0 { return i }; return nil }.sorted()
    }

    @Test func createAppendAndReadBack() async throws {
        let store = InMemoryObjectStore()
        let table = try await DeltaTable.create(store: store, root: "t", schema: Self.schema, configuration: ["delta.appendOnly": "true"], name: "people")
        let created = try await table.snapshot()
        #expect(created.version == 0 && created.protocol == DeltaProtocol(minReaderVersion: 1, minWriterVersion: 2))
        #expect(created.schema == Self.schema && created.metadata.name == "people")
        var options = DeltaWriteOptions()
        options.maxRowsPerFile = 4
        let chunked = DeltaTable(store: store, root: "t", options: options)
        let result = try await chunked.append([try Self.batch(0..<10)])
        #expect(result.version == 1 && result.addedFiles.count == 3 && result.attempts == 1)
        try await table.append([try Self.batch(10..<12), try Self.batch(12..<13)])
        #expect(try await Self.ids(table) == Array(0..<13))
        #expect(try await Self.ids(table, version: 1) == Array(0..<10))
        // The commit file: commitInfo first, then the adds.
        let actions = try await table.commitActions(version: 2)
        guard case .commitInfo(let info) = actions.first else { Issue.record("commitInfo must come first"); return }
        #expect(info["engineInfo"]?.stringValue == "datastream-delta/0.1.0")
        #expect(info["operation"]?.stringValue == "WRITE" && info["isBlindAppend"]?.boolValue == true && info["readVersion"]?.int64Value == 1)
        #expect(info["txnId"]?.stringValue?.count == 36)
        #expect(actions.dropFirst().allSatisfy { if case .add = $0 { return true }; return false })
        // appendOnly refuses an overwrite.
        await #expect(throws: DeltaError.self) { try await table.overwrite([try Self.batch(0..<1)]) }
    }

    @Test func createTwiceFails() async throws {
        let store = InMemoryObjectStore()
        try await DeltaTable.create(store: store, root: "t", schema: Self.schema)
        do {
            try await DeltaTable.create(store: store, root: "t", schema: Self.schema)
            Issue.record("expected tableExists")
        } catch { #expect(error.code == .tableExists) }
    }

    @Test func timestampNTZSchemaGetsTableFeatures() async throws {
        let schema = Schema([Field("id", .int64), Field("s", .structure([Field("t", .timestampWithoutTimeZone)]))])
        let table = try await DeltaTable.create(store: InMemoryObjectStore(), root: "t", schema: schema)
        #expect(try await table.snapshot().protocol == DeltaProtocol(minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ["timestampNtz"], writerFeatures: ["timestampNtz"]))
    }

    @Test func rejectsBatchesThatDoNotMatch() async throws {
        let table = try await DeltaTable.create(store: InMemoryObjectStore(), root: "t", schema: Self.schema)
        let wrong = try RecordBatch(schema: Schema([Field("id", .int32)]), rows: [[.integer(1)]])
        await #expect(throws: DeltaError.self) { try await table.append([wrong]) }
        let nulls = try RecordBatch(schema: Schema([Field("id", .int64), Field("name", .string)]), rows: [[.null, .null]])
        await #expect(throws: DeltaError.self) { try await table.append([nulls]) }
    }

    @Test func overwriteRemovesEveryFile() async throws {
        let table = try await DeltaTable.create(store: InMemoryObjectStore(), root: "t", schema: Self.schema)
        try await table.append([try Self.batch(0..<5)])
        try await table.append([try Self.batch(5..<6)])
        let result = try await table.overwrite([try Self.batch(100..<102)])
        #expect(try await Self.ids(table) == [100, 101])
        let snapshot = try await table.snapshot()
        #expect(snapshot.tombstones.count == 2 && snapshot.files.count == 1 && result.version == 3)
    }

    @Test func idempotentTransactions() async throws {
        let table = try await DeltaTable.create(store: InMemoryObjectStore(), root: "t", schema: Self.schema)
        let first = try await table.append([try Self.batch(0..<2)], txn: DeltaTransaction(appId: "stream", version: 1))
        let replay = try await table.append([try Self.batch(0..<2)], txn: DeltaTransaction(appId: "stream", version: 1))
        let older = try await table.append([try Self.batch(0..<2)], txn: DeltaTransaction(appId: "stream", version: 0))
        let next = try await table.append([try Self.batch(2..<3)], txn: DeltaTransaction(appId: "stream", version: 2))
        #expect(!first.skipped && replay.skipped && older.skipped && !next.skipped)
        #expect(next.version == 2)
        #expect(try await table.snapshot().transactionVersion(appId: "stream") == 2)
        #expect(try await Self.ids(table) == [0, 1, 2])
    }

    @Test func blindAppendsRebaseOverConcurrentWinners() async throws {
        let store = InMemoryObjectStore()
        let table = try await DeltaTable.create(store: store, root: "t", schema: Self.schema)
        let stale = try await table.snapshot()
        try await table.append([try Self.batch(0..<1)])
        try await table.append([try Self.batch(1..<2)], txn: DeltaTransaction(appId: "other", version: 1))
        let adds = try await table.writeDataFiles([try Self.batch(2..<3)], snapshot: stale)
        let result = try await table.commit(adds.map(DeltaAction.add), readSnapshot: stale, operation: "WRITE", txn: DeltaTransaction(appId: "mine", version: 1))
        #expect(result.version == 3 && result.attempts == 3)
        #expect(try await Self.ids(table) == [0, 1, 2])
    }

    @Test func conflictingWinnersAreReported() async throws {
        let store = InMemoryObjectStore()
        let table = try await DeltaTable.create(store: store, root: "t", schema: Self.schema)
        try await table.append([try Self.batch(0..<1)])
        let stale = try await table.snapshot()
        // Same appId committed concurrently.
        try await table.append([try Self.batch(1..<2)], txn: DeltaTransaction(appId: "app", version: 5))
        let adds = try await table.writeDataFiles([try Self.batch(2..<3)], snapshot: stale)
        do {
            _ = try await table.commit(adds.map(DeltaAction.add), readSnapshot: stale, operation: "WRITE", txn: DeltaTransaction(appId: "app", version: 6))
            Issue.record("expected a txn conflict")
        } catch { #expect(error.code == .commitConflict && error.message.contains("app")) }
        // A concurrent metadata change.
        let stale2 = try await table.snapshot()
        var metadata = stale2.metadata
        metadata.configuration["x"] = "y"
        _ = try await table.commit([.metadata(metadata)], readSnapshot: stale2, operation: "SET TBLPROPERTIES")
        do {
            _ = try await table.commit(adds.map(DeltaAction.add), readSnapshot: stale2, operation: "WRITE")
            Issue.record("expected a metadata conflict")
        } catch { #expect(error.code == .commitConflict && error.message.contains("metadata")) }
        // A concurrent remove of a file this transaction read.
        let stale3 = try await table.snapshot()
        try await table.overwrite([try Self.batch(9..<10)])
        do {
            _ = try await table.commit(adds.map(DeltaAction.add), readSnapshot: stale3, operation: "DELETE", readPaths: Set(stale3.files.keys))
            Issue.record("expected a read conflict")
        } catch { #expect(error.code == .commitConflict && error.message.contains("read")) }
    }

    @Test func ambiguousPutThatLandedIsRecognised() async throws {
        let base = InMemoryObjectStore()
        let table = try await DeltaTable.create(store: base, root: "t", schema: Self.schema)
        let flaky = FlakyStore(base: base, failures: 1, landBeforeFailing: true)
        let result = try await DeltaTable(store: flaky, root: "t").append([try Self.batch(0..<2)])
        #expect(result.version == 1 && result.attempts == 1)
        #expect(try await table.snapshot().version == 1)
        // A put that failed without landing is retried at the same version.
        let lost = FlakyStore(base: base, failures: 2, landBeforeFailing: false)
        let retried = try await DeltaTable(store: lost, root: "t").append([try Self.batch(2..<3)])
        #expect(retried.version == 2 && retried.attempts == 3)
        #expect(try await Self.ids(table) == [0, 1, 2])
    }

    @Test func concurrentAppendsOnALocalTable() async throws {
        try await withTemporaryDirectory { directory in
            let store = try LocalFileSystemStore(root: directory.path)
            try await DeltaTable.create(store: store, root: "concurrent", schema: Self.schema)
            let writers = 4, commitsEach = 5
            let versions = try await withThrowingTaskGroup(of: [Int64].self) { group in
                for writer in 0..<writers {
                    group.addTask {
                        var options = DeltaWriteOptions()
                        options.maxCommitAttempts = 100
                        let table = DeltaTable(store: store, root: "concurrent", options: options)
                        var versions: [Int64] = []
                        for commit in 0..<commitsEach {
                            let first = Int64(writer * 100 + commit * 10)
                            versions.append(try await table.append([try Self.batch(first..<first + 2)]).version)
                        }
                        return versions
                    }
                }
                var all: [Int64] = []
                for try await v in group { all += v }
                return all
            }
            #expect(versions.sorted() == Array(1...Int64(writers * commitsEach)))
            let table = DeltaTable(store: store, root: "concurrent")
            var expected: [Int64] = []
            for w in 0..<writers {
                for c in 0..<commitsEach {
                    let first = Int64(w * 100 + c * 10)
                    expected += [first, first + 1]
                }
            }
            expected.sort()
            #expect(try await Self.ids(table) == expected)
            #expect(try await table.snapshot().version == Int64(writers * commitsEach))
            let log = try FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent("concurrent/_delta_log").path)
            #expect(log.contains("00000000000000000010.checkpoint.parquet") && log.contains("00000000000000000020.checkpoint.parquet"))
        }
    }
}

/// Fails the first `failures` commit puts with a transient error, after (or instead of) storing them.
final class FlakyStore: ObjectStore {
    let base: any ObjectStore
    let landBeforeFailing: Bool
    private let remaining: Mutex<Int>

    init(base: any ObjectStore, failures: Int, landBeforeFailing: Bool) {
        self.base = base
        self.landBeforeFailing = landBeforeFailing
        self.remaining = Mutex(failures)
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
        let fail = mode == .createOnly && remaining.withLock { count in
            guard count > 0 else { return false }
            count -= 1
            return true
        }
        guard fail else { return try await base.put(path, bytes, mode: mode) }
        if landBeforeFailing { try await base.put(path, bytes, mode: mode) }
        throw ObjectStoreError(.transient, "simulated timeout", path: path.rawValue)
    }
}
