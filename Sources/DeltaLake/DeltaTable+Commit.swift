import JSONCoding
import Columnar
import ObjectStore

extension DeltaTable {
    /// Commits `actions` as the version after `readSnapshot` (version 0 when nil).
    ///
    /// A `commitInfo` (timestamp, operation, operationParameters, readVersion, isBlindAppend,
    /// engineInfo, txnId) is written as the first line. On a lost race the winning commits are
    /// read: when they only append (add/txn/commitInfo), change no metadata/protocol, remove none
    /// of `readPaths` or of the files this commit removes, and set no `txn` appId this commit sets,
    /// the commit is retried at the next version; otherwise ``DeltaError/Code/commitConflict``.
    /// A put that fails ambiguously is resolved by reading the version back and looking for our txnId.
    ///
    /// - Parameters:
    ///   - readPaths: data files the transaction read (a concurrent remove of one is a conflict).
    ///   - txn: recorded as a `txn` action; the commit is skipped when the snapshot already has it.
    ///   - operationMetrics: written as `commitInfo.operationMetrics` when given.
    public func commit(
        _ actions: [DeltaAction], readSnapshot: DeltaSnapshot?, operation: String,
        operationParameters: JSONValue = .object([]), readPaths: Set<String> = [], txn: DeltaTransaction? = nil,
        operationMetrics: JSONValue? = nil
    ) async throws(DeltaError) -> DeltaCommitResult {
        var actions = actions.filter { if case .commitInfo = $0 { return false }; return true }
        let now = WallClock.nowMillis()
        if let snapshot = readSnapshot {
            if let txn, let done = snapshot.transactionVersion(appId: txn.appId), done >= txn.version {
                return DeltaCommitResult(version: snapshot.version, attempts: 0, skipped: true, addedFiles: [], checkpointError: nil)
            }
            var metadata = snapshot.metadata
            var protocolAction = snapshot.protocol
            for action in actions {
                if case .metadata(let m) = action { metadata = m }
                if case .protocol(let p) = action { protocolAction = p }
            }
            try DeltaFeatures.checkWritable(protocolAction, metadata: metadata, schema: try metadata.schema())
            if metadata.configuration["delta.appendOnly"]?.lowercased() == "true",
               actions.contains(where: { if case .remove(let r) = $0 { return r.dataChange }; return false }) {
                throw DeltaError(.invalidArgument, "the table is append-only (delta.appendOnly=true): removing data is not allowed")
            }
        }
        if let txn {
            actions.append(.transaction(DeltaTransaction(appId: txn.appId, version: txn.version, lastUpdated: txn.lastUpdated ?? now)))
        }
        let ours = CommitFootprint(actions: actions, readPaths: readPaths)
        let txnId = UUIDText.random()
        var version = (readSnapshot?.version ?? -1) + 1
        var attempts = 0
        while true {
            attempts += 1
            guard attempts <= max(1, options.maxCommitAttempts) else {
                throw DeltaError(.tooManyRetries, "gave up after \(attempts - 1) attempts; last tried version \(version)")
            }
            var info: [(String, JSONValue)] = [
                ("timestamp", .int(now)), ("operation", .string(operation)), ("operationParameters", operationParameters),
            ]
            if let readSnapshot { info.append(("readVersion", .int(readSnapshot.version))) }
            if let operationMetrics { info.append(("operationMetrics", operationMetrics)) }
            info += [
                ("isolationLevel", .string("WriteSerializable")), ("isBlindAppend", .bool(ours.isBlindAppend)),
                ("engineInfo", .string(DeltaTable.engineInfo)), ("txnId", .string(txnId)),
            ]
            var text = DeltaAction.commitInfo(.object(info)).json.serialized + "\n"
            for action in actions { text += action.json.serialized + "\n" }
            let path = try layout.commitPath(version)
            do {
                try await store.put(path, Array(text.utf8), mode: .createOnly)
            } catch let putError {
                let winner: [DeltaAction]
                if putError.code == .alreadyExists {
                    winner = try await logReader.readCommit(version)
                } else {
                    // Ambiguous: the put may have landed. Read the version back.
                    do {
                        winner = try await logReader.readCommit(version)
                    } catch let readError where readError.code == .missingCommit {
                        continue  // it did not land: retry the same version
                    } catch {
                        throw DeltaError(.storage, "commit \(version) failed and could not be checked", path: path.rawValue, underlying: "\(error.description); put: \(putError.description)")
                    }
                    if CommitFootprint.hasTxnId(winner, txnId) { break }
                }
                guard readSnapshot != nil else {
                    throw DeltaError(.tableExists, "a table already exists at '\(layout.root)'", path: path.rawValue)
                }
                try ours.checkNoConflict(with: winner, version: version)
                version += 1
                continue
            }
            break
        }
        var result = DeltaCommitResult(version: version, attempts: attempts, skipped: false,
                                       addedFiles: actions.compactMap { if case .add(let a) = $0 { return a }; return nil }, checkpointError: nil)
        if options.writeCheckpoints, version > 0 {
            var configuration = readSnapshot?.metadata.configuration ?? [:]
            for action in actions { if case .metadata(let m) = action { configuration = m.configuration } }
            let interval = configuration["delta.checkpointInterval"].flatMap { Int64($0) } ?? 10
            if interval > 0, version % interval == 0 {
                do { try await writeCheckpoint(version: version) } catch { result.checkpointError = error }
            }
        }
        return result
    }

