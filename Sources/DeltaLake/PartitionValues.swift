import Columnar

/// Partition values: their string form in `add.partitionValues` (PROTOCOL §Partition Value
/// Serialization), Hive-style directory names, and typed columns rebuilt from them on read.
enum PartitionValues {
    /// The directory name Spark uses for a null (or empty string) partition value.
    static let hiveDefault = "__HIVE_DEFAULT_PARTITION__"

    /// Whether a column of `type` can be a partition column of this writer.
    static func isSupported(_ type: DataType) -> Bool {
        switch type {
        case .boolean, .int8, .int16, .int32, .int64, .float32, .float64, .decimal, .string, .date, .timestamp, .timestampWithoutTimeZone: return true
        case .binary, .list, .map, .structure: return false
        }
    }

    /// The serialized value of `column[row]`; nil for null and for the empty string (the protocol
    /// reads an empty partition value as null).
    static func serialize(_ column: Column, row: Int) -> String? {
        if column.isNull(row) { return nil }
        switch (column.storage, column.type) {
        case (.boolean(let bits), _): return bits[row] ? "true" : "false"
        case (.int8(let v), _): return String(v[row])
        case (.int16(let v), _): return String(v[row])
        case (.int32(let v), .date): return CivilTime.formatDate(days: Int64(v[row]))
        case (.int32(let v), _): return String(v[row])
        case (.int64(let v), .timestamp), (.int64(let v), .timestampWithoutTimeZone): return timestampText(v[row])
        case (.int64(let v), _): return String(v[row])
        case (.float32(let v), _): return String(v[row])
        case (.float64(let v), _): return String(v[row])
        case (.int128(let v), .decimal(_, let scale)): return Decimal128Text.format(v[row], scale: scale)
        case (.bytes(let offsets, let data), _):
            let text = String(decoding: data[Int(offsets[row])..<Int(offsets[row + 1])], as: UTF8.self)
            return text.isEmpty ? nil : text
        default: return nil
        }
    }

    /// `YYYY-MM-DD HH:MM:SS.ffffff` (UTC for `timestamp`).
    static func timestampText(_ micros: Int64) -> String {
        let (days, inDay) = CivilTime.floorDivide(micros, 86_400_000_000)
        let seconds = inDay / 1_000_000
        let fraction = inDay % 1_000_000
        func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let fractionText = String(fraction)
        return CivilTime.formatDate(days: days) + " " + two(seconds / 3600) + ":" + two(seconds / 60 % 60) + ":" + two(seconds % 60)
            + "." + String(repeating: "0", count: 6 - fractionText.count) + fractionText
    }

    /// The Hive directory segment `name=value` with Spark's escaping (`%XX` for control
    /// characters and `"#%'*/:=?\{[]^` and DEL).
    static func directory(_ name: String, _ value: String?) -> String {
        escapeHive(name) + "=" + (value.map(escapeHive) ?? hiveDefault)
    }

