import Columnar
import ObjectStore

/// What ``DeltaTable/vacuum(retentionMillis:dryRun:enforceRetention:nowMillis:)`` found or deleted.
public struct VacuumResult: Sendable {
    /// Store paths of the data files deleted (or, for a dry run, that would be).
    public var files: [String]
    public var bytes: Int64
    public var dryRun: Bool
}

extension DeltaTable {
    /// The smallest retention `vacuum` accepts unless `enforceRetention` is false: one hour.
    public static let minimumVacuumRetentionMillis: Int64 = 3_600_000

    /// Deletes data files the latest snapshot does not reference once they are older than the
    /// retention: tombstoned files whose `remove.deletionTimestamp` is before `now - retention`,
    /// and files never referenced (or whose tombstone is gone) whose modification time is.
    ///
    /// The retention is `retentionMillis`, else `delta.deletedFileRetentionDuration`
    /// (`interval 7 days`), else 7 days; below one hour it is refused unless `enforceRetention`
    /// is false. `_delta_log` and every path with a segment starting with `_` or `.` are never
    /// touched. Versions whose files were deleted can no longer be read (time travel fails with
    /// ``DeltaError/Code/storage`` naming the missing file).
    @discardableResult
    public func vacuum(
        retentionMillis: Int64? = nil, dryRun: Bool = false, enforceRetention: Bool = true, nowMillis: Int64? = nil
    ) async throws(DeltaError) -> VacuumResult {
        let snapshot = try await snapshot()
        let configured = snapshot.metadata.configuration["delta.deletedFileRetentionDuration"]
        var retention: Int64 = 7 * 86_400_000
        if let retentionMillis {
            retention = retentionMillis
        } else if let configured {
            guard let parsed = DeltaInterval.milliseconds(configured) else {
                throw DeltaError(.invalidArgument, "cannot parse delta.deletedFileRetentionDuration '\(configured)'")
            }
            retention = parsed
        }
        if enforceRetention, retention < DeltaTable.minimumVacuumRetentionMillis {
            throw DeltaError(.invalidArgument, "vacuum retention \(retention) ms is below one hour; pass enforceRetention: false to allow it (readers of older versions may fail)")
        }
        let cutoff = DeltaInterval.before(nowMillis ?? WallClock.nowMillis(), retention)

        var live = Set<String>()
        for file in snapshot.files.keys { live.insert(try layout.dataPath(file).rawValue) }
        var tombstoneTimes: [String: Int64] = [:]
        for (path, remove) in snapshot.tombstones {
            guard let storePath = try? layout.dataPath(path).rawValue else { continue }
            tombstoneTimes[storePath] = remove.deletionTimestamp ?? 0
        }
        let prefix = layout.prefixed("")
        let objects: [ObjectMetadata]
        do { objects = try await store.listAll(prefix: prefix) } catch { throw error.delta("cannot list \(prefix)") }
        var result = VacuumResult(files: [], bytes: 0, dryRun: dryRun)
        for object in objects {
            let path = object.path.rawValue
            guard path.hasPrefix(prefix) else { continue }
            let relative = path.dropFirst(prefix.count)
            guard !relative.split(separator: "/").contains(where: { $0.hasPrefix("_") || $0.hasPrefix(".") }) else { continue }
            guard !live.contains(path) else { continue }
            let time = tombstoneTimes[path] ?? object.lastModifiedMillis
            guard time < cutoff else { continue }
            result.files.append(path)
            result.bytes += Int64(object.size)
        }
        guard !dryRun else { return result }
        for path in result.files {
            do { try await store.delete(try ObjectPath(path)) } catch { throw error.delta("cannot delete expired data file") }
        }
        return result
    }
}
