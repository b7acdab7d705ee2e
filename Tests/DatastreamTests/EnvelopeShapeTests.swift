import Columnar
import Datastream
import Testing
import TestSupport

/// The JSON path builds the same envelope as the Avro path (the contract with the Avro module).
@Suite struct EnvelopeShapeTests {
    @Test func jsonEnvelopeMatchesAvroEnvelope() throws {
        let avro = try DatastreamFileDecoder().decode(try Samples.bytes("mysql-cdc-Users.avro"), fileName: "mysql-cdc-Users.avro")
        let json = try DatastreamFileDecoder().decode(try Samples.bytes("mysql-cdc-Category.jsonl"), fileName: "mysql-cdc-Category.jsonl")
        let envelope = ["uuid", "read_timestamp", "source_timestamp", "object", "read_method", "stream_name", "schema_key", "sort_keys"]
        for name in envelope {
            let a = try #require(avro.schema.fields.first { $0.name == name }, "\(name) missing from Avro")
            let j = try #require(json.schema.fields.first { $0.name == name }, "\(name) missing from JSON")
            #expect(a.type == j.type, "\(name): Avro \(a.type) vs JSON \(j.type)")
            #expect(a.isNullable == j.isNullable, "\(name) nullability")
        }
        #expect(avro.schema.fields.first { $0.name == "sort_keys" }?.type == DatastreamEnvelope.sortKeysType)
        // source_metadata fields that both carry have the same types.
        guard case .structure(let avroMetadata)? = avro.schema.fields.first(where: { $0.name == "source_metadata" })?.type,
              case .structure(let jsonMetadata)? = json.schema.fields.first(where: { $0.name == "source_metadata" })?.type
        else { throw TestFailure("source_metadata is not a struct") }
        for field in jsonMetadata {
            let avroField = try #require(avroMetadata.first { $0.name == field.name })
            #expect(avroField.type == field.type, "\(field.name): \(avroField.type) vs \(field.type)")
        }
    }
}
