import Columnar
import Datastream
import Testing
import TestSupport

/// Mutated real files must decode or fail with a DatastreamError, never crash.
@Suite struct GarbageInputTests {
    @Test(arguments: ["mysql-cdc-Category.jsonl", "mysql-backfill-AllDatatypeColumns.jsonl", "records1.json"])
    func mutatedJSONNeverCrashes(name: String) throws {
        let original = try Samples.bytes(name)
        var random = SplitMix64(seed: UInt64(name.utf8.count))
        let alphabet = Array(#"{}[]",:0123456789.eE-+"\u nulltruefalse"#.utf8) + [0x00, 0xFF, 0x0A, 0x1F]
        var decoded = 0
        for _ in 0..<1500 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                let position = Int.random(in: 0..<bytes.count, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0: bytes[position] = alphabet[Int.random(in: 0..<alphabet.count, using: &random)]
                case 1: bytes.remove(at: position)
                default: bytes.insert(alphabet[Int.random(in: 0..<alphabet.count, using: &random)], at: position)
                }
            }
            do {
                let batch = try JSONLinesDecoder().decode(bytes, fileName: name)
                decoded += 1
                if let events = try? DatastreamEvents(batch: batch, fileName: name) {
                    for row in 0..<events.count {
                        _ = try? events.orderKey(at: row)
                        _ = events.operation(at: row)
                        _ = events.primaryKeyColumns(at: row)
                    }
                }
            } catch {
                #expect(error.fileName == name)
            }
        }
        #expect(decoded > 0)
    }

    @Test func hugeNumbersBecomeText() throws {
        let long = String(repeating: "7", count: 5000)
        let text = #"{"source_timestamp":0,"read_method":"cdc","payload":{"a":\#(long),"b":0.\#(long),"c":1e99999}}"#
        let batch = try JSONLinesDecoder().decode(Array(text.utf8), fileName: "h.jsonl")
        #expect(batch.payload("a")?.strings == [long])
        #expect(batch.payload("b")?.strings == ["0." + long])
        #expect(batch.payload("c")?.doubles == [.infinity])
    }

    @Test func truncatedAvroNeverCrashes() throws {
        let original = try Samples.bytes("mysql-backfill-AllDatatypeColumns.avro")
        for cut in stride(from: 0, to: original.count, by: 97) {
            #expect(throws: DatastreamError.self) { try DatastreamFileDecoder().decode(Array(original[..<cut]), fileName: "cut.avro") }
        }
    }
}
