import JSONCoding
import Columnar
@testable import DeltaLake
import Foundation
import ObjectStore
import Testing
import TestSupport

/// Tables checked against the Python `deltalake` package (delta-rs) in both directions.
@Suite(.enabled(if: PythonTools.available, "needs DATASTREAM_DELTA_PYTHON (scripts/test.sh)"))
struct DeltaInteropTests {
    static func ourLines(_ table: DeltaTable, version: Int64? = nil) async throws -> [String] {
        let snapshot = try await table.snapshot(version: version)
        return sortedLines(try await table.readBatches(snapshot).flatMap { $0.jsonLines() })
    }

    /// delta-rs parsed our `add.stats` to the values we wrote.
    static func expectSameStatistics(_ oracle: OracleRead, _ snapshot: DeltaSnapshot) throws {
        let parsed = oracle.header["stats"] as? [String: [String: Any]] ?? [:]
        #expect(parsed.count == snapshot.files.count)
        for file in snapshot.addFiles {
            let ours = try JSONValue(parsing: file.stats ?? "")
            let theirs = parsed[file.path] ?? [:]
            func text(_ value: JSONValue?) -> String? {
                switch value {
                case .number(let n)?: return n
                case .string(let s)?: return s
                default: return nil
                }
            }
            func theirText(_ key: String) -> String? { theirs[key].flatMap { $0 is NSNull ? nil : "\($0)" } }
            #expect(text(ours["numRecords"]) != nil && text(ours["minValues"]?["id"]) != nil && text(ours["nullCount"]?["record"]?["a"]) != nil)
            #expect(theirText("num_records") == text(ours["numRecords"]), "numRecords of \(file.path)")
            #expect(theirText("min.id") == text(ours["minValues"]?["id"]))
            #expect(theirText("max.id") == text(ours["maxValues"]?["id"]))
            #expect(theirText("null_count.text") == text(ours["nullCount"]?["text"]))
            #expect(theirText("null_count.record.a") == text(ours["nullCount"]?["record"]?["a"]))
            #expect(theirText("min.day") == text(ours["minValues"]?["day"]))
            #expect(theirText("max.day") == text(ours["maxValues"]?["day"]))
            #expect(theirText("min.text") == text(ours["minValues"]?["text"]))
            #expect(theirText("max.text") == text(ours["maxValues"]?["text"]))
        }
    }

    @Test func ourTableReadsIdenticallyInDeltalake() async throws {
        try await withTemporaryDirectory { directory in
            let store = try LocalFileSystemStore(root: directory.path)
            var options = DeltaWriteOptions()
            options.maxRowsPerFile = 7
            let table = try await DeltaTable.create(store: store, root: "ours", schema: TestData.schema, name: "every type", options: options)
            var expected: [[String]] = [[]]
            var nextID: Int64 = 0
            for commit in 0..<12 {
                let count = [5, 1, 12, 0, 9][commit % 5]
                let batch = try TestData.batch(firstID: nextID, count: count, seed: UInt64(commit + 1))
                nextID += Int64(count)
                let result = try await table.append([batch], txn: DeltaTransaction(appId: "interop", version: Int64(commit)))
                #expect(result.version == Int64(commit + 1) && result.checkpointError == nil)
                expected.append(expected.last! + batch.jsonLines())
            }
            let directoryPath = directory.appendingPathComponent("ours").path
            for version: Int64 in [0, 1, 3, 9, 10, 12] {
                let oracle = try OracleRead(tableDirectory: directoryPath, version: version)
                let snapshot = try await table.snapshot(version: version)
                #expect(oracle.version == Int(version))
                #expect(oracle.files == snapshot.addFiles.map(\.path))
                #expect(oracle.rows == sortedLines(expected[Int(version)]), "rows at version \(version): \(firstDifference(oracle.rows, sortedLines(expected[Int(version)])))")
                #expect(try await Self.ourLines(table, version: version) == sortedLines(expected[Int(version)]))
            }
            let latest = try OracleRead(tableDirectory: directoryPath)
            try Self.expectSameStatistics(latest, try await table.snapshot())
            let history = latest.header["history"] as? [[String: Any]] ?? []
            #expect(history.filter { $0["engineInfo"] as? String == DeltaTable.engineInfo }.count == 13)
            let proto = latest.header["protocol"] as? [String: Any]
            #expect(proto?["minReaderVersion"] as? Int == 3 && proto?["readerFeatures"] as? [String] == ["timestampNtz"])

            // deltalake loads the table from our checkpoint alone.
            #expect(FileManager.default.fileExists(atPath: directoryPath + "/_delta_log/00000000000000000010.checkpoint.parquet"))
            let copy = directory.appendingPathComponent("copy").path
            try FileManager.default.copyItem(atPath: directoryPath, toPath: copy)
            for version in 0...10 {
                try FileManager.default.removeItem(atPath: copy + "/_delta_log/" + DeltaLogLayout.padded(Int64(version), width: 20) + ".json")
            }
            let fromCheckpoint = try OracleRead(tableDirectory: copy)
            #expect(fromCheckpoint.version == 12)
            #expect(fromCheckpoint.files == latest.files)
            #expect(fromCheckpoint.rows == latest.rows)
        }
    }

