import JSONCoding
import Columnar
@testable import DeltaLake
import ObjectStore
import Parquet
import Testing
import TestSupport

/// Checkpoints written every `delta.checkpointInterval` commits, read back alone and in parts.
@Suite struct CheckpointTests {
    static func tableWithCommits(_ count: Int, interval: Int = 10) async throws -> (InMemoryObjectStore, DeltaTable) {
        let store = InMemoryObjectStore()
        let table = try await DeltaTable.create(store: store, root: "cp", schema: CommitTests.schema,
                                                configuration: ["delta.checkpointInterval": String(interval)])
        for i in 0..<Int64(count) {
            if i == 4 {
                try await table.overwrite([try CommitTests.batch(i * 10..<i * 10 + 2)])
            } else {
                try await table.append([try CommitTests.batch(i * 10..<i * 10 + 2)], txn: DeltaTransaction(appId: "app", version: i))
            }
        }
        return (store, table)
    }

    static func summary(_ s: DeltaSnapshot) -> String {
        "\(s.version) \(s.protocol) \(s.metadata) \(s.addFiles) \(s.tombstones.keys.sorted()) \(s.transactions.mapValues(\.version))"
    }

    @Test func writesCheckpointAtTheIntervalAndReadsFromIt() async throws {
        let (store, table) = try await Self.tableWithCommits(12, interval: 5)
        let layout = DeltaLogLayout(root: "cp")
        for version: Int64 in [5, 10] { #expect(try await store.head(try layout.checkpointPath(version)) != nil) }
        #expect(try await store.head(try layout.checkpointPath(4)) == nil)
        let pointer = try JSONValue(parsing: try await store.get(try layout.lastCheckpointPath()))
        #expect(pointer["version"]?.int64Value == 10)
        #expect(pointer["numOfAddFiles"]?.int64Value == 6)
        // 1 protocol + 1 metaData + 1 txn + 6 adds + 4 tombstones (the files the overwrite removed).
        #expect(pointer["size"]?.int64Value == 13)
        let fromJSON = Self.summary(try await table.snapshot())
        for version in 0...10 { try await store.delete(try layout.commitPath(Int64(version))) }
        let fromCheckpoint = try await table.snapshot()
        #expect(Self.summary(fromCheckpoint) == fromJSON)
        var expectedIDs: [Int64] = [40, 41]
        for i in Int64(5)..<12 { expectedIDs += [i * 10, i * 10 + 1] }
        #expect(try await CommitTests.ids(table) == expectedIDs)
        // Versions before the checkpoint are gone.
        await #expect(throws: DeltaError.self) { try await table.snapshot(version: 9) }
    }

    @Test func checkpointLayoutMatchesSpark() async throws {
        let (store, _) = try await Self.tableWithCommits(10)
        let bytes = try await store.get(try DeltaLogLayout(root: "cp").checkpointPath(10))
        let reader = try ParquetFileReader(bytes: bytes, fileName: "cp")
        #expect(reader.schema.fields.map(\.name) == ["txn", "add", "remove", "metaData", "protocol", "domainMetadata"])
        guard case .structure(let addFields)? = reader.schema.fields.first(where: { $0.name == "add" })?.type else { Issue.record("add"); return }
        #expect(addFields.map(\.name) == ["path", "partitionValues", "size", "modificationTime", "dataChange", "tags", "stats"])
        #expect(addFields[1].type == .map(key: Field("key", .string, isNullable: false), value: Field("value", .string)))
        #expect(addFields[6].type == .string)
        // One action per row.
        let batch = try reader.readAll()[0]
        for row in 0..<batch.rowCount {
            #expect(batch.columns.filter { !$0.isNull(row) }.count == 1)
        }
    }

    @Test func readsMultiPartCheckpoints() async throws {
        let (store, table) = try await Self.tableWithCommits(3)
        let snapshot = try await table.snapshot()
        let rows = CheckpointWriter.rows(snapshot, tombstoneCutoff: 0)
        let layout = DeltaLogLayout(root: "cp")
        let halves = [Array(rows[..<3]), Array(rows[3...])]
        for (index, half) in halves.enumerated() {
            var writer = try ParquetFileWriter(schema: CheckpointWriter.schema)
            try writer.write(try RecordBatch(schema: CheckpointWriter.schema, rows: half))
            let name = "_delta_log/00000000000000000003.checkpoint.000000000\(index + 1).0000000002.parquet"
            try await store.put(try layout.path(name), try writer.finish(), mode: .createOnly)
        }
        let expected = Self.summary(snapshot)
        for version in 0...3 { try await store.delete(try layout.commitPath(Int64(version))) }
        #expect(Self.summary(try await table.snapshot()) == expected)
        // An incomplete set of parts is ignored: with part 2 gone the log has no usable start.
        try await store.delete(try layout.path("_delta_log/00000000000000000003.checkpoint.0000000002.0000000002.parquet"))
        await #expect(throws: DeltaError.self) { try await table.snapshot() }
    }

    @Test func expiredTombstonesAreDropped() async throws {
        let (_, table) = try await Self.tableWithCommits(6)
        let snapshot = try await table.snapshot()
        #expect(CheckpointWriter.rows(snapshot, tombstoneCutoff: 0).count == 3 + 2 + 4)  // protocol, metaData, txn; 2 adds; 4 tombstones
        #expect(CheckpointWriter.rows(snapshot, tombstoneCutoff: Int64.max).count == 3 + 2)
    }
}
