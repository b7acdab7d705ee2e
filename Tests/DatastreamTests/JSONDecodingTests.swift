import Columnar
import Datastream
import Testing
import TestSupport

@Suite struct JSONErrorTests {
    let decoder = JSONLinesDecoder()

    func decodeError(_ text: String, fileName: String = "bad.jsonl") -> DatastreamError? {
        do {
            _ = try decoder.decode(Array(text.utf8), fileName: fileName)
            return nil
        } catch {
            return error
        }
    }

    @Test func malformedLineNamesFileLineAndColumn() throws {
        let text = #"{"source_timestamp":"2024-01-01T00:00:00Z","read_method":"cdc","payload":{}}"# + "\n"
            + #"{"source_timestamp":"2024-01-01T00:00:00Z","read_method": ,"payload":{}}"# + "\n"
        let error = try #require(decodeError(text))
        #expect(error.code == .malformedJSON)
        #expect(error.fileName == "bad.jsonl")
        #expect(error.line == 2)
        #expect(error.column == 59)
        #expect(error.description.hasPrefix("bad.jsonl:2:59: "))
    }

    @Test(arguments: [
        (#"{"a":1"#, 1), (#"{"a":tru}"#, 1), ("{\"a\":\"x\ny\"}", 1), (#"{"a":01}"#, 1), (#"{"a":1.}"#, 1),
        (#"{"a":"\q"}"#, 1), (#"{"a":"\u12G4"}"#, 1), ("{}\n{\"a\" 1}", 2), ("{}\n\n  ]", 3), (#"{"a":[1,2}"#, 1),
        (#"{"a":-}"#, 1), (#"{"a":1e}"#, 1), ("{\"a\":\"unterminated", 1),
    ])
    func malformedJSON(text: String, line: Int) throws {
        let error = try #require(decodeError(text))
        #expect(error.code == .malformedJSON)
        #expect(error.line == line)
    }

    @Test func deepNestingIsAnErrorNotACrash() throws {
        let text = "{\"payload\":" + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "}"
        #expect(decodeError(text)?.code == .malformedJSON)
    }

    @Test func eventMustBeAnObject() throws {
        let error = try #require(decodeError("{}\n[1,2]\n"))
        #expect(error.code == .malformedJSON)
        #expect(error.line == 2)
    }

    @Test func badTimestampIsInvalidValue() throws {
        let error = try #require(decodeError("{}\n{\"source_timestamp\":\"2024-13-01T00:00:00Z\"}"))
        #expect(error.code == .invalidValue)
        #expect(error.line == 2)
        #expect(error.column == 21)
    }

    @Test func badGzipIsDecompressionError() throws {
        let error = try #require(decodeError("\u{1F}garbage that is not gzip", fileName: "x.jsonl.gz"))
        #expect(error.code == .decompression)
        #expect(error.fileName == "x.jsonl.gz")
        let truncated = Array(GzipFixture.categoryBackfill.dropLast(6))
        #expect(throws: DatastreamError.self) { try decoder.decode(truncated, fileName: "t.jsonl.gz") }
        var corrupted = GzipFixture.categoryBackfill
        corrupted[corrupted.count / 2] ^= 0x55
        #expect(throws: DatastreamError.self) { try decoder.decode(corrupted, fileName: "c.jsonl.gz") }
    }

    @Test func gzipDecodesLikePlainText() throws {
        let plain = try decoder.decode(try Samples.bytes("mysql-backfill-Category.jsonl"), fileName: "b.jsonl")
        let compressed = try decoder.decode(GzipFixture.categoryBackfill, fileName: "b.jsonl.gz")
        #expect(plain.schema == compressed.schema)
        #expect(compressed.rowCount == 2)
        #expect(compressed.payload("name")?.strings == ["xyz", "abc"])
        // The gzip magic is recognised without the .gz suffix too.
        #expect(try decoder.decode(GzipFixture.categoryBackfill, fileName: "b.jsonl").rowCount == 2)
    }

    @Test func emptyFileIsAnEmptyBatch() throws {
        let batch = try decoder.decode(Array("\n  \n".utf8), fileName: "e.jsonl")
        #expect(batch.rowCount == 0)
    }
}

@Suite struct JSONInferenceTests {
    func payload(_ values: [String], hints: [String: DataType] = [:], options: JSONLinesDecoder.Options = .init()) throws -> Column {
        let text = values.map { #"{"source_timestamp":0,"read_method":"cdc","payload":{"c":\#($0)}}"# }.joined(separator: "\n")
        let batch = try JSONLinesDecoder(options: options).decode(Array(text.utf8), fileName: "p.jsonl", payloadTypes: hints)
        return try #require(batch.payload("c"))
    }

    @Test func integersAndDecimalsMeetAtDecimal() throws {
        let column = try payload(["1", "123456", "-0.5", "2.125", "null"])
        #expect(column.type == .decimal(precision: 9, scale: 3))
        #expect(column.decimalTexts == ["1.000", "123456.000", "-0.500", "2.125", nil])
    }

    @Test func exponentMakesFloat() throws {
        let column = try payload(["1.5", "2", "1e3", "-2.5E-2"])
        #expect(column.type == .float64)
        #expect(column.doubles == [1.5, 2, 1000, -0.025])
    }

    @Test func integers() throws {
        let column = try payload(["1", "-9223372036854775808", "9223372036854775807"])
        #expect(column.type == .int64)
        #expect(column.int64s == [1, Int64.min, Int64.max])
    }

    @Test func unsignedBigintBecomesDecimal() throws {
        let column = try payload(["18446744073709551615", "0"])
        #expect(column.type == .decimal(precision: 20, scale: 0))
        #expect(column.decimalTexts == ["18446744073709551615", "0"])
    }

    @Test func moreThan38DigitsIsExactText() throws {
        let big = "1234567890123456789012345678901234567890.5"
        let column = try payload([big, "1"])
        #expect(column.type == .string)
        #expect(column.strings == [big, "1"])
    }

    @Test func mixedKindsBecomeString() throws {
        let column = try payload(["true", "1", #""x""#])
        #expect(column.type == .string)
        #expect(column.strings == ["true", "1", "x"])
        #expect(try payload(["true", "false", "null"]).booleans == [true, false, nil])
    }

    @Test func nullOnlyIsNullableString() throws {
        let column = try payload(["null", "null"])
        #expect(column.type == .string)
        #expect(column.strings == [nil, nil])
    }

    @Test func timestampSpellings() throws {
        let column = try payload([#""2024-01-07T14:35:00.649""#, #""2021-12-25 05:42:04.408""#, #""2024-02-07T07:03:46.226Z""#,
                                  #""2024-02-07T07:03:46.123456789Z""#, #""2024-02-07T09:03:46+02:00""#, #""2024-02-07T07:03:46""#])
        #expect(column.type == .timestamp)
        #expect(column.int64s == [1_704_638_100_649_000, 1_640_410_924_408_000, 1_707_289_426_226_000,
                                  1_707_289_426_123_456, 1_707_289_426_000_000, 1_707_289_426_000_000])
    }

    @Test func timestampsMixedWithTextStayText() throws {
        let column = try payload([#""2024-01-07T14:35:00.649""#, #""soon""#])
        #expect(column.type == .string)
        #expect(column.strings == ["2024-01-07T14:35:00.649", "soon"])
        #expect(try payload([#""2024-01-07T14:35:00""#], options: .init(inferTimestamps: false)).type == .string)
        #expect(try payload([#""2024-02-30T00:00:00""#]).type == .string)  // no such day
        #expect(try payload([#""2024-02-07""#]).type == .string)  // a bare date is not a timestamp
    }

    @Test func nestedValuesBecomeCompactJSONText() throws {
        let column = try payload([#"{ "a" : [1, 2.50, "x y"], "b": null }"#, #"[ ]"#])
        #expect(column.strings == [#"{"a":[1,2.50,"x y"],"b":null}"#, "[]"])
    }

    @Test func escapes() throws {
        let column = try payload([#""caf\u00e9 \ud83d\ude00 \"q\" \\ \/ \n""#])
        #expect(column.strings == ["café 😀 \"q\" \\ / \n"])
    }

    @Test func reconcilesWithEarlierFiles() throws {
        // An earlier file chose long; this file has decimals: both widen to decimal(21,2).
        let column = try payload(["1.25"], hints: ["c": .int64])
        #expect(column.type == .decimal(precision: 21, scale: 2))
        #expect(try payload(["null"], hints: ["c": .decimal(precision: 7, scale: 2)]).type == .decimal(precision: 7, scale: 2))
        #expect(try payload(["1"], hints: ["c": .timestamp]).type == .string)
        #expect(JSONTypeReconciliation.common(.int64, .decimal(precision: 5, scale: 2)) == .decimal(precision: 21, scale: 2))
        #expect(JSONTypeReconciliation.common(.decimal(precision: 10, scale: 2), .decimal(precision: 5, scale: 4)) == .decimal(precision: 12, scale: 4))
        #expect(JSONTypeReconciliation.common(.decimal(precision: 38, scale: 0), .decimal(precision: 5, scale: 4)) == .string)
        #expect(JSONTypeReconciliation.common(.decimal(precision: 5, scale: 2), .float64) == .float64)
        #expect(JSONTypeReconciliation.common(.timestamp, .string) == .string)
        #expect(JSONTypeReconciliation.common(.boolean, .int64) == .string)
        #expect(JSONTypeReconciliation.common(.timestamp, .timestamp) == .timestamp)
    }

    @Test func envelopeFieldsMissingFromSomeEventsAreNullable() throws {
        let text = #"{"uuid":"a","source_timestamp":1,"read_method":"cdc","payload":{"x":1}}"# + "\n"
            + #"{"source_timestamp":"2024-01-01 00:00:00","read_method":"cdc","payload":{"y":"b"}}"#
        let batch = try JSONLinesDecoder().decode(Array(text.utf8), fileName: "n.jsonl")
        #expect(batch.schema.fields.first { $0.name == "uuid" }?.isNullable == true)
        #expect(batch.column(named: "uuid")?.strings == ["a", nil])
        #expect(batch.column(named: "source_timestamp")?.int64s == [1000, 1_704_067_200_000_000])
        #expect(batch.payload("x")?.int64s == [1, nil])
        #expect(batch.payload("y")?.strings == [nil, "b"])
    }

    @Test func keyOrderVariesBetweenEvents() throws {
        let text = #"{"read_method":"cdc","source_timestamp":1,"payload":{"a":1,"b":"x"}}"# + "\n"
            + #"{"payload":{"b":"y","c":true,"a":2},"source_timestamp":2,"read_method":"cdc"}"# + "\n"
            + #"{"source_timestamp":3,"read_method":"cdc","payload":{"a":3,"a":4}}"#
        let batch = try JSONLinesDecoder().decode(Array(text.utf8), fileName: "k.jsonl")
        #expect(batch.schema.fields.map(\.name) == ["read_method", "source_timestamp", "payload"])
        #expect(batch.payload("a")?.int64s == [1, 2, 4])  // a repeated key: the last one wins
        #expect(batch.payload("b")?.strings == ["x", "y", nil])
        #expect(batch.payload("c")?.booleans == [nil, true, nil])
        #expect(batch.column(named: "source_timestamp")?.int64s == [1000, 2000, 3000])
    }
}
