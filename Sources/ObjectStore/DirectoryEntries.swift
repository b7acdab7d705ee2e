#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// One child of a directory, as the listing walk sees it.
struct DirectoryEntry: Sendable {
    enum Kind: Sendable { case file, directory }

    /// The file name (valid UTF-8; other names are skipped).
    var name: String
    /// The sort key: the name's bytes, plus `/` for a directory. Sorting siblings by this key and
    /// walking depth-first yields full paths in byte-wise order (`a-b` < `a/…` < `a0`).
    var key: [UInt8]
    var kind: Kind
}

/// Compares two byte strings the way object paths are ordered (unsigned byte-wise, shorter first
/// on a common prefix).
@inline(__always)
func bytewiseLess(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
    let common = min(lhs.count, rhs.count)
    let order = lhs.withUnsafeBufferPointer { l in
        rhs.withUnsafeBufferPointer { r in common == 0 ? 0 : memcmp(l.baseAddress!, r.baseAddress!, common) }
    }
    return order != 0 ? order < 0 : lhs.count < rhs.count
}

@inline(__always)
func hasBytePrefix(_ bytes: [UInt8], _ prefix: [UInt8]) -> Bool {
    guard bytes.count >= prefix.count else { return false }
    if prefix.isEmpty { return true }
    return bytes.withUnsafeBufferPointer { b in
        prefix.withUnsafeBufferPointer { p in memcmp(b.baseAddress!, p.baseAddress!, prefix.count) == 0 }
    }
}

/// Reads directories into sorted entry lists, remembering large ones between listing pages.
///
/// A remembered list is reused only while the directory's inode and modification time are
/// unchanged and that modification time was at least ``settleNanoseconds`` older than the moment
/// the list was read. File systems stamp times with a coarse clock (a kernel tick, or a whole
/// second on some), so a directory changed in the same tick as an earlier read would keep its
/// time; lists read that soon after a change are therefore never reused.
final class DirectoryEntryCache: Sendable {
    /// How old a directory's modification must be before a list read from it may be reused.
    static let settleNanoseconds: Int64 = 2_000_000_000
    /// Directories with fewer entries are cheap to re-read and are not remembered.
    static let minimumCachedEntries = 128
    /// Upper bound on remembered entries across all directories (cleared when exceeded).
    static let maximumCachedEntries = 2_000_000

    private struct Remembered: Sendable {
        var inode: UInt64
        var device: UInt64
        var modificationNanoseconds: Int64
        var entries: [DirectoryEntry]
    }

    private struct State: Sendable {
        var directories: [String: Remembered] = [:]
        var totalEntries = 0
    }

    private let state = Mutex(State())

    init() {}

    /// The entries of the directory at `directoryPath`, sorted by ``DirectoryEntry/key``.
    /// A missing directory (or a path through a non-directory) has no entries.
    func sortedEntries(of directoryPath: String, objectPath: String) throws(ObjectStoreError) -> [DirectoryEntry] {
        let readStart = SystemCalls.wallClockNanoseconds()
        let (info, statErrno) = SystemCalls.status(directoryPath)
        guard let info else {
            if statErrno == ENOENT || statErrno == ENOTDIR { return [] }
            throw SystemCalls.error("stat", directoryPath, objectPath: objectPath, errno: statErrno)
        }
        guard info.isDirectory else { return [] }
        let inode = UInt64(info.st_ino)
        let device = UInt64(info.st_dev)
        let modified = info.modificationNanoseconds

        let remembered = state.withLock { state -> [DirectoryEntry]? in
            guard let entry = state.directories[directoryPath] else { return nil }
            if entry.inode == inode, entry.device == device, entry.modificationNanoseconds == modified {
                return entry.entries
            }
            state.directories[directoryPath] = nil
            state.totalEntries -= entry.entries.count
            return nil
        }
        if let remembered { return remembered }

        let entries = try Self.readSortedEntries(of: directoryPath, objectPath: objectPath)
        if entries.count >= Self.minimumCachedEntries, modified <= readStart - Self.settleNanoseconds {
            state.withLock { state in
                if state.totalEntries + entries.count > Self.maximumCachedEntries {
                    state.directories.removeAll()
                    state.totalEntries = 0
                }
                if let previous = state.directories[directoryPath] { state.totalEntries -= previous.entries.count }
                state.directories[directoryPath] = Remembered(
                    inode: inode, device: device, modificationNanoseconds: modified, entries: entries)
                state.totalEntries += entries.count
            }
        }
        return entries
    }

    /// Reads a directory with `opendir`/`readdir`: regular files and directories only (symlinks,
    /// sockets, … are skipped, never followed), names that are not valid UTF-8 skipped, sorted.
    static func readSortedEntries(of directoryPath: String, objectPath: String) throws(ObjectStoreError) -> [DirectoryEntry] {
        guard let directory = opendir(directoryPath) else {
            let value = errno
            if value == ENOENT || value == ENOTDIR { return [] }
            throw SystemCalls.error("opendir", directoryPath, objectPath: objectPath, errno: value)
        }
        defer { closedir(directory) }
        let descriptor = dirfd(directory)
        let nameOffset = MemoryLayout<dirent>.offset(of: \dirent.d_name) ?? 19
        var entries: [DirectoryEntry] = []
        while true {
            errno = 0
            guard let record = readdir(directory) else {
                let value = errno
                if value != 0 { throw SystemCalls.error("readdir", directoryPath, objectPath: objectPath, errno: value) }
                break
            }
            let namePointer = (UnsafeRawPointer(record) + nameOffset).assumingMemoryBound(to: CChar.self)
            let nameLength = strlen(namePointer)
            let nameBytes = UnsafeRawBufferPointer(start: namePointer, count: nameLength)
            if nameLength == 1 && nameBytes[0] == UInt8(ascii: ".") { continue }
            if nameLength == 2 && nameBytes[0] == UInt8(ascii: ".") && nameBytes[1] == UInt8(ascii: ".") { continue }

            var kind: DirectoryEntry.Kind
            switch Int32(record.pointee.d_type) {
            case Int32(DT_REG): kind = .file
            case Int32(DT_DIR): kind = .directory
            case Int32(DT_UNKNOWN):
                var info = stat()
                guard fstatat(descriptor, namePointer, &info, AT_SYMLINK_NOFOLLOW) == 0 else { continue }
                if info.isRegularFile {
                    kind = .file
                } else if info.isDirectory {
                    kind = .directory
                } else {
                    continue
                }
            default: continue
            }
            guard let name = String(validating: nameBytes, as: UTF8.self) else { continue }
            var key = Array(nameBytes)
            if kind == .directory { key.append(UInt8(ascii: "/")) }
            entries.append(DirectoryEntry(name: name, key: key, kind: kind))
        }
        entries.sort { bytewiseLess($0.key, $1.key) }
        return entries
    }
}
