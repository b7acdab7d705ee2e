import Columnar
import TestSupport

/// Batches covering every Columnar type, with nulls and edge values (adapted from the Parquet tests).
enum TestData {
    static let schema = Schema([
        Field("id", .int64, isNullable: false),
        Field("flag", .boolean),
        Field("tiny", .int8),
        Field("small", .int16),
        Field("int", .int32),
        Field("big", .int64),
        Field("real", .float32),
        Field("double", .float64),
        Field("dec9", .decimal(precision: 9, scale: 2)),
        Field("dec38", .decimal(precision: 38, scale: 10)),
        Field("text", .string),
        Field("blob", .binary),
        Field("day", .date),
        Field("ts", .timestamp),
        Field("local", .timestampWithoutTimeZone),
        Field("ints", .list(Field("element", .int32))),
        Field("words", .list(Field("element", .string, isNullable: false))),
        Field("record", .structure([Field("a", .int32), Field("b", .string), Field("c", .structure([Field("d", .float64)]))])),
        Field("props", .map(key: Field("key", .string, isNullable: false), value: Field("value", .int64))),
        Field("points", .list(Field("element", .structure([Field("x", .int32), Field("y", .list(Field("element", .string)))])))),
    ])

    static let texts = ["", "a", "héllo", "日本語テキスト", "emoji 🎉🚀", String(repeating: "long-", count: 10), "quote\"back\\slash", "tab\tnewline\n"]

    /// `count` rows with ids `firstID...`.
    static func rows(firstID: Int64, count: Int, seed: UInt64) -> [[Datum]] {
        var rng = SplitMix64(seed: seed)
        func maybe(_ value: Datum) -> Datum { rng.next() % 8 == 0 ? .null : value }
        var rows: [[Datum]] = []
        for index in 0..<count {
            let r = rng.next()
            let text = texts[Int(r % UInt64(texts.count))] + String(r % 100)
            rows.append([
                .integer(firstID + Int64(index)),
                maybe(.boolean(r & 1 == 0)),
                maybe(.integer(Int64(Int8(truncatingIfNeeded: r >> 5)))),
                maybe(.integer(Int64(Int16(truncatingIfNeeded: r >> 8)))),
                maybe(.integer(Int64(Int32(truncatingIfNeeded: r >> 3)))),
                maybe(.integer(Int64(bitPattern: rng.next()))),
                maybe(.float32(index % 13 == 0 ? -0.0 : Float(Int32(truncatingIfNeeded: r)) / 7)),
                maybe(.float64(Double(Int64(bitPattern: r)) / 3)),
                maybe(.decimal(Int128(Int32(truncatingIfNeeded: r) % 999_999_999))),
                maybe(.decimal(Int128(Int64(bitPattern: rng.next())) * 1_000_003)),
                maybe(.string(text)),
                maybe(.binary((0..<Int(r % 9)).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ index) })),
                maybe(.date(Int32(r % 40_000) - 10_000)),
                maybe(.timestamp(Int64(r % 4_000_000_000_000_000) - 1_000_000_000_000_000)),
                maybe(.timestamp(Int64(rng.next() % 3_000_000_000_000_000))),
                maybe(.list((0..<Int(rng.next() % 4)).map { i in i == 1 ? .null : .integer(Int64(Int32(truncatingIfNeeded: rng.next()))) })),
                maybe(.list((0..<Int(rng.next() % 3)).map { _ in .string(texts[Int(rng.next() % UInt64(texts.count))]) })),
                maybe(.structure([
                    maybe(.integer(Int64(Int32(truncatingIfNeeded: rng.next())))),
                    maybe(.string(texts[Int(rng.next() % UInt64(texts.count))])),
                    maybe(.structure([maybe(.float64(Double(Int64(bitPattern: rng.next() >> 11)) / 1024))])),
                ])),
                maybe(.map((0..<Int(rng.next() % 3)).map { i in .init(key: .string("k\(i)"), value: maybe(.integer(Int64(bitPattern: rng.next())))) })),
                maybe(.list((0..<Int(rng.next() % 3)).map { _ in
                    maybe(.structure([maybe(.integer(Int64(Int32(truncatingIfNeeded: rng.next())))), maybe(.list([maybe(.string("p"))]))]))
                })),
            ])
        }
        return rows
    }

    static func batch(firstID: Int64, count: Int, seed: UInt64) throws -> RecordBatch {
        try RecordBatch(schema: schema, rows: rows(firstID: firstID, count: count, seed: seed))
    }
}
