import Columnar

/// Maps payload columns as the Avro or JSON decoder produced them to the types written to Delta.
///
/// | decoded as (Avro type / Columnar) | Delta type | conversion |
/// |---|---|---|
/// | `number` logical type (string) from MySQL (BIGINT UNSIGNED) | `decimal(20,0)` | exact parse |
/// | `number` from any other source (Oracle NUMBER without scale…) | `string` | unchanged |
/// | `varchar`, `json`, `uuid` logical types (string) | `string` | unchanged |
/// | record `varchar{value,length}` (2020) | `string` | the `value` |
/// | record `datetime{date,time}` | `timestamp` | date × 86 400 s + time, as UTC |
/// | record `timestampTz{timestamp,offset}` | `timestamp` | the UTC instant |
/// | record `interval{months,hours,micros}` | `string` | ISO-8601 duration (`P1Y2MT3H4.5S`) |
/// | record `geometry{value,srid,type}` | the same struct | unchanged (WKB, SRID and type kept) |
/// | `local-timestamp-*` (timestamp without time zone) | `timestamp` | same microseconds read as UTC |
/// | everything else (decimals ≤ 38, wider decimals as text, timestamps, dates, ints, floats, binary, lists, maps) | unchanged | none |
///
/// Output fields drop the `avro.*` metadata keys. See docs/DATASTREAM.md for the reasons.
public struct DeltaTypeMapping: Sendable {
    /// The source of the table: it decides the `number` mapping.
    public var source: DatastreamSource
    /// Keep `timestampWithoutTimeZone` instead of reading it as UTC (needs Delta's timestampNtz).
    public var keepTimestampWithoutTimeZone: Bool

    public init(source: DatastreamSource, keepTimestampWithoutTimeZone: Bool = false) {
        self.source = source
        self.keepTimestampWithoutTimeZone = keepTimestampWithoutTimeZone
    }

    /// The precision used for MySQL `BIGINT UNSIGNED` (at most 18446744073709551615, 20 digits).
    public static let unsignedBigintType = DataType.decimal(precision: 20, scale: 0)

    private enum Rule {
        case identity
        case numberAsDecimal
        case varcharRecord
        case datetimeRecord
        case timestampTzRecord
        case intervalRecord
        case localTimestamp
        case structure([Field])
        case list(Field)
    }

    private func rule(for field: Field) -> Rule {
        let logical = field.metadata["avro.logicalType"]
        switch field.type {
        case .string where logical == "number":
            return source == .mysql ? .numberAsDecimal : .identity
        case .timestampWithoutTimeZone:
            return keepTimestampWithoutTimeZone ? .identity : .localTimestamp
        case .structure(let children):
            let recordName = field.metadata["avro.name"].map { $0.split(separator: ".").last.map(String.init) ?? $0 }
            let names = Set(children.map(\.name))
            switch recordName {
            case "datetime" where names.isSuperset(of: ["date", "time"]): return .datetimeRecord
            case "timestampTz" where names.contains("timestamp"): return .timestampTzRecord
            case "interval" where names.isSuperset(of: ["months", "hours", "micros"]): return .intervalRecord
            case "varchar" where names.contains("value"): return .varcharRecord
            default: return .structure(children)
            }
        case .list(let element):
            return .list(element)
        default:
            return .identity
        }
    }

    /// The Delta field for a decoded payload field.
    public func deltaField(for field: Field) -> Field {
        let metadata = field.metadata.filter { !$0.key.hasPrefix("avro.") }
        let type: DataType
        switch rule(for: field) {
        case .identity: type = field.type
        case .numberAsDecimal: type = Self.unsignedBigintType
        case .varcharRecord, .intervalRecord: type = .string
        case .datetimeRecord, .timestampTzRecord, .localTimestamp: type = .timestamp
        case .structure(let children): type = .structure(children.map(deltaField(for:)))
        case .list(let element): type = .list(deltaField(for: element))
        }
        return Field(field.name, type, isNullable: field.isNullable, metadata: metadata)
    }

    /// The Delta fields of a decoded `payload` struct type.
    public func deltaFields(forPayload payload: DataType) -> [Field] {
        guard case .structure(let fields) = payload else { return [] }
        return fields.map(deltaField(for:))
    }

    /// Converts the `payload` struct column of an event batch to its Delta types.
    public func convertPayload(_ payload: Column, fileName: String = "") throws(DatastreamError) -> Column {
        try convert(payload, field: Field("payload", payload.type), fileName: fileName)
    }

    /// Converts one decoded column (described by `field`) to ``deltaField(for:)``'s type.
    public func convert(_ column: Column, field: Field, fileName: String = "") throws(DatastreamError) -> Column {
        switch rule(for: field) {
        case .identity:
            return column
        case .localTimestamp:
            return Column(type: .timestamp, count: column.count, validity: column.validity, storage: column.storage)
        case .numberAsDecimal:
            return try numberToDecimal(column, field: field, fileName: fileName)
        case .varcharRecord:
            return try child(column, "value", field: field, fileName: fileName).withParentValidity(column.validity)
        case .datetimeRecord:
            return try datetimeToTimestamp(column, field: field, fileName: fileName)
        case .timestampTzRecord:
            let instant = try child(column, "timestamp", field: field, fileName: fileName)
            guard case .int64 = instant.storage else { throw mismatch(field, fileName) }
            return Column(type: .timestamp, count: column.count, validity: instant.withParentValidity(column.validity).validity, storage: instant.storage)
        case .intervalRecord:
            return try intervalToText(column, field: field, fileName: fileName)
        case .structure(let children):
            guard case .structure(let columns) = column.storage else { throw mismatch(field, fileName) }
            var converted: [Column] = []
            converted.reserveCapacity(columns.count)
            for (childField, childColumn) in zip(children, columns) {
                converted.append(try convert(childColumn, field: childField, fileName: fileName))
            }
            return Column(type: deltaField(for: field).type, count: column.count, validity: column.validity, storage: .structure(converted))
        case .list(let element):
            guard case let .list(offsets, elements) = column.storage else { throw mismatch(field, fileName) }
            let convertedElements = try convert(elements, field: element, fileName: fileName)
            return Column(type: deltaField(for: field).type, count: column.count, validity: column.validity,
                          storage: .list(offsets: offsets, elements: convertedElements))
        }
    }

