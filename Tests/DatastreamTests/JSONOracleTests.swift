import Columnar
import Datastream
import Foundation
import Testing
import TestSupport

/// Decoded JSON files rendered with the project's JSON conventions and compared, value by value,
/// with Python's own parse of the original file (scripts/interop/datastream_jsonl_check.py).
@Suite(.enabled(if: PythonTools.available, "needs the Python test tools: run scripts/test.sh"))
struct JSONOracleTests {
    func check(original: URL, bytes: [UInt8]) throws {
        let batch = try JSONLinesDecoder().decode(bytes, fileName: original.lastPathComponent)
        let renderer = JSONRowRenderer()
        let rendered = (0..<batch.rowCount).map { renderer.render(batch, row: $0) }.joined(separator: "\n")
        try withTemporaryDirectory { directory in
            let output = directory.appendingPathComponent("rendered.jsonl")
            try Data(rendered.utf8).write(to: output)
            let (status, text) = try PythonTools.run("datastream_jsonl_check.py", [original.path, output.path])
            #expect(status == 0, "\(text)")
        }
    }

    @Test(arguments: ["mysql-backfill-AllDatatypeColumns.jsonl", "mysql-backfill-Category.jsonl", "mysql-cdc-Category.jsonl", "records1.json"])
    func samples(name: String) throws {
        try check(original: Samples.directory.appendingPathComponent(name), bytes: try Samples.bytes(name))
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func randomEvents(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        var lines: [String] = []
        for index in 0..<300 {
            lines.append(Self.randomEvent(index, &random))
        }
        let text = lines.joined(separator: "\n") + "\n"
        try withTemporaryDirectory { directory in
            let original = directory.appendingPathComponent("random-\(seed).jsonl")
            try Data(text.utf8).write(to: original)
            try check(original: original, bytes: Array(text.utf8))
        }
    }

    static func randomEvent(_ index: Int, _ random: inout SplitMix64) -> String {
        func digits(_ count: Int) -> String {
            var text = String(Int.random(in: 1...9, using: &random))
            for _ in 1..<max(count, 1) { text += String(Int.random(in: 0...9, using: &random)) }
            return text
        }
        func maybeNull(_ value: String) -> String { Int.random(in: 0..<8, using: &random) == 0 ? "null" : value }
        let sign = Bool.random(using: &random) ? "-" : ""
        let scale = Int.random(in: 0...6, using: &random)
        let decimal = sign + digits(Int.random(in: 1...12, using: &random)) + (scale > 0 ? "." + String(digits(scale + 1).suffix(scale)) : "")
        let float = digits(Int.random(in: 1...5, using: &random)) + "." + digits(3) + "e" + String(Int.random(in: -20...20, using: &random))
        let integer = String(Int64.random(in: Int64.min...Int64.max, using: &random))
        let unsigned = String(UInt64.random(in: 0...UInt64.max, using: &random))
        let micros = Int64.random(in: 0...4_102_444_800_000_000, using: &random)
        let stamp = CivilTime.formatTimestamp(micros: micros, utc: false)
        let spellings = [stamp + "Z", stamp, stamp.replacingOccurrences(of: "T", with: " "), String(stamp.dropLast(3)) + "Z",
                         stamp + "123", stamp + "+05:30", String(stamp.prefix(19))]
        let timestamp = "\"" + spellings[Int.random(in: 0..<spellings.count, using: &random)] + "\""
        let pieces = ["a", "é", "😀", "\\\"", "\\\\", "\\n", "\\u00e9", "\\ud83d\\ude00", " ", "x/y", "\\/", "\\t", "中"]
        var string = "\""
        for _ in 0..<Int.random(in: 0...8, using: &random) { string += pieces[Int.random(in: 0..<pieces.count, using: &random)] }
        string += "\""
        let nested = #"{"k":[1,2.50,"v",null,{"z":true}],"e":{}}"#
        let mixes = ["true", "12", "1.5", "\"text\"", "null"]
        let mix = mixes[Int.random(in: 0..<mixes.count, using: &random)]
        let ts = Bool.random(using: &random) ? String(micros / 1000) : "\"" + CivilTime.formatTimestamp(micros: micros / 1000 * 1000, utc: true) + "\""
        let position = Int.random(in: 0...1_000_000, using: &random)
        return #"{"uuid":"u-\#(index)","read_timestamp":\#(ts),"source_timestamp":\#(ts),"object":"o","read_method":"mysql-cdc-binlog","#
            + #""sort_keys":[\#(micros / 1000),"mysql-bin.\#(String(format: "%06d", index))",\#(position)],"#
            + #""source_metadata":{"table":"t","primary_keys":["d","i"],"log_file":"mysql-bin.1","log_position":\#(position),"change_type":"INSERT","is_deleted":false},"#
            + #""payload":{"d":\#(maybeNull(decimal)),"f":\#(maybeNull(float)),"i":\#(maybeNull(integer)),"u":\#(maybeNull(unsigned)),"#
            + #""t":\#(maybeNull(timestamp)),"s":\#(maybeNull(string)),"n":\#(maybeNull(nested)),"b":\#(maybeNull(Bool.random(using: &random) ? "true" : "false")),"#
            + #""m":\#(mix)}}"#
    }
}
