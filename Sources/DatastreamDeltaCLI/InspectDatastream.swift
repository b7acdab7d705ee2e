import Avro
import Columnar
import Datastream

/// `inspect` for Datastream data files (.avro, .jsonl, .jsonl.gz).
struct DatastreamFileInspector {
    let path: String
    let bytes: [UInt8]

    /// Whether `path`/`bytes` look like a Datastream data file rather than Parquet.
    static func handles(path: String, bytes: [UInt8]) -> Bool {
        DatastreamFileFormat(fileName: path) != nil || bytes.starts(with: [0x4F, 0x62, 0x6A, 0x01])
    }

    private var format: DatastreamFileFormat {
        DatastreamFileFormat(fileName: path) ?? .avro
    }

    /// One JSON object per event: the envelope as in the file (`sort_keys` as a plain array) and
    /// the payload converted to the Delta types the tables will hold.
    func printEvents(limit: Int?, tableFormat: Bool, output: inout TerminalOutput) throws {
        let batch = try decode()
        let events = try DatastreamEvents(batch: batch, fileName: path)
        let count = min(batch.rowCount, limit ?? Int.max)
        var columns = batch.columns
        var fields = batch.schema.fields
        if let index = batch.schema.index(of: "payload"), count > 0 {
            let mapping = DeltaTypeMapping(source: events.source(at: 0))
            columns[index] = try mapping.convertPayload(columns[index], fileName: path)
            fields[index] = Field("payload", columns[index].type, isNullable: fields[index].isNullable)
        }
        let renderer = JSONRowRenderer()
        for row in 0..<count {
            var line = "{"
            for (index, field) in fields.enumerated() {
                if index > 0 { line += "," }
                JSONRowRenderer.appendString(field.name, to: &line)
                line += ":"
                line += UnionAwareRendering.render(columns[index].datum(at: row), type: field.type, renderer: renderer)
            }
            output.writeLine(line + "}")
        }
        if tableFormat { output.writeLine("(\(count) of \(batch.rowCount) events)") }
    }

    /// The writer schema (Avro) or the inferred one (JSON), and the Delta schema of the payload.
    func printSchema(output: inout TerminalOutput) throws {
        let batch = try decode()
        output.writeLine("file: \(path)")
        output.writeLine("format: \(format.rawValue), events: \(batch.rowCount)")
        if format == .avro {
            do throws(AvroError) {
                let reader = try AvroContainerReader(bytes: bytes, fileName: path)
                output.writeLine("writer schema (Avro): \(reader.writerSchema.canonicalJSON)")
            } catch {
                throw CLIError("\(error)")
            }
        }
        output.writeLine("decoded schema:")
        for field in batch.schema.fields { output.writeLine("  \(field.name): \(field.type)\(field.isNullable ? "" : " not null")") }
        guard let payload = batch.schema.fields.first(where: { $0.name == "payload" }) else { return }
        let events = try DatastreamEvents(batch: batch, fileName: path)
        let source = batch.rowCount > 0 ? events.source(at: 0) : .generic
        output.writeLine("Delta schema of the payload (source \(source.rawValue)):")
        for field in DeltaTypeMapping(source: source).deltaFields(forPayload: payload.type) {
            output.writeLine("  \(field.name): \(field.type)\(field.isNullable ? "" : " not null")")
        }
    }

    private func decode() throws -> RecordBatch {
        do throws(DatastreamError) {
            return try DatastreamFileDecoder().decode(bytes, fileName: path, format: format)
        } catch {
            throw CLIError("\(error)")
        }
    }
}

/// Renders Avro unions decoded as `member0…memberN` structs as the one value they hold.
enum UnionAwareRendering {
    static func render(_ datum: Datum, type: DataType, renderer: JSONRowRenderer) -> String {
        switch (datum, type) {
        case (.structure(let items), .structure(let fields)) where isUnion(fields):
            for (item, field) in zip(items, fields) where !item.isNull {
                return render(item, type: field.type, renderer: renderer)
            }
            return "null"
        case (.list(let items), .list(let element)):
            return "[" + items.map { render($0, type: element.type, renderer: renderer) }.joined(separator: ",") + "]"
        case (.structure(let items), .structure(let fields)):
            var out = "{"
            for (index, (item, field)) in zip(items, fields).enumerated() {
                if index > 0 { out += "," }
                JSONRowRenderer.appendString(field.name, to: &out)
                out += ":" + render(item, type: field.type, renderer: renderer)
            }
            return out + "}"
        default:
            return renderer.render(datum, type: type)
        }
    }

    private static func isUnion(_ fields: [Field]) -> Bool {
        !fields.isEmpty && fields.enumerated().allSatisfy { $0.element.name == "member\($0.offset)" }
    }
}
