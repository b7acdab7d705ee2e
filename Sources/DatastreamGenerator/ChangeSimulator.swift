import Columnar

/// A deterministic pseudo-random generator (SplitMix64), so a seed always gives the same output.
struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64
    init(seed: UInt64) { state = seed ^ 0x5DEE_CE66_D1CE_4E5B }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(max(bound, 1))) }
    mutating func chance(_ probability: Double) -> Bool { Double(next() >> 11) / Double(1 << 53) < probability }
}

/// One simulated change event, before it is written out.
struct SimulatedEvent: Sendable {
    let table: Int
    let uuid: String
    let sourceTimestampMillis: Int64
    var readTimestampMillis: Int64
    let isBackfill: Bool
    /// `INSERT`, `UPDATE`, `UPDATE-INSERT`, `UPDATE-DELETE`, `DELETE`.
    let changeType: String
    let isDeleted: Bool
    let position: SourcePosition
    let schemaVersion: Int
    /// Values of the payload columns of `schemaVersion`, as Datastream encodes them.
    let payload: [Datum]
}

/// A source log position; each flavor uses its own fields.
struct SourcePosition: Sendable {
    var logFile = ""
    var logPosition: Int64 = 0
    var scn: Int64 = 0
    var rsID = ""
    var ssn: Int64 = 0
    var lsn: UInt64 = 0
    var transactionID: Int64 = 0
}

/// Simulates source tables changing over time and the events Datastream would emit for them:
/// a backfill that reads rows while CDC runs, inserts, hot-key updates, deletes, re-inserts,
/// primary-key changes and a column added mid-stream. The final table contents are the
/// independent oracle for tests of the connector.
struct ChangeSimulator {
    let flavor: SourceFlavor
    let templates: [TableTemplate]
    private var rng: SeededGenerator
    private(set) var events: [SimulatedEvent] = []
    /// Current rows per table, keyed by primary-key values.
    private(set) var rows: [[[Datum]: [Datum]]]
    /// Schema version per table (1 after the added column).
    private(set) var schemaVersions: [Int]
    private var keyCounters: [Int]
    private var deletedKeys: [[[Datum]]]
    private var liveKeys: [[[Datum]]]
    private var clockMillis: Int64
    private var position = SourcePosition()
    private var uuidCounter: UInt64 = 0
    private let uuidPrefix: String

    init(flavor: SourceFlavor, tables: Int, seed: UInt64, startMillis: Int64, jsonOutput: Bool = false) {
        self.flavor = flavor
        self.templates = TableTemplate.tables(tables, flavor: flavor, jsonOutput: jsonOutput)
        self.rng = SeededGenerator(seed: seed)
        self.rows = Array(repeating: [:], count: tables)
        self.schemaVersions = Array(repeating: 0, count: tables)
        self.keyCounters = Array(repeating: 0, count: tables)
        self.deletedKeys = Array(repeating: [], count: tables)
        self.liveKeys = Array(repeating: [], count: tables)
        self.clockMillis = startMillis
        var prefixRNG = SeededGenerator(seed: seed &+ 17)
        self.uuidPrefix = String(prefixRNG.next() & 0xFFFF_FFFF, radix: 16)
        position.logFile = "mysql-bin.000001"
        position.logPosition = 4
        position.scn = 7_000_000
        // Just below a 32-bit boundary, so LSNs soon go from "F/FFF..." to "10/..." (text order breaks there).
        position.lsn = 0xF_FFF8_0000
    }

    /// Columns of table `t` at schema version `version`.
    func columns(_ t: Int, version: Int) -> [SimulatedColumn] {
        var columns = templates[t].columns
        if version > 0, let added = templates[t].addedColumn { columns.append(added) }
        return columns
    }

    private func keyIndices(_ t: Int) -> [Int] {
        templates[t].primaryKey.map { name in templates[t].columns.firstIndex { $0.name == name }! }
    }

    // MARK: Running

