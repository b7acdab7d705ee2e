import Datastream
import ObjectStore
import Synchronization
import Testing
import TestSupport

/// Wraps a store and records every listing call.
final class ListingRecorder: ObjectStore {
    let base: InMemoryObjectStore
    let calls = Mutex<[(prefix: String, limit: Int, returned: Int)]>([])

    init(_ base: InMemoryObjectStore) { self.base = base }

    var rootDescription: String { base.rootDescription }
    func get(_ path: ObjectPath) async throws(ObjectStoreError) -> [UInt8] { try await base.get(path) }
    func get(_ path: ObjectPath, range: Range<Int>) async throws(ObjectStoreError) -> [UInt8] { try await base.get(path, range: range) }
    func put(_ path: ObjectPath, _ bytes: [UInt8], mode: PutMode) async throws(ObjectStoreError) { try await base.put(path, bytes, mode: mode) }
    func delete(_ path: ObjectPath) async throws(ObjectStoreError) { try await base.delete(path) }
    func head(_ path: ObjectPath) async throws(ObjectStoreError) -> ObjectMetadata? { try await base.head(path) }
    func list(prefix: String, startAfter: ObjectPath?, limit: Int) async throws(ObjectStoreError) -> ObjectListing {
        let listing = try await base.list(prefix: prefix, startAfter: startAfter, limit: limit)
        calls.withLock { $0.append((prefix, limit, listing.objects.count)) }
        return listing
    }
    var objectsListed: Int { calls.withLock { $0.reduce(0) { $0 + $1.returned } } }
    func reset() { calls.withLock { $0 = [] } }
}

@Suite struct DiscoveryTests {
    let key = "e98d95ab545285b7571f9c4bdeaacb7abfac251b"

    func put(_ store: some ObjectStore, _ path: String, size: Int = 10) async throws {
        try await store.put(try ObjectPath(path), [UInt8](repeating: 0x7B, count: size), mode: .overwrite)
    }

    func names(_ files: [DatastreamFile]) -> [String] { files.map(\.path.rawValue) }

    @Test func findsObjectsAndFilesInTimeOrder() async throws {
        let store = InMemoryObjectStore()
        let paths = [
            "stream/l1_Users/2024/05/09/07/01/\(key)_mysql-cdc-binlog_1_0_0.avro",
            "stream/l1_Users/2024/05/09/06/59/\(key)_mysql-cdc-binlog_1_0_1.jsonl",
            "stream/demo_inventory.voters/2021/05/16/01/13/\(key)_mysql-cdc-binlog_9_2_0.jsonl.gz",
            "stream/l1_Users/2024/05/09/06/59/\(key)_mysql-cdc-binlog_1_0_0.jsonl",
            "stream/l1_Users/2023/12/31/23/59/\(key)_mysql-backfill-fulldump_1_0_0.avro",
            "streamer/other/2024/05/09/06/59/x.avro",  // outside the root prefix
        ]
        for path in paths { try await put(store, path) }
        let discovery = DatastreamFileDiscovery(store: store, root: "/stream/")
        let result = try await discovery.discover()
        #expect(result.objects == ["demo_inventory.voters", "l1_Users"])
        #expect(names(result.files) == [paths[2], paths[4], paths[3], paths[1], paths[0]])
        #expect(result.files.map(\.format) == [.jsonLinesGzip, .avro, .jsonLines, .jsonLines, .avro])
        #expect(result.files[1].minute.path == "2023/12/31/23/59")
        #expect(result.files[0].object == "demo_inventory.voters")
        #expect(result.files[0].fileName == "\(key)_mysql-cdc-binlog_9_2_0.jsonl.gz")
        #expect(result.files[0].schemaKey == key)
        #expect(result.files[0].readMethod == "mysql-cdc-binlog")
        #expect(result.files[1].readMethod == "mysql-backfill-fulldump")
        #expect(result.foreign.isEmpty)
        #expect(result.position.newestMinute["l1_Users"]?.path == "2024/05/09/07/01")
    }

