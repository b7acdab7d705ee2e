import Avro
import Columnar
import Foundation
import Testing
import TestSupport

/// fastavro writes, we read; we write, fastavro reads — for every type, logical type and codec.
@Suite(.enabled(if: PythonTools.available, "needs DATASTREAM_DELTA_PYTHON (scripts/test.sh)"))
struct InteropTests {
    static let codecs = ["null", "deflate", "snappy", "zstandard"]

    static func fastavroFile(_ directory: URL, codec: String, variant: String) throws -> URL {
        let url = directory.appendingPathComponent("fastavro-\(variant)-\(codec).avro")
        let result = try PythonTools.run("avro_to_jsonl.py", ["write", url.path, codec, variant])
        guard result.status == 0 else { throw TestFailure("writing \(url.lastPathComponent): \(result.output)") }
        return url
    }

    @Test(arguments: codecs)
    func readsFastavroFiles(codec: String) throws {
        try withTemporaryDirectory { directory in
            let url = try Self.fastavroFile(directory, codec: codec, variant: "full")
            let bytes = Array(try Data(contentsOf: url))
            var reader = try AvroContainerReader(bytes: bytes, fileName: url.lastPathComponent)
            #expect(reader.codec.rawValue == codec)
            var lines: [String] = []
            var batches = 0
            while let batch = try reader.nextBatch(maxRows: 64) {
                lines += batch.jsonLines()
                batches += 1
            }
            #expect(lines.count == 300)
            #expect(batches == 5)
            try expectFastavroAgrees(file: url, lines: lines, in: directory)
        }
    }

    @Test func mappedSchemaOfEveryType() throws {
        try withTemporaryDirectory { directory in
            let url = try Self.fastavroFile(directory, codec: "null", variant: "full")
            let reader = try AvroContainerReader(bytes: Array(try Data(contentsOf: url)), fileName: "full")
            let fields = Dictionary(uniqueKeysWithValues: reader.schema.fields.map { ($0.name, $0) })
            let expected: [String: DataType] = [
                "b": .boolean, "i": .int32, "l": .int64, "f": .float32, "d": .float64, "s": .string, "by": .binary,
                "e": .string, "fx": .binary, "fx2": .binary, "day": .date, "ts_ms": .timestamp, "ts_us": .timestamp,
                "ts_ns": .timestamp, "lts_ms": .timestampWithoutTimeZone, "lts_us": .timestampWithoutTimeZone,
                "t_ms": .int64, "t_us": .int64, "dec": .decimal(precision: 10, scale: 2),
                "dec38": .decimal(precision: 38, scale: 9), "decfx": .decimal(precision: 20, scale: 4), "wide": .string,
                "uuid": .string, "vc": .string, "num": .string, "opt_i": .int32, "opt_rev": .string, "single": .int64,
                "multi": .structure([Field("member0", .string), Field("member1", .int64)]),
                "arr": .list(Field("element", .int32, isNullable: false)),
                "m": .map(key: Field("key", .string, isNullable: false), value: Field("value", .float64)),
            ]
            for (name, type) in expected {
                #expect(fields[name]?.type == type, "\(name)")
            }
            let nullable = Set(["dec38", "wide", "vc", "num", "opt_i", "opt_rev", "multi", "rec", "map_arr", "pg_array"])
            for field in reader.schema.fields {
                #expect(field.isNullable == nullable.contains(field.name), "\(field.name)")
            }
            #expect(fields["uuid"]?.metadata == ["avro.logicalType": "uuid"])
            #expect(fields["vc"]?.metadata == ["avro.logicalType": "varchar", "avro.length": "10"])
            #expect(fields["wide"]?.metadata == ["avro.logicalType": "decimal", "avro.precision": "65", "avro.scale": "30"])
            #expect(fields["rec"]?.metadata == ["avro.name": "com.example.inner.Inner"])
            #expect(fields["rec_again"]?.type == fields["rec"]?.type)
            // The recursive PostgreSQL array: nested levels are JSON text.
            #expect(fields["pg_array"]?.metadata["avro.name"] == "com.example.multidimensionalArray_ints")
            guard case .structure(let pgFields)? = fields["pg_array"]?.type else {
                Issue.record("pg_array is not a struct")
                return
            }
            #expect(pgFields.map(\.name) == ["nestedArray", "elementValue"])
            guard case .list(let element)? = pgFields.first?.type else {
                Issue.record("nestedArray is not a list")
                return
            }
            #expect(element.type == .string)
            #expect(element.metadata["avro.recursive"] == "json")
        }
    }

