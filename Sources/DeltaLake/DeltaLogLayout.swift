import ObjectStore

/// The kinds of file in `_delta_log` this module understands.
enum DeltaLogFile: Hashable, Sendable {
    /// `%020d.json`
    case commit(version: Int64)
    /// `%020d.checkpoint.parquet` (`part`/`parts` nil) or `%020d.checkpoint.%010d.%010d.parquet`.
    case checkpoint(version: Int64, part: Int?, parts: Int?)

    /// Versions at or above this are ignored, so version arithmetic (`+ 1`) can never overflow.
    static let maximumVersion: Int64 = Int64.max / 2

    /// Classifies a file name (the last path segment); nil for anything else (`.crc`, `_last_checkpoint`, UUID checkpoints…).
    init?(fileName: String) {
        let pieces = fileName.split(separator: ".", omittingEmptySubsequences: false)
        guard let first = pieces.first, first.count == 20, first.allSatisfy({ $0.isASCII && $0.isNumber }), let version = Int64(first),
              version < DeltaLogFile.maximumVersion else { return nil }
        if pieces.count == 2, pieces[1] == "json" {
            self = .commit(version: version)
        } else if pieces.count == 3, pieces[1] == "checkpoint", pieces[2] == "parquet" {
            self = .checkpoint(version: version, part: nil, parts: nil)
        } else if pieces.count == 5, pieces[1] == "checkpoint", pieces[4] == "parquet",
                  pieces[2].count == 10, pieces[3].count == 10,
                  let part = Int(pieces[2]), let parts = Int(pieces[3]), part >= 1, parts >= 1, part <= parts {
            self = .checkpoint(version: version, part: part, parts: parts)
        } else {
            return nil
        }
    }
}

/// Paths of a table addressed as (store, root prefix).
struct DeltaLogLayout: Sendable {
    /// The table root inside the store, without leading or trailing `/` ("" = store root).
    let root: String

    init(root: String) {
        var trimmed = Substring(root)
        while trimmed.hasPrefix("/") { trimmed = trimmed.dropFirst() }
        while trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        self.root = String(trimmed)
    }

    /// `root/_delta_log/` (a listing prefix).
    var logPrefix: String { prefixed("_delta_log/") }

    func prefixed(_ relative: String) -> String {
        root.isEmpty ? relative : root + "/" + relative
    }

    func path(_ relative: String) throws(DeltaError) -> ObjectPath {
        do { return try ObjectPath(prefixed(relative)) } catch {
            throw DeltaError(.invalidArgument, "invalid path '\(prefixed(relative))'", underlying: error.description)
        }
    }

    static func padded(_ value: Int64, width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }

    func commitPath(_ version: Int64) throws(DeltaError) -> ObjectPath {
        try path("_delta_log/" + DeltaLogLayout.padded(version, width: 20) + ".json")
    }

    func checkpointPath(_ version: Int64) throws(DeltaError) -> ObjectPath {
        try path("_delta_log/" + DeltaLogLayout.padded(version, width: 20) + ".checkpoint.parquet")
    }

    func lastCheckpointPath() throws(DeltaError) -> ObjectPath {
        try path("_delta_log/_last_checkpoint")
    }

    /// The store path of a data file referenced by an `add`/`remove` path (relative, URI-encoded).
    func dataPath(_ actionPath: String) throws(DeltaError) -> ObjectPath {
        guard !actionPath.contains("://"), !actionPath.hasPrefix("/") else {
            throw DeltaError(.invalidArgument, "absolute data file paths are not supported: '\(actionPath)'")
        }
        return try path(DeltaLogLayout.percentDecoded(actionPath))
    }

    /// RFC 2396 unescaping of `%XX` sequences (invalid sequences are kept as they are).
    static func percentDecoded(_ text: String) -> String {
        guard text.contains("%") else { return text }
        var bytes: [UInt8] = []
        let utf8 = Array(text.utf8)
        var index = 0
        func hex(_ c: UInt8) -> UInt8? {
            switch c {
            case 0x30...0x39: return c - 0x30
            case 0x41...0x46: return c - 0x41 + 10
            case 0x61...0x66: return c - 0x61 + 10
            default: return nil
            }
        }
        while index < utf8.count {
            if utf8[index] == UInt8(ascii: "%"), index + 2 < utf8.count, let hi = hex(utf8[index + 1]), let lo = hex(utf8[index + 2]) {
                bytes.append(hi << 4 | lo)
                index += 3
            } else {
                bytes.append(utf8[index])
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension ObjectStoreError {
    func delta(_ message: String) -> DeltaError {
        DeltaError(.storage, message, path: path, underlying: description)
    }
}
