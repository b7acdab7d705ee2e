import Foundation
import ObjectStore
import Testing

@testable import DatastreamGenerator
import TestSupport

@Suite struct GeneratorTests {
    func generate(_ options: GeneratorOptions) async throws -> (InMemoryObjectStore, GeneratorSummary) {
        let store = InMemoryObjectStore()
        let summary = try await ChangeDataGenerator.generate(options, into: store, prefix: "root")
        return (store, summary)
    }

    @Test func sameSeedSameBytes() async throws {
        var options = GeneratorOptions()
        options.format = .json
        options.events = 3_000
        options.seed = 42
        let (first, _) = try await generate(options)
        let (second, _) = try await generate(options)
        let a = try await first.listAll(prefix: "")
        let b = try await second.listAll(prefix: "")
        #expect(a.map(\.path) == b.map(\.path))
        for (x, y) in zip(a, b) {
            let bytesA = try await first.get(x.path)
            let bytesB = try await second.get(y.path)
            #expect(bytesA == bytesB, "\(x.path) differs between runs")
        }
        options.seed = 43
        let (third, _) = try await generate(options)
        let expectedOther = try await third.get(try ObjectPath("root/_expected/shop_customers.jsonl"))
        let expectedFirst = try await first.get(try ObjectPath("root/_expected/shop_customers.jsonl"))
        #expect(expectedOther != expectedFirst, "another seed gives other data")
    }

    @Test(arguments: SourceFlavor.allCases)
    func layoutAndDisorder(flavor: SourceFlavor) async throws {
        var options = GeneratorOptions()
        options.format = .json
        options.source = flavor
        options.events = 4_000
        options.eventsPerFile = 300
        options.duplicateFraction = 0.05
        let (store, summary) = try await generate(options)
        let objects = try await store.listAll(prefix: "root/")
        let dataFiles = objects.filter { !$0.path.rawValue.hasPrefix("root/_expected/") }
        #expect(dataFiles.count == summary.files)
        let layout = /^root\/[a-zA-Z]+_[a-z_]+\/\d{4}\/\d{2}\/\d{2}\/\d{2}\/\d{2}\/[0-9a-f]{40}_[a-z]+-[a-z-]+_\d+_\d+_0\.jsonl$/
        for file in dataFiles {
            #expect(file.path.rawValue.wholeMatch(of: layout) != nil, "unexpected path \(file.path)")
        }
        for table in summary.tables {
            #expect(table.writtenEvents > table.distinctEvents, "duplicates expected in \(table.object)")
            #expect(table.finalRows > 0)
        }
        // Backfill skips rows deleted before it reads them, so slightly fewer than asked.
        #expect(summary.tables.reduce(0) { $0 + $1.distinctEvents } >= 3_800)
        // A column is added mid-stream: the customers table has two schema keys.
        let customers = dataFiles.filter { $0.path.rawValue.contains("_customers/") }
        let schemaKeys = Set(customers.map { $0.path.rawValue.split(separator: "/").last!.prefix(40) })
        #expect(schemaKeys.count == 2)
    }

    @Test func eventsTieOnTimestampAndHitHotKeys() async throws {
        var options = GeneratorOptions()
        options.format = .json
        options.events = 5_000
        let (store, _) = try await generate(options)
        var timestamps: [String: Int] = [:]
        var keys: [String: Int] = [:]
        for file in try await store.listAll(prefix: "root/shop_customers/") {
            let text = String(decoding: try await store.get(file.path), as: UTF8.self)
            for line in text.split(separator: "\n") {
                let event = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
                timestamps[event["source_timestamp"] as! String, default: 0] += 1
                let payload = event["payload"] as! [String: Any]
                keys["\(payload["id"]!)", default: 0] += 1
            }
        }
        #expect(timestamps.values.contains { $0 > 5 }, "events should share source timestamps")
        #expect(keys.values.max()! > 20, "some keys should be updated many times")
    }
}

/// The generator's events, replayed by an independent Python implementation, give its expected state.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["DATASTREAM_DELTA_PYTHON"] != nil, "needs the Python test tools: run scripts/test.sh"))
struct GeneratorReplayTests {
    @Test(arguments: SourceFlavor.allCases, GeneratedFormat.allCases)
    func replayMatchesExpectedState(flavor: SourceFlavor, format: GeneratedFormat) async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dsd-gen-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        var options = GeneratorOptions()
        options.format = format
        options.source = flavor
        options.events = 6_000
        options.seed = 7
        _ = try await ChangeDataGenerator.generate(options, into: try LocalFileSystemStore(root: dir.path), prefix: "")
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ProcessInfo.processInfo.environment["DATASTREAM_DELTA_PYTHON"]!)
        process.arguments = [root.appendingPathComponent("scripts/interop/generator_replay.py").path, dir.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(output)")
        #expect(output.hasPrefix("ok 3 tables"))
    }
}