    /// Runs about `totalEvents` events: roughly 30% backfill, the rest CDC.
    mutating func run(totalEvents: Int) {
        let tableCount = templates.count
        let backfillRows = max(tableCount, totalEvents * 3 / 10)
        // Initial database contents (what the backfill will read).
        for index in 0..<backfillRows {
            let t = index % tableCount
            let key = nextKey(t)
            rows[t][key] = newRow(t, key: key)
            liveKeys[t].append(key)
        }
        var backfillQueue: [(table: Int, key: [Datum])] = []
        for t in 0..<tableCount { backfillQueue += liveKeys[t].map { (t, $0) } }
        backfillQueue.sort { ($0.key.first.map(sortable) ?? 0, $0.table) < ($1.key.first.map(sortable) ?? 0, $1.table) }
        var backfillCursor = 0
        let cdcEvents = max(0, totalEvents - backfillRows)
        let evolveAt = cdcEvents * 6 / 10
        var cdcDone = 0
        while events.count < totalEvents && (backfillCursor < backfillQueue.count || cdcDone < cdcEvents) {
            advanceClock()
            // The backfill reads rows while CDC runs; it finishes early in the timeline.
            let backfillTurn = backfillCursor < backfillQueue.count && (cdcDone >= cdcEvents || rng.chance(0.7))
            if backfillTurn {
                let (t, key) = backfillQueue[backfillCursor]
                backfillCursor += 1
                if let row = rows[t][key] { emitBackfill(t, row: row) }
                continue
            }
            if cdcDone == evolveAt {
                for t in 0..<tableCount where templates[t].addedColumn != nil {
                    schemaVersions[t] = 1
                    for key in rows[t].keys { rows[t][key]!.append(.null) }
                }
            }
            cdcDone += cdcOperation(rng.below(tableCount))
        }
    }

    private func sortable(_ datum: Datum) -> Int64 {
        if case .integer(let i) = datum { return i }
        return 0
    }

    private mutating func advanceClock() {
        // Bursts: many events share a second (MySQL orders those only by log position), and the
        // changes of one transaction share its commit time (ordered by SCN / LSN).
        if rng.chance(0.5) { return advancePosition() }
        clockMillis += rng.chance(0.8) ? Int64(1 + rng.below(3)) : Int64(rng.below(40))
        advancePosition()
    }

    private mutating func advancePosition() {
        switch flavor {
        case .mysql:
            position.logPosition += Int64(120 + rng.below(500))
            if position.logPosition > 50_000_000 {
                let next = (Int(position.logFile.split(separator: ".").last!) ?? 1) + 1
                let digits = String(next)
                position.logFile = "mysql-bin." + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
                position.logPosition = 4
            }
        case .oracle:
            // Several changes can share an SCN; they are then ordered by rs_id and ssn.
            if rng.chance(0.6) {
                position.scn += Int64(1 + rng.below(3))
                position.ssn = 0
                let block = rng.below(0xFFFF)
                position.rsID = " 0x\(hex(rng.below(0xFFFFFF), width: 6)).\(hex(block, width: 8)).\(hex(rng.below(0xFFFF), width: 4)) "
            } else {
                position.ssn += 1
            }
        case .postgresql:
            // Cross the 32-bit boundary of the low half now and then: "9/FFFFFFF0" < "A/10".
            position.lsn += UInt64(40 + rng.below(400_000))
            position.transactionID += Int64(rng.below(2))
        case .sqlserver:
            position.lsn += UInt64(1 + rng.below(64))
            position.transactionID += Int64(rng.below(2))
        }
    }

    private func hex(_ value: Int, width: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }

