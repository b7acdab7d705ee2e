#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Columnar
import FoundationEssentials
import Parquet

/// `datastream-delta inspect`: print the schema and rows of a data file or a Delta table.
struct InspectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Print the schema and rows of a Parquet file, a Datastream file (.avro, .jsonl, .jsonl.gz) or a local Delta table.",
        discussion: """
            A directory with a _delta_log subdirectory is read as a Delta table: its rows at the latest \
            version (or --version / --timestamp), or with --history its commits, newest first \
            (version, timestamp, operation, operationParameters, engine).

            JSON lines (--format jsonl) use these conventions: integers as numbers; decimals as strings \
            of their exact text ("12.30"); floats as numbers ("NaN"/"Infinity" as strings); timestamps \
            as "2024-01-02T03:04:05.123456Z" (no Z without time zone); dates as "YYYY-MM-DD"; binary as \
            base64; lists as arrays; structs as objects; maps as arrays of {"key","value"}; null as null.
            """
    )

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case jsonl, table
    }

    @Argument(help: "The file to inspect: .parquet, a Datastream .avro / .jsonl / .jsonl.gz file, or a Delta table directory.")
    var path: String

    @Option(name: [.customLong("version"), .customLong("table-version")], help: "Delta tables: read this version.")
    var tableVersion: Int64?

    @Option(help: "Delta tables: read the latest version committed at or before this time (epoch milliseconds or YYYY-MM-DDTHH:MM:SSZ).")
    var timestamp: String?

    @Flag(help: "Delta tables: print the commit history instead of rows.")
    var history = false

    @Flag(help: "Print only the schema (and file metadata).")
    var schema = false

    @Option(help: "Print at most this many rows.")
    var limit: Int?

    @Option(help: "Row output format: jsonl or table.")
    var format: OutputFormat = .table

    func run() async throws {
        if let limit, limit < 0 { throw ValidationError("--limit must be zero or more") }
        if DeltaTableInspector.handles(path: path) {
            if tableVersion != nil, timestamp != nil { throw ValidationError("use either --version or --timestamp") }
            var output = TerminalOutput()
            let inspector = DeltaTableInspector(directory: path)
            if history {
                try await inspector.printHistory(limit: limit, tableFormat: format == .table, output: &output)
            } else {
                try await inspector.printRows(version: tableVersion, timestamp: timestamp, limit: limit, tableFormat: format == .table, output: &output)
            }
            output.flush()
            return
        }
        if tableVersion != nil || timestamp != nil || history {
            throw ValidationError("--version, --timestamp and --history apply to Delta table directories (with _delta_log)")
        }
        let bytes = try FileInput.read(path)
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

    init(headers: [String]) {
        self.headers = headers
    }

    mutating func add(cells: [String]) {
        rows.append(cells.map { cell in
            let text = cell.replacing("\n", with: "\\n")
            return text.count > Self.maxCellWidth ? String(text.prefix(Self.maxCellWidth - 1)) + "…" : text
        })
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
