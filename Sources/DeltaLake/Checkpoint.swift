import JSONCoding
import Columnar
import Parquet

/// Reads the actions of a classic checkpoint Parquet file (one action per row, one struct
/// column per action type).
enum CheckpointReader {
    static let actionColumns = ["txn", "add", "remove", "metaData", "protocol", "domainMetadata"]

    static func actions(_ bytes: [UInt8], fileName: String) throws(DeltaError) -> [DeltaAction] {
        let batches: [RecordBatch]
        do {
            let reader = try ParquetFileReader(bytes: bytes, fileName: fileName)
            let columns = actionColumns.filter { reader.schema.index(of: $0) != nil }
            guard !columns.isEmpty else {
                throw DeltaError(.corruptCheckpoint, "the file has none of the checkpoint columns \(actionColumns)", path: fileName)
            }
            batches = try reader.readAll(columns: columns)
        } catch let error as ParquetError {
            throw DeltaError(.corruptCheckpoint, "cannot read checkpoint", path: fileName, underlying: error.description)
        } catch let error as DeltaError {
            throw error
        } catch {
            throw DeltaError(.corruptCheckpoint, "cannot read checkpoint", path: fileName, underlying: "\(error)")
        }
        var actions: [DeltaAction] = []
        for batch in batches {
            for row in 0..<batch.rowCount {
                for (field, column) in zip(batch.schema.fields, batch.columns) where !column.isNull(row) {
                    let value = json(column.datum(at: row), type: column.type)
                    do {
                        actions.append(try DeltaAction(json: .object([(field.name, value)])))
                    } catch {
                        throw DeltaError(.corruptCheckpoint, "row \(row): \(error.message)", path: fileName)
                    }
                }
            }
        }
        return actions
    }

    /// A checkpoint value as the JSON the same action has in a commit file.
    static func json(_ datum: Datum, type: DataType) -> JSONValue {
        switch (datum, type) {
        case (.null, _): return .null
        case (.boolean(let b), _): return .bool(b)
        case (.integer(let i), _): return .int(i)
        case (.float32(let f), _): return f.isFinite ? .number(Double(f).description) : .string(f.description)
        case (.float64(let d), _): return d.isFinite ? .number(d.description) : .string(d.description)
        case (.decimal(let u), .decimal(_, let scale)): return .number(Decimal128Text.format(u, scale: scale))
        case (.string(let s), _): return .string(s)
        case (.binary(let b), _): return .string(String(decoding: b, as: UTF8.self))
        case (.date(let d), _): return .string(CivilTime.formatDate(days: Int64(d)))
        case (.timestamp(let t), _): return .int(t)
        case (.list(let items), .list(let element)): return .array(items.map { json($0, type: element.type) })
        case (.map(let entries), .map(let key, let value)):
            return .object(entries.map { entry in
                let k = json(entry.key, type: key.type)
                return (k.stringValue ?? k.serialized, json(entry.value, type: value.type))
            })
        case (.structure(let values), .structure(let fields)):
            return .object(zip(fields, values).compactMap { field, value in
                value.isNull ? nil : (field.name, json(value, type: field.type))
            })
        default: return .null
        }
    }
}

/// Writes a classic single-file checkpoint in Spark's layout.
enum CheckpointWriter {
    private static let stringMap = DataType.map(key: Field("key", .string, isNullable: false), value: Field("value", .string))
    private static let stringArray = DataType.list(Field("element", .string))

    static let schema = Schema([
        Field("txn", .structure([Field("appId", .string), Field("version", .int64), Field("lastUpdated", .int64)])),
        Field("add", .structure([
            Field("path", .string), Field("partitionValues", stringMap), Field("size", .int64),
            Field("modificationTime", .int64), Field("dataChange", .boolean), Field("tags", stringMap), Field("stats", .string),
        ])),
        Field("remove", .structure([
            Field("path", .string), Field("deletionTimestamp", .int64), Field("dataChange", .boolean),
            Field("extendedFileMetadata", .boolean), Field("partitionValues", stringMap), Field("size", .int64),
        ])),
        Field("metaData", .structure([
            Field("id", .string), Field("name", .string), Field("description", .string),
            Field("format", .structure([Field("provider", .string), Field("options", stringMap)])),
            Field("schemaString", .string), Field("partitionColumns", stringArray),
            Field("configuration", stringMap), Field("createdTime", .int64),
        ])),
        Field("protocol", .structure([
            Field("minReaderVersion", .int32), Field("minWriterVersion", .int32),
            Field("readerFeatures", stringArray), Field("writerFeatures", stringArray),
        ])),
        Field("domainMetadata", .structure([Field("domain", .string), Field("configuration", .string), Field("removed", .boolean)])),
    ])

