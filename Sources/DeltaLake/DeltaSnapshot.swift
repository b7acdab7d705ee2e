import JSONCoding
import Columnar

/// The state of a table at one version: the reconciliation of its log.
public struct DeltaSnapshot: Sendable {
    /// The version this snapshot reflects.
    public let version: Int64
    public let `protocol`: DeltaProtocol
    public let metadata: DeltaMetadata
    /// The table schema (parsed `metadata.schemaString`).
    public let schema: Schema
    /// Live data files by their `add.path`.
    public let files: [String: DeltaAddFile]
    /// Tombstones (latest `remove` per path not re-added), for checkpoints.
    public let tombstones: [String: DeltaRemoveFile]
    /// Latest `txn.version` per application id.
    public let transactions: [String: DeltaTransaction]
    /// Live (not removed) metadata domains.
    public let domainMetadata: [String: DeltaDomainMetadata]
    /// `commitInfo` of the snapshot's own version, when that commit was read (not via a checkpoint).
    public let commitInfo: JSONValue?

    /// Live data files sorted by path.
    public var addFiles: [DeltaAddFile] { files.values.sorted { $0.path < $1.path } }

    /// The last committed version of `appId`, if any.
    public func transactionVersion(appId: String) -> Int64? { transactions[appId]?.version }

    /// `configuration[key]` as an integer.
    func configurationInt(_ key: String) -> Int? {
        metadata.configuration[key].flatMap { Int($0.trimmingCharacters(in: " ")) }
    }
}

extension String {
    fileprivate func trimmingCharacters(in character: Character) -> String {
        var s = Substring(self)
        while s.first == character { s = s.dropFirst() }
        while s.last == character { s = s.dropLast() }
        return String(s)
    }
}

/// Accumulates actions in log order into a snapshot (PROTOCOL §Action Reconciliation).
struct LogReplay {
    var protocolAction: DeltaProtocol?
    var metadata: DeltaMetadata?
    var files: [String: DeltaAddFile] = [:]
    var tombstones: [String: DeltaRemoveFile] = [:]
    var transactions: [String: DeltaTransaction] = [:]
    var domains: [String: DeltaDomainMetadata] = [:]
    var lastCommitInfo: JSONValue?

    mutating func apply(_ action: DeltaAction) {
        switch action {
        case .protocol(let p): protocolAction = p
        case .metadata(let m): metadata = m
        case .add(let add):
            files[add.path] = add
            tombstones[add.path] = nil
        case .remove(let remove):
            files[remove.path] = nil
            tombstones[remove.path] = remove
        case .transaction(let txn): transactions[txn.appId] = txn
        case .domainMetadata(let d):
            if d.removed { domains[d.domain] = nil } else { domains[d.domain] = d }
        case .commitInfo(let info): lastCommitInfo = info
        case .unknown: break
        }
    }

    func snapshot(version: Int64, commitInfo: JSONValue?) throws(DeltaError) -> DeltaSnapshot {
        guard let protocolAction else { throw DeltaError(.invalidAction, "no protocol action in the log up to version \(version)") }
        guard let metadata else { throw DeltaError(.invalidAction, "no metaData action in the log up to version \(version)") }
        try DeltaFeatures.checkReadable(protocolAction, metadata: metadata)
        return DeltaSnapshot(
            version: version, protocol: protocolAction, metadata: metadata, schema: try metadata.schema(),
            files: files, tombstones: tombstones, transactions: transactions, domainMetadata: domains, commitInfo: commitInfo)
    }
}

/// The table features this module implements, and the checks that refuse the others.
public enum DeltaFeatures {
    /// Reader features a table may list and still be read.
    public static let supportedReaderFeatures: Set<String> = ["timestampNtz", "vacuumProtocolCheck"]
    /// Writer features a table may list and still be written (when their table properties ask nothing we cannot do).
    public static let supportedWriterFeatures: Set<String> = [
        "appendOnly", "invariants", "checkConstraints", "changeDataFeed", "generatedColumns",
        "timestampNtz", "domainMetadata", "vacuumProtocolCheck",
    ]

