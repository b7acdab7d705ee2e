import Columnar
@testable import DeltaLake
import Foundation
import ObjectStore
import Parquet
import Testing
import TestSupport

/// Partitioned tables and row-level deletes, checked against hand-written values and the Python
/// `deltalake` package (delta-rs).
@Suite struct PartitionTests {
    static let schema = Schema([
        Field("id", .int64, isNullable: false), Field("p", .string), Field("n", .int32), Field("d", .date),
        Field("ts", .timestamp), Field("b", .boolean), Field("dec", .decimal(precision: 10, scale: 2)), Field("v", .string),
    ])
    static let partitions = ["p", "n", "d", "ts", "b", "dec"]
    /// Decimals are non-negative: deltalake 1.x mis-formats negative decimal partition values
    /// ("-12.50" becomes "-12.-50"); negative values are covered by `badPartitionValuesAreTypedErrors`.
    /// Awkward partition strings; "" is written as null (the protocol reads an empty value as null).
    static let awkward: [String?] = ["a b", "x/y=z", "100%", "c:d", "é漢🎉", nil, "#?*'\"[]^{}\\", "", "tab\there", "plain"]

    static func rows(_ ids: Range<Int64>, emptyAsNull: Bool = false) -> [[Datum]] {
        ids.map { i in
            let text = awkward[Int(i) % awkward.count]
            let p: Datum = text.map { emptyAsNull && $0.isEmpty ? .null : .string($0) } ?? .null
            return [
                .integer(i), p,
                i % 5 == 4 ? .null : .integer(i % 3 - 1),
                i % 7 == 6 ? .null : .date(19782 + Int32(i % 2)),
                i % 6 == 5 ? .null : .timestamp(1_704_164_645_000_000 + 120_000 * (i % 2) - (i % 4 == 2 ? 1_704_164_645_000_001 : 0)),
                i % 9 == 8 ? .null : .boolean(i % 2 == 0),
                i % 4 == 3 ? .null : .decimal(Int128(i) * 100 + 5),
                .string("v\(i)"),
            ]
        }
    }

    static func batch(_ ids: Range<Int64>, emptyAsNull: Bool = false) throws -> RecordBatch {
        try RecordBatch(schema: schema, rows: rows(ids, emptyAsNull: emptyAsNull))
    }

    static func ourLines(_ table: DeltaTable) async throws -> [String] {
        sortedLines(try await table.readBatches(try await table.snapshot()).flatMap { $0.jsonLines() })
    }

    @Test func partitionValueText() {
        #expect(PartitionValues.timestampText(0) == "1970-01-01 00:00:00.000000")
        #expect(PartitionValues.timestampText(-1) == "1969-12-31 23:59:59.999999")
        #expect(PartitionValues.parseTimestamp("1969-12-31 23:59:59.999999") == -1)
        #expect(PartitionValues.parseTimestamp("2024-01-02T03:04:05.12Z") == 1_704_164_645_120_000)
        #expect(PartitionValues.parseTimestamp("2024-01-02 03:04:05") == 1_704_164_645_000_000)
        #expect(PartitionValues.parseTimestamp("2024-01-02 25:04:05") == nil)
        #expect(PartitionValues.parseTimestamp("x") == nil)
        #expect(PartitionValues.parseDate("2024-02-29") == 19782)
        #expect(PartitionValues.escapeHive("a b/c=d%e:f") == "a b%2Fc%3Dd%25e%3Af")
        #expect(PartitionValues.escapeHive("é\u{1}") == "é%01")
        #expect(PartitionValues.directory("p", nil) == "p=__HIVE_DEFAULT_PARTITION__")
        #expect(PartitionValues.uriEncoded("p=a b%25/é.parquet") == "p=a%20b%2525/%C3%A9.parquet")
    }

    @Test func badPartitionValuesAreTypedErrors() throws {
        for (text, type) in [("x", DataType.int32), ("99999999999", .int32), ("2024-13-01", .date), ("maybe", .boolean), ("1.234", .decimal(precision: 10, scale: 2))] {
            #expect(throws: DeltaError.self) { _ = try PartitionValues.column(text, type: type, count: 2, name: "c", file: "f.parquet") }
        }
        let column = try PartitionValues.column("-12.50", type: .decimal(precision: 10, scale: 2), count: 3, name: "c", file: "f")
        #expect(column.datum(at: 2) == .decimal(-1250))
        #expect(try PartitionValues.column(nil as String?, type: .string, count: 2, name: "c", file: "f").nullCount == 2)
    }

    @Test func ourPartitionedTableRoundTrips() async throws {
        try await withTemporaryDirectory { directory in
            let store = try LocalFileSystemStore(root: directory.path)
            let table = try await DeltaTable.create(store: store, root: "t", schema: Self.schema, partitionColumns: Self.partitions)
            try await table.append([try Self.batch(0..<30)])
            try await table.append([try Self.batch(30..<45)])
            let expected = sortedLines(try Self.batch(0..<45, emptyAsNull: true).jsonLines())
            let ours = try await Self.ourLines(table)
            #expect(ours == expected, "\(firstDifference(ours, expected))")
            let snapshot = try await table.snapshot()
            let paths = snapshot.addFiles.map(\.path)
            #expect(paths.contains { $0.hasPrefix("p=x%252Fy%253Dz/") })
            #expect(paths.contains { $0.hasPrefix("p=100%2525/") })
            #expect(paths.contains { $0.hasPrefix("p=__HIVE_DEFAULT_PARTITION__/") })
            #expect(snapshot.addFiles.contains { $0.partitionValues["p"] == .some("x/y=z") && $0.partitionValues["ts"] == .some("2024-01-02 03:04:05.120000") })
            #expect(snapshot.addFiles.contains { $0.partitionValues["ts"] == .some("1969-12-31 23:59:59.999999") })
            #expect(snapshot.addFiles.contains { $0.partitionValues["p"] == .some(nil) })
            #expect(!snapshot.addFiles.contains { $0.partitionValues["p"] == .some("") })
            let root = directory.appendingPathComponent("t").path
            #expect(FileManager.default.fileExists(atPath: root + "/p=x%2Fy%3Dz"))
            #expect(FileManager.default.fileExists(atPath: root + "/p=c%3Ad"))
            #expect(FileManager.default.fileExists(atPath: root + "/p=tab%09here"))
            // Partition columns are not stored in the data files.
            let file = try table.layout.dataPath(paths[0])
            let reader = try ParquetFileReader(bytes: try await store.get(file), fileName: file.rawValue)
            #expect(reader.schema.fields.map(\.name) == ["id", "v"])
        }
    }

