import Testing

@testable import Columnar
import TestSupport

@Suite struct DecimalTextTests {
    @Test(arguments: [
        (Int128(-12340), 3, "-12.340"),
        (Int128(0), 2, "0.00"),
        (Int128(5), 3, "0.005"),
        (Int128(-5), 1, "-0.5"),
        (Int128(123), 0, "123"),
        (Int128(7), -2, "700"),
        (Int128("99999999999999999999999999999999999999")!, 10, "9999999999999999999999999999.9999999999"),
        (Int128("-99999999999999999999999999999999999999")!, 0, "-99999999999999999999999999999999999999"),
    ])
    func formats(unscaled: Int128, scale: Int, text: String) {
        #expect(Decimal128Text.format(unscaled, scale: scale) == text)
    }

    @Test func formatsExtremes() {
        #expect(Decimal128Text.format(Int128.min, scale: 0) == "-170141183460469231731687303715884105728")
        #expect(Decimal128Text.format(Int128.max, scale: 38) == "1.70141183460469231731687303715884105727")
    }

    @Test(arguments: [
        ("-12.34", 3, Int128(-12340)),
        ("+3", 2, Int128(300)),
        (".5", 1, Int128(5)),
        ("12.3400", 2, Int128(1234)),
        ("0", 0, Int128(0)),
        ("99999999999999999999999999999999999999", 0, Int128("99999999999999999999999999999999999999")!),
    ])
    func parses(text: String, scale: Int, unscaled: Int128) throws {
        #expect(try Decimal128Text.parse(text, scale: scale) == unscaled)
    }

    @Test(arguments: ["", "-", "1.2.3", "abc", "1e5", "12.345"])
    func rejectsInvalidOrInexact(text: String) {
        #expect(throws: ColumnarError.self) { try Decimal128Text.parse(text, scale: 2) }
    }

    @Test func rejectsOverflow() {
        #expect(throws: ColumnarError.self) { try Decimal128Text.parse("9999999999999999999999999999999999999999", scale: 0) }
    }

    @Test func precisionCheck() {
        #expect(Decimal128Text.fits(99999, precision: 5))
        #expect(!Decimal128Text.fits(100000, precision: 5))
        #expect(Decimal128Text.fits(-99999, precision: 5))
    }
}

@Suite struct CivilTimeTests {
    @Test(arguments: [
        (Int64(0), "1970-01-01"),
        (Int64(-1), "1969-12-31"),
        (Int64(-719_162), "0001-01-01"),
        (Int64(2_932_896), "9999-12-31"),
        (Int64(11_016), "2000-02-29"),
        (Int64(2_932_897), "10000-01-01"),
    ])
    func formatsDates(days: Int64, text: String) {
        #expect(CivilTime.formatDate(days: days) == text)
    }

    @Test func roundTripsDays() {
        for days in stride(from: Int64(-800_000), through: 3_000_000, by: 997) {
            let (y, m, d) = CivilTime.date(fromDays: days)
            #expect(CivilTime.days(year: y, month: m, day: d) == days)
        }
    }

    @Test func formatsTimestamps() {
        #expect(CivilTime.formatTimestamp(micros: 0, utc: true) == "1970-01-01T00:00:00.000000Z")
        #expect(CivilTime.formatTimestamp(micros: -1, utc: true) == "1969-12-31T23:59:59.999999Z")
        #expect(CivilTime.formatTimestamp(micros: 1_704_164_645_123_456, utc: true) == "2024-01-02T03:04:05.123456Z")
        #expect(CivilTime.formatTimestamp(micros: 1_704_164_645_123_456, utc: false) == "2024-01-02T03:04:05.123456")
    }
}

@Suite struct ColumnTests {
    static let nestedType = DataType.structure([
        Field("id", .int64, isNullable: false),
        Field("tags", .list(Field("element", .string))),
        Field("attrs", .map(key: Field("key", .string, isNullable: false), value: Field("value", .int32))),
    ])

    @Test func boxedRoundTrip() throws {
        let datums: [Datum] = [
            .structure([.integer(1), .list([.string("a"), .null]), .map([.init(key: .string("k"), value: .integer(3))])]),
            .null,
            .structure([.integer(2), .null, .map([])]),
        ]
        let column = try Column(type: Self.nestedType, datums: datums)
        #expect(column.count == 3)
        #expect(column.nullCount == 1)
        #expect((0..<3).map { column.datum(at: $0) } == [datums[0], .null, datums[2]])
        let sliced = column.slice(1..<3)
        #expect((0..<2).map { sliced.datum(at: $0) } == [.null, datums[2]])
    }

    @Test func rejectsWrongTypes() {
        #expect(throws: ColumnarError.self) { try Column(type: .int8, datums: [.integer(300)]) }
        #expect(throws: ColumnarError.self) { try Column(type: .string, datums: [.integer(1)]) }
        #expect(throws: ColumnarError.self) { try Column(type: .decimal(precision: 3, scale: 0), datums: [.decimal(1000)]) }
    }

    @Test func batchValidatesShape() throws {
        let schema = Schema([Field("a", .int32)])
        let short = try Column(type: .int32, datums: [.integer(1)])
        #expect(throws: ColumnarError.self) { try RecordBatch(schema: schema, columns: [short], rowCount: 2) }
    }

    @Test func rendersJSONConventions() throws {
        let schema = Schema([
            Field("i", .int64), Field("d", .decimal(precision: 5, scale: 2)), Field("f", .float64),
            Field("s", .string), Field("b", .binary), Field("day", .date), Field("ts", .timestamp),
            Field("ntz", .timestampWithoutTimeZone), Field("n", .int32), Field("nested", Self.nestedType),
            Field("nan", .float64),
        ])
        let batch = try RecordBatch(schema: schema, rows: [[
            .integer(-5), .decimal(1230), .float64(1.5), .string("a\"b\n"), .binary([0, 255]), .date(19_724),
            .timestamp(1_704_164_645_123_456), .timestamp(0), .null,
            .structure([.integer(1), .list([.string("x")]), .map([.init(key: .string("k"), value: .null)])]),
            .float64(.nan),
        ]])
        let line = JSONRowRenderer().render(batch, row: 0)
        #expect(line == #"{"i":-5,"d":"12.30","f":1.5,"s":"a\"b\n","b":"AP8=","day":"2024-01-02","ts":"2024-01-02T03:04:05.123456Z","ntz":"1970-01-01T00:00:00.000000","n":null,"nested":{"id":1,"tags":["x"],"attrs":[{"key":"k","value":null}]},"nan":"NaN"}"#)
    }
}
