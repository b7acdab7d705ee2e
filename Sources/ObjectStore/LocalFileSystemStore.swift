#if canImport(Glibc)
import Glibc
#endif

/// An object store in a local directory: object `a/b/c` is the file `<root>/a/b/c`.
///
/// - Writes are atomic for readers: bytes go to a temporary file (`.tmp-…`, never listed) in the
///   target's directory, are flushed with `fsync`, then renamed over the target (``PutMode/overwrite``)
///   or hard-linked to it (``PutMode/createOnly``: `link(2)` fails with `EEXIST` if the name exists,
///   so of any number of racing writers, in this process or others, exactly one wins). The
///   directory is flushed too, so a successful `put` survives a crash. Parent directories are
///   created as needed.
/// - Listings walk only the prefix's subtree, see regular files only (symlinks are not followed),
///   skip `.tmp-*` files and names that are not valid UTF-8.
/// - A path's last segment may not start with `.tmp-`: such names are reserved for temporaries.
/// - Unlike a bucket, a directory cannot hold both an object `a` and objects under `a/`: a put
///   that needs `a` to be a directory (or a file) when it is the other fails with an I/O error.
///   Deleting an object leaves its (possibly empty) directories in place.
///
/// Path safety: ``ObjectPath`` already rejects empty, `.` and `..` segments. In addition, `put`
/// and `delete` resolve the parent directory with `realpath` and refuse (``ObjectStoreError/Code/invalidPath``)
/// when a symlink inside the root leads outside it. Reads (`get`, `head`) follow symlinks, so a
/// root may link in data kept elsewhere. This guards against links present in the tree, not
/// against another process swapping a directory for a link between the check and the write.
///
/// The async methods make blocking system calls on the calling task's thread; a later version may
/// move them to a thread pool.
public struct LocalFileSystemStore: ObjectStore {
    /// The root directory, absolute and with symlinks resolved.
    public let root: String
    let directoryCache: DirectoryEntryCache

    /// Opens (and creates, with parents, if missing) the directory `root`.
    public init(root: String) throws(ObjectStoreError) {
        guard !root.isEmpty, !root.contains("\0") else {
            throw ObjectStoreError(.invalidArgument, "invalid root directory '\(root)'")
        }
        try Self.makeDirectories(root, objectPath: nil)
        guard let resolved = realpath(root, nil) else {
            throw SystemCalls.error("realpath", root, objectPath: nil, errno: errno)
        }
        defer { free(resolved) }
        self.root = String(cString: resolved)
        self.directoryCache = DirectoryEntryCache()
    }

    public var rootDescription: String { "file://\(root)" }

    /// The absolute file path of an object.
    public func filePath(of path: ObjectPath) -> String {
        root == "/" ? "/" + path.rawValue : root + "/" + path.rawValue
    }

    // MARK: Reading

    public func get(_ path: ObjectPath) async throws(ObjectStoreError) -> [UInt8] {
        try read(path, range: nil)
    }

    public func get(_ path: ObjectPath, range: Range<Int>) async throws(ObjectStoreError) -> [UInt8] {
        guard range.lowerBound >= 0 else {
            throw ObjectStoreError(.invalidArgument, "negative range start \(range.lowerBound)", path: path.rawValue)
        }
        return try read(path, range: range)
    }

    public func head(_ path: ObjectPath) async throws(ObjectStoreError) -> ObjectMetadata? {
        let file = filePath(of: path)
        let (info, value) = SystemCalls.status(file)
        guard let info else {
            if value == ENOENT || value == ENOTDIR { return nil }
            throw SystemCalls.error("stat", file, objectPath: path.rawValue, errno: value)
        }
        guard info.isRegularFile else { return nil }
        return Self.metadata(path, info)
    }

    static func metadata(_ path: ObjectPath, _ info: stat) -> ObjectMetadata {
        ObjectMetadata(
            path: path,
            size: Int(info.st_size),
            lastModifiedMillis: info.modificationMilliseconds,
            version: "\(info.st_ino)-\(info.modificationNanoseconds)"
        )
    }