    @Test func deltalakeTableReadsIdenticallyByUs() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("theirs").path
            _ = try PythonTools.check("delta_write.py", [path, "history"])
            let table = DeltaTable(store: try LocalFileSystemStore(root: directory.path), root: "theirs")
            #expect(FileManager.default.fileExists(atPath: path + "/_delta_log/00000000000000000003.checkpoint.parquet"))
            for version: Int64 in 0...4 {
                let oracle = try OracleRead(tableDirectory: path, version: version)
                let snapshot = try await table.snapshot(version: version)
                #expect(oracle.files == snapshot.addFiles.map(\.path), "files at version \(version)")
                #expect(oracle.rows.count > 0)
                let ours = try await Self.ourLines(table, version: version)
                #expect(ours == oracle.rows, "rows at version \(version): \(firstDifference(ours, oracle.rows))")
            }
            let latest = try await table.snapshot()
            #expect(latest.version == 4 && latest.metadata.name == "full" && latest.metadata.description == "every type")
            #expect(latest.protocol.readerFeatures == ["timestampNtz"])
            // Replaying from deltalake's own checkpoint: the JSON before it can go.
            for version in 0...3 {
                try FileManager.default.removeItem(atPath: path + "/_delta_log/" + DeltaLogLayout.padded(Int64(version), width: 20) + ".json")
            }
            #expect(try await Self.ourLines(table) == (try OracleRead(tableDirectory: path)).rows)
        }
    }

    @Test func weAppendToADeltalakeTableAndBack() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("shared").path
            _ = try PythonTools.check("delta_write.py", [path, "simple"])
            let table = DeltaTable(store: try LocalFileSystemStore(root: directory.path), root: "shared")
            let before = try OracleRead(tableDirectory: path)
            let schema = try await table.snapshot().schema
            let batch = try RecordBatch(schema: schema, rows: (100..<105).map { i in
                [.integer(i), i == 102 ? .null : .string("ours-\(i)"), .timestamp(1_717_200_000_000_000 + i * 1_000_001)]
            })
            let result = try await table.append([batch])
            #expect(result.version == 1)
            let after = try OracleRead(tableDirectory: path)
            #expect(after.version == 1)
            #expect(after.rows == sortedLines(before.rows + batch.jsonLines()))
            #expect(after.files == (try await table.snapshot()).addFiles.map(\.path))
            _ = try PythonTools.check("delta_write.py", [path, "append-simple", "200", "3"])
            let last = try OracleRead(tableDirectory: path)
            #expect(last.version == 2 && last.rows.count == 6 + 5 + 3)
            #expect(try await Self.ourLines(table) == last.rows)

            // Schema evolution: a new nullable column, then rows that fill it.
            try await table.addColumns([Field("extra", .int32)])
            let evolved = try await table.snapshot().schema
            let more = try RecordBatch(schema: evolved, rows: [[.integer(300), .string("new"), .timestamp(0), .integer(42)]])
            try await table.append([more])
            let final = try OracleRead(tableDirectory: path)
            #expect(final.version == 4 && final.rows.count == 15)
            #expect(final.rows.filter { $0.contains(#""extra":null"#) }.count == 14)
            #expect(try await Self.ourLines(table) == final.rows)

            // Our overwrite (remove actions) as delta-rs sees it.
            try await table.overwrite([more])
            let overwritten = try OracleRead(tableDirectory: path)
            #expect(overwritten.version == 5 && overwritten.rows == sortedLines(more.jsonLines()))
            #expect(overwritten.files == (try await table.snapshot()).addFiles.map(\.path))
            #expect(try OracleRead(tableDirectory: path, version: 4).rows == final.rows)
        }
    }
}
