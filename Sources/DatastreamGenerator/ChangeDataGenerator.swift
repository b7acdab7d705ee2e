import Columnar
import ObjectStore

/// Output file format of the generator.
public enum GeneratedFormat: String, Sendable, CaseIterable {
    case avro, json
}

/// What to generate.
public struct GeneratorOptions: Sendable {
    public var source: SourceFlavor = .mysql
    public var format: GeneratedFormat = .avro
    public var tables: Int = 3
    /// Approximate number of distinct events (about 30% backfill, the rest CDC), before duplicates.
    public var events: Int = 10_000
    public var seed: UInt64 = 1
    /// Largest number of events in one file (files also rotate every minute of read time).
    public var eventsPerFile: Int = 10_000
    /// Share of events delivered twice (at-least-once delivery).
    public var duplicateFraction: Double = 0.01
    /// Share of files written into a minute folder older than their contents.
    public var lateFileFraction: Double = 0.02
    /// Start of the simulated timeline, milliseconds since the epoch (default 2024-06-01T00:00:00Z).
    public var startMillis: Int64 = 1_717_200_000_000

    public init() {}
}

/// What was generated, per table.
public struct GeneratedTable: Sendable, Hashable {
    /// The Datastream object name (the folder under the root).
    public var object: String
    public var primaryKey: [String]
    /// Distinct events (uuids) written for the table.
    public var distinctEvents: Int
    /// Events written including duplicates.
    public var writtenEvents: Int
    public var files: Int
    /// Rows in the final state.
    public var finalRows: Int
}

public struct GeneratorSummary: Sendable, Hashable {
    public var tables: [GeneratedTable]
    public var files: Int { tables.reduce(0) { $0 + $1.files } }
    public var writtenEvents: Int { tables.reduce(0) { $0 + $1.writtenEvents } }
    public var bytes: Int
}

