import Avro
import Columnar
import Testing
import TestSupport

/// Edge values decoded from hand-built records (independent of fastavro).
@Suite struct ValueEdgeTests {
    static func decode(_ schema: String, _ records: [[UInt8]]) -> Result<RecordBatch, AvroError> {
        let bytes = Craft.header(schema: schema) + Craft.block(count: Int64(records.count), records.flatMap { $0 })
        do {
            return .success(try readAll(bytes))
        } catch {
            return .failure(error)
        }
    }

    static let decimalSchema = #"{"type":"record","name":"D","fields":[{"name":"d","type":{"type":"bytes","logicalType":"decimal","precision":38,"scale":2}}]}"#

    @Test func decimalsWithSignExtensionBeyond16Bytes() throws {
        // -1 written as 20 bytes of 0xFF, 12345 with 4 leading zero bytes + 16 bytes.
        let minusOne = Craft.long(20) + [UInt8](repeating: 0xFF, count: 20)
        let padded = Craft.long(20) + [UInt8](repeating: 0, count: 18) + [0x30, 0x39]
        let empty = Craft.long(0)
        let batch = try Self.decode(Self.decimalSchema, [minusOne, padded, empty]).get()
        #expect(batch.jsonLines() == [#"{"d":"-0.01"}"#, #"{"d":"123.45"}"#, #"{"d":"0.00"}"#])
    }

    @Test func decimalsThatDoNotFitAreErrors() {
        // 17 significant bytes.
        let wide = Craft.long(17) + [0x01] + [UInt8](repeating: 0, count: 16)
        guard case .failure(let error) = Self.decode(Self.decimalSchema, [wide]) else {
            Issue.record("a 17-byte decimal decoded")
            return
        }
        #expect(error.code == .corruptData)
        // 39 digits in a precision-38 column.
        let tooMany = Craft.long(16) + withUnsafeBytes(of: (Int128(10).power(38)).bigEndian) { Array($0) }
        guard case .failure(let precisionError) = Self.decode(Self.decimalSchema, [tooMany]) else {
            Issue.record("a 39-digit decimal decoded")
            return
        }
        #expect(precisionError.message.contains("precision 38"))
    }

    @Test func timestampMillisOverflowIsAnError() {
        let schema = #"{"type":"record","name":"T","fields":[{"name":"t","type":{"type":"long","logicalType":"timestamp-millis"}}]}"#
        guard case .failure(let error) = Self.decode(schema, [Craft.long(Int64.max / 10)]) else {
            Issue.record("overflowing timestamp decoded")
            return
        }
        #expect(error.code == .corruptData)
        #expect(error.recordIndex == 0)
        let ok = try? Self.decode(schema, [Craft.long(-1)]).get()
        #expect(ok?.jsonLines() == [#"{"t":"1969-12-31T23:59:59.999000Z"}"#])
    }

    @Test func timestampNanosFloor() throws {
        let schema = #"{"type":"record","name":"T","fields":[{"name":"t","type":{"type":"long","logicalType":"timestamp-nanos"}},{"name":"l","type":{"type":"long","logicalType":"local-timestamp-micros"}}]}"#
        let batch = try Self.decode(schema, [Craft.long(-1) + Craft.long(1_500_000)]).get()
        #expect(batch.jsonLines() == [#"{"t":"1969-12-31T23:59:59.999999Z","l":"1970-01-01T00:00:01.500000"}"#])
    }

    @Test func enumAndBooleanAndUnionChecks() {
        let schema = #"{"type":"record","name":"E","fields":[{"name":"e","type":{"type":"enum","name":"C","symbols":["A","B"]}},{"name":"b","type":"boolean"},{"name":"n","type":["null"]}]}"#
        #expect((try? Self.decode(schema, [Craft.long(1) + [1] + Craft.long(0)]).get())?.jsonLines() == [#"{"e":"B","b":true,"n":null}"#])
        for bad in [Craft.long(2) + [1] + Craft.long(0), Craft.long(0) + [2] + Craft.long(0), Craft.long(0) + [0] + Craft.long(1)] {
            guard case .failure(let error) = Self.decode(schema, [bad]) else {
                Issue.record("bad record decoded")
                continue
            }
            #expect(error.code == .corruptData)
            #expect(error.file == "test.avro")
        }
    }

    @Test func writerRefusesRecursiveValuesAndMismatchedBatches() throws {
        let schema = try AvroSchema(json: #"{"type":"record","name":"N","fields":[{"name":"next","type":["null","N"]},{"name":"v","type":"int"}]}"#)
        var writer = try AvroContainerWriter(schema: schema)
        // The top-level record refers to itself: that field is JSON text.
        #expect(writer.schema.fields.first?.type == .string)
        #expect(writer.schema.fields.first?.isNullable == true)
        #expect(writer.schema.fields.first?.metadata["avro.recursive"] == "json")
        let batch = try RecordBatch(schema: writer.schema, rows: [[.string("{}"), .integer(1)]])
        do {
            try writer.write(batch)
            Issue.record("wrote a recursive value")
        } catch {
            #expect(error.code == .unsupported)
        }
        let other = try RecordBatch(schema: Schema([Field("x", .int32)]), rows: [[.integer(1)]])
        #expect(throws: AvroError.self) { try writer.write(other) }
        // Null nested values do round-trip.
        var fresh = try AvroContainerWriter(schema: schema, codec: .deflate)
        let nulls = try RecordBatch(schema: fresh.schema, rows: [[.null, .integer(2)], [.null, .integer(3)]])
        try fresh.write(nulls)
        #expect(try readAll(try fresh.finish()).jsonLines() == nulls.jsonLines())
        // Recursive values decode as JSON text.
        let bytes = Craft.header(schema: schema.canonicalJSON) + Craft.block(count: 1, Craft.long(1) + Craft.long(1) + Craft.long(0) + Craft.long(2) + Craft.long(3) + Craft.long(3))
        #expect(try readAll(bytes).jsonLines() == [#"{"next":"{\"next\":{\"next\":null,\"v\":2},\"v\":3}","v":3}"#])
    }

    @Test func errorDescriptionNamesFileOffsetAndRecord() {
        var error = AvroError(.corruptData, "union index 9 out of range 0..<2", file: "a.avro", offset: 120, recordIndex: 4)
        #expect(error.description == "a.avro at byte 120 record 4: corrupt data: union index 9 out of range 0..<2")
        error.offsetInBlock = 7
        #expect(error.description.contains("(+7 in decompressed block)"))
    }
}

extension Int128 {
    fileprivate func power(_ exponent: Int) -> Int128 {
        var result: Int128 = 1
        for _ in 0..<exponent { result *= self }
        return result
    }
}