    @Test func skipsPlaceholdersAndReportsForeignFiles() async throws {
        let store = InMemoryObjectStore()
        try await put(store, "root/t/2024/05/09/06/59/good.avro")
        try await put(store, "root/t/2024/05/09/06/59/empty.avro", size: 0)
        try await put(store, "root/t/2024/05/09/06", size: 0)  // a folder placeholder
        try await put(store, "root/t/2024/05/09/06/59/_SUCCESS")
        try await put(store, "root/t/2024/05/09/06/59/notes.json")
        try await put(store, "root/t/2024/05/09/06/x.avro")  // one level too shallow
        try await put(store, "root/t/2024/13/09/06/59/bad-month.avro")
        try await put(store, "root/README.md")
        let result = try await DatastreamFileDiscovery(store: store, root: "root").discover()
        #expect(names(result.files) == ["root/t/2024/05/09/06/59/good.avro"])
        #expect(result.skippedEmptyObjects == 2)
        #expect(Set(result.foreign.map(\.path.rawValue)) == [
            "root/t/2024/05/09/06/59/_SUCCESS", "root/t/2024/05/09/06/59/notes.json", "root/t/2024/05/09/06/x.avro",
            "root/t/2024/13/09/06/59/bad-month.avro", "root/README.md",
        ])
        #expect(result.foreign.allSatisfy { !$0.reason.isEmpty })
        #expect(result.objects == ["t"])
    }

    @Test func incrementalPassesFindLateFilesAndNewObjects() async throws {
        let store = ListingRecorder(InMemoryObjectStore())
        try await put(store, "r/a/2024/02/07/08/00/f1.avro")
        try await put(store, "r/a/2024/02/07/08/30/f2.avro")
        let discovery = DatastreamFileDiscovery(store: store, root: "r")
        let first = try await discovery.discover(latenessMinutes: 15)
        #expect(names(first.files) == ["r/a/2024/02/07/08/00/f1.avro", "r/a/2024/02/07/08/30/f2.avro"])

        try await put(store, "r/a/2024/02/07/08/20/late-in-window.avro")   // 10 minutes behind: found
        try await put(store, "r/a/2024/02/07/08/10/late-too-old.avro")     // 20 minutes behind: outside the window
        try await put(store, "r/a/2024/02/07/08/31/f3.jsonl")
        try await put(store, "r/b/2024/02/07/07/00/g1.jsonl")             // a new object, listed in full
        store.reset()
        let second = try await discovery.discover(since: first.position, latenessMinutes: 15)
        #expect(names(second.files) == [
            "r/a/2024/02/07/08/20/late-in-window.avro", "r/a/2024/02/07/08/30/f2.avro", "r/a/2024/02/07/08/31/f3.jsonl",
            "r/b/2024/02/07/07/00/g1.jsonl",
        ])
        #expect(second.objects == ["a", "b"])
        #expect(second.position.newestMinute["a"]?.path == "2024/02/07/08/31")
        #expect(second.position.newestMinute["b"]?.path == "2024/02/07/07/00")
        // The old folders before the window were not even listed.
        #expect(store.calls.withLock { $0.filter { $0.prefix == "r/a/" }.map(\.returned) } == [3])

        // A wide window finds the very late file too.
        let wide = try await discovery.discover(since: first.position, latenessMinutes: 60)
        #expect(names(wide.files).contains("r/a/2024/02/07/08/10/late-too-old.avro"))
        // Nothing new: the position does not move backwards.
        let third = try await discovery.discover(since: second.position, latenessMinutes: 0)
        #expect(third.position == second.position)
        #expect(names(third.files) == ["r/a/2024/02/07/08/31/f3.jsonl", "r/b/2024/02/07/07/00/g1.jsonl"])
    }

    @Test func pagesThroughListings() async throws {
        let store = ListingRecorder(InMemoryObjectStore())
        var expected: [String] = []
        for minute in 0..<7 {
            let path = "p/t/2024/01/01/00/\(minute < 10 ? "0" : "")\(minute)/f.avro"
            expected.append(path)
            try await put(store, path)
        }
        for object in ["u", "v", "w"] { try await put(store, "p/\(object)/2024/01/01/00/00/f.avro") }
        let result = try await DatastreamFileDiscovery(store: store, root: "p", pageSize: 2).discover()
        #expect(Array(names(result.files).prefix(7)) == expected)
        #expect(result.files.count == 10)
        let calls = store.calls.withLock { $0 }
        #expect(calls.allSatisfy { $0.limit <= 2 })
        // Objects are found with one short listing each (skip-scan), plus the final empty one.
        #expect(calls.filter { $0.prefix == "p/" }.count == 5)
        #expect(calls.filter { $0.prefix == "p/t/" }.count == 4)
    }

    @Test func minuteFolders() throws {
        let folder = try #require(MinuteFolder(segments: "2024/02/29/23/59".split(separator: "/")))
        #expect(folder.path == "2024/02/29/23/59")
        #expect(folder.advanced(by: 1).path == "2024/03/01/00/00")
        #expect(folder.advanced(by: -60 * 24 * 366).path == "2023/02/28/23/59")
        for bad in ["2023/02/29/00/00", "2024/2/01/00/00", "2024/01/01/24/00", "2024/01/01/00/60", "2024/01/01/00", "abcd/01/01/00/00"] {
            #expect(MinuteFolder(segments: bad.split(separator: "/")) == nil)
        }
        #expect(MinuteFolder(segments: "1970/01/01/00/01".split(separator: "/"))?.epochMinutes == 1)
    }

    @Test func storageErrorsAreTyped() async throws {
        struct FailingStore: ObjectStore {
            var rootDescription: String { "fail://" }
            func get(_ path: ObjectPath) async throws(ObjectStoreError) -> [UInt8] { [] }
            func get(_ path: ObjectPath, range: Range<Int>) async throws(ObjectStoreError) -> [UInt8] { [] }
            func put(_ path: ObjectPath, _ bytes: [UInt8], mode: PutMode) async throws(ObjectStoreError) {}
            func delete(_ path: ObjectPath) async throws(ObjectStoreError) {}
            func head(_ path: ObjectPath) async throws(ObjectStoreError) -> ObjectMetadata? { nil }
            func list(prefix: String, startAfter: ObjectPath?, limit: Int) async throws(ObjectStoreError) -> ObjectListing {
                throw ObjectStoreError(.transient, "throttled")
            }
        }
        do {
            _ = try await DatastreamFileDiscovery(store: FailingStore(), root: "x").discover()
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .storage)
            #expect(error.message.contains("throttled"))
        }
    }
}
