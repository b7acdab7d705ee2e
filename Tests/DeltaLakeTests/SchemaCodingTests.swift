import Columnar
@testable import DeltaLake
import Testing
import TestSupport

@Suite struct SchemaCodingTests {
    @Test func encodesSparkJSONExactly() {
        let schema = Schema([
            Field("id", .int64, isNullable: false),
            Field("amount", .decimal(precision: 10, scale: 2), metadata: ["comment": "money"]),
            Field("tags", .list(Field("element", .string, isNullable: false))),
            Field("attrs", .map(key: Field("key", .string, isNullable: false), value: Field("value", .int32))),
            Field("s", .structure([Field("t", .timestampWithoutTimeZone), Field("b", .int8), Field("h", .int16)])),
        ])
        let expected = #"{"type":"struct","fields":[{"name":"id","type":"long","nullable":false,"metadata":{}},{"name":"amount","type":"decimal(10,2)","nullable":true,"metadata":{"comment":"money"}},{"name":"tags","type":{"type":"array","elementType":"string","containsNull":false},"nullable":true,"metadata":{}},{"name":"attrs","type":{"type":"map","keyType":"string","valueType":"integer","valueContainsNull":true},"nullable":true,"metadata":{}},{"name":"s","type":{"type":"struct","fields":[{"name":"t","type":"timestamp_ntz","nullable":true,"metadata":{}},{"name":"b","type":"byte","nullable":true,"metadata":{}},{"name":"h","type":"short","nullable":true,"metadata":{}}]},"nullable":true,"metadata":{}}]}"#
        #expect(DeltaSchemaCoding.encode(schema) == expected)
    }

    @Test func roundTripsEveryType() throws {
        #expect(try DeltaSchemaCoding.decode(DeltaSchemaCoding.encode(TestData.schema)) == TestData.schema)
    }

    @Test func decodesSparkVariants() throws {
        let text = #"{"type":"struct","fields":[{"name":"d","type":"decimal(38, 18)","nullable":true,"metadata":{"delta.columnMapping.id":5}},{"name":"f","type":"float","nullable":true,"metadata":{}},{"name":"x","type":"double","nullable":false,"metadata":{}},{"name":"b","type":"binary","nullable":true,"metadata":{}},{"name":"dt","type":"date","nullable":true,"metadata":{}},{"name":"ts","type":"timestamp","nullable":true,"metadata":{}},{"name":"z","type":"boolean","nullable":true,"metadata":{}}]}"#
        let schema = try DeltaSchemaCoding.decode(text)
        #expect(schema.fields.map(\.type) == [.decimal(precision: 38, scale: 18), .float32, .float64, .binary, .date, .timestamp, .boolean])
        #expect(schema.fields[0].metadata == ["delta.columnMapping.id": "5"])
        #expect(schema.fields[2].isNullable == false)
    }

    @Test(arguments: [
        #"{"type":"struct","fields":[{"name":"a","type":"void","nullable":true,"metadata":{}}]}"#,
        #"{"type":"struct","fields":[{"name":"a","type":"decimal(40,2)","nullable":true,"metadata":{}}]}"#,
        #"{"type":"struct","fields":[{"name":"a","type":"long"},{"name":"A","type":"long"}]}"#,
        #"{"type":"array","elementType":"long","containsNull":true}"#,
        #"not json"#,
    ])
    func rejectsInvalidSchemas(_ text: String) {
        #expect(throws: DeltaError.self) { try DeltaSchemaCoding.decode(text) }
    }
}