    /// Writes `N.checkpoint.parquet` for `version` (the latest when nil) and updates `_last_checkpoint`.
    public func writeCheckpoint(version: Int64? = nil) async throws(DeltaError) {
        let snapshot = try await snapshot(version: version)
        let retention = DeltaInterval.milliseconds(snapshot.metadata.configuration["delta.deletedFileRetentionDuration"]) ?? 604_800_000
        let (bytes, rows) = try CheckpointWriter.file(snapshot, tombstoneCutoff: DeltaInterval.before(WallClock.nowMillis(), retention))
        let path = try layout.checkpointPath(snapshot.version)
        do { try await store.put(path, bytes, mode: .overwrite) } catch { throw error.delta("cannot write checkpoint") }
        if let current = await logReader.lastCheckpointVersion(), current > snapshot.version { return }
        let pointer = JSONValue.object([
            ("version", .int(snapshot.version)), ("size", .int(rows)), ("sizeInBytes", .int(bytes.count)),
            ("numOfAddFiles", .int(snapshot.files.count)),
        ])
        let pointerPath = try layout.lastCheckpointPath()
        do { try await store.put(pointerPath, Array(pointer.serialized.utf8), mode: .overwrite) } catch {
            throw error.delta("cannot write _last_checkpoint")
        }
    }
}

/// What a pending commit touches, for conflict checks against concurrent winners.
struct CommitFootprint {
    var appIds: Set<String> = []
    var removedPaths: Set<String> = []
    var readPaths: Set<String>
    var domains: Set<String> = []
    var changesMetadata = false
    var isBlindAppend: Bool

    init(actions: [DeltaAction], readPaths: Set<String>) {
        self.readPaths = readPaths
        var blind = readPaths.isEmpty
        for action in actions {
            switch action {
            case .transaction(let t): appIds.insert(t.appId)
            case .remove(let r): removedPaths.insert(r.path); blind = false
            case .metadata, .protocol: changesMetadata = true; blind = false
            case .domainMetadata(let d): domains.insert(d.domain); blind = false
            case .add, .commitInfo: break
            case .unknown: blind = false
            }
        }
        isBlindAppend = blind
    }

    static func hasTxnId(_ actions: [DeltaAction], _ txnId: String) -> Bool {
        actions.contains { if case .commitInfo(let info) = $0 { return info["txnId"]?.stringValue == txnId }; return false }
    }

    func checkNoConflict(with winner: [DeltaAction], version: Int64) throws(DeltaError) {
        let conflict = { (why: String) -> DeltaError in
            DeltaError(.commitConflict, "concurrent commit \(version) conflicts: \(why)")
        }
        for action in winner {
            switch action {
            case .metadata: throw conflict("it changed the table metadata")
            case .protocol: throw conflict("it changed the protocol")
            case .transaction(let t) where appIds.contains(t.appId):
                throw conflict("it committed txn appId '\(t.appId)' (version \(t.version)) too")
            case .remove(let r) where removedPaths.contains(r.path):
                throw conflict("both remove '\(r.path)'")
            case .remove(let r) where readPaths.contains(r.path):
                throw conflict("it removed '\(r.path)', which this transaction read")
            case .add(let a) where !isBlindAppend && a.dataChange:
                throw conflict("it added '\(a.path)' while this transaction rewrites data")
            case .domainMetadata(let d) where domains.contains(d.domain):
                throw conflict("both change domain '\(d.domain)'")
            default: break
            }
        }
    }
}
