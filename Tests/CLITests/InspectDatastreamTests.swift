import Foundation
import Testing
import TestSupport

@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: CLI.binary.path) && Samples.available, "needs the built binary and ../shared/datastream-samples"))
struct InspectDatastreamTests {
    @Test func avroEventsAsJSONLines() throws {
        let result = try CLI.run(["inspect", Samples.directory.appendingPathComponent("my_table-simpleTest-pk-update.avro").path, "--format", "jsonl"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 2)
        // Written by hand from VERIFY.txt: the PK change's two halves.
        #expect(lines[0].contains(#""sort_keys":[1737457695000,"mysql-bin.000131",2550]"#))
        #expect(lines[0].contains(#""change_type":"UPDATE-DELETE","is_deleted":true"#))
        #expect(lines[0].hasSuffix(#""payload":{"id":1,"val":10}}"#))
        #expect(lines[1].contains(#""source_timestamp":"2025-01-21T11:08:16.000000Z""#))
        #expect(lines[1].hasSuffix(#""payload":{"id":10,"val":10}}"#))
    }

    @Test func jsonLinesKeepExactDecimals() throws {
        let result = try CLI.run(["inspect", Samples.directory.appendingPathComponent("mysql-backfill-AllDatatypeColumns.jsonl").path, "--format", "jsonl", "--limit", "1"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains(#""decimal_column":"456.12""#))
        #expect(result.stdout.contains(#""time_column":29730000000"#))
        #expect(result.stdout.split(separator: "\n").count == 1)
    }

    @Test func schemaShowsWriterAndDeltaTypes() throws {
        let result = try CLI.run(["inspect", Samples.directory.appendingPathComponent("mysql_numbers_test.avro").path, "--schema"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("writer schema (Avro):"))
        #expect(result.stdout.contains("bigu: decimal(20,0)"))
    }

    @Test func corruptDatastreamFileNamesTheFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dsd-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let bad = dir.appendingPathComponent("broken.jsonl")
        try Data("{\"uuid\":\"a\"\n{not json\n".utf8).write(to: bad)
        let result = try CLI.run(["inspect", bad.path, "--format", "jsonl"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("broken.jsonl"))
    }
}
