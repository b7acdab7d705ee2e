import JSONCoding
import Columnar
import ObjectStore

extension DeltaTable {
    /// Schema evolution: appends nullable `fields` to the schema in a metaData-only commit.
    /// Existing data files lack the columns and read as null. A timestamp_ntz column needs a
    /// table that already has reader 3 / writer 7 (the feature is then added).
    @discardableResult
    public func addColumns(_ fields: [Field]) async throws(DeltaError) -> DeltaCommitResult {
        let snapshot = try await snapshot()
        var schema = snapshot.schema
        for field in fields {
            guard field.isNullable else { throw DeltaError(.invalidArgument, "added column '\(field.name)' must be nullable") }
            guard !schema.fields.contains(where: { $0.name.lowercased() == field.name.lowercased() }) else {
                throw DeltaError(.invalidArgument, "column '\(field.name)' already exists")
            }
            schema.fields.append(field)
        }
        var actions: [DeltaAction] = []
        if fields.contains(where: { DeltaFeatures.containsTimestampNTZ($0.type) }), !(snapshot.protocol.writerFeatures ?? []).contains("timestampNtz") {
            var upgraded = snapshot.protocol
            guard upgraded.minReaderVersion == 3, upgraded.minWriterVersion == 7 else {
                throw DeltaError(.unsupportedWriterFeature, "adding a timestamp_ntz column needs a table with reader version 3 / writer version 7")
            }
            upgraded.readerFeatures = (upgraded.readerFeatures ?? []) + ["timestampNtz"]
            upgraded.writerFeatures = (upgraded.writerFeatures ?? []) + ["timestampNtz"]
            actions.append(.protocol(upgraded))
        }
        var metadata = snapshot.metadata
        metadata.schemaString = DeltaSchemaCoding.encode(schema)
        actions.append(.metadata(metadata))
        let columns = JSONValue.array(fields.map { field in
            .object([("column", .string(field.name)), ("type", DeltaSchemaCoding.typeJSON(field.type))])
        })
        return try await commit(actions, readSnapshot: snapshot, operation: "ADD COLUMNS",
                                operationParameters: .object([("columns", .string(columns.serialized))]))
    }

    /// Log cleanup: deletes commit, checkpoint and `.crc` files of versions before the newest
    /// checkpoint that is older than `delta.logRetentionDuration` (default 30 days), when the files
    /// themselves are older than that. Time travel to those versions is no longer possible.
    /// Returns the number of files deleted.
    @discardableResult
    public func cleanUpLog(nowMillis: Int64? = nil) async throws(DeltaError) -> Int {
        let snapshot = try await snapshot()
        let retention = DeltaInterval.milliseconds(snapshot.metadata.configuration["delta.logRetentionDuration"]) ?? 30 * 86_400_000
        let cutoff = DeltaInterval.before(nowMillis ?? WallClock.nowMillis(), retention)
        let objects: [ObjectMetadata]
        do { objects = try await store.listAll(prefix: layout.logPrefix) } catch { throw error.delta("cannot list \(layout.logPrefix)") }
        var entries: [(version: Int64, isCheckpoint: Bool, meta: ObjectMetadata)] = []
        for object in objects {
            let name = object.path.rawValue.split(separator: "/").last.map(String.init) ?? ""
            switch DeltaLogFile(fileName: name) {
            case .commit(let v)?: entries.append((v, false, object))
            case .checkpoint(let v, _, _)?: entries.append((v, true, object))
            default:
                if name.hasSuffix(".crc"), let v = Int64(name.dropLast(4)) { entries.append((v, false, object)) }
            }
        }
        let complete = try await logReader.list().checkpoints
        guard let keep = complete.keys.filter({ version in
            entries.contains { $0.version == version && $0.isCheckpoint && $0.meta.lastModifiedMillis <= cutoff }
        }).max() else { return 0 }
        var deleted = 0
        for entry in entries where entry.version < keep && entry.meta.lastModifiedMillis <= cutoff {
            do { try await store.delete(entry.meta.path) } catch { throw error.delta("cannot delete expired log file") }
            deleted += 1
        }
        return deleted
    }
}
