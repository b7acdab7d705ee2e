/// What an event does to the merged table.
public enum ChangeOperation: Sendable, Hashable {
    /// `INSERT`, `UPDATE`, `UPDATE-INSERT`, empty or missing change type: the full row is the new state.
    case upsert
    /// `DELETE`, `UPDATE-DELETE` (first half of a primary-key change), or `is_deleted == true`.
    case delete

    /// The operation for a `change_type` text (as UTF-8 bytes) and an `is_deleted` flag.
    ///
    /// Deletes are recognised from the change type first, because `is_deleted` is `false` on
    /// Oracle's `UPDATE-DELETE`; `is_deleted == true` alone also deletes.
    public init(changeType: some Collection<UInt8>, isDeleted: Bool?) {
        if isDeleted == true || ChangeOperation.isDeleteChangeType(changeType) {
            self = .delete
        } else {
            self = .upsert
        }
    }

    static func isDeleteChangeType(_ bytes: some Collection<UInt8>) -> Bool {
        // ASCII case-insensitive comparison against DELETE and UPDATE-DELETE without allocating.
        func equals(_ literal: StaticString) -> Bool {
            guard bytes.count == literal.utf8CodeUnitCount else { return false }
            var index = 0
            let base = literal.utf8Start
            for byte in bytes {
                let upper = byte >= 97 && byte <= 122 ? byte - 32 : byte
                if upper != base[index] { return false }
                index += 1
            }
            return true
        }
        return equals("DELETE") || equals("UPDATE-DELETE")
    }
}
