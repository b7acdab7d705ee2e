import Columnar

/// Groups simulated events into files laid out as Datastream lays out a bucket:
/// `<object>/yyyy/MM/dd/HH/mm/<schema_key>_<read_method>_<n>_<n>_<n>.<ext>`.
struct FilePlanner {
    struct PlannedFile {
        let table: Int
        let schemaVersion: Int
        let isBackfill: Bool
        let folderMillis: Int64
        let name: String
        var events: [SimulatedEvent]
    }

    let flavor: SourceFlavor
    let eventsPerFile: Int
    let duplicateFraction: Double
    let lateFileFraction: Double

    /// Adds duplicates, orders by read time, rotates files, and misplaces a few files into older folders.
    func plan(_ simulator: ChangeSimulator, seed: UInt64) -> [PlannedFile] {
        var rng = SeededGenerator(seed: seed &+ 99)
        var events = simulator.events
        // At-least-once delivery: some events are delivered again, minutes later.
        let originals = events.count
        for index in 0..<originals where rng.chance(duplicateFraction) {
            var copy = events[index]
            copy.readTimestampMillis += Int64(60_000 + rng.below(240_000))
            events.append(copy)
        }
        events.sort { ($0.readTimestampMillis, $0.table) < ($1.readTimestampMillis, $1.table) }

        struct StreamKey: Hashable { let table: Int; let version: Int; let backfill: Bool }
        var open: [StreamKey: PlannedFile] = [:]
        var fileCounters: [StreamKey: Int] = [:]
        var files: [PlannedFile] = []
        func close(_ key: StreamKey) {
            if let file = open.removeValue(forKey: key) { files.append(file) }
        }
        for event in events {
            let key = StreamKey(table: event.table, version: event.schemaVersion, backfill: event.isBackfill)
            if let file = open[key], file.events.count >= eventsPerFile || event.readTimestampMillis - file.events[0].readTimestampMillis >= 60_000 {
                close(key)
            }
            if open[key] == nil {
                let counter = fileCounters[key, default: 0]
                fileCounters[key] = counter + 1
                let readMethod = event.isBackfill ? flavor.backfillReadMethod : flavor.cdcReadMethod
                let schemaKey = Self.schemaKey(table: simulator.templates[event.table], version: event.schemaVersion, flavor: flavor)
                let name = "\(schemaKey)_\(readMethod)_\(1_000_000_000 + event.table * 7919)_\(counter)_0"
                open[key] = PlannedFile(table: event.table, schemaVersion: event.schemaVersion, isBackfill: event.isBackfill,
                                        folderMillis: event.readTimestampMillis, name: name, events: [])
            }
            open[key]!.events.append(event)
        }
        for key in Array(open.keys) { close(key) }
        // Late files: written into a minute folder up to ten minutes older than their contents.
        for index in files.indices where rng.chance(lateFileFraction) {
            files[index] = PlannedFile(table: files[index].table, schemaVersion: files[index].schemaVersion, isBackfill: files[index].isBackfill,
                                       folderMillis: files[index].folderMillis - Int64(60_000 * (1 + rng.below(10))),
                                       name: files[index].name, events: files[index].events)
        }
        return files
    }

    /// A stable 40-hex-digit schema key per table schema, like Datastream's.
    static func schemaKey(table: TableTemplate, version: Int, flavor: SourceFlavor) -> String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in "\(flavor.rawValue)/\(table.schema).\(table.table)/v\(version)".utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3
        }
        var rng = SeededGenerator(seed: hash)
        var text = ""
        while text.count < 40 {
            let part = String(rng.next(), radix: 16)
            text += String(repeating: "0", count: 16 - part.count) + part
        }
        return String(text.prefix(40))
    }

    /// `yyyy/MM/dd/HH/mm` of a time in milliseconds (UTC).
    static func folder(_ millis: Int64) -> String {
        let stamp = CivilTime.formatTimestamp(micros: millis * 1000, utc: false)
        // 2024-06-01T00:03:00.000000
        let chars = Array(stamp)
        let date = String(chars[0..<10]).replacing("-", with: "/")
        return date + "/" + String(chars[11..<13]) + "/" + String(chars[14..<16])
    }
}
