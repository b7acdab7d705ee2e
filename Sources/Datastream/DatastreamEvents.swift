import Columnar

/// Per-row access to the Datastream envelope of an event batch (from the Avro or the JSON path):
/// source kind, operation, primary-key columns and the typed order key, without boxing values.
///
/// The batch needs `source_timestamp` (a timestamp) and `read_method` (a string); every other
/// envelope field is optional and may appear in any order, so 2020–2025 file vintages all work.
public struct DatastreamEvents: Sendable {
    /// The batch as given.
    public let batch: RecordBatch
    /// The data file the batch came from, for error messages.
    public let fileName: String

    private let sourceTimestamps: IntegerColumnView
    /// 1 for a timestamp column (µs); 1000 for a plain long of epoch milliseconds (the 2020 files
    /// put `logicalType` on the field instead of the type, which Avro ignores).
    private let timestampScale: Int64
    private let readMethods: StringColumnView
    private let uuids: StringColumnView?
    private let sortKeys: SortKeysColumnView?
    private let changeTypes: StringColumnView?
    private let isDeleted: BooleanColumnView?
    private let primaryKeys: StringListColumnView?
    private let replicationIndex: StringListColumnView?
    private let logFiles: StringColumnView?
    private let logPositions: IntegerColumnView?
    private let scns: IntegerColumnView?
    private let ssns: IntegerColumnView?
    private let rsIDs: StringColumnView?
    private let lsns: StringColumnView?
    private let hasRowID: Bool
    /// The source suggested by the `source_metadata` field names, for generic read methods.
    private let metadataSource: DatastreamSource
    /// The source of every row, resolved once (read methods repeat from row to row).
    private let sources: [DatastreamSource]

    /// Wraps `batch`.
    ///
    /// - Parameter sourceOverride: Forces the source kind for every row (like the templates'
    ///   `datastreamSourceType` option), for streams whose `read_method` is the generic `cdc`.
    /// - Throws: ``DatastreamError/Code/missingField`` when `source_timestamp` (a timestamp, or a
    ///   long of epoch milliseconds) or `read_method` is missing or has the wrong type.
    public init(batch: RecordBatch, fileName: String, sourceOverride: DatastreamSource? = nil) throws(DatastreamError) {
        self.batch = batch
        self.fileName = fileName
        guard let timestamps = batch.column(named: "source_timestamp").flatMap({ IntegerColumnView($0) }) else {
            throw DatastreamError(.missingField, "the batch has no timestamp column 'source_timestamp'", fileName: fileName)
        }
        guard let methods = batch.column(named: "read_method").flatMap({ StringColumnView($0) }) else {
            throw DatastreamError(.missingField, "the batch has no string column 'read_method'", fileName: fileName)
        }
        sourceTimestamps = timestamps
        timestampScale = batch.column(named: "source_timestamp")?.type == .timestamp ? 1 : 1000
        readMethods = methods
        uuids = batch.column(named: "uuid").flatMap { StringColumnView($0) }
        sortKeys = batch.column(named: "sort_keys").flatMap { SortKeysColumnView($0) }

        var children: [String: Column] = [:]
        var metadataValidity: Bitmap?
        if let metadata = batch.column(named: "source_metadata"), case let .structure(fields) = metadata.type,
           case let .structure(columns) = metadata.storage {
            for (field, column) in zip(fields, columns) { children[field.name] = column }
            metadataValidity = metadata.validity
        }
        func child<View>(_ name: String, _ make: (Column, Bitmap?) -> View?) -> View? {
            children[name].flatMap { make($0, metadataValidity) }
        }
        changeTypes = child("change_type") { StringColumnView($0, parentValidity: $1) }
        isDeleted = child("is_deleted") { BooleanColumnView($0, parentValidity: $1) }
        primaryKeys = child("primary_keys") { StringListColumnView($0, parentValidity: $1) }
        replicationIndex = child("replication_index") { StringListColumnView($0, parentValidity: $1) }
        logFiles = child("log_file") { StringColumnView($0, parentValidity: $1) }
        logPositions = child("log_position") { IntegerColumnView($0, parentValidity: $1) }
        scns = child("scn") { IntegerColumnView($0, parentValidity: $1) }
        ssns = child("ssn") { IntegerColumnView($0, parentValidity: $1) }
        rsIDs = child("rs_id") { StringColumnView($0, parentValidity: $1) }
        lsns = child("lsn") { StringColumnView($0, parentValidity: $1) }
        hasRowID = children["row_id"] != nil
        let metadataSource = DatastreamSource(sourceMetadataFieldNames: Set(children.keys))
        self.metadataSource = metadataSource
        if let sourceOverride {
            sources = [DatastreamSource](repeating: sourceOverride, count: batch.rowCount)
        } else {
            var resolved: [DatastreamSource] = []
            resolved.reserveCapacity(batch.rowCount)
            var previous: (bytes: ArraySlice<UInt8>?, source: DatastreamSource)? = nil
            for row in 0..<batch.rowCount {
                let bytes = methods.bytes(row)
                if let previous, previous.bytes == bytes {
                    resolved.append(previous.source)
                    continue
                }
                var source = bytes.map { DatastreamSource(readMethod: String(decoding: $0, as: UTF8.self)) } ?? .generic
                if source == .generic { source = metadataSource }
                resolved.append(source)
                previous = (bytes, source)
            }
            sources = resolved
        }
    }

