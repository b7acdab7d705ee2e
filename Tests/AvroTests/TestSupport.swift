import Avro
import Columnar
import Foundation
import Testing
import TestSupport

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
