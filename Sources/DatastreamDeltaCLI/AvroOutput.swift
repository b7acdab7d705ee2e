import DatastreamGenerator

/// Avro encoding for the generator (wired to the Avro module's writer).
enum AvroOutput {
    static let encoder: AvroFileEncoding? = nil
}
