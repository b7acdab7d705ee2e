import JSONCoding
import Columnar
import ObjectStore
import Parquet

/// Reads commit files, checkpoints and `_last_checkpoint` of one table.
struct DeltaLogReader: Sendable {
    let store: any ObjectStore
    let layout: DeltaLogLayout

    /// What a listing of `_delta_log` found.
    struct Listing {
        var commits: [Int64: ObjectMetadata] = [:]
        /// Complete checkpoints: version → part paths in part order.
        var checkpoints: [Int64: [ObjectPath]] = [:]
        var latestVersion: Int64? { commits.keys.max().map { max($0, checkpoints.keys.max() ?? $0) } ?? checkpoints.keys.max() }
    }

    func list(startingAt version: Int64? = nil) async throws(DeltaError) -> Listing {
        var startAfter: ObjectPath?
        if let version, version > 0 {
            startAfter = try layout.path("_delta_log/" + DeltaLogLayout.padded(version - 1, width: 20) + ".zzz")
        }
        let objects: [ObjectMetadata]
        do { objects = try await store.listAll(prefix: layout.logPrefix, startAfter: startAfter) } catch {
            throw error.delta("cannot list \(layout.logPrefix)")
        }
        var listing = Listing()
        var parts: [Int64: [Int: [Int: ObjectPath]]] = [:]  // version → parts-count → part → path
        for object in objects {
            let name = object.path.rawValue.split(separator: "/").last.map(String.init) ?? ""
            switch DeltaLogFile(fileName: name) {
            case .commit(let v)?: listing.commits[v] = object
            case .checkpoint(let v, nil, _)?: listing.checkpoints[v] = [object.path]
            case .checkpoint(let v, let part?, let count?)?: parts[v, default: [:]][count, default: [:]][part] = object.path
            default: break
            }
        }
        for (version, byCount) in parts where listing.checkpoints[version] == nil {
            for (count, found) in byCount where found.count == count {
                listing.checkpoints[version] = (1...count).compactMap { found[$0] }
            }
        }
        return listing
    }

    /// `_last_checkpoint`'s version, nil when absent or unreadable (it is only a hint).
    func lastCheckpointVersion() async -> Int64? {
        guard let path = try? layout.lastCheckpointPath(), let bytes = try? await store.get(path),
              let json = try? JSONValue(parsing: bytes) else { return nil }
        return json["version"]?.int64Value.flatMap { $0 >= 0 && $0 < DeltaLogFile.maximumVersion ? $0 : nil }
    }

    /// The actions of commit `version`, in line order.
    func readCommit(_ version: Int64) async throws(DeltaError) -> [DeltaAction] {
        let path = try layout.commitPath(version)
        let bytes: [UInt8]
        do { bytes = try await store.get(path) } catch {
            if error.code == .notFound { throw DeltaError(.missingCommit, "commit \(version) does not exist", path: path.rawValue) }
            throw error.delta("cannot read commit \(version)")
        }
        return try DeltaLogReader.parseCommit(bytes, path: path.rawValue)
    }

    /// Parses newline-delimited JSON actions; empty lines are skipped.
    static func parseCommit(_ bytes: [UInt8], path: String) throws(DeltaError) -> [DeltaAction] {
        var actions: [DeltaAction] = []
        var lineNumber = 0
        for line in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            let trimmed = line.last == UInt8(ascii: "\r") ? line.dropLast() : line
            guard trimmed.contains(where: { $0 != 0x20 && $0 != 0x09 }) else { continue }
            let json: JSONValue
            do throws(JSONParseError) {
                json = try JSONValue(parsing: Array(trimmed))
            } catch {
                throw DeltaError(.invalidJSON, error.description).at(path: path, line: lineNumber)
            }
            do throws(DeltaError) {
                actions.append(try DeltaAction(json: json))
            } catch {
                throw error.at(path: path, line: lineNumber)
            }
        }
        return actions
    }

    /// The actions stored in a (possibly multi-part) checkpoint.
    func readCheckpoint(_ parts: [ObjectPath]) async throws(DeltaError) -> [DeltaAction] {
        var actions: [DeltaAction] = []
        for path in parts {
            let bytes: [UInt8]
            do { bytes = try await store.get(path) } catch { throw error.delta("cannot read checkpoint") }
            actions.append(contentsOf: try CheckpointReader.actions(bytes, fileName: path.rawValue))
        }
        return actions
    }

    /// Replays the log up to `version` (the latest when nil).
    func snapshot(version target: Int64? = nil) async throws(DeltaError) -> DeltaSnapshot {
        var listing: Listing
        if let hint = await lastCheckpointVersion(), target.map({ $0 >= hint }) ?? true {
            listing = try await list(startingAt: hint)
            if listing.checkpoints[hint] == nil { listing = try await list() }
        } else {
            listing = try await list()
        }
        guard let latest = listing.latestVersion else {
            throw DeltaError(.tableNotFound, "no Delta log under '\(layout.logPrefix)'")
        }
        let version = target ?? latest
        guard version >= 0, version <= latest else {
            throw DeltaError(.versionNotFound, "version \(version) does not exist (latest is \(latest))")
        }
        let checkpointVersion = listing.checkpoints.keys.filter { $0 <= version }.max()
        let first = checkpointVersion.map { $0 + 1 } ?? 0
        if first <= version {
            for v in first...version where listing.commits[v] == nil {
                let have = listing.commits.keys.sorted()
                throw DeltaError(.missingCommit, "commit \(v) is missing from the log (needed for version \(version); found commits \(summary(have))\(checkpointVersion.map { ", checkpoint \($0)" } ?? ""))",
                                 path: (try? layout.commitPath(v))?.rawValue)
            }
        }
        var replay = LogReplay()
        if let checkpointVersion, let parts = listing.checkpoints[checkpointVersion] {
            for action in try await readCheckpoint(parts) { replay.apply(action) }
        }
        var commitInfo: JSONValue?
        if first <= version {
            for v in first...version {
                replay.lastCommitInfo = nil
                for action in try await readCommit(v) { replay.apply(action) }
                commitInfo = replay.lastCommitInfo
            }
        }
        return try replay.snapshot(version: version, commitInfo: commitInfo)
    }

    /// The commit timestamp of each listed commit: `commitInfo.timestamp` (or `inCommitTimestamp`), else the file's modification time.
    func commitTimestamps() async throws(DeltaError) -> [(version: Int64, timestamp: Int64)] {
        let listing = try await list()
        var result: [(Int64, Int64)] = []
        for (version, meta) in listing.commits.sorted(by: { $0.key < $1.key }) {
            var timestamp = meta.lastModifiedMillis
            for action in try await readCommit(version) {
                if case .commitInfo(let info) = action, let t = info["inCommitTimestamp"]?.int64Value ?? info["timestamp"]?.int64Value {
                    timestamp = t
                    break
                }
            }
            result.append((version, timestamp))
        }
        return result
    }

    private func summary(_ versions: [Int64]) -> String {
        guard let first = versions.first, let last = versions.last else { return "none" }
        return versions.count == Int(last - first + 1) ? "\(first)...\(last)" : versions.map(String.init).joined(separator: ",")
    }
}