    @Test(arguments: codecs)
    func fastavroReadsWhatWeWrite(codec: String) throws {
        try withTemporaryDirectory { directory in
            let source = try Self.fastavroFile(directory, codec: "null", variant: "writable")
            var reader = try AvroContainerReader(bytes: Array(try Data(contentsOf: source)), fileName: source.lastPathComponent)
            let batch = try reader.readAll()
            guard let avroCodec = AvroCodec(rawValue: codec) else { throw TestFailure("codec \(codec)") }
            var writer = try AvroContainerWriter(schema: reader.writerSchema, codec: avroCodec, maximumRecordsPerBlock: 70)
            #expect(writer.schema == batch.schema)
            try writer.write(batch.slice(0..<100))
            try writer.write(batch.slice(100..<batch.rowCount))
            let bytes = try writer.finish()
            let url = directory.appendingPathComponent("ours-\(codec).avro")
            try Data(bytes).write(to: url)
            // fastavro reads our file as the rows we wrote...
            try expectFastavroAgrees(file: url, lines: batch.jsonLines(), in: directory)
            // ...and so do we.
            #expect(try readAll(bytes).jsonLines() == batch.jsonLines())
        }
    }
}

@Suite struct SchemaTests {
    @Test func canonicalJSONRoundTrips() throws {
        let json = """
        {"type":"record","name":"Top","namespace":"a.b","fields":[
          {"name":"x","type":{"type":"fixed","name":"F","size":3,"logicalType":"decimal","precision":6,"scale":2}},
          {"name":"y","type":["null","F"],"default":null},
          {"name":"z","type":{"type":"enum","name":"c.E","symbols":["A","B"]}},
          {"name":"w","type":{"type":"array","items":{"type":"map","values":"c.E"}}},
          {"name":"v","type":{"type":"string","logicalType":"varchar","length":12}},
          {"name":"self","type":["null",{"type":"array","items":"Top"}]}
        ]}
        """
        let schema = try AvroSchema(json: json)
        let again = try AvroSchema(json: schema.canonicalJSON)
        #expect(again == schema)
        guard case .record(let record) = schema else {
            Issue.record("not a record")
            return
        }
        #expect(record.fullName == "a.b.Top")
        #expect(record.fields[1].type == .union([.null, .reference("a.b.F")]))
        #expect(record.fields[1].defaultJSON == "null")
        #expect(record.fields[3].type == .array(items: .map(values: .reference("c.E"))))
        #expect(record.fields[4].type == .logical(.string, AvroLogicalType(name: "varchar", attributes: ["length": "12"])))
        #expect(record.fields[5].type == .union([.null, .array(items: .reference("a.b.Top"))]))
    }

    @Test(arguments: [
        "", "{", "{\"type\":", "[\"null\",", "{\"type\":\"record\",\"name\":\"R\"}", "{\"type\":\"nope\"}",
        "\"Unknown\"", "{\"type\":\"fixed\",\"name\":\"F\"}", "{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[1]}",
        "[[\"int\"]]", "[]", "{\"type\":\"array\"}", "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"},{\"name\":\"a\",\"type\":\"int\"}]}",
        "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\",\"type\":{\"type\":\"record\",\"name\":\"R\",\"fields\":[]}}]}",
        "\"\\uD800\"", "nul", "{\"type\":\"int\"} x", String(repeating: "[", count: 5000),
    ])
    func invalidSchemasThrow(_ json: String) {
        #expect(throws: AvroError.self) { try AvroSchema(json: json) }
        do {
            _ = try AvroSchema(json: json)
        } catch {
            #expect(error.code == .invalidSchema)
            #expect(!error.message.isEmpty)
        }
    }

    @Test func unknownLogicalTypesAndInvalidDecimalsFallBack() throws {
        let schema = try AvroSchema(json: """
        {"type":"record","name":"R","fields":[
          {"name":"a","type":{"type":"long","logicalType":"time-millis"}},
          {"name":"b","type":{"type":"bytes","logicalType":"decimal","precision":4,"scale":9}},
          {"name":"c","type":{"type":"string","logicalType":"json"}},
          {"name":"n","type":"null"}
        ]}
        """)
        let decoder = try AvroRecordDecoder(writerSchema: schema)
        #expect(decoder.schema.fields.map(\.type) == [.int64, .binary, .string, .string])
        #expect(decoder.schema.fields[0].metadata == ["avro.logicalType": "time-millis"])
        #expect(decoder.schema.fields[1].metadata == ["avro.logicalType": "decimal", "avro.precision": "4", "avro.scale": "9"])
        #expect(decoder.schema.fields[2].metadata == ["avro.logicalType": "json"])
        #expect(decoder.schema.fields[3].isNullable)
    }
}
