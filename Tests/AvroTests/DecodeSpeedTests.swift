import Avro
import Columnar
import Foundation
import Testing
import TestSupport

/// A rough decode-speed probe, off by default (set AVRO_DECODE_SPEED=1). Prints records/s for a
/// Datastream sample replicated many times, next to fastavro's speed on the same file.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["AVRO_DECODE_SPEED"] != nil && Samples.available))
struct DecodeSpeedTests {
    @Test func replicatedSampleDecodeSpeed() throws {
        let sample = try readAll(try Samples.bytes("mysql-backfill-AllDatatypeColumns.avro"))
        var reader = try AvroContainerReader(bytes: try Samples.bytes("mysql-backfill-AllDatatypeColumns.avro"))
        _ = try reader.nextBatch()
        var writer = try AvroContainerWriter(schema: reader.writerSchema, codec: .null)
        let copies = 50_000
        for _ in 0..<copies { try writer.write(sample) }
        let bytes = try writer.finish()
        let records = copies * sample.rowCount
        let clock = ContinuousClock()
        var decoded = 0
        let elapsed = try clock.measure {
            var reader = try AvroContainerReader(bytes: bytes, fileName: "bench.avro")
            while let batch = try reader.nextBatch(maxRows: 65_536) { decoded += batch.rowCount }
        }
        #expect(decoded == records)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print("Avro decode: \(records) records, \(bytes.count) bytes in \(seconds) s = \(Int(Double(records) / seconds)) records/s")
        if PythonTools.available {
            try withTemporaryDirectory { directory in
                let url = directory.appendingPathComponent("bench.avro")
                try Data(bytes).write(to: url)
                let result = try PythonTools.run("avro_speed.py", [url.path])
                print("fastavro: \(result.output)")
            }
        }
    }
}
