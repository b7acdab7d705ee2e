#if canImport(Glibc)
import Glibc
#endif

/// Thin wrappers over the Glibc calls used by ``LocalFileSystemStore``: each retries on `EINTR`
/// and turns a failure into an ``ObjectStoreError`` naming the object, the file and the system
/// message.
enum SystemCalls {
    /// Maps an `errno` value to an error code: `ENOENT`/`ENOTDIR` → not found, `EACCES`/`EPERM` →
    /// permission denied, `ENAMETOOLONG` → invalid path, `EEXIST` → already exists, anything else → I/O.
    static func code(forErrno value: Int32) -> ObjectStoreError.Code {
        switch value {
        case ENOENT, ENOTDIR: return .notFound
        case EACCES, EPERM: return .permissionDenied
        case ENAMETOOLONG: return .invalidPath
        case EEXIST: return .alreadyExists
        default: return .io
        }
    }

    /// The error for a failed call: `open(/root/a/b) failed: No such file or directory (errno 2)`.
    static func error(
        _ call: String,
        _ filePath: String,
        objectPath: String?,
        errno value: Int32,
        code: ObjectStoreError.Code? = nil
    ) -> ObjectStoreError {
        ObjectStoreError(
            code ?? Self.code(forErrno: value),
            "\(call)(\(filePath)) failed: \(message(forErrno: value)) (errno \(value))",
            path: objectPath
        )
    }

    /// The system's text for an `errno` value.
    static func message(forErrno value: Int32) -> String {
        guard let text = strerror(value) else { return "unknown error" }
        return String(cString: text)
    }

    /// Runs `body` until it does not fail with `EINTR`; returns its result and the `errno` it left
    /// when the result is negative.
    @inline(__always)
    static func retryingOnInterrupt<R: BinaryInteger>(_ body: () -> R) -> (result: R, errno: Int32) {
        while true {
            let result = body()
            if result >= 0 { return (result, 0) }
            let value = errno
            if value != EINTR { return (result, value) }
        }
    }

    /// `stat(2)` (following symlinks), or nil with the errno.
    static func status(_ filePath: String, followingSymlinks: Bool = true) -> (stat?, Int32) {
        var info = stat()
        let (result, value) = retryingOnInterrupt {
            followingSymlinks ? stat(filePath, &info) : lstat(filePath, &info)
        }
        return result == 0 ? (info, 0) : (nil, value)
    }

    /// Writes all of `bytes` to `descriptor`, looping over short writes.
    static func writeAll(_ descriptor: Int32, _ bytes: [UInt8], filePath: String, objectPath: String) throws(ObjectStoreError) {
        var failure: Int32 = 0
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let (written, value) = retryingOnInterrupt {
                    write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                }
                if written < 0 {
                    failure = value
                    return
                }
                if written == 0 {
                    failure = EIO
                    return
                }
                offset += written
            }
        }
        if failure != 0 { throw error("write", filePath, objectPath: objectPath, errno: failure) }
    }

    /// Reads up to `count` bytes at `offset` with `pread(2)`, looping over short reads; returns
    /// fewer bytes only at the end of the file.
    static func readAll(_ descriptor: Int32, offset: Int, count: Int, filePath: String, objectPath: String) throws(ObjectStoreError) -> [UInt8] {
        guard count > 0 else { return [] }
        var failure: Int32 = 0
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            var filled = 0
            while filled < count {
                let (read, value) = retryingOnInterrupt {
                    pread(descriptor, buffer.baseAddress! + filled, count - filled, off_t(offset + filled))
                }
                if read < 0 {
                    failure = value
                    break
                }
                if read == 0 { break }
                filled += read
            }
            initialized = filled
        }
        if failure != 0 { throw error("pread", filePath, objectPath: objectPath, errno: failure) }
        return bytes
    }

    /// The current wall-clock time in nanoseconds since the Unix epoch.
    static func wallClockNanoseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
    }
}

/// An open file descriptor, closed when the value goes away.
struct OwnedDescriptor: ~Copyable {
    let raw: Int32

    init(_ raw: Int32) { self.raw = raw }

    deinit { close(raw) }
}

extension stat {
    /// Modification time in nanoseconds since the Unix epoch.
    var modificationNanoseconds: Int64 {
        Int64(st_mtim.tv_sec) &* 1_000_000_000 &+ Int64(st_mtim.tv_nsec)
    }

    /// Modification time in milliseconds since the Unix epoch.
    var modificationMilliseconds: Int64 {
        Int64(st_mtim.tv_sec) &* 1000 &+ Int64(st_mtim.tv_nsec) / 1_000_000
    }

    var isRegularFile: Bool { (st_mode & S_IFMT) == S_IFREG }
    var isDirectory: Bool { (st_mode & S_IFMT) == S_IFDIR }
}
