import Datastream
import Foundation
import Testing
import TestSupport

/// Random events per source, ranked by ``EventOrderKey`` and independently by Python
/// (scripts/interop/datastream_order_check.py); the ranks must agree.
@Suite(.enabled(if: PythonTools.available, "needs the Python test tools: run scripts/test.sh"))
struct OrderOracleTests {
    @Test(arguments: [DatastreamSource.mysql, .oracle, .postgresql, .sqlServer])
    func ranksAgreeWithPython(source: DatastreamSource) throws {
        var random = SplitMix64(seed: UInt64(source.rawValue.utf8.count) &* 7919)
        let lines = (0..<400).map { _ in Self.randomEvent(source, &random) }
        let events = try EventLines.events(lines)
        let keys = try (0..<events.count).map { try events.orderKey(at: $0) }
        var distinct: [EventOrderKey] = []
        for key in keys.sorted() where distinct.last.map({ $0 < key }) ?? true { distinct.append(key) }
        let ranks = keys.map { key in distinct.firstIndex { !($0 < key) }! }
        try withTemporaryDirectory { directory in
            let file = directory.appendingPathComponent("events.jsonl")
            try Data(lines.joined(separator: "\n").utf8).write(to: file)
            let (status, output) = try PythonTools.run("datastream_order_check.py", [file.path])
            #expect(status == 0, "\(output)")
            let expected = output.split(separator: "\n").compactMap { Int($0) }
            #expect(expected.count == ranks.count)
            #expect(expected == ranks)
        }
    }

    static func randomEvent(_ source: DatastreamSource, _ random: inout SplitMix64) -> String {
        func pick<T>(_ values: [T]) -> T { values[Int.random(in: 0..<values.count, using: &random)] }
        let ts = pick(["2024-02-07T08:10:15Z", "2024-02-07T08:10:15.000Z", "2024-02-07T08:10:16Z", "2024-02-07T08:10:14.999Z"])
        switch source {
        case .mysql:
            let file = pick(["", "mysql-bin.000009", "mysql-bin.000010", "mysql-bin.000100", "mysql-bin.999999", "mysql-bin.1000000"])
            return EventLines.mysql(ts: ts, file: file, position: file.isEmpty ? 0 : pick([4, 120, 9_999_999]))
        case .oracle:
            let rsID = pick(["", " 0x000004.00000705.0010 ", "0x000004.00000705.0010", " 0x000004.00000706.0000", "0x00000a.00000001.0010  "])
            return EventLines.oracle(ts: ts, scn: pick([99, 100, 7_044_930]), rsID: rsID, ssn: rsID.isEmpty ? 0 : pick([0, 2, 5]))
        case .postgresql:
            let hi = String(UInt32.random(in: 0...0x20, using: &random), radix: 16, uppercase: Bool.random(using: &random))
            let lo = String(pick([0, 1, 0xFFFF_FFFF, UInt32.random(in: 0...UInt32.max, using: &random)]), radix: 16, uppercase: true)
            return EventLines.postgres(ts: ts, lsn: pick([nil, hi + "/" + lo, hi + "/" + lo]))
        default:
            let lsn = String(format: "%08X:%08X:%04X", pick([0x27, 0x28]), pick([0x130, 0x1FF, 0x200]), pick([0, 1, 0xFFFF]))
            return EventLines.sqlServer(ts: ts, lsn: pick([nil, lsn, lsn]))
        }
    }
}