    // MARK: conversions

    private func mismatch(_ field: Field, _ fileName: String) -> DatastreamError {
        DatastreamError(.invalidValue, "column '\(field.name)' does not have the storage of \(field.type)", fileName: fileName)
    }

    private func child(_ column: Column, _ name: String, field: Field, fileName: String) throws(DatastreamError) -> Column {
        guard case .structure(let fields) = field.type, case .structure(let columns) = column.storage,
              let index = fields.firstIndex(where: { $0.name == name }) else { throw mismatch(field, fileName) }
        return columns[index]
    }

    private func numberToDecimal(_ column: Column, field: Field, fileName: String) throws(DatastreamError) -> Column {
        guard let view = StringColumnView(column) else { throw mismatch(field, fileName) }
        var values = [Int128](repeating: 0, count: column.count)
        for row in 0..<column.count {
            guard let bytes = view.bytes(row) else { continue }
            let text = String(decoding: bytes, as: UTF8.self)
            do throws(ColumnarError) {
                let value = try Decimal128Text.parse(text, scale: 0)
                guard Decimal128Text.fits(value, precision: 20) else {
                    throw ColumnarError(.valueOutOfRange, "'\(text)' has more than 20 digits")
                }
                values[row] = value
            } catch {
                throw DatastreamError(.invalidValue, "column '\(field.name)': \(error.message)", fileName: fileName, row: row)
            }
        }
        return Column(type: Self.unsignedBigintType, count: column.count, validity: column.validity, storage: .int128(values))
    }

    private func datetimeToTimestamp(_ column: Column, field: Field, fileName: String) throws(DatastreamError) -> Column {
        let dateColumn = try child(column, "date", field: field, fileName: fileName)
        let timeColumn = try child(column, "time", field: field, fileName: fileName)
        guard case .int32(let days) = dateColumn.storage, let times = IntegerColumnView(timeColumn) else { throw mismatch(field, fileName) }
        var values = [Int64](repeating: 0, count: column.count)
        var validity = Bitmap(repeating: true, count: column.count)
        for row in 0..<column.count {
            guard !column.isNull(row), !dateColumn.isNull(row), let time = times.value(row) else {
                validity[row] = false
                continue
            }
            let (dayMicros, o1) = Int64(days[row]).multipliedReportingOverflow(by: 86_400_000_000)
            let (sum, o2) = dayMicros.addingReportingOverflow(time)
            guard !o1, !o2 else { throw DatastreamError(.invalidValue, "column '\(field.name)': datetime out of range", fileName: fileName, row: row) }
            values[row] = sum
        }
        return Column(type: .timestamp, count: column.count, validity: validity.setCount == column.count ? nil : validity, storage: .int64(values))
    }

    private func intervalToText(_ column: Column, field: Field, fileName: String) throws(DatastreamError) -> Column {
        guard let months = IntegerColumnView(try child(column, "months", field: field, fileName: fileName)),
              let hours = IntegerColumnView(try child(column, "hours", field: field, fileName: fileName)),
              let micros = IntegerColumnView(try child(column, "micros", field: field, fileName: fileName))
        else { throw mismatch(field, fileName) }
        var texts = StringColumnBuilder()
        for row in 0..<column.count {
            if column.isNull(row) {
                texts.appendNull()
            } else {
                texts.append(Array(Self.isoDuration(months: months.value(row) ?? 0, hours: hours.value(row) ?? 0, micros: micros.value(row) ?? 0).utf8))
            }
        }
        return try texts.finish(type: .string, fileName: fileName)
    }

    /// An ISO-8601 duration; each component carries its own sign (`P-1MT2H`), zero is `PT0S`.
    static func isoDuration(months: Int64, hours: Int64, micros: Int64) -> String {
        var text = "P"
        let years = months / 12
        let restMonths = months % 12
        if years != 0 { text += "\(years)Y" }
        if restMonths != 0 { text += "\(restMonths)M" }
        let minutes = micros / 60_000_000
        let secondMicros = micros % 60_000_000
        var time = ""
        if hours != 0 { time += "\(hours)H" }
        if minutes != 0 { time += "\(minutes)M" }
        if secondMicros != 0 {
            let negative = secondMicros < 0
            let magnitude = secondMicros.magnitude
            var seconds = String(magnitude / 1_000_000)
            let fraction = magnitude % 1_000_000
            if fraction != 0 {
                var digits = String(fraction)
                digits = String(repeating: "0", count: 6 - digits.count) + digits
                while digits.hasSuffix("0") { digits.removeLast() }
                seconds += "." + digits
            }
            time += (negative ? "-" : "") + seconds + "S"
        }
        if !time.isEmpty { text += "T" + time }
        return text == "P" ? "PT0S" : text
    }
}

extension Column {
    /// This column with slots also nulled where `parent` (a struct's validity) is null.
    func withParentValidity(_ parent: Bitmap?) -> Column {
        guard let parent else { return self }
        var merged = validity ?? Bitmap(repeating: true, count: count)
        for row in 0..<count where !parent[row] { merged[row] = false }
        var copy = self
        copy.validity = merged.setCount == count ? nil : merged
        return copy
    }
}
