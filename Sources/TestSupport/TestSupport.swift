import Columnar
import Foundation

// Helpers shared by the test targets (a regular target, not a product).

/// The Python test tools (pyarrow, deltalake, fastavro) that scripts/test.sh installs into .venv.
/// They are independent oracles for interop tests, never runtime dependencies.
public enum PythonTools {
    /// The interpreter, from DATASTREAM_DELTA_PYTHON (set by scripts/test.sh).
    public static var python: String? {
        ProcessInfo.processInfo.environment["DATASTREAM_DELTA_PYTHON"].flatMap { FileManager.default.isExecutableFile(atPath: $0) ? $0 : nil }
    }

    public static var available: Bool { python != nil }

    /// The repository root (this file is Sources/TestSupport/TestSupport.swift).
    public static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// The pyarrow-written Parquet fixtures (DATASTREAM_DELTA_FIXTURES, made by scripts/test.sh).
    public static var fixturesDirectory: URL? {
        ProcessInfo.processInfo.environment["DATASTREAM_DELTA_FIXTURES"].map { URL(fileURLWithPath: $0) }
    }

    /// Runs a script under scripts/interop; returns its exit status and stdout+stderr.
    public static func run(_ script: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
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

    /// Runs a script that must succeed; returns its output.
    public static func check(_ script: String, _ arguments: [String]) throws -> String {
        let (status, output) = try run(script, arguments)
        guard status == 0 else { throw TestFailure("\(script) \(arguments) failed (\(status)):\n\(output)") }
        return output
    }
}

/// The real Datastream sample files: DATASTREAM_SAMPLES, else ../shared/datastream-samples
/// beside the repository (where CI and scripts/test.sh find them).
public enum Samples {
    public static var directory: URL {
        if let path = ProcessInfo.processInfo.environment["DATASTREAM_SAMPLES"] { return URL(fileURLWithPath: path) }
        return PythonTools.repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/datastream-samples")
    }

    public static var available: Bool { FileManager.default.fileExists(atPath: directory.path) }

    public static func url(_ name: String) -> URL { directory.appendingPathComponent(name) }

    /// The bytes of sample `name`.
    public static func bytes(_ name: String) throws -> [UInt8] {
        let url = url(name)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw TestFailure("sample \(url.path) not found (set DATASTREAM_SAMPLES)")
        }
        return Array(try Data(contentsOf: url))
    }

    public static var avroFiles: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).filter { $0.hasSuffix(".avro") }.sorted()
    }
}

/// A test's own failure with a message.
public struct TestFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// A scratch directory removed at the end of the scope.
public func withTemporaryDirectory<T>(_ body: (URL) throws -> T) throws -> T {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("dsd-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: url) }
    return try body(url)
}

/// A scratch directory removed at the end of the scope (async body).
public func withTemporaryDirectory<T>(_ body: (URL) async throws -> T) async throws -> T {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("dsd-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: url) }
    return try await body(url)
}

/// A deterministic pseudo-random generator (SplitMix64) for reproducible test data.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    public var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// `count` random bytes.
    public mutating func bytes(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8(truncatingIfNeeded: next()) }
    }
}

extension RecordBatch {
    /// All rows as JSON lines in the project's conventions.
    public func jsonLines() -> [String] {
        let renderer = JSONRowRenderer()
        return (0..<rowCount).map { renderer.render(self, row: $0) }
    }
}
