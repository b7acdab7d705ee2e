import JSONCoding
import Columnar
@testable import DeltaLake
import ObjectStore
import Testing
import TestSupport

@Suite struct FileStatisticsTests {
    static let schema = Schema([
        Field("id", .int64, isNullable: false),
        Field("name", .string),
        Field("ts", .timestamp),
        Field("local", .timestampWithoutTimeZone),
        Field("amount", .decimal(precision: 10, scale: 2)),
        Field("day", .date),
        Field("flag", .boolean),
        Field("blob", .binary),
        Field("s", .structure([Field("a", .int32), Field("b", .string)])),
        Field("tags", .list(Field("element", .string))),
        Field("f", .float32),
    ])

    static let longName = String(repeating: "é", count: 40)

    static func batch() throws -> RecordBatch {
        try RecordBatch(schema: schema, rows: [
            [.integer(1), .string("b"), .timestamp(1_700_000_000_123_456), .timestamp(1000), .decimal(12345), .date(19723), .boolean(true), .binary([1]),
             .structure([.integer(5), .string("x")]), .list([.string("t")]), .float32(0.1)],
            [.integer(2), .string(longName), .timestamp(1_700_000_000_123_000), .timestamp(-1), .decimal(-5), .null, .null, .null, .null, .null, .null],
            [.integer(3), .null, .null, .null, .null, .date(0), .boolean(false), .binary([]), .structure([.null, .string("y")]), .list([]), .float32(-2.5)],
        ])
    }

    static func stats(indexedColumns: Int) async throws -> String {
        let store = InMemoryObjectStore()
        let writer = DataFileWriter(store: store, layout: DeltaLogLayout(root: "t"), schema: schema, options: DeltaWriteOptions(), indexedColumns: indexedColumns)
        let adds = try await writer.write([try batch()], now: 5)
        #expect(adds.count == 1)
        #expect(adds[0].path.hasPrefix("part-00000-") && adds[0].path.hasSuffix(".c000.snappy.parquet"))
        #expect(adds[0].modificationTime == 5)
        let stored = try await store.get(try ObjectPath("t/" + adds[0].path))
        #expect(Int64(stored.count) == adds[0].size)
        return adds[0].stats ?? ""
    }

    @Test func followsTheStatisticsRules() async throws {
        let maxName = String(repeating: "é", count: 32) + "\u{10FFFF}"
        let expected = #"{"numRecords":3,"minValues":{"id":1,"name":"b","ts":"2023-11-14T22:13:20.123Z","local":"1969-12-31T23:59:59.999","amount":-0.05,"day":"1970-01-01","s":{"a":5,"b":"x"},"f":-2.5},"#
            + #""maxValues":{"id":3,"name":""# + maxName + #"","ts":"2023-11-14T22:13:20.124Z","local":"1970-01-01T00:00:00.001","amount":123.45,"day":"2024-01-01","s":{"a":5,"b":"y"},"f":0.10000000149011612},"#
            + #""nullCount":{"id":0,"name":1,"ts":1,"local":1,"amount":1,"day":1,"flag":1,"blob":1,"s":{"a":2,"b":1},"tags":1,"f":1}}"#
        #expect(try await Self.stats(indexedColumns: 32) == expected)
    }

    @Test func honoursIndexedColumnCount() async throws {
        let expected = #"{"numRecords":3,"minValues":{"id":1,"name":"b","ts":"2023-11-14T22:13:20.123Z"},"maxValues":{"id":3,"name":""# + String(repeating: "é", count: 32) + "\u{10FFFF}" + #"","ts":"2023-11-14T22:13:20.124Z"},"nullCount":{"id":0,"name":1,"ts":1}}"#
        #expect(try await Self.stats(indexedColumns: 3) == expected)
    }

    @Test func stringMaxIsAnUpperBoundOrOmitted() {
        let long = String(repeating: "a", count: 32) + "\u{10FFFF}zz"
        #expect(FileStatistics.value(.string(long), type: .string, isMax: true) == nil)
        #expect(FileStatistics.value(.string(long), type: .string, isMax: false) == .string(String(repeating: "a", count: 32)))
        #expect(FileStatistics.value(.string("short"), type: .string, isMax: true) == .string("short"))
    }

    @Test func timestampsOutsideFourDigitYearsGetNoBounds() {
        #expect(FileStatistics.value(.timestamp(-70_000_000_000_000_000), type: .timestamp, isMax: false) == nil)
        #expect(FileStatistics.value(.date(-800_000), type: .date, isMax: true) == nil)
        #expect(FileStatistics.value(.timestamp(-1_500), type: .timestamp, isMax: true) == .string("1969-12-31T23:59:59.999Z"))
        #expect(FileStatistics.value(.timestamp(-1_500), type: .timestamp, isMax: false) == .string("1969-12-31T23:59:59.998Z"))
    }
}