    /// The number of events.
    public var count: Int { batch.rowCount }

    /// The `payload` struct column (the row image), if present.
    public var payload: Column? { batch.column(named: "payload") }

    /// The source kind of `row`: from the `read_method` prefix; a generic read method (`cdc`,
    /// `backfill`) falls back to what the `source_metadata` fields reveal.
    public func source(at row: Int) -> DatastreamSource { sources[row] }

    /// `source_timestamp` in microseconds, nil when null.
    public func sourceTimestampMicros(at row: Int) -> Int64? {
        guard let value = sourceTimestamps.value(row) else { return nil }
        let (micros, overflow) = value.multipliedReportingOverflow(by: timestampScale)
        return overflow ? nil : micros
    }

    /// The event's `uuid`, if present.
    public func uuid(at row: Int) -> String? { uuids?.string(row) }

    /// The `read_method`, if not null.
    public func readMethod(at row: Int) -> String? { readMethods.string(row) }

    /// The `change_type`, if present and not null.
    public func changeType(at row: Int) -> String? { changeTypes?.string(row) }

    /// Delete ⇔ `change_type` ∈ {DELETE, UPDATE-DELETE} or `is_deleted == true`; otherwise upsert.
    public func operation(at row: Int) -> ChangeOperation {
        ChangeOperation(changeType: changeTypes?.bytes(row) ?? [], isDeleted: isDeleted?.value(row))
    }

    /// The typed `sort_keys` of `row` (empty when absent).
    public func sortKeys(at row: Int) -> [SortKeyValue] { sortKeys?.values(row) ?? [] }

    /// Where the key columns of `row` come from: declared `primary_keys`; otherwise SQL Server's
    /// `replication_index`, Oracle's `row_id`, or none.
    public func primaryKeyColumns(at row: Int) -> PrimaryKeyColumns {
        let declared = primaryKeys?.strings(row) ?? []
        if !declared.isEmpty { return .declared(declared) }
        switch source(at: row) {
        case .sqlServer:
            let index = replicationIndex?.strings(row) ?? []
            return index.isEmpty ? .none : .replicationIndex(index)
        case .oracle:
            return hasRowID ? .oracleRowID : .none
        default:
            return .none
        }
    }

    /// The typed order key of `row` (see ``EventOrderKey``).
    ///
    /// `source_metadata` fields are authoritative; `sort_keys` fill in when a field is missing
    /// from the batch (they carry the same values in every sample that has both).
    ///
    /// - Throws: ``DatastreamError/Code/missingField`` for a null `source_timestamp`,
    ///   ``DatastreamError/Code/malformedOrderField`` for an unparsable LSN or log file name.
    public func orderKey(at row: Int) throws(DatastreamError) -> EventOrderKey {
        guard let timestamp = sourceTimestampMicros(at: row) else {
            throw DatastreamError(.missingField, "source_timestamp is null or out of range", fileName: fileName, row: row)
        }
        let source = source(at: row)
        do throws(DatastreamError) {
            return EventOrderKey(source: source, sourceTimestampMicros: timestamp, position: try position(source, row: row))
        } catch {
            var located = error
            located.fileName = fileName
            located.row = row
            throw located
        }
    }