    /// Throws ``DeltaError/Code/unsupportedReaderFeature`` unless this module can read the table.
    public static func checkReadable(_ p: DeltaProtocol, metadata: DeltaMetadata) throws(DeltaError) {
        switch p.minReaderVersion {
        case 1: return
        case 2:
            let mode = metadata.configuration["delta.columnMapping.mode"] ?? "none"
            guard mode == "none" else {
                throw DeltaError(.unsupportedReaderFeature, "the table uses column mapping (mode '\(mode)', reader version 2), which this reader does not implement")
            }
        case 3:
            let unknown = (p.readerFeatures ?? []).filter { !supportedReaderFeatures.contains($0) }
            guard unknown.isEmpty else {
                throw DeltaError(.unsupportedReaderFeature, "the table needs reader feature(s) \(unknown.sorted().joined(separator: ", ")), which this reader does not implement")
            }
        default:
            throw DeltaError(.unsupportedReaderFeature, "reader version \(p.minReaderVersion) is not supported (max 3)")
        }
    }

    /// Throws ``DeltaError/Code/unsupportedWriterFeature`` unless this module can write the table.
    public static func checkWritable(_ p: DeltaProtocol, metadata: DeltaMetadata, schema: Schema) throws(DeltaError) {
        try checkReadable(p, metadata: metadata)
        let refuse = { (what: String) -> DeltaError in
            DeltaError(.unsupportedWriterFeature, "the table needs \(what), which this writer does not implement")
        }
        var features: Set<String>
        switch p.minWriterVersion {
        case 1: features = []
        case 2: features = ["appendOnly", "invariants"]
        case 3: features = ["appendOnly", "invariants", "checkConstraints"]
        case 4: features = ["appendOnly", "invariants", "checkConstraints", "changeDataFeed", "generatedColumns"]
        case 5, 6: throw refuse("writer version \(p.minWriterVersion) (column mapping / identity columns)")
        case 7:
            features = Set(p.writerFeatures ?? [])
            let unknown = features.subtracting(supportedWriterFeatures)
            guard unknown.isEmpty else { throw refuse("writer feature(s) \(unknown.sorted().joined(separator: ", "))") }
        default: throw refuse("writer version \(p.minWriterVersion)")
        }
        let hasColumnMetadata = { (key: String) -> Bool in
            schema.fields.contains { fieldHasMetadata($0, prefix: key) }
        }
        if features.contains("invariants"), hasColumnMetadata("delta.invariants") { throw refuse("column invariants") }
        if features.contains("checkConstraints"), metadata.configuration.keys.contains(where: { $0.hasPrefix("delta.constraints.") }) {
            throw refuse("CHECK constraints")
        }
        if features.contains("generatedColumns"), hasColumnMetadata("delta.generationExpression") { throw refuse("generated columns") }
        if hasColumnMetadata("delta.identity.") { throw refuse("identity columns") }
        if schema.fields.contains(where: { containsTimestampNTZ($0.type) }), !features.contains("timestampNtz") {
            throw DeltaError(.unsupportedWriterFeature, "the schema has a timestamp_ntz column but the protocol does not list the timestampNtz feature")
        }
    }

    private static func fieldHasMetadata(_ field: Field, prefix: String) -> Bool {
        if field.metadata.keys.contains(where: { $0.hasPrefix(prefix) }) { return true }
        switch field.type {
        case .structure(let children): return children.contains { fieldHasMetadata($0, prefix: prefix) }
        case .list(let element): return fieldHasMetadata(element, prefix: prefix)
        case .map(let key, let value): return fieldHasMetadata(key, prefix: prefix) || fieldHasMetadata(value, prefix: prefix)
        default: return false
        }
    }

    /// The protocol a new table with `schema` gets: 1/2, or 3/7 with `timestampNtz` when the schema has a timestamp_ntz column.
    public static func protocolForNewTable(schema: Schema) -> DeltaProtocol {
        if schema.fields.contains(where: { containsTimestampNTZ($0.type) }) {
            return DeltaProtocol(minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ["timestampNtz"], writerFeatures: ["timestampNtz"])
        }
        return DeltaProtocol(minReaderVersion: 1, minWriterVersion: 2)
    }

    static func containsTimestampNTZ(_ type: DataType) -> Bool {
        switch type {
        case .timestampWithoutTimeZone: return true
        case .list(let e): return containsTimestampNTZ(e.type)
        case .map(let k, let v): return containsTimestampNTZ(k.type) || containsTimestampNTZ(v.type)
        case .structure(let fields): return fields.contains { containsTimestampNTZ($0.type) }
        default: return false
        }
    }
}