    /// The checkpoint rows of `snapshot`: protocol, metadata, txns, domains, adds, unexpired tombstones.
    static func rows(_ snapshot: DeltaSnapshot, tombstoneCutoff: Int64) -> [[Datum]] {
        func row(_ column: Int, _ value: Datum) -> [Datum] {
            var r = [Datum](repeating: .null, count: schema.fields.count)
            r[column] = value
            return r
        }
        func str(_ s: String?) -> Datum { s.map(Datum.string) ?? .null }
        func map(_ m: [String: String?]?) -> Datum {
            guard let m else { return .null }
            return .map(m.sorted { $0.key < $1.key }.map { Datum.MapEntry(key: .string($0.key), value: str($0.value)) })
        }
        func strings(_ a: [String]?) -> Datum { a.map { .list($0.map(Datum.string)) } ?? .null }
        let p = snapshot.protocol
        let m = snapshot.metadata
        var rows: [[Datum]] = [
            row(4, .structure([.integer(Int64(p.minReaderVersion)), .integer(Int64(p.minWriterVersion)), strings(p.readerFeatures), strings(p.writerFeatures)])),
            row(3, .structure([
                .string(m.id), str(m.name), str(m.description),
                .structure([.string(m.format.provider), map(m.format.options.mapValues { Optional($0) })]),
                .string(m.schemaString), strings(m.partitionColumns), map(m.configuration.mapValues { Optional($0) }), m.createdTime.map(Datum.integer) ?? .null,
            ])),
        ]
        for t in snapshot.transactions.values.sorted(by: { $0.appId < $1.appId }) {
            rows.append(row(0, .structure([.string(t.appId), .integer(t.version), t.lastUpdated.map(Datum.integer) ?? .null])))
        }
        for d in snapshot.domainMetadata.values.sorted(by: { $0.domain < $1.domain }) {
            rows.append(row(5, .structure([.string(d.domain), .string(d.configuration), .boolean(d.removed)])))
        }
        for add in snapshot.addFiles {
            rows.append(row(1, .structure([
                .string(add.path), map(add.partitionValues), .integer(add.size), .integer(add.modificationTime),
                .boolean(add.dataChange), map(add.tags?.mapValues { Optional($0) }), str(add.stats),
            ])))
        }
        for r in snapshot.tombstones.values.sorted(by: { $0.path < $1.path }) {
            guard (r.deletionTimestamp ?? Int64.max) >= tombstoneCutoff else { continue }
            rows.append(row(2, .structure([
                .string(r.path), r.deletionTimestamp.map(Datum.integer) ?? .null, .boolean(false),
                r.extendedFileMetadata.map(Datum.boolean) ?? .null, map(r.partitionValues), r.size.map(Datum.integer) ?? .null,
            ])))
        }
        return rows
    }

    /// The checkpoint file bytes and its row count.
    static func file(_ snapshot: DeltaSnapshot, tombstoneCutoff: Int64) throws(DeltaError) -> (bytes: [UInt8], rows: Int) {
        let rows = rows(snapshot, tombstoneCutoff: tombstoneCutoff)
        do {
            let batch = try RecordBatch(schema: schema, rows: rows)
            var options = ParquetWriterOptions()
            options.createdBy = DeltaTable.engineInfo
            var writer = try ParquetFileWriter(schema: schema, options: options)
            try writer.write(batch)
            return (try writer.finish(), rows.count)
        } catch let error as ParquetError {
            throw DeltaError(.dataFile, "cannot write the checkpoint", underlying: error.description)
        } catch {
            throw DeltaError(.dataFile, "cannot build the checkpoint", underlying: "\(error)")
        }
    }
}
