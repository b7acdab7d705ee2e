/// A typed, totally ordered position of a change event, per source.
///
/// Events of one table compare by `source_timestamp` first, then by the source's log position
/// (see docs/DATASTREAM.md for the reasons):
///
/// | source | after the timestamp |
/// |---|---|
/// | MySQL | backfill before CDC, then log file as (base name, numeric suffix), then log position |
/// | Oracle | SCN, then `rs_id` trimmed of spaces (text), then SSN |
/// | PostgreSQL | backfill (no LSN) before CDC, then the LSN as `hi << 32 | lo` |
/// | SQL Server | backfill (no LSN) before CDC, then the LSN as three hex fields |
/// | generic | the `sort_keys` values (integers before strings at the same index) |
///
/// Two keys that compare equal denote the same source position: an incoming event should win
/// only when its key is strictly greater, so replays and duplicates change nothing.
public struct EventOrderKey: Comparable, Hashable, Sendable {
    /// The per-source part after the timestamp.
    public enum Position: Hashable, Sendable {
        /// `logFile == nil` marks a backfill row (empty `log_file`, position 0).
        case mysql(logFile: MySQLLogFile?, logPosition: Int64)
        case oracle(scn: Int64, rsID: String, ssn: Int64)
        /// `lsn == nil` marks a backfill row.
        case postgresql(lsn: UInt64?)
        /// `lsn == nil` marks a backfill row.
        case sqlServer(lsn: SQLServerLSN?)
        case generic(sortKeys: [SortKeyValue])
    }

    public var source: DatastreamSource
    /// `source_timestamp` in microseconds since the epoch.
    public var sourceTimestampMicros: Int64
    public var position: Position

    public init(source: DatastreamSource, sourceTimestampMicros: Int64, position: Position) {
        self.source = source
        self.sourceTimestampMicros = sourceTimestampMicros
        self.position = position
    }

    public static func < (lhs: EventOrderKey, rhs: EventOrderKey) -> Bool {
        if lhs.source != rhs.source { return lhs.source < rhs.source }
        if lhs.sourceTimestampMicros != rhs.sourceTimestampMicros { return lhs.sourceTimestampMicros < rhs.sourceTimestampMicros }
        return lhs.position.precedes(rhs.position)
    }

    /// Equal exactly when neither precedes the other: texts compare by their UTF-8 bytes, not by
    /// Unicode canonical equivalence, so equality, hashing and order always agree.
    public static func == (lhs: EventOrderKey, rhs: EventOrderKey) -> Bool {
        !(lhs < rhs) && !(rhs < lhs)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(source)
        hasher.combine(sourceTimestampMicros)
        func bytes(_ text: String) {
            hasher.combine(text.utf8.count)
            for byte in text.utf8 { hasher.combine(byte) }
        }
        switch position {
        case let .mysql(file, logPosition):
            hasher.combine(0)
            if let file {
                bytes(file.baseName)
                hasher.combine(file.sequence)
                hasher.combine(logPosition)
            } else {
                hasher.combine(logPosition)
            }
        case let .oracle(scn, rsID, ssn):
            hasher.combine(1)
            hasher.combine(scn)
            bytes(rsID)
            hasher.combine(ssn)
        case let .postgresql(lsn):
            hasher.combine(2)
            hasher.combine(lsn)
        case let .sqlServer(lsn):
            hasher.combine(3)
            hasher.combine(lsn)
        case let .generic(keys):
            hasher.combine(4)
            hasher.combine(keys.count)
            for key in keys {
                switch key {
                case .integer(let value): hasher.combine(0); hasher.combine(value)
                case .text(let text): hasher.combine(1); bytes(text)
                }
            }
        }
    }
}

extension EventOrderKey.Position {
    private var kindRank: Int {
        switch self {
        case .mysql: return 0
        case .oracle: return 1
        case .postgresql: return 2
        case .sqlServer: return 3
        case .generic: return 4
        }
    }

    func precedes(_ other: EventOrderKey.Position) -> Bool {
        switch (self, other) {
        case let (.mysql(lf, lp), .mysql(rf, rp)):
            switch (lf, rf) {
            case (nil, nil): return lp < rp
            case (nil, _?): return true
            case (_?, nil): return false
            case let (l?, r?): return l != r ? l < r : lp < rp
            }
        case let (.oracle(ls, lr, lss), .oracle(rs, rr, rss)):
            if ls != rs { return ls < rs }
            if lr != rr { return lr.utf8.lexicographicallyPrecedes(rr.utf8) }
            return lss < rss
        case let (.postgresql(l), .postgresql(r)):
            return Self.optionalPrecedes(l, r)
        case let (.sqlServer(l), .sqlServer(r)):
            return Self.optionalPrecedes(l, r)
        case let (.generic(l), .generic(r)):
            return l.lexicographicallyPrecedes(r)
        default:
            return kindRank < other.kindRank
        }
    }

    /// nil (backfill) before any value.
    private static func optionalPrecedes<T: Comparable>(_ l: T?, _ r: T?) -> Bool {
        switch (l, r) {
        case (nil, nil): return false
        case (nil, _?): return true
        case (_?, nil): return false
        case let (l?, r?): return l < r
        }
    }
}

/// One typed `sort_keys` element (the Avro union `["string","long"]`).
public enum SortKeyValue: Hashable, Sendable, Comparable {
    case integer(Int64)
    case text(String)

