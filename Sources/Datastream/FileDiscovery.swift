import ObjectStore

/// One Datastream data file found by ``DatastreamFileDiscovery``.
public struct DatastreamFile: Hashable, Sendable {
    /// The Datastream object (table folder) it belongs to, e.g. `l1_Users`.
    public var object: String
    public var path: ObjectPath
    public var size: Int
    public var lastModifiedMillis: Int64
    /// The store's version token (GCS generation), if any.
    public var version: String?
    public var minute: MinuteFolder
    public var format: DatastreamFileFormat
    /// The file name (last path segment).
    public var fileName: String { String(path.rawValue.split(separator: "/").last ?? "") }
    /// The `schema_key` prefix of a `{schema_key}_{read_method}_{n}_{n}_{n}` file name: a new
    /// key means a new source schema.
    public var schemaKey: String? { nameParts.map { String($0[0]) } }
    /// The `read_method` part of the file name (`mysql-cdc-binlog`, `postgresql-backfill`…).
    public var readMethod: String? { nameParts.map { String($0[1]) } }

    private var nameParts: [Substring]? {
        let stem = fileName.split(separator: ".").first ?? ""
        let parts = stem.split(separator: "_", omittingEmptySubsequences: false)
        return parts.count >= 5 && !parts[0].isEmpty && !parts[1].isEmpty ? Array(parts) : nil
    }
}

/// An object under the root that is not a Datastream data file; reported, never dropped silently.
public struct ForeignObject: Hashable, Sendable {
    public var path: ObjectPath
    public var size: Int
    public var reason: String
}

/// How far discovery has listed: the newest minute folder seen per object.
public struct DiscoveryPosition: Hashable, Sendable {
    public var newestMinute: [String: MinuteFolder]

    public init(newestMinute: [String: MinuteFolder] = [:]) {
        self.newestMinute = newestMinute
    }
}

/// What one discovery pass found.
public struct DiscoveryResult: Sendable {
    /// Every object (table folder) under the root, in path order.
    public var objects: [String]
    /// Data files grouped by object (in object order), each group in path order, which is
    /// minute-folder order. Files inside the lateness window are listed again on every pass:
    /// the caller skips those it has already processed (its plan holds that set).
    public var files: [DatastreamFile]
    /// Objects that are not data files (wrong extension, outside a minute folder).
    public var foreign: [ForeignObject]
    /// Zero-byte objects (folder placeholders) that were skipped.
    public var skippedEmptyObjects: Int
    /// Pass this to the next ``DatastreamFileDiscovery/discover(since:latenessMinutes:)``.
    public var position: DiscoveryPosition
}

/// Finds Datastream objects and their data files under a root prefix of any ``ObjectStore``.
///
/// Layout: `ROOT/OBJECT/yyyy/MM/dd/HH/mm/FILE`. Objects are found with a skip-scan (one short
/// listing per object, never a full listing of every file); files are listed by prefix from a
/// window `latenessMinutes` behind the newest minute seen, because Datastream can write files
/// late into old minute folders.
public struct DatastreamFileDiscovery: Sendable {
    public let store: any ObjectStore
    /// The root prefix without leading or trailing `/` (empty: the store's root).
    public let root: String
    public let pageSize: Int

    public init(store: any ObjectStore, root: String, pageSize: Int = 1000) {
        self.store = store
        var trimmed = Substring(root)
        while trimmed.hasPrefix("/") { trimmed = trimmed.dropFirst() }
        while trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        self.root = String(trimmed)
        self.pageSize = max(1, pageSize)
    }

    private var rootPrefix: String { root.isEmpty ? "" : root + "/" }

    /// Past every path under a folder: U+10FFFF is the largest scalar, so `folder/` followed by
    /// it sorts after any real name in that folder.
    private static let beyondFolder = String(repeating: "\u{10FFFF}", count: 4)

    private func storageError(_ error: ObjectStoreError) -> DatastreamError {
        DatastreamError(.storage, "\(store.rootDescription): \(error)", fileName: error.path)
    }

