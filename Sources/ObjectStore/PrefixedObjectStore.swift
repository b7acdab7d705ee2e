/// A store rooted at a sub-path of another store: object `x` here is `prefix/x` in `base`.
///
/// Useful for a Delta table living under a target root. Listings return paths relative to the
/// prefix; errors keep the base store's path, which names the real location.
public struct PrefixedObjectStore: ObjectStore {
    public let base: any ObjectStore
    public let prefix: ObjectPath

    public init(base: any ObjectStore, prefix: ObjectPath) {
        self.base = base
        self.prefix = prefix
    }

    public var rootDescription: String {
        let root = base.rootDescription
        return root.hasSuffix("/") ? root + prefix.rawValue : root + "/" + prefix.rawValue
    }

    public func get(_ path: ObjectPath) async throws(ObjectStoreError) -> [UInt8] {
        try await base.get(basePath(path))
    }

    public func get(_ path: ObjectPath, range: Range<Int>) async throws(ObjectStoreError) -> [UInt8] {
        try await base.get(basePath(path), range: range)
    }

    public func put(_ path: ObjectPath, _ bytes: [UInt8], mode: PutMode) async throws(ObjectStoreError) {
        try await base.put(basePath(path), bytes, mode: mode)
    }

    public func list(prefix listPrefix: String, startAfter: ObjectPath?, limit: Int) async throws(ObjectStoreError) -> ObjectListing {
        let page = try await base.list(
            prefix: prefix.rawValue + "/" + listPrefix,
            startAfter: try startAfter.map { path throws(ObjectStoreError) in try basePath(path) },
            limit: limit
        )
        var objects: [ObjectMetadata] = []
        objects.reserveCapacity(page.objects.count)
        for var object in page.objects {
            object.path = try relativePath(object.path)
            objects.append(object)
        }
        return ObjectListing(objects: objects, nextStartAfter: try page.nextStartAfter.map { path throws(ObjectStoreError) in try relativePath(path) })
    }

    public func delete(_ path: ObjectPath) async throws(ObjectStoreError) {
        try await base.delete(basePath(path))
    }

    public func head(_ path: ObjectPath) async throws(ObjectStoreError) -> ObjectMetadata? {
        guard var metadata = try await base.head(basePath(path)) else { return nil }
        metadata.path = path
        return metadata
    }

    private func basePath(_ path: ObjectPath) throws(ObjectStoreError) -> ObjectPath {
        try prefix.appending(path.rawValue)
    }

    private func relativePath(_ path: ObjectPath) throws(ObjectStoreError) -> ObjectPath {
        let raw = path.rawValue
        let head = prefix.rawValue + "/"
        guard raw.utf8.starts(with: head.utf8) else {
            throw ObjectStoreError(.io, "base store listed \(raw) outside the prefix \(prefix)", path: raw)
        }
        return try ObjectPath(String(decoding: raw.utf8.dropFirst(head.utf8.count), as: UTF8.self))
    }
}
