import JSONCoding
import Columnar
@testable import DeltaLake
import ObjectStore
import Synchronization
import Testing
import TestSupport

/// Log replay against hand-written commit files in an in-memory store.
@Suite struct LogReplayTests {
    static let schemaString = DeltaSchemaCoding.encode(Schema([Field("id", .int64)]))

    static func commitInfo(_ timestamp: Int64) -> String { #"{"commitInfo":{"timestamp":\#(timestamp),"operation":"WRITE"}}"# }
    static func add(_ path: String) -> String { #"{"add":{"path":"\#(path)","partitionValues":{},"size":1,"modificationTime":1,"dataChange":true}}"# }
    static func remove(_ path: String) -> String { #"{"remove":{"path":"\#(path)","deletionTimestamp":5,"dataChange":true}}"# }

    static let commits: [[String]] = [
        [commitInfo(1000), #"{"protocol":{"minReaderVersion":1,"minWriterVersion":2}}"#,
         #"{"metaData":{"id":"t1","format":{"provider":"parquet","options":{}},"schemaString":\#(JSONValue.string(schemaString).serialized),"partitionColumns":[],"configuration":{}}}"#],
        [commitInfo(2000), add("a"), add("b"), #"{"txn":{"appId":"app","version":1}}"#],
        [commitInfo(3000), remove("a"), add("c"), #"{"txn":{"appId":"app","version":2}}"#, #"{"txn":{"appId":"other","version":9}}"#],
        [commitInfo(4000), add("a"), #"{"domainMetadata":{"domain":"d1","configuration":"{}","removed":false}}"#, #"{"somethingNew":{"x":1}}"#],
        [commitInfo(5000), remove("b"), #"{"domainMetadata":{"domain":"d1","configuration":"{}","removed":true}}"#],
    ]

    static func store(_ commits: [[String]] = commits, root: String = "tables/t") async throws -> InMemoryObjectStore {
        let store = InMemoryObjectStore()
        for (version, lines) in commits.enumerated() {
            try await store.put(try DeltaLogLayout(root: root).commitPath(Int64(version)), Array(lines.joined(separator: "\n").utf8), mode: .createOnly)
        }
        return store
    }

    static let versions: [(Int64, [String], [String: Int64])] = [
        (0, [], [:]),
        (1, ["a", "b"], ["app": 1]),
        (2, ["b", "c"], ["app": 2, "other": 9]),
        (3, ["a", "b", "c"], ["app": 2, "other": 9]),
        (4, ["a", "c"], ["app": 2, "other": 9]),
    ]

    @Test(arguments: versions)
    func replaysEachVersion(_ version: Int64, _ files: [String], _ txns: [String: Int64]) async throws {
        let table = DeltaTable(store: try await Self.store(), root: "/tables/t/")
        let snapshot = try await table.snapshot(version: version)
        #expect(snapshot.version == version)
        #expect(snapshot.addFiles.map(\.path) == files)
        #expect(snapshot.transactions.mapValues(\.version) == txns)
        #expect(snapshot.metadata.id == "t1")
        #expect(snapshot.domainMetadata.keys.sorted() == (version == 3 ? ["d1"] : []))
        #expect(snapshot.commitInfo?["timestamp"]?.int64Value == 1000 * (version + 1))
        if version == 2 { #expect(snapshot.tombstones.keys.sorted() == ["a"]) }
        if version == 4 { #expect(snapshot.tombstones.keys.sorted() == ["b"]) }
    }

    @Test func latestAndTimestampSnapshots() async throws {
        let table = DeltaTable(store: try await Self.store(), root: "tables/t")
        #expect(try await table.snapshot().version == 4)
        #expect(try await table.snapshot(atTimestamp: 2999).version == 1)
        #expect(try await table.snapshot(atTimestamp: 3000).version == 2)
        #expect(try await table.snapshot(atTimestamp: 99_999).version == 4)
        await #expect(throws: DeltaError.self) { try await table.snapshot(atTimestamp: 999) }
        do {
            _ = try await table.snapshot(version: 5)
            Issue.record("version 5 should not exist")
        } catch { #expect(error.code == .versionNotFound) }
    }

    @Test func timestampFallsBackToFileModificationTime() async throws {
        let ticks = Mutex<Int64>(0)
        let store = InMemoryObjectStore(clock: { ticks.withLock { $0 += 100; return $0 } })
        var commits = Self.commits
        for index in commits.indices { commits[index][0] = #"{"commitInfo":{"operation":"WRITE"}}"# }
        for (version, lines) in commits.enumerated() {
            try await store.put(try DeltaLogLayout(root: "t").commitPath(Int64(version)), Array(lines.joined(separator: "\n").utf8), mode: .createOnly)
        }
        let table = DeltaTable(store: store, root: "t")
        #expect(try await table.snapshot(atTimestamp: 100).version == 0)
        #expect(try await table.snapshot(atTimestamp: 350).version == 2)
        #expect(try await table.snapshot(atTimestamp: 500).version == 4)
    }

    @Test func emptyLocationIsNotATable() async throws {
        do {
            _ = try await DeltaTable(store: InMemoryObjectStore(), root: "nothing").snapshot()
            Issue.record("expected tableNotFound")
        } catch { #expect(error.code == .tableNotFound) }
    }
}
