import Foundation
import Testing
import TestSupport

/// `inspect TABLE_DIR` on tables written by the Python `deltalake` package, checked against
/// what `deltalake` itself reads (scripts/interop/delta_read.py).
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: CLI.binary.path) && PythonTools.available,
                "needs the datastream-delta product and DATASTREAM_DELTA_PYTHON (scripts/test.sh)"))
struct InspectTableTests {
    /// A JSON line re-serialised with sorted keys (numbers through JSONSerialization).
    static func normalized(_ line: Substring) -> String {
        guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)),
              let again = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return String(line) }
        return String(decoding: again, as: UTF8.self)
    }

    static func lines(_ text: String) -> [String] {
        text.split(separator: "\n").map(normalized).sorted()
    }

    /// delta_read.py's header and rows.
    static func oracle(_ table: String, version: Int? = nil) throws -> (header: [String: Any], rows: [String]) {
        let output = try PythonTools.check("delta_read.py", [table] + (version.map { ["--version", String($0)] } ?? []))
        let all = output.split(separator: "\n")
        let header = try JSONSerialization.jsonObject(with: Data(all[0].utf8)) as? [String: Any] ?? [:]
        return (header, all.dropFirst().map(normalized).sorted())
    }

    func withTable(_ body: (String) throws -> Void) throws {
        try withTemporaryDirectory { directory in
            let table = directory.appendingPathComponent("table").path
            _ = try PythonTools.check("delta_write.py", [table, "history"])
            try body(table)
        }
    }

    @Test func rowsAtEachVersionMatchDeltalake() throws {
        try withTable { table in
            for version in [0, 1, 2, 4] {
                let result = try CLI.run(["inspect", table, "--version", String(version), "--format", "jsonl"])
                #expect(result.status == 0, "\(result.stderr)")
                let expected = try Self.oracle(table, version: version).rows
                #expect(!expected.isEmpty)
                #expect(Self.lines(result.stdout) == expected, "version \(version)")
            }
            let latestRows = try Self.oracle(table).rows
            let latest = try CLI.run(["inspect", table, "--format", "jsonl"])
            #expect(Self.lines(latest.stdout) == latestRows)
            let future = try CLI.run(["inspect", table, "--timestamp", "2999-01-01T00:00:00Z", "--format", "jsonl"])
            #expect(future.status == 0)
            #expect(Self.lines(future.stdout) == latestRows)
            let text = try CLI.run(["inspect", table, "--version", "2"])
            #expect(text.status == 0 && text.stdout.hasPrefix("version 2, ") && text.stdout.contains("(5 of 5 rows)"))
        }
    }

    @Test func historyMatchesDeltalake() throws {
        try withTable { table in
            let result = try CLI.run(["inspect", table, "--history", "--format", "jsonl"])
            #expect(result.status == 0, "\(result.stderr)")
            let entries = try result.stdout.split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] ?? [:] }
            let history = try Self.oracle(table).header["history"] as? [[String: Any]] ?? []
            #expect(entries.count == 5 && history.count == 5)
            #expect(entries.map { $0["version"] as? Int } == history.map { $0["version"] as? Int })
            #expect(entries.map { $0["operation"] as? String } == history.map { $0["operation"] as? String })
            #expect(entries.allSatisfy { ($0["timestamp"] as? Int ?? 0) > 1_600_000_000_000 && $0["operationParameters"] is [String: Any] })
            #expect(entries.first?["version"] as? Int == 4)
            let text = try CLI.run(["inspect", table, "--history"])
            #expect(text.status == 0 && text.stdout.hasPrefix("version") && text.stdout.contains("WRITE"))
        }
    }

    @Test func badArgumentsAreClearErrors() throws {
        try withTable { table in
            let early = try CLI.run(["inspect", table, "--timestamp", "0"])
            #expect(early.status != 0 && early.stderr.contains("no commit at or before"))
            let missing = try CLI.run(["inspect", table, "--version", "99"])
            #expect(missing.status != 0 && !missing.stderr.isEmpty)
            let both = try CLI.run(["inspect", table, "--version", "1", "--timestamp", "0"])
            #expect(both.status != 0)
            let notTable = try CLI.run(["inspect", "/nonexistent/file.parquet", "--history"])
            #expect(notTable.status != 0 && notTable.stderr.contains("Delta table"))
        }
    }
}