    private func read(_ path: ObjectPath, range: Range<Int>?) throws(ObjectStoreError) -> [UInt8] {
        let file = filePath(of: path)
        let (raw, openErrno) = SystemCalls.retryingOnInterrupt { open(file, O_RDONLY | O_CLOEXEC) }
        guard raw >= 0 else { throw SystemCalls.error("open", file, objectPath: path.rawValue, errno: openErrno) }
        let descriptor = OwnedDescriptor(raw)
        var info = stat()
        guard fstat(descriptor.raw, &info) == 0 else {
            throw SystemCalls.error("fstat", file, objectPath: path.rawValue, errno: errno)
        }
        guard info.isRegularFile else {
            throw ObjectStoreError(.notFound, "\(file) is not a regular file", path: path.rawValue)
        }
        let size = Int(info.st_size)
        guard let range else {
            // Read what fstat promised, then keep reading in case the file grew meanwhile.
            var bytes = try SystemCalls.readAll(descriptor.raw, offset: 0, count: size, filePath: file, objectPath: path.rawValue)
            while true {
                let more = try SystemCalls.readAll(descriptor.raw, offset: bytes.count, count: 64 * 1024, filePath: file, objectPath: path.rawValue)
                if more.isEmpty { break }
                bytes += more
            }
            return bytes
        }
        guard range.lowerBound < size, !range.isEmpty else { return [] }
        let count = min(range.upperBound, size) - range.lowerBound
        return try SystemCalls.readAll(descriptor.raw, offset: range.lowerBound, count: count, filePath: file, objectPath: path.rawValue)
    }

    // MARK: Writing

    public func put(_ path: ObjectPath, _ bytes: [UInt8], mode: PutMode) async throws(ObjectStoreError) {
        let (directory, name) = split(path)
        guard !name.utf8.starts(with: Self.temporaryPrefix.utf8) else {
            throw ObjectStoreError(.invalidPath, "names starting with '\(Self.temporaryPrefix)' are reserved for temporary files", path: path.rawValue)
        }
        try prepareDirectory(directory, objectPath: path.rawValue)

        let target = directory + "/" + name
        let temporary = try writeTemporaryFile(in: directory, bytes, objectPath: path.rawValue)
        switch mode {
        case .overwrite:
            let (result, value) = SystemCalls.retryingOnInterrupt { rename(temporary, target) }
            if result != 0 {
                unlink(temporary)
                // EEXIST/ENOTEMPTY here means the target is a non-empty directory: an I/O error, not a conflict.
                throw SystemCalls.error("rename", target, objectPath: path.rawValue, errno: value, code: value == EEXIST ? .io : nil)
            }
        case .createOnly:
            let (result, value) = SystemCalls.retryingOnInterrupt { link(temporary, target) }
            unlink(temporary)
            if result != 0 {
                if value == EEXIST {
                    throw ObjectStoreError(.alreadyExists, "\(target) already exists", path: path.rawValue)
                }
                throw SystemCalls.error("link", target, objectPath: path.rawValue, errno: value)
            }
        }
        try Self.synchronizeDirectory(directory, objectPath: path.rawValue)
    }

    public func delete(_ path: ObjectPath) async throws(ObjectStoreError) {
        let (directory, name) = split(path)
        let (directoryInfo, _) = SystemCalls.status(directory)
        guard directoryInfo?.isDirectory == true else { return }  // nothing there to delete
        try checkInsideRoot(directory, objectPath: path.rawValue)
        let target = directory + "/" + name
        let (result, value) = SystemCalls.retryingOnInterrupt { unlink(target) }
        if result != 0 {
            // Missing, or a directory (not an object): nothing to delete.
            if value == ENOENT || value == ENOTDIR || value == EISDIR { return }
            throw SystemCalls.error("unlink", target, objectPath: path.rawValue, errno: value)
        }
    }

    // MARK: Helpers

    static let temporaryPrefix = ".tmp-"

    /// The absolute parent directory of an object and its file name.
    private func split(_ path: ObjectPath) -> (directory: String, name: String) {
        let raw = path.rawValue
        guard let slash = raw.utf8.lastIndex(of: UInt8(ascii: "/")) else { return (root, raw) }
        let parent = String(raw[..<slash])
        let name = String(raw[raw.index(after: slash)...])
        return (root == "/" ? "/" + parent : root + "/" + parent, name)
    }

