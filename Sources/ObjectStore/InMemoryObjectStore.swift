import Synchronization

/// An object store in memory, for tests: the same semantics as a real store (atomic puts,
/// create-only conflicts, byte-wise ordered paged listings), nothing persisted.
///
/// Every successful `put` gets the next value of a counter as its version (`"1"`, `"2"`, …) and the
/// clock's time as its modification time. Unlike a directory, it can hold both `a` and `a/b`.
public final class InMemoryObjectStore: ObjectStore {
    /// Milliseconds since the Unix epoch, used as each put's modification time.
    public typealias Clock = @Sendable () -> Int64

    private struct Entry: Sendable {
        var bytes: [UInt8]
        var lastModifiedMillis: Int64
        var version: UInt64
    }

    private struct State: Sendable {
        var objects: [ObjectPath: Entry] = [:]
        /// All paths in byte-wise order; nil after a change to the set of paths, rebuilt by `list`.
        var sortedPaths: [ObjectPath]? = []
        var lastVersion: UInt64 = 0
    }

    private let state = Mutex(State())
    private let clock: Clock

    /// A store whose modification times come from `clock` (nil: the wall clock).
    public init(clock: Clock? = nil) {
        self.clock = clock ?? { SystemCalls.wallClockNanoseconds() / 1_000_000 }
    }

    public var rootDescription: String { "memory://" }

    /// The number of objects stored.
    public var count: Int { state.withLock { $0.objects.count } }

    public func get(_ path: ObjectPath) async throws(ObjectStoreError) -> [UInt8] {
        guard let bytes = state.withLock({ $0.objects[path]?.bytes }) else { throw Self.notFound(path) }
        return bytes
    }

    public func get(_ path: ObjectPath, range: Range<Int>) async throws(ObjectStoreError) -> [UInt8] {
        guard range.lowerBound >= 0 else {
            throw ObjectStoreError(.invalidArgument, "negative range start \(range.lowerBound)", path: path.rawValue)
        }
        let bytes = try await get(path)
        guard range.lowerBound < bytes.count else { return [] }
        return Array(bytes[range.lowerBound..<min(range.upperBound, bytes.count)])
    }

    public func put(_ path: ObjectPath, _ bytes: [UInt8], mode: PutMode) async throws(ObjectStoreError) {
        let now = clock()
        let created = state.withLock { state -> Bool in
            let exists = state.objects[path] != nil
            if exists && mode == .createOnly { return false }
            state.lastVersion += 1
            state.objects[path] = Entry(bytes: bytes, lastModifiedMillis: now, version: state.lastVersion)
            if !exists { state.sortedPaths = nil }
            return true
        }
        guard created else { throw ObjectStoreError(.alreadyExists, "object already exists", path: path.rawValue) }
    }

    public func list(prefix: String, startAfter: ObjectPath?, limit: Int) async throws(ObjectStoreError) -> ObjectListing {
        guard limit > 0 else { throw ObjectStoreError(.invalidArgument, "listing limit must be positive, got \(limit)") }
        return state.withLock { state in
            let sorted: [ObjectPath]
            if let cached = state.sortedPaths {
                sorted = cached
            } else {
                sorted = state.objects.keys.sorted()
                state.sortedPaths = sorted
            }
            let prefixBytes = Array(prefix.utf8)
            // Start at the first path ≥ prefix, or after startAfter if that is later.
            var index = Self.firstIndex(in: sorted) { !bytewiseLess(Array($0.rawValue.utf8), prefixBytes) }
            if let startAfter {
                index = max(index, Self.firstIndex(in: sorted) { startAfter < $0 })
            }
            var objects: [ObjectMetadata] = []
            var next: ObjectPath?
            while index < sorted.count {
                let path = sorted[index]
                guard path.rawValue.utf8.starts(with: prefixBytes) else { break }
                if objects.count == limit {
                    next = objects.last?.path
                    break
                }
                if let entry = state.objects[path] {
                    objects.append(Self.metadata(path, entry))
                }
                index += 1
            }
            return ObjectListing(objects: objects, nextStartAfter: next)
        }
    }

    public func delete(_ path: ObjectPath) async throws(ObjectStoreError) {
        state.withLock { state in
            if state.objects.removeValue(forKey: path) != nil { state.sortedPaths = nil }
        }
    }

    public func head(_ path: ObjectPath) async throws(ObjectStoreError) -> ObjectMetadata? {
        state.withLock { state in state.objects[path].map { Self.metadata(path, $0) } }
    }

    private static func metadata(_ path: ObjectPath, _ entry: Entry) -> ObjectMetadata {
        ObjectMetadata(path: path, size: entry.bytes.count, lastModifiedMillis: entry.lastModifiedMillis, version: String(entry.version))
    }

    private static func notFound(_ path: ObjectPath) -> ObjectStoreError {
        ObjectStoreError(.notFound, "no such object", path: path.rawValue)
    }

    private static func firstIndex(in paths: [ObjectPath], where predicate: (ObjectPath) -> Bool) -> Int {
        var low = 0
        var high = paths.count
        while low < high {
            let middle = low + (high - low) / 2
            if predicate(paths[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
