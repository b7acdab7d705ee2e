import Columnar
import Testing

@testable import Parquet
import TestSupport

@Suite struct RoundTripTests {
    static let layouts: [(CompressionKind, DataPageVersion, Bool)] = [
        (.uncompressed, .v1, false), (.snappy, .v1, true), (.gzip, .v2, true), (.zstd, .v2, false),
        (.snappy, .v2, true), (.zstd, .v1, true),
    ]

    @Test(arguments: 0..<layouts.count)
    func everyTypeRoundTrips(layout: Int) throws {
        let (compression, version, dictionary) = Self.layouts[layout]
        var options = ParquetWriterOptions()
        options.compression = compression
        options.dataPageVersion = version
        options.dictionaryEnabled = dictionary
        options.dataPageSize = 4096
        options.rowGroupRowLimit = 700
        let batch = try TestBatches.batch(count: 2_000, seed: UInt64(layout) + 7, lowCardinality: layout % 2 == 0)
        var writer = try ParquetFileWriter(schema: batch.schema, options: options)
        try writer.write(batch.slice(0..<1_234))
        try writer.write(batch.slice(1_234..<2_000))
        let bytes = try writer.finish()

        let reader = try ParquetFileReader(bytes: bytes, fileName: "roundtrip.parquet")
        #expect(reader.schema == batch.schema)
        #expect(reader.rowCount == 2_000)
        #expect(reader.rowGroupCount == 3)
        let expected = batch.jsonLines()
        var actual: [String] = []
        for group in try reader.readAll() { actual += group.jsonLines() }
        #expect(actual.count == expected.count)
        for (index, (a, e)) in zip(actual, expected).enumerated() where a != e {
            Issue.record("row \(index) differs:\n ours \(a)\n want \(e)")
            break
        }
    }

    @Test func projectionReadsOnlyNamedColumns() throws {
        let batch = try TestBatches.batch(count: 100, seed: 3)
        var writer = try ParquetFileWriter(schema: batch.schema)
        try writer.write(batch)
        let reader = try ParquetFileReader(bytes: try writer.finish())
        let projected = try reader.readRowGroup(0, columns: ["words", "id"])
        #expect(projected.schema.fields.map(\.name) == ["id", "words"])
        for row in 0..<100 {
            #expect(projected.row(row) == [batch.columns[0].datum(at: row), batch.column(named: "words")!.datum(at: row)])
        }
        #expect(throws: ParquetError.self) { try reader.readRowGroup(0, columns: ["missing"]) }
    }

    @Test func emptyFileHasSchemaAndNoRows() throws {
        var writer = try ParquetFileWriter(schema: TestBatches.schema)
        let reader = try ParquetFileReader(bytes: try writer.finish())
        #expect(reader.rowCount == 0)
        #expect(reader.rowGroupCount == 0)
        #expect(reader.schema == TestBatches.schema)
    }

    @Test func nonNullableColumnRejectsNulls() throws {
        let schema = Schema([Field("id", .int64, isNullable: false)])
        let batch = try RecordBatch(schema: schema, columns: [Column(type: .int64, datums: [.integer(1), .null])], rowCount: 2)
        var writer = try ParquetFileWriter(schema: schema)
        #expect(throws: ParquetError.self) { try writer.write(batch) }
    }

    @Test func statisticsAreTruthful() throws {
        let batch = try TestBatches.batch(count: 500, seed: 11)
        var writer = try ParquetFileWriter(schema: batch.schema)
        try writer.write(batch)
        _ = try writer.finish()
        let stats = writer.columnStatistics
        let id = try #require(stats.first { $0.path == ["id"] })
        #expect(id.min == .integer(0))
        #expect(id.max == .integer(499))
        #expect(id.nullCount == 0)
        let text = try #require(stats.first { $0.path == ["text"] })
        let texts = (0..<500).compactMap { row -> String? in
            if case .string(let s) = batch.column(named: "text")!.datum(at: row) { return s }
            return nil
        }
        #expect(text.nullCount == 500 - texts.count)
        #expect(text.min == .string(texts.min { $0.utf8.lexicographicallyPrecedes($1.utf8) }!))
        #expect(text.max == .string(texts.max { $0.utf8.lexicographicallyPrecedes($1.utf8) }!))
    }
}

@Suite struct FooterStatisticsTests {
    @Test func footerStatisticsMatchTheWrittenOnesAndSkipRowGroups() throws {
        let schema = Schema([Field("id", .int64, isNullable: false), Field("name", .string), Field("amount", .decimal(precision: 20, scale: 2)), Field("at", .timestamp)])
        let rows: [[Datum]] = (0..<3_000).map { i in
            [.integer(Int64(i)), i % 5 == 0 ? .null : .string("n\(i)"), .decimal(Int128(i) * 101 - 5_000), .timestamp(Int64(i) * 1_000_000)]
        }
        var options = ParquetWriterOptions()
        options.rowGroupRowLimit = 1_000
        var writer = try ParquetFileWriter(schema: schema, options: options)
        try writer.write(try RecordBatch(schema: schema, rows: rows))
        let reader = try ParquetFileReader(bytes: try writer.finish())
        #expect(reader.rowGroupCount == 3)
        let first = reader.statistics(rowGroup: 1)
        #expect(first[0].min == .integer(1_000))
        #expect(first[0].max == .integer(1_999))
        #expect(first[1].nullCount == 200)
        #expect(first[2].min == .decimal(1_000 * 101 - 5_000))
        #expect(first[3].max == .timestamp(1_999_000_000))
        #expect(reader.rowGroups(where: "id", mayContainFrom: .integer(1_500), to: .integer(2_100)) == [1, 2])
        #expect(reader.rowGroups(where: "id", mayContainFrom: .integer(5_000), to: nil) == [])
        #expect(reader.rowGroups(where: "missing", mayContainFrom: nil, to: nil) == [0, 1, 2])
    }
}
