import ObjectStore
import Synchronization
import Testing
import TestSupport

@Suite struct InMemoryObjectStoreTests {
    @Test func usesTheInjectedClockAndIncreasingVersions() async throws {
        let now = Mutex<Int64>(1_000)
        let store = InMemoryObjectStore(clock: { now.withLock { $0 } })
        try await store.put(path("a"), [1], mode: .overwrite)
        now.withLock { $0 = 2_500 }
        try await store.put(path("b"), [2, 3], mode: .createOnly)
        try await store.put(path("a"), [4, 5, 6], mode: .overwrite)
        await expectStoreError(.alreadyExists) { try await store.put(path("b"), [9], mode: .createOnly) }
        let listed = try await store.listAll(prefix: "")
        #expect(listed == [
            ObjectMetadata(path: path("a"), size: 3, lastModifiedMillis: 2_500, version: "3"),
            ObjectMetadata(path: path("b"), size: 2, lastModifiedMillis: 2_500, version: "2"),
        ])
        #expect(store.count == 2)
        #expect(store.rootDescription == "memory://")
    }

    /// Both spellings of "é" are separate objects (byte-wise identity, like files and GCS).
    @Test func canonicallyEquivalentNamesAreDistinct() async throws {
        let store = InMemoryObjectStore()
        try await store.put(path("\u{E9}"), [1], mode: .createOnly)
        try await store.put(path("e\u{301}"), [2], mode: .createOnly)
        #expect(try await store.get(path("\u{E9}")) == [1])
        #expect(try await store.get(path("e\u{301}")) == [2])
        #expect(store.count == 2)
    }
}

@Suite struct PrefixedObjectStoreTests {
    @Test func mapsPathsUnderThePrefix() async throws {
        let base = InMemoryObjectStore()
        let table = PrefixedObjectStore(base: base, prefix: path("warehouse/orders"))
        #expect(table.rootDescription == "memory://warehouse/orders")
        try await table.put(path("_delta_log/00000000000000000000.json"), [1], mode: .createOnly)
        try await base.put(path("warehouse/orders-old/x"), [2], mode: .overwrite)
        try await base.put(path("warehouse/orders/part-0.parquet"), [3], mode: .overwrite)

        #expect(try await base.get(path("warehouse/orders/_delta_log/00000000000000000000.json")) == [1])
        #expect(try await table.listAll(prefix: "").map(\.path.rawValue) == ["_delta_log/00000000000000000000.json", "part-0.parquet"])
        #expect(try await table.listAll(prefix: "_delta_log/").map(\.path.rawValue) == ["_delta_log/00000000000000000000.json"])
        let page = try await table.list(prefix: "", startAfter: nil, limit: 1)
        #expect(page.nextStartAfter == path("_delta_log/00000000000000000000.json"))
        #expect(try await table.head(path("part-0.parquet"))?.path == path("part-0.parquet"))
        #expect(try await table.get(path("part-0.parquet"), range: 0..<10) == [3])
        try await table.delete(path("part-0.parquet"))
        #expect(try await base.head(path("warehouse/orders/part-0.parquet")) == nil)
        // Errors name the real location.
        let error = await expectStoreError(.notFound) { try await table.get(path("missing")) }
        #expect(error?.path == "warehouse/orders/missing")
    }
}