    @Test(.enabled(if: PythonTools.available, "needs DATASTREAM_DELTA_PYTHON (scripts/test.sh)"))
    func deltalakeReadsOurPartitionedTable() async throws {
        try await withTemporaryDirectory { directory in
            let store = try LocalFileSystemStore(root: directory.path)
            let table = try await DeltaTable.create(store: store, root: "t", schema: Self.schema, partitionColumns: Self.partitions)
            try await table.append([try Self.batch(0..<40)])
            let oracle = try OracleRead(tableDirectory: directory.appendingPathComponent("t").path)
            let expected = sortedLines(try Self.batch(0..<40, emptyAsNull: true).jsonLines())
            #expect(oracle.rows == expected, "\(firstDifference(oracle.rows, expected))")
            let snapshot = try await table.snapshot()
            #expect(oracle.files == snapshot.addFiles.map(\.path))
        }
    }

    @Test(.enabled(if: PythonTools.available, "needs DATASTREAM_DELTA_PYTHON (scripts/test.sh)"))
    func weReadAndDeleteInDeltalakePartitionedTable() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("theirs").path
            _ = try PythonTools.check("delta_partition_write.py", [path, "create"])
            let table = DeltaTable(store: try LocalFileSystemStore(root: directory.path), root: "theirs")
            let oracle = try OracleRead(tableDirectory: path)
            #expect(oracle.rows.count == 16)
            let ours = try await Self.ourLines(table)
            #expect(ours == oracle.rows, "\(firstDifference(ours, oracle.rows))")
            // We delete ids divisible by 3 and append; deltalake sees the result.
            let result = try await table.delete(description: "id % 3 = 0") { batch, row in
                guard case .integer(let id) = batch.columns[0].datum(at: row) else { return false }
                return id % 3 == 0
            }
            #expect(result.version == 1)
            let afterDelete = try OracleRead(tableDirectory: path)
            #expect(afterDelete.rows.count == 10)
            #expect(afterDelete.rows == oracle.rows.filter { line in !["0", "3", "6", "9", "12", "15"].contains { line.hasPrefix("{\"b\":") && line.contains("\"id\":\($0),") } })
            #expect(try await Self.ourLines(table) == afterDelete.rows)
            let history = afterDelete.header["history"] as? [[String: Any]] ?? []
            #expect(history.first?["operation"] as? String == "DELETE")
            // deltalake deletes from what we left; we read its result.
            _ = try PythonTools.check("delta_partition_write.py", [path, "delete", "2"])
            let final = try OracleRead(tableDirectory: path)
            #expect(final.rows.count == 5)
            #expect(try await Self.ourLines(table) == final.rows)
        }
    }

    @Test(.enabled(if: PythonTools.available, "needs DATASTREAM_DELTA_PYTHON (scripts/test.sh)"))
    func rowDeleteRewritesAndRemovesFiles() async throws {
        try await withTemporaryDirectory { directory in
            let store = try LocalFileSystemStore(root: directory.path)
            let schema = Schema([Field("id", .int64, isNullable: false), Field("name", .string)])
            let table = try await DeltaTable.create(store: store, root: "t", schema: schema)
            func batch(_ ids: Range<Int64>) throws -> RecordBatch {
                try RecordBatch(schema: schema, rows: ids.map { [.integer($0), $0 % 4 == 1 ? .null : .string("n\($0)")] })
            }
            try await table.append([try batch(0..<10)])      // partly matching: rewritten
            try await table.append([try batch(100..<105)])   // all matching: removed
            try await table.append([try batch(200..<203)])   // none matching: kept
            let before = try await table.snapshot()
            let result = try await table.delete { batch, row in
                guard case .integer(let id) = batch.columns[0].datum(at: row) else { return false }
                return (id < 10 && id % 2 == 0) || (id >= 100 && id < 200)
            }
            #expect(result.version == 4 && result.addedFiles.count == 1)
            let actions = try await table.commitActions(version: 4)
            let removed = actions.compactMap { if case .remove(let r) = $0 { return r.path }; return nil }.sorted()
            #expect(removed.count == 2)
            let kept = before.addFiles.filter { !removed.contains($0.path) }
            let after = try await table.snapshot()
            #expect(kept.count == 1 && after.files[kept[0].path] != nil)
            let expected = sortedLines(try batch(0..<10).jsonLines().enumerated().filter { $0.offset % 2 == 1 }.map(\.element) + (try batch(200..<203)).jsonLines())
            let oracle = try OracleRead(tableDirectory: directory.appendingPathComponent("t").path)
            #expect(oracle.rows == expected)
            #expect(try await Self.ourLines(table) == expected)
            #expect((oracle.header["history"] as? [[String: Any]])?.first?["operation"] as? String == "DELETE")
            // Nothing matches: no commit.
            let none = try await table.delete { _, _ in false }
            #expect(none.skipped && none.version == 4)
        }
    }
}
