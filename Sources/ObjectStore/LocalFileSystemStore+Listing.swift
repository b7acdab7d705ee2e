#if canImport(Glibc)
import Glibc
#endif

extension LocalFileSystemStore {
    /// Lists regular files under `prefix` in byte-wise path order.
    ///
    /// The walk starts in the deepest directory the prefix names (`"a/b/c"` → `<root>/a/b`, keeping
    /// names that start with `c`), visits siblings in key order (see ``DirectoryEntry/key``) and
    /// skips whole subtrees that sort at or before `startAfter`, so a page costs the directories on
    /// the way to `startAfter` plus the entries it returns. Large directories' sorted entries are
    /// remembered between pages (see ``DirectoryEntryCache``).
    public func list(prefix: String, startAfter: ObjectPath?, limit: Int) async throws(ObjectStoreError) -> ObjectListing {
        guard limit > 0 else { throw ObjectStoreError(.invalidArgument, "listing limit must be positive, got \(limit)") }
        let prefixBytes = Array(prefix.utf8)
        var directoryPart: [UInt8] = []
        var nameFilter = prefixBytes
        if let slash = prefixBytes.lastIndex(of: UInt8(ascii: "/")) {
            directoryPart = Array(prefixBytes[...slash])  // with the trailing "/"
            nameFilter = Array(prefixBytes[(slash + 1)...])
            // No object path has an empty, "." or ".." segment, so such a prefix matches nothing;
            // checking this also keeps the walk inside the root.
            guard let directoryString = String(validating: directoryPart.dropLast(), as: UTF8.self),
                (try? ObjectPath(directoryString)) != nil
            else { return ObjectListing(objects: [], nextStartAfter: nil) }
            // Symlinks are not followed, not even on the way to the prefix's directory.
            guard startsOnRealDirectory(directoryString) else { return ObjectListing(objects: [], nextStartAfter: nil) }
        }

        var walk = ListingWalk(
            store: self,
            startAfter: startAfter.map { Array($0.rawValue.utf8) },
            wanted: min(limit, Int.max - 1) + 1
        )
        try walk.visit(directoryRelative: directoryPart, nameFilter: nameFilter)

        var objects = walk.found
        var next: ObjectPath?
        if objects.count > limit {
            objects.removeLast(objects.count - limit)
            next = objects.last?.path
        }
        return ObjectListing(objects: objects, nextStartAfter: next)
    }

    /// Whether `<root>/<relative>` is a directory reached without passing through a symlink (the
    /// root itself is already resolved, so its real path must be the same string).
    private func startsOnRealDirectory(_ relative: String) -> Bool {
        let absolute = root == "/" ? "/" + relative : root + "/" + relative
        guard let resolved = realpath(absolute, nil) else { return false }
        defer { free(resolved) }
        return String(cString: resolved).utf8.elementsEqual(absolute.utf8)
    }
}

/// The state of one listing page's depth-first walk.
private struct ListingWalk {
    let store: LocalFileSystemStore
    /// Only paths strictly after this (byte-wise) are returned.
    let startAfter: [UInt8]?
    /// How many objects to collect before stopping (`limit + 1`, to know whether more remain).
    let wanted: Int
    var found: [ObjectMetadata] = []

    init(store: LocalFileSystemStore, startAfter: [UInt8]?, wanted: Int) {
        self.store = store
        self.startAfter = startAfter
        self.wanted = wanted
    }

    var isDone: Bool { found.count >= wanted }

    /// Walks the directory `directoryRelative` (relative to the root, empty or ending in `/`),
    /// keeping only children whose name starts with `nameFilter` (bytes).
    mutating func visit(directoryRelative: [UInt8], nameFilter: [UInt8]) throws(ObjectStoreError) {
        let relativeString = String(decoding: directoryRelative, as: UTF8.self)
        let absolute = store.root == "/" ? "/" + relativeString : store.root + "/" + relativeString
        let entries = try store.directoryCache.sortedEntries(of: absolute, objectPath: relativeString)
        guard !entries.isEmpty else { return }

        var index = 0
        if !nameFilter.isEmpty {
            index = firstIndex(in: entries) { !bytewiseLess($0.key, nameFilter) }
        }
        // What part of startAfter lies inside this directory decides where to start and which
        // subtree to enter with pruning; subtrees wholly before it are skipped.
        var relativeStartAfter: [UInt8]?
        if let startAfter {
            if hasBytePrefix(startAfter, directoryRelative) {
                let inside = Array(startAfter[directoryRelative.count...])
                relativeStartAfter = inside
                var first = firstIndex(in: entries) { bytewiseLess(inside, $0.key) }
                if first > 0, entries[first - 1].kind == .directory, hasBytePrefix(inside, entries[first - 1].key) {
                    first -= 1
                }
                index = max(index, first)
            } else if !bytewiseLess(startAfter, directoryRelative) {
                return  // every path here sorts before startAfter
            }
        }

        while index < entries.count, !isDone {
            let entry = entries[index]
            index += 1
            if !nameFilter.isEmpty && !hasBytePrefix(entry.key, nameFilter) { break }
            switch entry.kind {
            case .directory:
                try visit(directoryRelative: directoryRelative + entry.key, nameFilter: [])
            case .file:
                if entry.key.starts(with: LocalFileSystemStore.temporaryPrefix.utf8) { continue }
                if let relativeStartAfter, !bytewiseLess(relativeStartAfter, entry.key) { continue }
                try emit(relativeString + entry.name, absolute: absolute + entry.name)
            }
        }
    }

    /// Adds one file, unless it vanished (or stopped being a regular file) since the directory was read.
    private mutating func emit(_ relative: String, absolute: String) throws(ObjectStoreError) {
        guard let path = try? ObjectPath(relative) else { return }
        let (info, value) = SystemCalls.status(absolute, followingSymlinks: false)
        guard let info else {
            if value == ENOENT || value == ENOTDIR { return }
            throw SystemCalls.error("lstat", absolute, objectPath: relative, errno: value)
        }
        guard info.isRegularFile else { return }
        found.append(LocalFileSystemStore.metadata(path, info))
    }

    /// The first index whose entry satisfies `predicate`, which must be false then true along the
    /// sorted entries (binary search).
    private func firstIndex(in entries: [DirectoryEntry], where predicate: (DirectoryEntry) -> Bool) -> Int {
        var low = 0
        var high = entries.count
        while low < high {
            let middle = low + (high - low) / 2
            if predicate(entries[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
