/// A path inside an object store, relative to the store's root: `/`-separated, no empty,
/// `.` or `..` segments, no leading or trailing `/`. Validated on creation, so nothing can
/// escape the configured root.
public struct ObjectPath: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let rawValue: String

    public init(_ rawValue: String) throws(ObjectStoreError) {
        guard !rawValue.isEmpty else { throw ObjectStoreError(.invalidPath, "empty object path") }
        for segment in rawValue.split(separator: "/", omittingEmptySubsequences: false) {
            guard !segment.isEmpty, segment != ".", segment != "..", !segment.contains("\0") else {
                throw ObjectStoreError(.invalidPath, "invalid object path '\(rawValue)'", path: rawValue)
            }
        }
        self.rawValue = rawValue
    }

    /// This path with `child` (one or more segments) appended.
    public func appending(_ child: String) throws(ObjectStoreError) -> ObjectPath {
        try ObjectPath(rawValue + "/" + child)
    }

    public var description: String { rawValue }

    /// Byte-wise order of the UTF-8 text (the order of GCS and of every listing).
    public static func < (lhs: ObjectPath, rhs: ObjectPath) -> Bool { lhs.rawValue.utf8.lexicographicallyPrecedes(rhs.rawValue.utf8) }

    /// Byte-wise equality, consistent with `<`: two spellings of `é` (precomposed or with a
    /// combining accent) are different objects, as they are different files and GCS names.
    public static func == (lhs: ObjectPath, rhs: ObjectPath) -> Bool { lhs.rawValue.utf8.elementsEqual(rhs.rawValue.utf8) }

    public func hash(into hasher: inout Hasher) {
        let hashed: Void? = rawValue.utf8.withContiguousStorageIfAvailable { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        if hashed == nil {
            for byte in rawValue.utf8 { hasher.combine(byte) }
        }
        hasher.combine(rawValue.utf8.count)
    }
}

/// What a listing or `head` reports about one object.
public struct ObjectMetadata: Hashable, Sendable {
    public var path: ObjectPath
    public var size: Int
    /// Last modification, milliseconds since the Unix epoch.
    public var lastModifiedMillis: Int64
    /// A store-specific version token (GCS generation, a file's inode/mtime), if any.
    public var version: String?

    public init(path: ObjectPath, size: Int, lastModifiedMillis: Int64, version: String? = nil) {
        self.path = path
        self.size = size
        self.lastModifiedMillis = lastModifiedMillis
        self.version = version
    }
}

/// How `put` treats an existing object.
public enum PutMode: Sendable, Hashable {
    /// Replace any existing object atomically (readers see the old or the new bytes, never a mix).
    case overwrite
    /// Fail with ``ObjectStoreError/Code/alreadyExists`` if the object exists. Two racing writers can
    /// never both succeed: this is what Delta commits rely on.
    case createOnly
}

/// One page of a listing.
public struct ObjectListing: Sendable {
    /// Objects in ascending path order (byte-wise).
    public var objects: [ObjectMetadata]
    /// Pass as `startAfter` to get the next page; nil when the listing is complete.
    public var nextStartAfter: ObjectPath?

    public init(objects: [ObjectMetadata], nextStartAfter: ObjectPath?) {
        self.objects = objects
        self.nextStartAfter = nextStartAfter
    }
}

/// The storage API everything above this layer uses (local directories, memory, later GCS).
///
/// Implementations are `Sendable` and safe to call from concurrent tasks.
public protocol ObjectStore: Sendable {
    /// A human-readable root, for messages (`file:///data/target`, `gs://bucket/prefix`, `memory://`).
    var rootDescription: String { get }

    /// The whole object. Throws ``ObjectStoreError/Code/notFound`` if it does not exist.
    func get(_ path: ObjectPath) async throws(ObjectStoreError) -> [UInt8]

    /// The object's bytes at offsets `range`: fewer when the object ends inside the range, none
    /// when it ends before the range starts (or the range is empty). Throws
    /// ``ObjectStoreError/Code/notFound`` if the object does not exist and
    /// ``ObjectStoreError/Code/invalidArgument`` for a negative start.
    func get(_ path: ObjectPath, range: Range<Int>) async throws(ObjectStoreError) -> [UInt8]

    /// Writes an object; see ``PutMode``. A ``PutMode/createOnly`` put of an existing object
    /// throws ``ObjectStoreError/Code/alreadyExists`` and leaves it unchanged.
    func put(_ path: ObjectPath, _ bytes: [UInt8], mode: PutMode) async throws(ObjectStoreError)

    /// One page of at most `limit` objects whose path starts with `prefix` (a plain string prefix,
    /// so `"a/b"` matches `a/b/c` and `a/bc`), in ascending byte-wise path order, strictly after
    /// `startAfter` (which need not exist nor start with `prefix`). An empty prefix lists
    /// everything. `nextStartAfter` is set when more objects may follow. Throws
    /// ``ObjectStoreError/Code/invalidArgument`` when `limit` is not positive.
    func list(prefix: String, startAfter: ObjectPath?, limit: Int) async throws(ObjectStoreError) -> ObjectListing

    /// Deletes an object; deleting a missing object is not an error.
    func delete(_ path: ObjectPath) async throws(ObjectStoreError)

    /// Metadata of one object, or nil if it does not exist.
    func head(_ path: ObjectPath) async throws(ObjectStoreError) -> ObjectMetadata?
}

extension ObjectStore {
    /// Every object under `prefix`, following pages.
    public func listAll(prefix: String, startAfter: ObjectPath? = nil, pageSize: Int = 1000) async throws(ObjectStoreError) -> [ObjectMetadata] {
        var result: [ObjectMetadata] = []
        var position = startAfter
        repeat {
            let page = try await list(prefix: prefix, startAfter: position, limit: pageSize)
            result.append(contentsOf: page.objects)
            position = page.nextStartAfter
        } while position != nil
        return result
    }
}

/// The error type of the ObjectStore module.
public struct ObjectStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Wrapped: Hashable, Sendable { case notFound, alreadyExists, invalidPath, permissionDenied, io, transient, invalidArgument }
        private let wrapped: Wrapped
        private init(_ wrapped: Wrapped) { self.wrapped = wrapped }
        /// The object does not exist.
        public static let notFound = Code(.notFound)
        /// A create-only put found the object already there.
        public static let alreadyExists = Code(.alreadyExists)
        /// The path is malformed or would escape the root.
        public static let invalidPath = Code(.invalidPath)
        public static let permissionDenied = Code(.permissionDenied)
        /// Any other I/O failure.
        public static let io = Code(.io)
        /// A failure worth retrying (timeouts, throttling).
        public static let transient = Code(.transient)
        public static let invalidArgument = Code(.invalidArgument)

        public var description: String {
            switch wrapped {
            case .notFound: return "not found"
            case .alreadyExists: return "already exists"
            case .invalidPath: return "invalid path"
            case .permissionDenied: return "permission denied"
            case .io: return "I/O error"
            case .transient: return "transient error"
            case .invalidArgument: return "invalid argument"
            }
        }
    }

    public var code: Code
    public var message: String
    /// The object path involved, when there is one.
    public var path: String?

    public init(_ code: Code, _ message: String, path: String? = nil) {
        self.code = code
        self.message = message
        self.path = path
    }

    public var description: String { (path.map { "\($0): " } ?? "") + "\(code): \(message)" }
}