    /// Performs one CDC operation on table `t`; returns the number of events emitted.
    private mutating func cdcOperation(_ t: Int) -> Int {
        let roll = rng.below(100)
        if roll < 25 || liveKeys[t].isEmpty {
            let key = nextKey(t)
            insert(t, key: key)
            return 1
        }
        if roll < 80 {
            // Hot keys: almost a third of the updates go to five keys.
            let index = rng.chance(0.3) ? rng.below(min(5, liveKeys[t].count)) : rng.below(liveKeys[t].count)
            update(t, key: liveKeys[t][index])
            return 1
        }
        if roll < 90 {
            delete(t, at: rng.below(liveKeys[t].count), changeType: "DELETE")
            return 1
        }
        if roll < 95, !deletedKeys[t].isEmpty {
            let key = deletedKeys[t].swapRemove(at: rng.below(deletedKeys[t].count))
            insert(t, key: key)
            return 1
        }
        // Primary-key change: UPDATE-DELETE of the old key, UPDATE-INSERT of the new one, same position.
        let index = rng.below(liveKeys[t].count)
        let oldKey = liveKeys[t][index]
        var row = rows[t][oldKey]!
        delete(t, at: index, changeType: "UPDATE-DELETE")
        let newKey = nextKey(t)
        for (slot, column) in keyIndices(t).enumerated() { row[column] = newKey[slot] }
        rows[t][newKey] = row
        liveKeys[t].append(newKey)
        emitCDC(t, changeType: "UPDATE-INSERT", isDeleted: false, payload: row, samePosition: true)
        return 2
    }

    private mutating func insert(_ t: Int, key: [Datum]) {
        let row = newRow(t, key: key)
        rows[t][key] = row
        liveKeys[t].append(key)
        emitCDC(t, changeType: "INSERT", isDeleted: false, payload: row)
    }

    private mutating func update(_ t: Int, key: [Datum]) {
        var row = rows[t][key]!
        let keyColumns = Set(keyIndices(t))
        let columns = columns(t, version: schemaVersions[t])
        for _ in 0..<(1 + rng.below(3)) {
            let column = rng.below(columns.count)
            guard !keyColumns.contains(column) else { continue }
            row[column] = value(columns[column], key: key)
        }
        rows[t][key] = row
        emitCDC(t, changeType: flavor == .mysql ? "UPDATE-INSERT" : "UPDATE", isDeleted: false, payload: row)
    }

    private mutating func delete(_ t: Int, at index: Int, changeType: String) {
        let key = liveKeys[t].swapRemove(at: index)
        let row = rows[t].removeValue(forKey: key)!
        deletedKeys[t].append(key)
        // Oracle marks UPDATE-DELETE with is_deleted=false (seen in real files); MySQL with true.
        let isDeleted = changeType == "DELETE" || flavor == .mysql
        emitCDC(t, changeType: changeType, isDeleted: isDeleted, payload: row)
    }

    private mutating func emitBackfill(_ t: Int, row: [Datum]) {
        let lag = Int64(200 + rng.below(2000))
        var backfillPosition = SourcePosition()
        backfillPosition.scn = position.scn
        events.append(SimulatedEvent(
            table: t, uuid: nextUUID(), sourceTimestampMillis: truncate(clockMillis), readTimestampMillis: clockMillis + lag,
            isBackfill: true, changeType: "INSERT", isDeleted: false, position: backfillPosition,
            schemaVersion: schemaVersions[t], payload: row))
    }

    private mutating func emitCDC(_ t: Int, changeType: String, isDeleted: Bool, payload: [Datum], samePosition: Bool = false) {
        if !samePosition { advancePosition() }
        // Most events arrive within seconds; a few are minutes late (they land in later folders).
        let lag = rng.chance(0.03) ? Int64(60_000 + rng.below(600_000)) : Int64(300 + rng.below(20_000))
        events.append(SimulatedEvent(
            table: t, uuid: nextUUID(), sourceTimestampMillis: truncate(clockMillis), readTimestampMillis: clockMillis + lag,
            isBackfill: false, changeType: changeType, isDeleted: isDeleted, position: position,
            schemaVersion: schemaVersions[t], payload: payload))
    }

