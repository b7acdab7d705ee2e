import JSONCoding
import Columnar
import Parquet

/// Builds the `add.stats` JSON of one data file (PROTOCOL §Per-file Statistics).
///
/// - `numRecords`; `nullCount` for the first `indexedColumns` leaf columns (struct fields recurse,
///   arrays and maps count as one leaf and get a null count only); `minValues`/`maxValues` for
///   numeric, decimal, date, timestamp(_ntz) and string leaves.
/// - Strings are cut to 32 characters (Unicode scalars): min = prefix, max = prefix + U+10FFFF
///   (omitted when that could be smaller than the true max).
/// - Timestamps are written with milliseconds (min floored, max ceiled), `Z` for `timestamp`.
/// - Decimals as JSON numbers with their exact text; dates `YYYY-MM-DD`; non-finite floats omitted;
///   dates/timestamps outside years 0001…9998 omitted.
struct FileStatistics {
    static let stringPrefixLength = 32

    let schema: Schema
    /// Leaf statistics keyed by their Parquet path joined with "\u{0}".
    let leafStatistics: [String: ColumnStatistics]
    let batchNullCounts: [String: Int]
    let rowCount: Int64
    /// Leaf columns to index; negative = all.
    let indexedColumns: Int

    init(schema: Schema, statistics: [ColumnStatistics], topLevelNullCounts: [String: Int], rowCount: Int64, indexedColumns: Int) {
        self.schema = schema
        var byPath: [String: ColumnStatistics] = [:]
        for s in statistics { byPath[s.path.joined(separator: "\u{0}")] = s }
        self.leafStatistics = byPath
        self.batchNullCounts = topLevelNullCounts
        self.rowCount = rowCount
        self.indexedColumns = indexedColumns
    }

    func json() -> String {
        var remaining = indexedColumns < 0 ? Int.max : indexedColumns
        let (mins, maxs, nulls) = collect(schema.fields, path: [], remaining: &remaining)
        return JSONValue.object([
            ("numRecords", .int(rowCount)),
            ("minValues", .object(mins)),
            ("maxValues", .object(maxs)),
            ("nullCount", .object(nulls)),
        ]).serialized
    }

    private func collect(_ fields: [Field], path: [String], remaining: inout Int) -> ([(String, JSONValue)], [(String, JSONValue)], [(String, JSONValue)]) {
        var mins: [(String, JSONValue)] = [], maxs: [(String, JSONValue)] = [], nulls: [(String, JSONValue)] = []
        for field in fields {
            guard remaining > 0 else { break }
            let fieldPath = path + [field.name]
            switch field.type {
            case .structure(let children):
                let (a, b, c) = collect(children, path: fieldPath, remaining: &remaining)
                if !a.isEmpty { mins.append((field.name, .object(a))) }
                if !b.isEmpty { maxs.append((field.name, .object(b))) }
                if !c.isEmpty { nulls.append((field.name, .object(c))) }
            case .list, .map:
                remaining -= 1
                if path.isEmpty, let count = batchNullCounts[field.name] { nulls.append((field.name, .int(count))) }
            default:
                remaining -= 1
                guard let stats = leafStatistics[fieldPath.joined(separator: "\u{0}")] else { continue }
                nulls.append((field.name, .int(stats.nullCount)))
                if let min = stats.min, let value = FileStatistics.value(min, type: field.type, isMax: false) { mins.append((field.name, value)) }
                if let max = stats.max, let value = FileStatistics.value(max, type: field.type, isMax: true) { maxs.append((field.name, value)) }
            }
        }
        return (mins, maxs, nulls)
    }

    /// The JSON of a min (`isMax == false`) or max statistic, nil when it is not written.
    static func value(_ datum: Datum, type: DataType, isMax: Bool) -> JSONValue? {
        switch (datum, type) {
        case (.integer(let i), _): return .int(i)
        case (.float32(let f), _): return f.isFinite ? .number(Double(f).description) : nil
        case (.float64(let d), _): return d.isFinite ? .number(d.description) : nil
        case (.decimal(let u), .decimal(_, let scale)): return .number(Decimal128Text.format(u, scale: scale))
        case (.date(let d), _):
            guard validDays.contains(Int64(d)) else { return nil }
            return .string(CivilTime.formatDate(days: Int64(d)))
        case (.timestamp(let micros), _):
            guard validDays.contains(CivilTime.floorDivide(micros, 86_400_000_000).quotient) else { return nil }
            let (millis, rest) = CivilTime.floorDivide(micros, 1000)
            var m = millis
            if isMax, rest != 0 {
                guard m < Int64.max / 1000 else { return nil }
                m += 1
            }
            return .string(formatMillis(m, utc: type == .timestamp))
        case (.string(let s), _):
            let scalars = s.unicodeScalars
            guard scalars.count > stringPrefixLength else { return .string(s) }
            var prefix = String.UnicodeScalarView(scalars.prefix(stringPrefixLength))
            guard isMax else { return .string(String(prefix)) }
            let next = scalars[scalars.index(scalars.startIndex, offsetBy: stringPrefixLength)]
            guard next.value != 0x10FFFF else { return nil }
            prefix.append("\u{10FFFF}")
            return .string(String(prefix))
        default: return nil
        }
    }

    /// Days of years 0001…9999: dates and timestamps outside get no min/max (readers parse
    /// stats with four-digit years).
    static let validDays = CivilTime.days(year: 1, month: 1, day: 1)..<CivilTime.days(year: 9999, month: 12, day: 31)

    /// `YYYY-MM-DDTHH:MM:SS.mmm` (+ `Z`).
    static func formatMillis(_ millis: Int64, utc: Bool) -> String {
        let full = CivilTime.formatTimestamp(micros: millis &* 1000, utc: false)
        let trimmed = String(full.dropLast(3))
        return utc ? trimmed + "Z" : trimmed
    }
}
