import Columnar
import Foundation
import Testing
import TestSupport

/// Builds test batches covering every Columnar type, with nulls and edge values.
enum TestBatches {
    static let nestedStruct = DataType.structure([
        Field("a", .int32),
        Field("b", .string),
        Field("c", .structure([Field("d", .float64)])),
    ])

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
        Field("dec18", .decimal(precision: 18, scale: 4)),
        Field("dec38", .decimal(precision: 38, scale: 10)),
        Field("text", .string),
        Field("blob", .binary),
        Field("day", .date),
        Field("ts", .timestamp),
        Field("local", .timestampWithoutTimeZone),
        Field("ints", .list(Field("element", .int32))),
        Field("words", .list(Field("element", .string, isNullable: false))),
        Field("matrix", .list(Field("element", .list(Field("element", .int64))))),
        Field("record", nestedStruct),
        Field("props", .map(key: Field("key", .string, isNullable: false), value: Field("value", .int64))),
        Field("points", .list(Field("element", .structure([Field("x", .int32), Field("y", .list(Field("element", .string)))])))),
    ])

    static let texts = ["", "a", "héllo", "日本語テキスト", "emoji 🎉🚀", String(repeating: "long-", count: 40), "quote\"back\\slash", "tab\tnewline\n"]

    static func rows(count: Int, seed: UInt64, lowCardinality: Bool = false) -> [[Datum]] {
        var rng = SplitMix64(seed: seed)
        func maybe(_ value: Datum, nullEvery: UInt64 = 10) -> Datum {
            rng.next() % nullEvery == 0 ? .null : value
        }
        let maxDec38 = Int128("99999999999999999999999999999999999999")!
        var rows: [[Datum]] = []
        rows.reserveCapacity(count)
        for index in 0..<count {
            let r = rng.next()
            let pick = lowCardinality ? Int(r % 5) : Int(r % 1000)
            let dec38: Datum = switch index % 7 {
            case 0: .decimal(maxDec38)
            case 1: .decimal(-maxDec38)
            default: .decimal(Int128(Int64(bitPattern: rng.next())) * 1_000_003)
            }
            let text = texts[pick % texts.count] + (lowCardinality ? "" : String(pick))
            let ints: Datum = rng.next() % 8 == 0 ? .null : .list((0..<Int(rng.next() % 4)).map { i in i == 1 ? .null : .integer(Int64(Int32(truncatingIfNeeded: rng.next()))) })
            let words: Datum = .list((0..<Int(rng.next() % 3)).map { _ in .string(texts[Int(rng.next() % UInt64(texts.count))]) })
            let matrix: Datum = rng.next() % 6 == 0 ? .null : .list((0..<Int(rng.next() % 3)).map { _ in
                rng.next() % 5 == 0 ? .null : .list((0..<Int(rng.next() % 3)).map { _ in maybe(.integer(Int64(bitPattern: rng.next()))) })
            })
            let record: Datum = rng.next() % 7 == 0 ? .null : .structure([
                maybe(.integer(Int64(Int32(truncatingIfNeeded: rng.next())))),
                maybe(.string(texts[Int(rng.next() % UInt64(texts.count))])),
                rng.next() % 5 == 0 ? .null : .structure([maybe(.float64(Double(Int64(bitPattern: rng.next() >> 11)) / 1024))]),
            ])
            let props: Datum = rng.next() % 9 == 0 ? .null : .map((0..<Int(rng.next() % 3)).map { i in
                .init(key: .string("k\(i)"), value: maybe(.integer(Int64(bitPattern: rng.next()))))
            })
            let points: Datum = rng.next() % 5 == 0 ? .null : .list((0..<Int(rng.next() % 3)).map { _ in
                rng.next() % 6 == 0 ? .null : .structure([
                    maybe(.integer(Int64(Int32(truncatingIfNeeded: rng.next())))),
                    rng.next() % 4 == 0 ? .null : .list((0..<Int(rng.next() % 2)).map { _ in maybe(.string("p")) }),
                ])
            })
            rows.append([
                .integer(Int64(index)),
                maybe(.boolean(r & 1 == 0)),
                maybe(.integer(Int64(Int8(truncatingIfNeeded: pick)))),
                maybe(.integer(Int64(Int16(truncatingIfNeeded: r >> 8)))),
                maybe(.integer(Int64(lowCardinality ? Int32(pick) : Int32(truncatingIfNeeded: r >> 3)))),
                maybe(.integer(index % 11 == 0 ? Int64.min + Int64(index) : Int64(bitPattern: r))),
                maybe(.float32(index % 13 == 0 ? -0.0 : Float(Int32(truncatingIfNeeded: r)) / 7)),
                maybe(.float64(index % 17 == 0 ? .infinity : Double(Int64(bitPattern: r)) / 3)),
                maybe(.decimal(Int128(Int32(truncatingIfNeeded: r) % 999_999_999))),
                maybe(.decimal(Int128(Int64(bitPattern: r) % 999_999_999_999_999_999))),
                maybe(dec38),
                maybe(.string(text)),
                maybe(.binary((0..<Int(r % 20)).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ index) })),
                maybe(.date(Int32(truncatingIfNeeded: Int64(r % 3_600_000)) - 719_162)),
                maybe(.timestamp(Int64(bitPattern: r) % 253_402_300_799_000_000)),
                maybe(.timestamp(Int64(r % 4_000_000_000_000_000))),
                ints, words, matrix, record, props, points,
            ])
        }
        return rows
    }

    static func batch(count: Int, seed: UInt64, lowCardinality: Bool = false) throws -> RecordBatch {
        try RecordBatch(schema: schema, rows: rows(count: count, seed: seed, lowCardinality: lowCardinality))
    }
}