/// Writes realistic Datastream output for simulated tables, plus the expected final state of
/// every table computed from the simulated database (not from any merge code):
///
/// - `<prefix>/<object>/yyyy/MM/dd/HH/mm/<schema_key>_<read_method>_<n>_<n>_<n>.avro|.jsonl`
/// - `<prefix>/_expected/<object>.jsonl`: final rows sorted by primary key, in the project's JSON
///   conventions, with the Delta types of `_expected/<object>.schema.json`;
/// - `<prefix>/_expected/summary.json`.
///
/// Deterministic for a seed. Names starting with `_` are not Datastream objects.
public enum ChangeDataGenerator {
    public static func generate(_ options: GeneratorOptions, into store: any ObjectStore, prefix: String) async throws -> GeneratorSummary {
        guard options.tables >= 1, options.events >= 1, options.eventsPerFile >= 1 else {
            throw GeneratorError("tables, events and events-per-file must be at least 1")
        }
        var simulator = ChangeSimulator(flavor: options.source, tables: options.tables, seed: options.seed, startMillis: options.startMillis, jsonOutput: options.format == .json)
        simulator.run(totalEvents: options.events)
        let planner = FilePlanner(flavor: options.source, eventsPerFile: options.eventsPerFile,
                                  duplicateFraction: options.duplicateFraction, lateFileFraction: options.lateFileFraction)
        let files = planner.plan(simulator, seed: options.seed)
        let root = prefix.isEmpty ? "" : prefix + "/"
        let streamName = "projects/000000000000/locations/us-central1/streams/datastream-delta-generator"

        var tables = simulator.templates.map { template in
            GeneratedTable(object: options.source.objectName(schema: template.schema, table: template.table),
                           primaryKey: template.primaryKey, distinctEvents: 0, writtenEvents: 0, files: 0, finalRows: 0)
        }
        var distinct = Array(repeating: Set<String>(), count: tables.count)
        var bytesWritten = 0
        for file in files {
            let template = simulator.templates[file.table]
            let columns = simulator.columns(file.table, version: file.schemaVersion)
            let object = tables[file.table].object
            let schemaKey = FilePlanner.schemaKey(table: template, version: file.schemaVersion, flavor: options.source)
            let bytes: [UInt8]
            let ext: String
            switch options.format {
            case .json:
                let encoder = JSONEventEncoder(flavor: options.source, template: template, columns: columns, schemaKey: schemaKey, objectName: object, streamName: streamName)
                var text = ""
                for event in file.events {
                    text += encoder.line(event)
                    text += "\n"
                }
                bytes = Array(text.utf8)
                ext = "jsonl"
            case .avro:
                let description = AvroFileDescription(flavor: options.source, template: template, columns: columns, schemaKey: schemaKey, objectName: object, streamName: streamName)
                bytes = try description.encode(file.events.map { AvroEventRow(event: $0, flavor: options.source, template: template) })
                ext = "avro"
            }
            let path = try ObjectPath("\(root)\(object)/\(FilePlanner.folder(file.folderMillis))/\(file.name).\(ext)")
            try await store.put(path, bytes, mode: .overwrite)
            bytesWritten += bytes.count
            tables[file.table].files += 1
            tables[file.table].writtenEvents += file.events.count
            for event in file.events { distinct[file.table].insert(event.uuid) }
        }
        let renderer = JSONRowRenderer()
        var summaryItems: [String] = []
        for t in tables.indices {
            tables[t].distinctEvents = distinct[t].count
            let version = simulator.schemaVersions[t]
            let columns = simulator.columns(t, version: version)
            let schema = Schema(columns.map { Field($0.name, $0.encoding.deltaType, isNullable: $0.nullable) })
            let keyIndices = simulator.templates[t].primaryKey.map { name in columns.firstIndex { $0.name == name }! }
            let rows = simulator.rows[t].values.sorted { a, b in
                for index in keyIndices {
                    if case .integer(let x) = a[index], case .integer(let y) = b[index], x != y { return x < y }
                }
                return false
            }
            tables[t].finalRows = rows.count
            var lines = ""
            for row in rows {
                var line = "{"
                for (index, column) in columns.enumerated() {
                    if index > 0 { line += "," }
                    JSONRowRenderer.appendString(column.name, to: &line)
                    line += ":"
                    let type = column.encoding.deltaType
                    renderer.append(ExpectedValue.delta(row[index], encoding: column.encoding), type: type, to: &line)
                }
                lines += line + "}\n"
            }
            try await store.put(try ObjectPath("\(root)_expected/\(tables[t].object).jsonl"), Array(lines.utf8), mode: .overwrite)
            let schemaJSON = "[" + schema.fields.map { field in
                "{\"name\":\"\(field.name)\",\"type\":\"\(field.type)\",\"nullable\":\(field.isNullable)}"
            }.joined(separator: ",") + "]\n"
            try await store.put(try ObjectPath("\(root)_expected/\(tables[t].object).schema.json"), Array(schemaJSON.utf8), mode: .overwrite)
            let keyList = tables[t].primaryKey.map { "\"\($0)\"" }.joined(separator: ",")
            summaryItems.append("{\"object\":\"\(tables[t].object)\",\"primary_key\":[\(keyList)],\"distinct_events\":\(tables[t].distinctEvents),\"written_events\":\(tables[t].writtenEvents),\"files\":\(tables[t].files),\"final_rows\":\(tables[t].finalRows)}")
        }
        let summary = "{\"source\":\"\(options.source.rawValue)\",\"format\":\"\(options.format.rawValue)\",\"seed\":\(options.seed),\"tables\":[\n" + summaryItems.joined(separator: ",\n") + "\n]}\n"
        try await store.put(try ObjectPath("\(root)_expected/summary.json"), Array(summary.utf8), mode: .overwrite)
        return GeneratorSummary(tables: tables, bytes: bytesWritten)
    }
}

/// Turns a value as Datastream encodes it into the value the Delta table should hold.
enum ExpectedValue {
    static func delta(_ datum: Datum, encoding: ColumnEncoding) -> Datum {
        if case .number = encoding, case .string(let digits) = datum, let value = UInt64(digits) {
            return .decimal(Int128(value))
        }
        return datum
    }
}

/// The error type of the generator.
public struct GeneratorError: Error, Sendable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
