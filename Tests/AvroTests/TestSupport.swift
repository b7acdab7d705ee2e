import Avro
import Columnar
import Foundation
import Testing

/// The Python test tools (fastavro) installed by scripts/test.sh into .venv.
enum PythonTools {
    /// The interpreter, from DATASTREAM_DELTA_PYTHON (set by scripts/test.sh).
    static var python: String? {
        ProcessInfo.processInfo.environment["DATASTREAM_DELTA_PYTHON"].flatMap { FileManager.default.isExecutableFile(atPath: $0) ? $0 : nil }
    }

    static var available: Bool { python != nil }

    /// The repository root (two levels above this file's folder).
    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// Runs a script under scripts/interop with arguments; returns (exit status, stdout+stderr).
    static func run(_ script: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        guard let python else { throw TestFailure("DATASTREAM_DELTA_PYTHON is not set: run the tests through scripts/test.sh") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [repositoryRoot.appendingPathComponent("scripts/interop/\(script)").path] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A scratch directory removed at the end of the scope.
func withTemporaryDirectory<T>(_ body: (URL) throws -> T) throws -> T {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("dsd-avro-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: url) }
    return try body(url)
}

/// A deterministic pseudo-random generator (SplitMix64) for reproducible mutations.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The Datastream sample files (read-only reference data).
enum Samples {
    static var directory: URL {
        URL(fileURLWithPath: ProcessInfo.processInfo.environment["DATASTREAM_SAMPLES"] ?? "/work/shared/datastream-samples")
    }

    static var available: Bool { FileManager.default.fileExists(atPath: directory.path) }

    static var avroFiles: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).filter { $0.hasSuffix(".avro") }.sorted()
    }

    static func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: directory.appendingPathComponent(name)))
    }
}

extension RecordBatch {
    /// All rows as JSON lines in the project's conventions.
    func jsonLines() -> [String] {
        let renderer = JSONRowRenderer()
        return (0..<rowCount).map { renderer.render(self, row: $0) }
    }
}

/// Reads a whole container file.
func readAll(_ bytes: [UInt8], name: String = "test.avro") throws(AvroError) -> RecordBatch {
    var reader = try AvroContainerReader(bytes: bytes, fileName: name)
    return try reader.readAll()
}

/// Asserts fastavro reads `file` as exactly `lines` (our JSONRowRenderer output).
func expectFastavroAgrees(file: URL, lines: [String], in directory: URL, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let ours = directory.appendingPathComponent(file.lastPathComponent + ".ours.jsonl")
    try (lines.joined(separator: "\n") + "\n").write(to: ours, atomically: true, encoding: .utf8)
    let result = try PythonTools.run("avro_to_jsonl.py", ["compare", file.path, ours.path])
    #expect(result.status == 0, "\(file.lastPathComponent): \(result.output)", sourceLocation: sourceLocation)
}
