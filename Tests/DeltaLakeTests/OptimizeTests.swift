import Columnar
import JSONCoding
@testable import DeltaLake
import Foundation
import ObjectStore
import Testing
import TestSupport

@Suite struct OptimizeTests {
    @Test func smallFilesAreCompactedWithoutDataChange() async throws {
        let store = InMemoryObjectStore()
        let table = try await DeltaTable.create(store: store, root: "t", schema: MergeFixtures.schema)
        var rng = SplitMix64(seed: 4)
        for round in 0..<6 {
            let rows = (0..<20).map { MergeFixtures.row(Int64(round * 20 + $0), version: 1, rng: &rng) }
            try await table.append([try RecordBatch(schema: MergeFixtures.schema, rows: rows)])
        }
        let before = try await MergeFixtures.lines(table)
        #expect(try await table.snapshot().files.count == 6)
        let result = try await table.optimize(targetFileSize: 1 << 20)
        #expect(result.filesRemoved == 6 && result.filesAdded == 1 && result.rows == 120)
        let snapshot = try await table.snapshot()
        #expect(snapshot.files.count == 1)
        #expect(try await MergeFixtures.lines(table) == before)
        let actions = try await table.commitActions(version: snapshot.version)
        var removes = 0, adds = 0
        for action in actions {
            switch action {
            case .remove(let r): removes += 1; #expect(!r.dataChange && r.size != nil)
            case .add(let a): adds += 1; #expect(!a.dataChange && a.stats?.contains("\"numRecords\":120") == true)
            case .commitInfo(let info): #expect(info["operation"]?.stringValue == "OPTIMIZE")
            default: break
            }
        }
        #expect(removes == 6 && adds == 1)
        // Nothing left to compact: no commit.
        let again = try await table.optimize(targetFileSize: 1 << 20)
        let latest = try await table.snapshot().version
        #expect(again.commit == nil && latest == snapshot.version)
    }

    @Test func binsRespectTheTargetSize() async throws {
        let table = try await DeltaTable.create(store: InMemoryObjectStore(), root: "", schema: MergeFixtures.schema)
        var rng = SplitMix64(seed: 8)
        for round in 0..<8 {
            let rows = (0..<30).map { MergeFixtures.row(Int64(round * 30 + $0), version: 1, rng: &rng) }
            try await table.append([try RecordBatch(schema: MergeFixtures.schema, rows: rows)])
        }
        let sizes = try await table.snapshot().addFiles.map(\.size)
        // A target of about two and a half files: bins of two.
        let target = sizes.max()! * 5 / 2
        let before = try await MergeFixtures.lines(table)
        let result = try await table.optimize(targetFileSize: target)
        #expect(result.filesRemoved == 8 && result.filesAdded == 4)
        #expect(try await MergeFixtures.lines(table) == before)
        await #expect(throws: DeltaError.self) { try await table.optimize(targetFileSize: 0) }
    }
}

@Suite(.enabled(if: PythonTools.available, "needs DATASTREAM_DELTA_PYTHON (scripts/test.sh)"))
struct OptimizeInteropTests {
    @Test func deltalakeReadsTheSameRowsAfterOptimize() async throws {
        try await withTemporaryDirectory { directory in
            let store = try LocalFileSystemStore(root: directory.path)
            let table = try await DeltaTable.create(store: store, root: "compacted", schema: MergeFixtures.schema)
            var rng = SplitMix64(seed: 12)
            for round in 0..<5 {
                let rows = (0..<15).map { MergeFixtures.row(Int64(round * 15 + $0), version: 1, rng: &rng) }
                try await table.append([try RecordBatch(schema: MergeFixtures.schema, rows: rows)])
            }
            let path = directory.appendingPathComponent("compacted").path
            let before = try OracleRead(tableDirectory: path)
            try await table.optimize()
            let after = try OracleRead(tableDirectory: path)
            #expect(before.files.count == 5 && after.files.count == 1)
            #expect(after.rows == before.rows && after.rows.count == 75)
            let history = after.header["history"] as? [[String: Any]] ?? []
            #expect(history.contains { $0["operation"] as? String == "OPTIMIZE" })
        }
    }
}