    private func truncate(_ millis: Int64) -> Int64 {
        let resolution = flavor.timestampResolutionMillis
        return millis - ((millis % resolution) + resolution) % resolution
    }

    private mutating func nextUUID() -> String {
        uuidCounter += 1
        let random = rng.next()
        return "\(uuidPrefix.padded(8))-\(hex(Int(random & 0xFFFF), width: 4))-4\(hex(Int((random >> 16) & 0xFFF), width: 3))-8\(hex(Int((random >> 28) & 0xFFF), width: 3))-\(hex(Int(uuidCounter), width: 12))"
    }

    // MARK: Values

    private mutating func nextKey(_ t: Int) -> [Datum] {
        keyCounters[t] += 1
        let counter = keyCounters[t]
        if templates[t].primaryKey.count == 2 {
            return [.integer(Int64(counter / 8 + 1)), .integer(Int64(counter % 8 + 1))]
        }
        return [.integer(Int64(counter))]
    }

    private mutating func newRow(_ t: Int, key: [Datum]) -> [Datum] {
        let columns = columns(t, version: schemaVersions[t])
        var row = columns.map { value($0, key: key) }
        for (slot, column) in keyIndices(t).enumerated() { row[column] = key[slot] }
        return row
    }

    private mutating func value(_ column: SimulatedColumn, key: [Datum]) -> Datum {
        if column.nullable && rng.chance(0.12) { return .null }
        switch column.values {
        case .sequence: return key.first ?? .null
        case .foreignKey(let range): return .integer(Int64(1 + rng.below(range)))
        case .smallInt(let range): return .integer(Int64(rng.below(range)))
        case .words(let prefix):
            let decorations = ["", " é", " 日本", " 🚀", "\tx"]
            return .string("\(prefix)-\(rng.below(1_000_000))" + decorations[rng.below(10) < 8 ? 0 : 1 + rng.below(4)])
        case .email: return .string("user\(rng.below(10_000_000))@example.com")
        case .choice(let options): return .string(options[rng.below(options.count)])
        case .decimal(let precision, _):
            let limit = power(10, min(precision, 18))
            let magnitude = Int128(rng.next() % UInt64(limit > Int128(UInt64.max) ? UInt64.max : UInt64(limit)))
            return .decimal(rng.chance(0.1) ? -magnitude : magnitude)
        case .unsigned64:
            let value = rng.chance(0.2) ? UInt64.max - UInt64(rng.below(1000)) : rng.next() >> UInt64(rng.below(60))
            if case .number = column.encoding { return .string(String(value)) }
            return .decimal(Int128(value))
        case .flag:
            let bit = rng.chance(0.7)
            if case .boolean = column.encoding { return .boolean(bit) }
            return .integer(bit ? 1 : 0)
        case .dateDays:
            let days = Int64(-7300 + rng.below(21_900))
            if case .timestampMicros = column.encoding { return .timestamp(days * 86_400_000_000) }
            return .date(Int32(days))
        case .timestamp:
            return .timestamp(1_420_070_400_000_000 + Int64(rng.next() % 300_000_000_000_000))
        case .blob:
            let bytes = (0..<rng.below(33)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            if case .bytes = column.encoding { return .binary(bytes) }
            return .string(bytes.map { hex(Int($0), width: 2) }.joined())
        case .real: return .float64(Double(Int64(rng.next() % 2_000_000_000) - 1_000_000_000) / 1024)
        case .float32: return .float32(Float(rng.below(100_000)) / 100)
        }
    }
}

private extension Array {
    /// Removes the element at `index` in O(1) by moving the last element into its place.
    mutating func swapRemove(at index: Int) -> Element {
        swapAt(index, count - 1)
        return removeLast()
    }
}

private extension String {
    func padded(_ width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}

private func power(_ base: Int128, _ exponent: Int) -> Int128 {
    var result: Int128 = 1
    for _ in 0..<exponent { result *= base }
    return result
}