    /// Whether `sort_keys` agree with the `source_metadata` position of `row` (diagnostics only:
    /// the metadata is authoritative). nil when the row has no `sort_keys` or the source has no
    /// known layout (generic, SQL Server). A MySQL backfill's `[ts, 0, 0]` counts as agreeing.
    public func sortKeysAgreeWithMetadata(at row: Int) -> Bool? {
        let keys = sortKeys(at: row)
        guard !keys.isEmpty else { return nil }
        func integerAt(_ index: Int) -> Int64? {
            guard index < keys.count, case .integer(let value) = keys[index] else { return nil }
            return value
        }
        func textAt(_ index: Int) -> String? {
            guard index < keys.count, case .text(let value) = keys[index] else { return nil }
            return value
        }
        switch source(at: row) {
        case .mysql:
            guard let logFiles else { return nil }
            let file = logFiles.string(row) ?? ""
            let position = logPositions?.value(row) ?? 0
            if file.isEmpty { return (textAt(1) == "" || integerAt(1) == 0) && (integerAt(2) ?? 0) == 0 }
            return textAt(1) == file && integerAt(2) == position
        case .oracle:
            guard let scns else { return nil }
            return integerAt(1) == scns.value(row)
                && (textAt(2) ?? "").trimmingSpaces() == (rsIDs?.string(row) ?? "").trimmingSpaces()
                && integerAt(3) == (ssns?.value(row) ?? 0)
        case .postgresql:
            guard let lsns else { return nil }
            let lsn = lsns.string(row) ?? ""
            guard let text = textAt(1) else { return lsn.isEmpty }
            return (try? PostgresLSN.parse(text)) == (try? PostgresLSN.parse(lsn))
        case .sqlServer, .generic:
            return nil
        }
    }

    private func sortKey(_ row: Int, _ index: Int) -> SortKeyValue? {
        guard let sortKeys else { return nil }
        let values = sortKeys.values(row)
        return index < values.count ? values[index] : nil
    }

    private func text(_ view: StringColumnView?, row: Int, sortKeyIndex: Int) -> String? {
        if let view { return view.string(row) }
        if case .text(let text)? = sortKey(row, sortKeyIndex) { return text }
        return nil
    }

    private func integer(_ view: IntegerColumnView?, row: Int, sortKeyIndex: Int) -> Int64? {
        if let view { return view.value(row) }
        if case .integer(let value)? = sortKey(row, sortKeyIndex) { return value }
        return nil
    }

    private func position(_ source: DatastreamSource, row: Int) throws(DatastreamError) -> EventOrderKey.Position {
        switch source {
        case .mysql:
            // Backfill: empty or null log_file (2021 files: null; 2024+: ""; one 2025 file: sort_keys [ts,0,0]).
            let file: MySQLLogFile?
            if let logFiles {
                file = try MySQLLogFile.parse(utf8: logFiles.bytes(row) ?? [])
            } else {
                file = try MySQLLogFile.parse(text(nil, row: row, sortKeyIndex: 1) ?? "")
            }
            let position = integer(logPositions, row: row, sortKeyIndex: 2) ?? 0
            return .mysql(logFile: file, logPosition: file == nil ? 0 : position)
        case .oracle:
            let scn = integer(scns, row: row, sortKeyIndex: 1) ?? 0
            let rsID = (text(rsIDs, row: row, sortKeyIndex: 2) ?? "").trimmingSpaces()
            let ssn = integer(ssns, row: row, sortKeyIndex: 3) ?? 0
            return .oracle(scn: scn, rsID: rsID, ssn: ssn)
        case .postgresql:
            let lsn = text(lsns, row: row, sortKeyIndex: 1) ?? ""
            return .postgresql(lsn: lsn.isEmpty ? nil : try PostgresLSN.parse(lsn))
        case .sqlServer:
            let lsn = text(lsns, row: row, sortKeyIndex: 1) ?? ""
            return .sqlServer(lsn: lsn.isEmpty ? nil : try SQLServerLSN.parse(lsn))
        case .generic:
            return .generic(sortKeys: sortKeys(at: row))
        }
    }
}

extension String {
    /// Without leading and trailing spaces and tabs (Oracle pads `rs_id` with spaces).
    func trimmingSpaces() -> String {
        let bytes = Array(utf8)
        var start = 0
        var end = bytes.count
        while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
        while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
        return start == 0 && end == bytes.count ? self : String(decoding: bytes[start..<end], as: UTF8.self)
    }
}
