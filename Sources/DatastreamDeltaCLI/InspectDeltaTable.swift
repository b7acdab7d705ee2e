import Columnar
import DeltaLake
import FoundationEssentials
import JSONCoding
import ObjectStore

/// `inspect TABLE_DIR`: the rows of a local Delta table at a version, or its commit history.
struct DeltaTableInspector {
    let directory: String

    /// A directory with a `_delta_log` subdirectory is a Delta table.
    static func handles(path: String) -> Bool {
        (try? FileManager.default.contentsOfDirectory(atPath: path + "/_delta_log")) != nil
    }

    private func table() throws -> DeltaTable {
        do { return DeltaTable(store: try LocalFileSystemStore(root: directory), root: "") } catch {
            throw CLIError("\(directory): cannot open the directory (\(error))")
        }
    }

    /// Prints the rows at `version` / the latest commit at or before `timestamp` / the latest version.
    func printRows(version: Int64?, timestamp: String?, limit: Int?, tableFormat: Bool, output: inout TerminalOutput) async throws {
        let table = try table()
        let snapshot: DeltaSnapshot
        do {
            if let timestamp {
                snapshot = try await table.snapshot(atTimestamp: try Self.parseTimestamp(timestamp))
            } else {
                snapshot = try await table.snapshot(version: version)
            }
        } catch let error as DeltaError {
            throw CLIError("\(directory): \(error)")
        }
        let batches: [RecordBatch]
        do { batches = try await table.readBatches(snapshot) } catch { throw CLIError("\(directory): \(error)") }
        let renderer = JSONRowRenderer()
        var remaining = limit ?? Int.max
        var text = TextTable(schema: snapshot.schema)
        let total = batches.reduce(0) { $0 + $1.rowCount }
        for batch in batches where remaining > 0 {
            for row in 0..<min(batch.rowCount, remaining) {
                if tableFormat { text.add(batch, row: row, renderer: renderer) } else { output.writeLine(renderer.render(batch, row: row)) }
            }
            remaining -= min(batch.rowCount, remaining)
        }
        if tableFormat {
            output.writeLine("version \(snapshot.version), \(snapshot.files.count) file(s)")
            for line in text.lines() { output.writeLine(line) }
            output.writeLine("(\(text.rowCount) of \(total) rows)")
        }
    }

    /// Prints one entry per commit, newest first: version, timestamp, operation, operationParameters, engine.
    func printHistory(limit: Int?, tableFormat: Bool, output: inout TerminalOutput) async throws {
        let table = try table()
        let latest: Int64
        do { latest = try await table.snapshot().version } catch { throw CLIError("\(directory): \(error)") }
        var remaining = limit ?? Int.max
        var rows: [[String]] = []
        var version = latest
        while version >= 0, remaining > 0 {
            defer { version -= 1 }
            let actions: [DeltaAction]
            do { actions = try await table.commitActions(version: version) } catch let error where error.code == .missingCommit {
                break  // older commits were cleaned up
            } catch {
                throw CLIError("\(directory): \(error)")
            }
            let info = actions.lazy.compactMap { action -> JSONValue? in if case .commitInfo(let info) = action { return info }; return nil }.first
            let timestamp = info?["inCommitTimestamp"] ?? info?["timestamp"]
            let entry: [(String, JSONValue)] = [
                ("version", .int(version)),
                ("timestamp", timestamp ?? .null),
                ("operation", info?["operation"] ?? .null),
                ("operationParameters", info?["operationParameters"] ?? .null),
                ("engine", info?["engineInfo"] ?? .null),
            ]
            remaining -= 1
            if tableFormat {
                let millis: String = {
                    guard case .number(let n)? = timestamp, let ms = Int64(n) else { return "" }
                    return CivilTime.formatTimestamp(micros: ms * 1000, utc: true)
                }()
                rows.append([String(version), millis, info?["operation"]?.stringValue ?? "", info?["operationParameters"]?.serialized ?? "",
                             info?["engineInfo"]?.stringValue ?? ""])
            } else {
                output.writeLine(JSONValue.object(entry).serialized)
            }
        }
        if tableFormat {
            var text = TextTable(headers: ["version", "timestamp", "operation", "operationParameters", "engine"])
            for row in rows { text.add(cells: row) }
            for line in text.lines() { output.writeLine(line) }
        }
    }

    /// Milliseconds since the epoch, or `YYYY-MM-DD[THH:MM:SS[.fff]][Z]` (UTC).
    static func parseTimestamp(_ text: String) throws -> Int64 {
        if let millis = Int64(text) { return millis }
        var body = Substring(text)
        if body.hasSuffix("Z") { body = body.dropLast() }
        let parts = body.split(whereSeparator: { $0 == "T" || $0 == " " })
        let date = parts.first.map { $0.split(separator: "-", omittingEmptySubsequences: false) } ?? []
        guard parts.count <= 2, date.count == 3, let year = Int64(date[0]), let month = Int(date[1]), let day = Int(date[2]),
              (1...12).contains(month), (1...31).contains(day) else {
            throw CLIError("--timestamp '\(text)': expected milliseconds since the epoch or YYYY-MM-DD[THH:MM:SS[.fff]][Z] (UTC)")
        }
        var millis = CivilTime.days(year: year, month: month, day: day) * 86_400_000
        if parts.count == 2 {
            let clock = parts[1].split(separator: ".", maxSplits: 1)
            let hms = clock[0].split(separator: ":")
            guard hms.count == 3, let h = Int64(hms[0]), let m = Int64(hms[1]), let s = Int64(hms[2]), h < 24, m < 60, s < 61 else {
                throw CLIError("--timestamp '\(text)': bad time of day (HH:MM:SS)")
            }
            millis += ((h * 60 + m) * 60 + s) * 1000
            if clock.count == 2 {
                guard let fraction = Int64((clock[1] + "000").prefix(3)) else { throw CLIError("--timestamp '\(text)': bad fraction") }
                millis += fraction
            }
        }
        return millis
    }
}
