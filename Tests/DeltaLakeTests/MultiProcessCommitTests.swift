import Columnar
@testable import DeltaLake
import Foundation
import ObjectStore
import Testing
import TestSupport

/// Several OS processes (the `delta-commit-probe` executable) committing to one local table at once.
@Suite struct MultiProcessCommitTests {
    /// `.build/debug/delta-commit-probe`, else the probe next to this test bundle (other scratch paths).
    static var probe: String? {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let candidates = [
            root.appendingPathComponent(".build/debug/delta-commit-probe").path,
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("delta-commit-probe").path,
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    @Test(.enabled(if: probe != nil, "build delta-commit-probe first (swift build --product delta-commit-probe)"))
    func threeProcessesAppendAtOnce() async throws {
        try await withTemporaryDirectory { directory in
            let store = try LocalFileSystemStore(root: directory.path)
            let schema = Schema([Field("id", .int64, isNullable: false), Field("name", .string), Field("amount", .float64)])
            let table = try await DeltaTable.create(store: store, root: "", schema: schema)
            let perProcess = 15
            var processes: [(Process, Pipe)] = []
            for index in 0..<3 {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: Self.probe ?? "")
                process.arguments = ["append", directory.path, String(index * 1000), String(perProcess)]
                let out = Pipe()
                process.standardOutput = out
                process.standardError = out
                processes.append((process, out))
            }
            for (process, _) in processes { try process.run() }
            var retried = 0
            for (process, out) in processes {
                let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                process.waitUntilExit()
                #expect(process.terminationStatus == 0, "probe failed: \(text)")
                if let data = text.data(using: .utf8), let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                   let attempts = object["attempts"] as? Int { retried += attempts - perProcess }
            }
            // Versions are contiguous: 0 (create) … 45, each a commit file.
            let snapshot = try await table.snapshot()
            #expect(snapshot.version == Int64(3 * perProcess))
            for version in 0...snapshot.version {
                #expect(FileManager.default.fileExists(atPath: directory.path + "/_delta_log/" + DeltaLogLayout.padded(version, width: 20) + ".json"))
            }
            // Every row exactly once.
            let ids = try await table.readBatches(snapshot).flatMap { batch in (0..<batch.rowCount).map { batch.columns[0].datum(at: $0) } }
            let expected = (0..<3).flatMap { p in (0..<perProcess).map { Datum.integer(Int64(p * 1000 + $0)) } }
            #expect(ids.count == expected.count)
            #expect(Set(ids.map { "\($0)" }) == Set(expected.map { "\($0)" }))
            // With 3 writers racing, some commits must have lost a race and been retried.
            #expect(retried > 0, "no commit was retried: the processes did not overlap")
            if PythonTools.available {
                let oracle = try OracleRead(tableDirectory: directory.path)
                #expect(oracle.version == 3 * perProcess && oracle.rows.count == 3 * perProcess)
            }
        }
    }

    /// Two processes delete different rows of the same single data file at once: both rewrite
    /// that file, so either one loses with a commit conflict (and its row stays) or they were
    /// serialized (both rows gone); never a lost delete or a resurrected row.
    @Test(.enabled(if: probe != nil, "build delta-commit-probe first (swift build --product delta-commit-probe)"))
    func conflictingRewritesNeverLoseADelete() async throws {
        for round in 0..<3 {
            try await withTemporaryDirectory { directory in
                let store = try LocalFileSystemStore(root: directory.path)
                let schema = Schema([Field("id", .int64, isNullable: false), Field("name", .string), Field("amount", .float64)])
                let table = try await DeltaTable.create(store: store, root: "", schema: schema)
                try await table.append([try RecordBatch(schema: schema, rows: (0..<20).map { [.integer($0), .string("n\($0)"), .float64(Double($0))] })])
                var processes: [(Int64, Process, Pipe)] = []
                for id: Int64 in [3, 11] {
                    let process = Process()
                    process.executableURL = URL(fileURLWithPath: Self.probe ?? "")
                    process.arguments = ["delete-id", directory.path, String(id)]
                    let out = Pipe()
                    process.standardOutput = out
                    process.standardError = out
                    processes.append((id, process, out))
                }
                for (_, process, _) in processes { try process.run() }
                var deleted: Set<Int64> = []
                for (id, process, out) in processes {
                    let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                    process.waitUntilExit()
                    #expect([0, 3].contains(process.terminationStatus), "round \(round): \(text)")
                    if process.terminationStatus == 0 { deleted.insert(id) } else { #expect(text.contains("conflict")) }
                }
                #expect(!deleted.isEmpty)
                let snapshot = try await table.snapshot()
                #expect(snapshot.version == Int64(1 + deleted.count))
                let ids = Set(try await table.readBatches(snapshot).flatMap { batch in
                    (0..<batch.rowCount).compactMap { row -> Int64? in if case .integer(let v) = batch.columns[0].datum(at: row) { return v }; return nil }
                })
                #expect(ids == Set(0..<20).subtracting(deleted))
                if PythonTools.available, round == 0 {
                    let oracle = try OracleRead(tableDirectory: directory.path)
                    #expect(oracle.rows.count == 20 - deleted.count)
                }
            }
        }
    }
}
