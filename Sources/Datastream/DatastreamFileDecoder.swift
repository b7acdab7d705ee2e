import Avro
import Columnar

/// The data file formats Datastream writes, recognised by file name.
public enum DatastreamFileFormat: String, Sendable, Hashable, CaseIterable {
    case avro
    case jsonLines = "jsonl"
    case jsonLinesGzip = "jsonl.gz"

    /// The format of a file name (`….avro`, `….jsonl`, `….jsonl.gz`), or nil for anything else.
    public init?(fileName: String) {
        if fileName.hasSuffix(".avro") {
            self = .avro
        } else if fileName.hasSuffix(".jsonl") {
            self = .jsonLines
        } else if fileName.hasSuffix(".jsonl.gz") {
            self = .jsonLinesGzip
        } else {
            return nil
        }
    }
}

/// Decodes one Datastream data file, Avro or JSON, into one event batch.
///
/// Both paths give the same envelope (see ``DatastreamEnvelope``); wrap the result in
/// ``DatastreamEvents`` for per-row operations and order keys, and map the payload to Delta types
/// with ``DeltaTypeMapping``.
public struct DatastreamFileDecoder: Sendable {
    public var json: JSONLinesDecoder

    public init(json: JSONLinesDecoder = JSONLinesDecoder()) {
        self.json = json
    }

    /// Decodes `bytes`. `format` defaults to the one named by `fileName`; `payloadTypes` are the
    /// types earlier files chose for JSON payload columns (Avro files carry their own schema).
    public func decode(_ bytes: [UInt8], fileName: String, format: DatastreamFileFormat? = nil,
                       payloadTypes: [String: DataType] = [:]) throws(DatastreamError) -> RecordBatch {
        guard let format = format ?? DatastreamFileFormat(fileName: fileName) else {
            throw DatastreamError(.unsupported, "not a Datastream data file (.avro, .jsonl, .jsonl.gz)", fileName: fileName)
        }
        switch format {
        case .avro:
            return try Self.decodeAvro(bytes, fileName: fileName)
        case .jsonLines, .jsonLinesGzip:
            return try json.decode(bytes, fileName: fileName, payloadTypes: payloadTypes)
        }
    }

    /// The single place the Avro module plugs in: an object container file to one batch, with
    /// the Avro → Columnar mapping agreed with the Avro module (records keep `avro.name`,
    /// custom logical types keep `avro.logicalType` in field metadata).
    static func decodeAvro(_ bytes: [UInt8], fileName: String) throws(DatastreamError) -> RecordBatch {
        do throws(AvroError) {
            var reader = try AvroContainerReader(bytes: bytes, fileName: fileName)
            return try reader.readAll()
        } catch {
            throw DatastreamError(.corruptFile, "Avro: \(error)", fileName: fileName)
        }
    }
}
