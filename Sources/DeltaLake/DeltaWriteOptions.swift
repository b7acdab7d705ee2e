import Parquet

/// Knobs of ``DeltaTable`` writes.
public struct DeltaWriteOptions: Sendable {
    /// How many times a commit is attempted before ``DeltaError/Code/tooManyRetries`` (Spark/delta-rs use 15).
    public var maxCommitAttempts: Int = 15
    /// Rows per data file; a larger batch is split into several files.
    public var maxRowsPerFile: Int = 1_000_000
    /// Options of the Parquet data files (snappy by default).
    public var parquet = ParquetWriterOptions()
    /// Write a checkpoint after every `delta.checkpointInterval`-th commit (default 10).
    public var writeCheckpoints = true

    public init() {}
}

/// The outcome of a commit.
public struct DeltaCommitResult: Sendable {
    /// The version committed (or, when `skipped`, the snapshot version that already had the txn).
    public var version: Int64
    /// Put attempts made (1 when there was no race).
    public var attempts: Int
    /// True when the `txn` (appId, version) was already committed, so nothing was written.
    public var skipped: Bool
    /// Data files added by this commit.
    public var addedFiles: [DeltaAddFile]
    /// Set when the commit succeeded but the checkpoint that should follow it failed.
    public var checkpointError: DeltaError?
}

/// Parses Delta interval properties (`interval 7 days`, `interval 1 week`) to milliseconds.
enum DeltaInterval {
    /// `time - interval`, saturating at `Int64.min`.
    static func before(_ time: Int64, _ interval: Int64) -> Int64 {
        let (result, overflow) = time.subtractingReportingOverflow(interval)
        return overflow ? Int64.min : result
    }

    static func milliseconds(_ text: String?) -> Int64? {
        guard let text else { return nil }
        let words = text.lowercased().split(separator: " ").filter { !$0.isEmpty }
        var index = 0
        if words.first == "interval" { index = 1 }
        guard words.count == index + 2, let amount = Int64(words[index]) else { return nil }
        var unit = String(words[index + 1])
        if unit.hasSuffix("s") { unit.removeLast() }
        let factor: Int64
        switch unit {
        case "millisecond": factor = 1
        case "second": factor = 1000
        case "minute": factor = 60_000
        case "hour": factor = 3_600_000
        case "day": factor = 86_400_000
        case "week": factor = 604_800_000
        default: return nil
        }
        let (result, overflow) = amount.multipliedReportingOverflow(by: factor)
        return overflow ? nil : result
    }
}
