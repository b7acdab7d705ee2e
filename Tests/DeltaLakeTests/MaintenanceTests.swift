import JSONCoding
import Columnar
@testable import DeltaLake
import ObjectStore
import Testing
import TestSupport

@Suite struct MaintenanceTests {
    @Test func addColumnsKeepsOldFilesReadable() async throws {
        let table = try await DeltaTable.create(store: InMemoryObjectStore(), root: "t", schema: CommitTests.schema)
        try await table.append([try CommitTests.batch(0..<2)])
        let result = try await table.addColumns([Field("score", .float64), Field("tags", .list(Field("element", .string)))])
        #expect(result.version == 2)
        let snapshot = try await table.snapshot()
        #expect(snapshot.schema.fields.map(\.name) == ["id", "name", "score", "tags"])
        let batch = try RecordBatch(schema: snapshot.schema, rows: [[.integer(7), .string("x"), .float64(1.5), .list([.string("a")])]])
        try await table.append([batch])
        let lines = try await table.readBatches(try await table.snapshot()).flatMap { $0.jsonLines() }
        #expect(lines.sorted() == [
            #"{"id":0,"name":null,"score":null,"tags":null}"#,
            #"{"id":1,"name":"n1","score":null,"tags":null}"#,
            #"{"id":7,"name":"x","score":1.5,"tags":["a"]}"#,
        ])
        await #expect(throws: DeltaError.self) { try await table.addColumns([Field("ID", .int32)]) }
        await #expect(throws: DeltaError.self) { try await table.addColumns([Field("required", .int32, isNullable: false)]) }
        await #expect(throws: DeltaError.self) { try await table.addColumns([Field("local", .timestampWithoutTimeZone)]) }
    }

    @Test func removeFilesByStatistics() async throws {
        let table = try await DeltaTable.create(store: InMemoryObjectStore(), root: "t", schema: CommitTests.schema)
        for start in stride(from: Int64(0), to: 30, by: 10) { try await table.append([try CommitTests.batch(start..<start + 3)]) }
        // Drop every file whose max id is below 15, using the stats we wrote.
        let result = try await table.removeFiles { file in
            (try? JSONValue(parsing: file.stats ?? ""))?["maxValues"]?["id"]?.int64Value.map { $0 < 15 } ?? false
        }
        #expect(result.version == 4)
        #expect(try await CommitTests.ids(table) == [20, 21, 22])
        #expect(try await CommitTests.ids(table, version: 3).count == 9)
        let actions = try await table.commitActions(version: 4)
        #expect(actions.filter { if case .remove(let r) = $0 { return r.dataChange && r.deletionTimestamp != nil }; return false }.count == 2)
    }

    @Test func logCleanupKeepsTheLatestExpiredCheckpoint() async throws {
        let (store, table) = try await CheckpointTests.tableWithCommits(12, interval: 5)
        // Nothing is old enough yet.
        #expect(try await table.cleanUpLog() == 0)
        let before = CheckpointTests.summary(try await table.snapshot())
        let deleted = try await table.cleanUpLog(nowMillis: WallClock.nowMillis() + 31 * 86_400_000)
        #expect(deleted == 10 + 1)  // commits 0...9 and checkpoint 5
        let layout = DeltaLogLayout(root: "cp")
        #expect(try await store.head(try layout.checkpointPath(10)) != nil)
        #expect(try await store.head(try layout.commitPath(10)) != nil)
        #expect(try await store.head(try layout.commitPath(9)) == nil)
        #expect(CheckpointTests.summary(try await table.snapshot()) == before)
        await #expect(throws: DeltaError.self) { try await table.snapshot(version: 7) }
    }
}
