import Columnar
import Foundation
import Parquet
import Testing
import TestSupport

/// Runs the built `datastream-delta` binary as a user would.
enum CLI {
    static var binary: URL {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/datastream-delta")
    }

    static func run(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
    }
}

@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: CLI.binary.path), "build the datastream-delta product first"))
struct InspectCommandTests {
    static let schema = Schema([
        Field("id", .int64, isNullable: false), Field("amount", .decimal(precision: 10, scale: 2)),
        Field("name", .string), Field("at", .timestamp), Field("day", .date),
        Field("tags", .list(Field("element", .string))),
    ])
    static let rows: [[Datum]] = [
        [.integer(1), .decimal(-1050), .string("Zoë"), .timestamp(1_704_164_645_123_456), .date(19_724), .list([.string("a"), .null])],
        [.integer(2), .null, .string(""), .null, .date(-719_162), .list([])],
        [.integer(3), .decimal(99_999_999_99), .null, .timestamp(-1), .null, .null],
    ]

    func writeFile(_ dir: URL) throws -> URL {
        var writer = try ParquetFileWriter(schema: Self.schema)
        try writer.write(try RecordBatch(schema: Self.schema, rows: Self.rows))
        let url = dir.appendingPathComponent("sample.parquet")
        try Data(try writer.finish()).write(to: url)
        return url
    }

    func withDirectory(_ body: (URL) throws -> Void) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dsd-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try body(dir)
    }

    @Test func printsJSONLines() throws {
        try withDirectory { dir in
            let file = try writeFile(dir)
            let result = try CLI.run(["inspect", file.path, "--format", "jsonl"])
            #expect(result.status == 0, "\(result.stderr)")
            // Expected text written by hand from the rows above, in the documented conventions.
            #expect(result.stdout == """
                {"id":1,"amount":"-10.50","name":"Zoë","at":"2024-01-02T03:04:05.123456Z","day":"2024-01-02","tags":["a",null]}
                {"id":2,"amount":null,"name":"","at":null,"day":"0001-01-01","tags":[]}
                {"id":3,"amount":"99999999.99","name":null,"at":"1969-12-31T23:59:59.999999Z","day":null,"tags":null}

                """)
        }
    }

    @Test func limitsRowsAndPrintsTable() throws {
        try withDirectory { dir in
            let file = try writeFile(dir)
            let limited = try CLI.run(["inspect", file.path, "--format", "jsonl", "--limit", "1"])
            #expect(limited.stdout.split(separator: "\n").count == 1)
            let table = try CLI.run(["inspect", file.path])
            #expect(table.status == 0)
            #expect(table.stdout.contains("id | amount"))
            #expect(table.stdout.contains("(3 of 3 rows)"))
        }
    }

    @Test func printsSchema() throws {
        try withDirectory { dir in
            let file = try writeFile(dir)
            let result = try CLI.run(["inspect", file.path, "--schema"])
            #expect(result.status == 0)
            #expect(result.stdout.contains("amount: decimal(10,2)"))
            #expect(result.stdout.contains("tags: array<string>"))
            #expect(result.stdout.contains("rows: 3"))
        }
    }

    @Test func badFilesGiveAClearError() throws {
        try withDirectory { dir in
            let bogus = dir.appendingPathComponent("bogus.parquet")
            try Data("definitely not parquet".utf8).write(to: bogus)
            let result = try CLI.run(["inspect", bogus.path])
            #expect(result.status != 0)
            #expect(result.stderr.contains("bogus.parquet"))
            #expect(result.stderr.contains("not a Parquet file"))
            let missing = try CLI.run(["inspect", dir.appendingPathComponent("missing.parquet").path])
            #expect(missing.status != 0)
            #expect(missing.stderr.contains("missing.parquet"))
        }
    }

    @Test func helpDescribesCommands() throws {
        let result = try CLI.run(["--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("inspect"))
        let inspect = try CLI.run(["inspect", "--help"])
        #expect(inspect.stdout.contains("--format"))
    }
}