    static func escapeHive(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if v < 0x20 || v == 0x7F || "\"#%'*/:=?\\{[]^".unicodeScalars.contains(scalar) {
                result += "%" + hex(UInt8(v))
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// URI-encodes a relative path for `add.path`: every byte except unreserved characters,
    /// `/` and `=` becomes `%XX` (UTF-8).
    static func uriEncoded(_ path: String) -> String {
        var result = ""
        for byte in path.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"), UInt8(ascii: "="):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                result += "%" + hex(byte)
            }
        }
        return result
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 15)])
    }

    /// A column of `count` copies of the partition value `text` (nil or "" = null) parsed as `type`.
    static func column(_ text: String?, type: DataType, count: Int, name: String, file: String) throws(DeltaError) -> Column {
        let bad = { (why: String) -> DeltaError in
            DeltaError(.invalidAction, "partition value \(text.map { "'\($0)'" } ?? "null") of column '\(name)' is not a valid \(type)\(why)", path: file)
        }
        guard let text, !text.isEmpty else {
            return nullColumn(type: type, count: count)
        }
        let validity: Bitmap? = nil
        let storage: ColumnStorage
        switch type {
        case .boolean:
            switch text.lowercased() {
            case "true": storage = .boolean(Bitmap(repeating: true, count: count))
            case "false": storage = .boolean(Bitmap(repeating: false, count: count))
            default: throw bad("")
            }
        case .int8: guard let v = Int8(text) else { throw bad("") }; storage = .int8(Array(repeating: v, count: count))
        case .int16: guard let v = Int16(text) else { throw bad("") }; storage = .int16(Array(repeating: v, count: count))
        case .int32: guard let v = Int32(text) else { throw bad("") }; storage = .int32(Array(repeating: v, count: count))
        case .int64: guard let v = Int64(text) else { throw bad("") }; storage = .int64(Array(repeating: v, count: count))
        case .float32: guard let v = Float(text) else { throw bad("") }; storage = .float32(Array(repeating: v, count: count))
        case .float64: guard let v = Double(text) else { throw bad("") }; storage = .float64(Array(repeating: v, count: count))
        case .decimal(let precision, let scale):
            let v: Int128
            do { v = try Decimal128Text.parse(text, scale: scale) } catch { throw bad(": \(error.message)") }
            guard Decimal128Text.fits(v, precision: precision) else { throw bad(": exceeds precision \(precision)") }
            storage = .int128(Array(repeating: v, count: count))
        case .string:
            let bytes = Array(text.utf8)
            var offsets: [Int32] = [0]
            offsets.reserveCapacity(count + 1)
            var data: [UInt8] = []
            data.reserveCapacity(bytes.count * count)
            for _ in 0..<count {
                data.append(contentsOf: bytes)
                guard let end = Int32(exactly: data.count) else { throw bad(": too long") }
                offsets.append(end)
            }
            storage = .bytes(offsets: offsets, data: data)
        case .date:
            guard let days = parseDate(Substring(text)), let v = Int32(exactly: days) else { throw bad("") }
            storage = .int32(Array(repeating: v, count: count))
        case .timestamp, .timestampWithoutTimeZone:
            guard let v = parseTimestamp(text) else { throw bad("") }
            storage = .int64(Array(repeating: v, count: count))
        default:
            throw DeltaError(.unsupportedReaderFeature, "partition column '\(name)' has type \(type), which this reader cannot rebuild", path: file)
        }
        return Column(type: type, count: count, validity: validity, storage: storage)
    }

    static func nullColumn(type: DataType, count: Int) -> Column {
        let storage: ColumnStorage
        switch type {
        case .boolean: storage = .boolean(Bitmap(repeating: false, count: count))
        case .int8: storage = .int8(Array(repeating: 0, count: count))
        case .int16: storage = .int16(Array(repeating: 0, count: count))
        case .int32, .date: storage = .int32(Array(repeating: 0, count: count))
        case .int64, .timestamp, .timestampWithoutTimeZone: storage = .int64(Array(repeating: 0, count: count))
        case .float32: storage = .float32(Array(repeating: 0, count: count))
        case .float64: storage = .float64(Array(repeating: 0, count: count))
        case .decimal: storage = .int128(Array(repeating: 0, count: count))
        default: storage = .bytes(offsets: Array(repeating: 0, count: count + 1), data: [])
        }
        return Column(type: type, count: count, validity: Bitmap(repeating: false, count: count), storage: storage)
    }

    /// `[-]YYYY-MM-DD` → days since the epoch.
    static func parseDate(_ text: Substring) -> Int64? {
        let negative = text.hasPrefix("-")
        let parts = (negative ? text.dropFirst() : text).split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, let year = Int64(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              (1...12).contains(month), (1...31).contains(day), year < 1_000_000 else { return nil }
        return CivilTime.days(year: negative ? -year : year, month: month, day: day)
    }

    /// `YYYY-MM-DD HH:MM:SS[.ffffff]` or ISO 8601 `YYYY-MM-DDTHH:MM:SS[.ffffff][Z]` → microseconds.
    static func parseTimestamp(_ text: String) -> Int64? {
        var body = Substring(text)
        if body.hasSuffix("Z") { body = body.dropLast() }
        guard let separator = body.lastIndex(where: { $0 == " " || $0 == "T" }) else {
            return parseDate(body).flatMap { $0.multipliedReportingOverflow(by: 86_400_000_000).overflow ? nil : $0 * 86_400_000_000 }
        }
        guard let days = parseDate(body[..<separator]) else { return nil }
        let time = body[body.index(after: separator)...]
        let clock = time.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let hms = clock[0].split(separator: ":", omittingEmptySubsequences: false)
        guard hms.count == 3, let h = Int64(hms[0]), let m = Int64(hms[1]), let s = Int64(hms[2]),
              (0..<24).contains(h), (0..<60).contains(m), (0..<61).contains(s) else { return nil }
        var micros: Int64 = 0
        if clock.count == 2 {
            let digits = clock[1]
            guard !digits.isEmpty, digits.count <= 9, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
            let padded = (digits + String(repeating: "0", count: 9 - digits.count)).prefix(6)
            guard let value = Int64(padded) else { return nil }
            micros = value
        }
        let (dayMicros, overflow) = days.multipliedReportingOverflow(by: 86_400_000_000)
        guard !overflow else { return nil }
        let (total, overflow2) = dayMicros.addingReportingOverflow((h * 3600 + m * 60 + s) * 1_000_000 + micros)
        return overflow2 ? nil : total
    }
}
