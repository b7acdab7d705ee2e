import Columnar
@testable import DeltaLake
import Foundation
import ObjectStore
import Testing
import TestSupport

@Suite struct VacuumTests {
    static let day: Int64 = 86_400_000

    static func nowMillis() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    /// Three appends then an overwrite: versions 1–3 hold files the latest version removed.
    static func tableWithRemovedFiles(_ store: InMemoryObjectStore, configuration: [String: String] = [:]) async throws -> DeltaTable {
        let table = try await DeltaTable.create(store: store, root: "t", schema: MergeFixtures.schema, configuration: configuration)
        var rng = SplitMix64(seed: 2)
        for round in 0..<3 {
            let rows = (0..<5).map { MergeFixtures.row(Int64(round * 5 + $0), version: 1, rng: &rng) }
            try await table.append([try RecordBatch(schema: MergeFixtures.schema, rows: rows)])
        }
        try await table.overwrite([try RecordBatch(schema: MergeFixtures.schema, rows: [MergeFixtures.row(100, version: 2, rng: &rng)])])
        return table
    }

    @Test func removedFilesAreDeletedOnlyAfterTheRetention() async throws {
        let store = InMemoryObjectStore()
        let table = try await Self.tableWithRemovedFiles(store)
        let old = try await table.snapshot(version: 3).addFiles.map { "t/" + $0.path }
        let current = try await table.snapshot().addFiles.map { "t/" + $0.path }
        #expect(old.count == 3 && current.count == 1)

        let early = try await table.vacuum()
        #expect(early.files.isEmpty)
        let dry = try await table.vacuum(dryRun: true, nowMillis: Self.nowMillis() + 8 * Self.day)
        #expect(dry.dryRun && dry.files.sorted() == old.sorted() && dry.bytes > 0)
        for path in old { #expect(try await store.head(try ObjectPath(path)) != nil, "dry run kept \(path)") }

        let done = try await table.vacuum(nowMillis: Self.nowMillis() + 8 * Self.day)
        #expect(done.files.sorted() == old.sorted())
        for path in old { #expect(try await store.head(try ObjectPath(path)) == nil) }
        for path in current { #expect(try await store.head(try ObjectPath(path)) != nil) }
        #expect(try await MergeFixtures.lines(table).count == 1)

        // Time travel to a vacuumed version fails naming the missing file.
        let error = await #expect(throws: DeltaError.self) { _ = try await table.readBatches(try await table.snapshot(version: 2)) }
        #expect(error?.code == .storage)
        #expect(old.contains { error?.path == $0 }, "error: \(String(describing: error))")
        // A second vacuum finds nothing.
        #expect(try await table.vacuum(nowMillis: Self.nowMillis() + 8 * Self.day).files.isEmpty)
    }

    @Test func untrackedFilesByAgeAndHiddenFilesNever() async throws {
        let store = InMemoryObjectStore()
        let table = try await Self.tableWithRemovedFiles(store)
        for path in ["t/stray.parquet", "t/sub/dir/x.parquet", "t/_tmp/y.parquet", "t/.hidden.crc", "t/sub/_SUCCESS", "other/z.parquet"] {
            try await store.put(try ObjectPath(path), [1, 2, 3], mode: .overwrite)
        }
        let logBefore = try await store.listAll(prefix: "t/_delta_log/").count
        let result = try await table.vacuum(nowMillis: Self.nowMillis() + 8 * Self.day)
        #expect(result.files.contains("t/stray.parquet") && result.files.contains("t/sub/dir/x.parquet"))
        #expect(result.files.count == 5)
        for path in ["t/_tmp/y.parquet", "t/.hidden.crc", "t/sub/_SUCCESS", "other/z.parquet"] {
            #expect(try await store.head(try ObjectPath(path)) != nil, "\(path) must stay")
        }
        #expect(try await store.listAll(prefix: "t/_delta_log/").count == logBefore)
    }

    @Test func retentionFromTablePropertiesAndTheOneHourFloor() async throws {
        let store = InMemoryObjectStore()
        let table = try await Self.tableWithRemovedFiles(store, configuration: ["delta.deletedFileRetentionDuration": "interval 2 days"])
        #expect(try await table.vacuum(dryRun: true, nowMillis: Self.nowMillis() + 1 * Self.day).files.isEmpty)
        #expect(try await table.vacuum(dryRun: true, nowMillis: Self.nowMillis() + 3 * Self.day).files.count == 3)

        await #expect(throws: DeltaError.self) { try await table.vacuum(retentionMillis: 0) }
        await #expect(throws: DeltaError.self) { try await table.vacuum(retentionMillis: 3_599_999) }
        let forced = try await table.vacuum(retentionMillis: 0, enforceRetention: false, nowMillis: Self.nowMillis() + 1)
        #expect(forced.files.count == 3)

        let hourly = try await DeltaTable.create(store: store, root: "h", schema: MergeFixtures.schema,
                                                 configuration: ["delta.deletedFileRetentionDuration": "interval 1 hours"])
        #expect(try await hourly.vacuum(dryRun: true).files.isEmpty)
        let bad = try await DeltaTable.create(store: store, root: "b", schema: MergeFixtures.schema,
                                              configuration: ["delta.deletedFileRetentionDuration": "interval 10 minutes"])
        await #expect(throws: DeltaError.self) { try await bad.vacuum() }
        #expect(DeltaInterval.milliseconds("interval 7 days") == 7 * Self.day)
        #expect(DeltaInterval.milliseconds("interval 1 hours") == 3_600_000)
    }
}