    public static func < (lhs: SortKeyValue, rhs: SortKeyValue) -> Bool {
        switch (lhs, rhs) {
        case let (.integer(l), .integer(r)): return l < r
        case let (.text(l), .text(r)): return l.utf8.lexicographicallyPrecedes(r.utf8)
        case (.integer, .text): return true
        case (.text, .integer): return false
        }
    }
}

/// A MySQL binlog file name split into base name and numeric suffix, so that
/// `mysql-bin.000010` follows `mysql-bin.000009` and `mysql-bin.1000000` follows `mysql-bin.999999`.
public struct MySQLLogFile: Hashable, Sendable, Comparable {
    public var baseName: String
    public var sequence: UInt64

    public init(baseName: String, sequence: UInt64) {
        self.baseName = baseName
        self.sequence = sequence
    }

    /// Parses `base.NNNNNN`. A name without a numeric suffix keeps the whole name as base and
    /// sequence 0. Returns nil for an empty name (backfill). Throws when the suffix overflows.
    public static func parse(_ text: String) throws(DatastreamError) -> MySQLLogFile? {
        try parse(utf8: Array(text.utf8)[...])
    }

    /// ``parse(_:)`` over UTF-8 bytes.
    static func parse(utf8 bytes: ArraySlice<UInt8>) throws(DatastreamError) -> MySQLLogFile? {
        guard !bytes.isEmpty else { return nil }
        var start = bytes.endIndex
        while start > bytes.startIndex, bytes[start - 1] >= 48, bytes[start - 1] <= 57 { start -= 1 }
        guard start < bytes.endIndex else { return MySQLLogFile(baseName: String(decoding: bytes, as: UTF8.self), sequence: 0) }
        var sequence: UInt64 = 0
        for byte in bytes[start...] {
            let (times, o1) = sequence.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times.addingReportingOverflow(UInt64(byte - 48))
            guard !o1, !o2 else {
                throw DatastreamError(.malformedOrderField, "log_file '\(String(decoding: bytes, as: UTF8.self))' has a numeric suffix that overflows 64 bits")
            }
            sequence = sum
        }
        var baseEnd = start
        if baseEnd > bytes.startIndex, bytes[baseEnd - 1] == 46 { baseEnd -= 1 }  // drop the '.' separator
        return MySQLLogFile(baseName: String(decoding: bytes[..<baseEnd], as: UTF8.self), sequence: sequence)
    }

    public static func < (lhs: MySQLLogFile, rhs: MySQLLogFile) -> Bool {
        if lhs.baseName != rhs.baseName { return lhs.baseName.utf8.lexicographicallyPrecedes(rhs.baseName.utf8) }
        return lhs.sequence < rhs.sequence
    }
}

/// PostgreSQL LSNs: `"HI/LO"` with each half 1–8 hex digits, unpadded (`"16/CB002DB0"`).
public enum PostgresLSN {
    /// `hi << 32 | lo`. Text order is wrong (`"9/FFFFFFFF"` > `"16/CB002DB0"` as text), so LSNs
    /// are always compared after this parse.
    public static func parse(_ text: String) throws(DatastreamError) -> UInt64 {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2,
              let hi = HexField.parse(parts[0], maxDigits: 8),
              let lo = HexField.parse(parts[1], maxDigits: 8)
        else { throw DatastreamError(.malformedOrderField, "'\(text)' is not a PostgreSQL LSN (expected HI/LO in hex)") }
        return hi << 32 | lo
    }
}

/// A SQL Server LSN `VLF:BLOCK:SLOT` in hex (`"00000027:00000130:0001"`).
public struct SQLServerLSN: Hashable, Sendable, Comparable {
    public var virtualLogFile: UInt32
    public var block: UInt32
    public var slot: UInt16

    public init(virtualLogFile: UInt32, block: UInt32, slot: UInt16) {
        self.virtualLogFile = virtualLogFile
        self.block = block
        self.slot = slot
    }

    /// Parses the three colon-separated hex fields (up to 8, 8 and 4 digits).
    public static func parse(_ text: String) throws(DatastreamError) -> SQLServerLSN {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3,
              let vlf = HexField.parse(parts[0], maxDigits: 8),
              let block = HexField.parse(parts[1], maxDigits: 8),
              let slot = HexField.parse(parts[2], maxDigits: 4)
        else { throw DatastreamError(.malformedOrderField, "'\(text)' is not a SQL Server LSN (expected hex VLF:BLOCK:SLOT)") }
        return SQLServerLSN(virtualLogFile: UInt32(vlf), block: UInt32(block), slot: UInt16(slot))
    }

    public static func < (lhs: SQLServerLSN, rhs: SQLServerLSN) -> Bool {
        (lhs.virtualLogFile, lhs.block, lhs.slot) < (rhs.virtualLogFile, rhs.block, rhs.slot)
    }
}

enum HexField {
    /// 1…`maxDigits` hex digits, nothing else.
    static func parse(_ text: Substring, maxDigits: Int) -> UInt64? {
        guard !text.isEmpty, text.utf8.count <= maxDigits else { return nil }
        var value: UInt64 = 0
        for byte in text.utf8 {
            let digit: UInt8
            switch byte {
            case 48...57: digit = byte - 48
            case 65...70: digit = byte - 55
            case 97...102: digit = byte - 87
            default: return nil
            }
            value = value << 4 | UInt64(digit)
        }
        return value
    }
}