    /// Refuses a directory whose real path (symlinks resolved) is not the root or below it.
    private func checkInsideRoot(_ directory: String, objectPath: String) throws(ObjectStoreError) {
        guard let resolved = realpath(directory, nil) else {
            throw SystemCalls.error("realpath", directory, objectPath: objectPath, errno: errno)
        }
        defer { free(resolved) }
        let real = String(cString: resolved)
        // Byte-wise comparisons: String's == and hasPrefix treat canonically equivalent names as equal.
        let inside = real.utf8.elementsEqual(root.utf8) || real.utf8.starts(with: (root == "/" ? "/" : root + "/").utf8)
        guard inside else {
            throw ObjectStoreError(.invalidPath, "\(directory) resolves to \(real), outside the root \(root)", path: objectPath)
        }
    }

    /// Makes sure `directory` exists inside the root: checks the deepest existing ancestor before
    /// creating anything (so no directory is made through a link leading out), then the result.
    private func prepareDirectory(_ directory: String, objectPath: String) throws(ObjectStoreError) {
        if let info = SystemCalls.status(directory).0, info.isDirectory {
            try checkInsideRoot(directory, objectPath: objectPath)
            return
        }
        var ancestor = directory
        while ancestor.utf8.count > root.utf8.count, let slash = ancestor.utf8.lastIndex(of: UInt8(ascii: "/")) {
            ancestor = String(ancestor[..<slash])
            if SystemCalls.status(ancestor).0 != nil { break }
        }
        if ancestor.utf8.count < root.utf8.count { ancestor = root }
        try checkInsideRoot(ancestor, objectPath: objectPath)
        try Self.makeDirectories(directory, objectPath: objectPath)
        try checkInsideRoot(directory, objectPath: objectPath)
    }

    /// `mkdir -p`: creates `directory` and its missing parents.
    static func makeDirectories(_ directory: String, objectPath: String?) throws(ObjectStoreError) {
        if let info = SystemCalls.status(directory).0, info.isDirectory { return }
        var prefix = directory.hasPrefix("/") ? "" : "."
        for segment in directory.split(separator: "/") {
            prefix += "/" + segment
            let (result, value) = SystemCalls.retryingOnInterrupt { mkdir(prefix, 0o755) }
            if result != 0 && value != EEXIST {
                // ENOTDIR: a parent is a file, so this object cannot exist here (not a "not found").
                throw SystemCalls.error("mkdir", prefix, objectPath: objectPath, errno: value, code: value == ENOTDIR ? .io : nil)
            }
        }
        guard let info = SystemCalls.status(directory).0, info.isDirectory else {
            throw ObjectStoreError(.io, "\(directory) exists and is not a directory", path: objectPath)
        }
    }

    /// Writes `bytes` to a new, uniquely named temporary file in `directory` and flushes it.
    /// Returns its path.
    private func writeTemporaryFile(in directory: String, _ bytes: [UInt8], objectPath: String) throws(ObjectStoreError) -> String {
        var attempts = 0
        while true {
            let random = String(UInt64.random(in: .min ... .max), radix: 16)
            let temporary = "\(directory)/\(Self.temporaryPrefix)\(getpid())-\(random)"
            let (raw, value) = SystemCalls.retryingOnInterrupt {
                open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            }
            if raw < 0 {
                attempts += 1
                if value == EEXIST && attempts < 16 { continue }
                throw SystemCalls.error("open", temporary, objectPath: objectPath, errno: value)
            }
            let descriptor = OwnedDescriptor(raw)
            do throws(ObjectStoreError) {
                try SystemCalls.writeAll(descriptor.raw, bytes, filePath: temporary, objectPath: objectPath)
                let (result, syncErrno) = SystemCalls.retryingOnInterrupt { fsync(descriptor.raw) }
                if result != 0 { throw SystemCalls.error("fsync", temporary, objectPath: objectPath, errno: syncErrno) }
            } catch {
                unlink(temporary)
                throw error
            }
            return temporary
        }
    }

    /// Flushes a directory's entries (the rename or link just made) to stable storage.
    private static func synchronizeDirectory(_ directory: String, objectPath: String) throws(ObjectStoreError) {
        let (raw, value) = SystemCalls.retryingOnInterrupt { open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        guard raw >= 0 else { throw SystemCalls.error("open", directory, objectPath: objectPath, errno: value) }
        let descriptor = OwnedDescriptor(raw)
        let (result, syncErrno) = SystemCalls.retryingOnInterrupt { fsync(descriptor.raw) }
        // Some file systems cannot fsync a directory (EINVAL); the rename itself has happened.
        if result != 0 && syncErrno != EINVAL {
            throw SystemCalls.error("fsync", directory, objectPath: objectPath, errno: syncErrno)
        }
    }
}
