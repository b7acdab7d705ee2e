import Columnar
import Foundation
import Testing

@testable import Parquet
import TestSupport

/// Both directions against pyarrow (the independent oracle):
/// files we write are read by pyarrow as the rows we meant, and files pyarrow writes are read by us
/// as the rows pyarrow reads.
@Suite(.enabled(if: PythonTools.available, "needs the Python test tools: run scripts/test.sh"))
struct InteropTests {
    static let layouts: [(CompressionKind, DataPageVersion, Bool)] = [
        (.uncompressed, .v1, false), (.snappy, .v1, true), (.gzip, .v1, true), (.zstd, .v1, false),
        (.uncompressed, .v2, true), (.snappy, .v2, false), (.gzip, .v2, false), (.zstd, .v2, true),
    ]

    @Test(arguments: 0..<layouts.count)
    func pyarrowReadsWhatWeWrite(layout: Int) throws {
        let (compression, version, dictionary) = Self.layouts[layout]
        var options = ParquetWriterOptions()
        options.compression = compression
        options.dataPageVersion = version
        options.dictionaryEnabled = dictionary
        options.dataPageSize = 8192
        options.rowGroupRowLimit = 1_500
        let batch = try TestBatches.batch(count: 4_000, seed: 100 + UInt64(layout), lowCardinality: layout % 3 == 0)
        try withTemporaryDirectory { dir in
            var writer = try ParquetFileWriter(schema: batch.schema, options: options)
            try writer.write(batch)
            let file = dir.appendingPathComponent("ours.parquet")
            try Data(try writer.finish()).write(to: file)
            let expected = dir.appendingPathComponent("expected.jsonl")
            try (batch.jsonLines().joined(separator: "\n") + "\n").write(to: expected, atomically: true, encoding: .utf8)
            let (status, output) = try PythonTools.run("check_parquet.py", [file.path, expected.path])
            #expect(status == 0, "pyarrow disagrees with our file (\(compression), \(version), dictionary \(dictionary)):\n\(output)")
        }
    }

    @Test func pyarrowReadsAMillionRowsAcrossRowGroups() throws {
        let count = 1_000_000
        let schema = Schema([Field("id", .int64, isNullable: false), Field("name", .string), Field("value", .float64)])
        var offsets: [Int32] = [0]
        var text: [UInt8] = []
        var validity = Bitmap(repeating: true, count: count)
        for index in 0..<count {
            if index % 97 == 0 { validity[index] = false } else { text.append(contentsOf: "row-\(index)".utf8) }
            offsets.append(Int32(text.count))
        }
        let batch = try RecordBatch(schema: schema, columns: [
            Column(type: .int64, count: count, validity: nil, storage: .int64((0..<count).map(Int64.init))),
            Column(type: .string, count: count, validity: validity, storage: .bytes(offsets: offsets, data: text)),
            Column(type: .float64, count: count, validity: nil, storage: .float64((0..<count).map { Double($0) / 8 })),
        ], rowCount: count)
        var options = ParquetWriterOptions()
        options.rowGroupRowLimit = 300_000
        try withTemporaryDirectory { dir in
            var writer = try ParquetFileWriter(schema: schema, options: options)
            try writer.write(batch)
            let bytes = try writer.finish()
            #expect(try ParquetFileReader(bytes: bytes).rowGroupCount == 4)
            let file = dir.appendingPathComponent("million.parquet")
            try Data(bytes).write(to: file)
            let expected = dir.appendingPathComponent("expected.jsonl")
            try batch.jsonLines().map { $0 + "\n" }.joined().write(to: expected, atomically: true, encoding: .utf8)
            let (status, output) = try PythonTools.run("check_parquet.py", [file.path, expected.path])
            #expect(status == 0, "\(output)")
        }
    }

    @Test func pyarrowReadsEdgeFiles() throws {
        let schema = Schema([Field("a", .int32), Field("s", .string, isNullable: false)])
        let cases: [[[Datum]]] = [
            [],
            [[.null, .string("")]],
            (0..<300).map { _ in [.null, .string(String(repeating: "x", count: 200))] },
        ]
        for rows in cases {
            let batch = try RecordBatch(schema: schema, rows: rows)
            try withTemporaryDirectory { dir in
                var writer = try ParquetFileWriter(schema: schema)
                try writer.write(batch)
                let file = dir.appendingPathComponent("edge.parquet")
                try Data(try writer.finish()).write(to: file)
                let expected = dir.appendingPathComponent("expected.jsonl")
                try batch.jsonLines().map { $0 + "\n" }.joined().write(to: expected, atomically: true, encoding: .utf8)
                let (status, output) = try PythonTools.run("check_parquet.py", [file.path, expected.path])
                #expect(status == 0, "\(rows.count) rows: \(output)")
            }
        }
    }

    /// Fixtures pyarrow writes that we deliberately do not read, with the error code we give.
    static let unsupported: [String: ParquetError.Code] = [
        "extra_lz4": .unsupported,
        "extra_brotli": .unsupported,
    ]

    static var fixtureNames: [String] {
        guard let dir = PythonTools.fixturesDirectory,
              let data = try? Data(contentsOf: dir.appendingPathComponent("manifest.json")),
              let list = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]] else { return [] }
        return list.compactMap { $0["name"] as? String }
    }

    @Test(arguments: fixtureNames)
    func weReadWhatPyarrowWrites(fixture: String) throws {
        let dir = try #require(PythonTools.fixturesDirectory)
        let file = dir.appendingPathComponent("\(fixture).parquet")
        let bytes = [UInt8](try Data(contentsOf: file))
        if let code = Self.unsupported[fixture] {
            #expect { _ = try ParquetFileReader(bytes: bytes, fileName: file.path).readAll() } throws: { error in
                (error as? ParquetError)?.code == code
            }
            return
        }
        let reader = try ParquetFileReader(bytes: bytes, fileName: file.path)
        var lines: [String] = []
        for batch in try reader.readAll() { lines += batch.jsonLines() }
        if fixture == "legacy_int96" {
            // We read INT96 as an instant in UTC (Spark's meaning); pyarrow reads it without a zone.
            #expect(reader.schema.fields.allSatisfy { $0.type != .timestampWithoutTimeZone })
            lines = lines.map { $0.replacing("Z\"", with: "\"") }
        }
        if fixture == "extra_misc_types" {
            // UINT64 reads as decimal(20,0) (rendered as a string); pyarrow renders a number.
            #expect(reader.schema.fields.first { $0.name == "u64" }?.type == .decimal(precision: 20, scale: 0))
            lines = lines.map { $0.replacing(/"u64":"(\d+)"/) { "\"u64\":\($0.output.1)" } }
        }
        #expect(lines.count == reader.rowCount)
        try withTemporaryDirectory { tmp in
            let ours = tmp.appendingPathComponent("ours.jsonl")
            try lines.map { $0 + "\n" }.joined().write(to: ours, atomically: true, encoding: .utf8)
            let (status, output) = try PythonTools.run("check_parquet.py", [file.path, ours.path])
            #expect(status == 0, "our reading of \(fixture) differs from pyarrow's:\n\(output)")
        }
    }

    @Test func fixturesArePresent() {
        #expect(Self.fixtureNames.count >= 30, "run scripts/test.sh, which writes the pyarrow fixtures")
    }
}