    /// The objects (first path segment under the root), plus files lying directly in the root.
    public func objects() async throws(DatastreamError) -> (objects: [String], foreign: [ForeignObject]) {
        var objects: [String] = []
        var foreign: [ForeignObject] = []
        var cursor: ObjectPath? = nil
        let prefix = rootPrefix
        do throws(ObjectStoreError) {
            while true {
                let page = try await store.list(prefix: prefix, startAfter: cursor, limit: 1)
                guard let first = page.objects.first else { break }
                let relative = first.path.rawValue.dropFirst(prefix.count)
                guard let slash = relative.firstIndex(of: "/") else {
                    foreign.append(ForeignObject(path: first.path, size: first.size, reason: "a file directly under the root, not in an object folder"))
                    cursor = first.path
                    continue
                }
                let name = String(relative[..<slash])
                objects.append(name)
                cursor = try ObjectPath(prefix + name + "/" + Self.beyondFolder)
            }
        } catch {
            throw storageError(error)
        }
        return (objects, foreign)
    }

    /// The data files of one object from `fromMinute` on (all of them when nil), in path order.
    public func files(of object: String, fromMinute: MinuteFolder? = nil) async throws(DatastreamError) -> DiscoveryResult {
        let prefix = rootPrefix + object + "/"
        var result = DiscoveryResult(objects: [object], files: [], foreign: [], skippedEmptyObjects: 0, position: DiscoveryPosition())
        var newest: MinuteFolder?
        do throws(ObjectStoreError) {
            // A folder path sorts just before its contents, so `startAfter` keeps that minute.
            var cursor = try fromMinute.map { (minute) throws(ObjectStoreError) in try ObjectPath(prefix + minute.path) }
            repeat {
                let page = try await store.list(prefix: prefix, startAfter: cursor, limit: pageSize)
                for metadata in page.objects {
                    let relative = metadata.path.rawValue.dropFirst(prefix.count)
                    if metadata.size == 0 || relative.hasSuffix("/") {
                        result.skippedEmptyObjects += 1
                        continue
                    }
                    let segments = relative.split(separator: "/", omittingEmptySubsequences: false)
                    guard segments.count == 6, let minute = MinuteFolder(segments: segments.prefix(5)) else {
                        result.foreign.append(ForeignObject(path: metadata.path, size: metadata.size, reason: "not inside a yyyy/MM/dd/HH/mm folder"))
                        continue
                    }
                    guard let format = DatastreamFileFormat(fileName: String(segments[5])) else {
                        result.foreign.append(ForeignObject(path: metadata.path, size: metadata.size, reason: "not a .avro, .jsonl or .jsonl.gz file"))
                        continue
                    }
                    result.files.append(DatastreamFile(object: object, path: metadata.path, size: metadata.size,
                                                       lastModifiedMillis: metadata.lastModifiedMillis, version: metadata.version,
                                                       minute: minute, format: format))
                    if newest.map({ minute > $0 }) ?? true { newest = minute }
                }
                cursor = page.nextStartAfter
            } while cursor != nil
        } catch {
            throw storageError(error)
        }
        if let newest { result.position.newestMinute[object] = newest }
        return result
    }

    /// One incremental pass over every object.
    ///
    /// For an object seen before, files are listed from `latenessMinutes` before its newest
    /// minute folder, so late arrivals within that window are found; files arriving later than
    /// that into older folders are not (choose the window accordingly; CDAP uses 3 days, Google's
    /// templates assume 10 minutes at the 99.9th percentile). New objects are listed in full.
    public func discover(since position: DiscoveryPosition = DiscoveryPosition(), latenessMinutes: Int = 15) async throws(DatastreamError) -> DiscoveryResult {
        let (objects, rootForeign) = try await objects()
        var result = DiscoveryResult(objects: objects, files: [], foreign: rootForeign, skippedEmptyObjects: 0, position: position)
        for object in objects {
            let from = position.newestMinute[object].map { $0.advanced(by: -Int64(max(0, latenessMinutes))) }
            let found = try await files(of: object, fromMinute: from)
            result.files += found.files
            result.foreign += found.foreign
            result.skippedEmptyObjects += found.skippedEmptyObjects
            if let newest = found.position.newestMinute[object], position.newestMinute[object].map({ newest > $0 }) ?? true {
                result.position.newestMinute[object] = newest
            }
        }
        return result
    }
}
