#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Columnar
import FoundationEssentials
import Parquet

/// `datastream-delta inspect`: print the schema and rows of a data file.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Print the schema and rows of a Parquet file or a Datastream file (.avro, .jsonl, .jsonl.gz).",
        discussion: """
            JSON lines (--format jsonl) use these conventions: integers as numbers; decimals as strings \
            of their exact text ("12.30"); floats as numbers ("NaN"/"Infinity" as strings); timestamps \
            as "2024-01-02T03:04:05.123456Z" (no Z without time zone); dates as "YYYY-MM-DD"; binary as \
            base64; lists as arrays; structs as objects; maps as arrays of {"key","value"}; null as null.
            """
    )

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case jsonl, table
    }

    @Argument(help: "The file to inspect: .parquet, or a Datastream .avro / .jsonl / .jsonl.gz file.")
    var path: String

    @Flag(help: "Print only the schema (and file metadata).")
    var schema = false

    @Option(help: "Print at most this many rows.")
    var limit: Int?

    @Option(help: "Row output format: jsonl or table.")
    var format: OutputFormat = .table

    func run() throws {
        let bytes = try FileInput.read(path)
        if let limit, limit < 0 { throw ValidationError("--limit must be zero or more") }
        if DatastreamFileInspector.handles(path: path, bytes: bytes) {
            var output = TerminalOutput()
            let inspector = DatastreamFileInspector(path: path, bytes: bytes)
            if schema {
                try inspector.printSchema(output: &output)
            } else {
                try inspector.printEvents(limit: limit, tableFormat: format == .table, output: &output)
            }
            output.flush()
            return
        }
        let reader: ParquetFileReader
        do {
            reader = try ParquetFileReader(bytes: bytes, fileName: path)
        } catch {
            throw CLIError("\(error)\nIs this a Parquet file? `inspect` reads Parquet files and Datastream .avro / .jsonl / .jsonl.gz files.")
        }
        if schema {
            printSchema(reader)
            return
        }
        var remaining = limit ?? Int.max
        var output = TerminalOutput()
        var table = TextTable(schema: reader.schema)
        let renderer = JSONRowRenderer()
        for group in 0..<reader.rowGroupCount where remaining > 0 {
            let batch = try reader.readRowGroup(group)
            for row in 0..<min(batch.rowCount, remaining) {
                switch format {
                case .jsonl: output.writeLine(renderer.render(batch, row: row))
                case .table: table.add(batch, row: row, renderer: renderer)
                }
            }
            remaining -= min(batch.rowCount, remaining)
        }
        if format == .table {
            for line in table.lines() { output.writeLine(line) }
            output.writeLine("(\(table.rowCount) of \(reader.rowCount) rows)")
        }
        output.flush()
    }

    private func printSchema(_ reader: ParquetFileReader) {
        var output = TerminalOutput()
        output.writeLine("file: \(path)")
        output.writeLine("rows: \(reader.rowCount) in \(reader.rowGroupCount) row group(s)")
        if let createdBy = reader.metadata.createdBy { output.writeLine("created by: \(createdBy)") }
        output.writeLine("schema:")
        for field in reader.schema.fields {
            output.writeLine("  \(field.name): \(field.type)\(field.isNullable ? "" : " not null")")
        }
        output.writeLine("parquet columns:")
        for (index, leaf) in reader.parquetSchema.leaves.enumerated() {
            var line = "  \(leaf.path.joined(separator: ".")): \(leaf.physicalType)"
            if let logical = leaf.element.logicalType { line += " \(logical)" }
            line += " (def \(leaf.maxDefinitionLevel), rep \(leaf.maxRepetitionLevel))"
            if let meta = reader.metadata.rowGroups.first?.columns[index].metaData {
                line += " codec \(meta.codec), encodings \(meta.encodings.map { "\($0)" }.joined(separator: ","))"
            }
            output.writeLine(line)
        }
        output.flush()
    }
}

/// Buffered standard output.
struct TerminalOutput {
    private var buffer: [UInt8] = []

    mutating func writeLine(_ line: String) {
        buffer.append(contentsOf: line.utf8)
        buffer.append(10)
        if buffer.count > 1 << 16 { flush() }
    }

    mutating func flush() {
        buffer.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = write(1, raw.baseAddress! + offset, raw.count - offset)
                if written <= 0 { break }
                offset += written
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }
}

/// A plain-text table with columns cut to a readable width.
struct TextTable {
    let headers: [String]
    private var rows: [[String]] = []
    var rowCount: Int { rows.count }
    static let maxCellWidth = 40

    init(schema: Schema) {
        headers = schema.fields.map(\.name)
    }

    mutating func add(_ batch: RecordBatch, row: Int, renderer: JSONRowRenderer) {
        rows.append(batch.schema.fields.indices.map { index in
            let datum = batch.columns[index].datum(at: row)
            var text: String
            switch datum {
            case .null: text = "null"
            case .string(let s): text = s
            default:
                text = renderer.render(datum, type: batch.schema.fields[index].type)
                if text.hasPrefix("\""), text.hasSuffix("\""), text.count >= 2 { text = String(text.dropFirst().dropLast()) }
            }
            text = text.replacing("\n", with: "\\n")
            if text.count > Self.maxCellWidth { text = String(text.prefix(Self.maxCellWidth - 1)) + "…" }
            return text
        })
    }

    func lines() -> [String] {
        var widths = headers.map(\.count)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        func format(_ cells: [String]) -> String {
            cells.enumerated().map { i, c in c + String(repeating: " ", count: widths[i] - c.count) }.joined(separator: " | ")
        }
        return [format(headers), widths.map { String(repeating: "-", count: $0) }.joined(separator: "-+-")] + rows.map(format)
    }
}
