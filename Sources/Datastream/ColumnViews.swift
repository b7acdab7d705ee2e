import Columnar

/// Typed, non-boxing read access to the columns of an event batch. A view of a struct child
/// also honours the struct's own validity, so a null `source_metadata` reads as all-null fields.

struct StringColumnView: Sendable {
    let offsets: [Int32]
    let data: [UInt8]
    let validity: Bitmap?
    let parentValidity: Bitmap?

    init?(_ column: Column, parentValidity: Bitmap? = nil) {
        guard column.type == .string || column.type == .binary, case let .bytes(offsets, data) = column.storage else { return nil }
        self.offsets = offsets
        self.data = data
        self.validity = column.validity
        self.parentValidity = parentValidity
    }

    func isNull(_ row: Int) -> Bool {
        if let parentValidity, !parentValidity[row] { return true }
        if let validity, !validity[row] { return true }
        return false
    }

    /// The UTF-8 bytes of `row`, or nil when null.
    func bytes(_ row: Int) -> ArraySlice<UInt8>? {
        guard !isNull(row) else { return nil }
        return data[Int(offsets[row])..<Int(offsets[row + 1])]
    }

    func string(_ row: Int) -> String? {
        bytes(row).map { String(decoding: $0, as: UTF8.self) }
    }
}

struct IntegerColumnView: Sendable {
    private enum Values: Sendable { case int8([Int8]), int16([Int16]), int32([Int32]), int64([Int64]) }
    private let values: Values
    let validity: Bitmap?
    let parentValidity: Bitmap?

    init?(_ column: Column, parentValidity: Bitmap? = nil) {
        switch column.storage {
        case .int8(let v): values = .int8(v)
        case .int16(let v): values = .int16(v)
        case .int32(let v) where column.type == .int32: values = .int32(v)
        case .int64(let v): values = .int64(v)
        default: return nil
        }
        self.validity = column.validity
        self.parentValidity = parentValidity
    }

    func value(_ row: Int) -> Int64? {
        if let parentValidity, !parentValidity[row] { return nil }
        if let validity, !validity[row] { return nil }
        switch values {
        case .int8(let v): return Int64(v[row])
        case .int16(let v): return Int64(v[row])
        case .int32(let v): return Int64(v[row])
        case .int64(let v): return v[row]
        }
    }
}

struct BooleanColumnView: Sendable {
    let bits: Bitmap
    let validity: Bitmap?
    let parentValidity: Bitmap?

    init?(_ column: Column, parentValidity: Bitmap? = nil) {
        guard case .boolean(let bits) = column.storage else { return nil }
        self.bits = bits
        self.validity = column.validity
        self.parentValidity = parentValidity
    }

    func value(_ row: Int) -> Bool? {
        if let parentValidity, !parentValidity[row] { return nil }
        if let validity, !validity[row] { return nil }
        return bits[row]
    }
}

/// `list<string>` (primary_keys, replication_index).
struct StringListColumnView: Sendable {
    let offsets: [Int32]
    let elements: StringColumnView
    let validity: Bitmap?
    let parentValidity: Bitmap?

    init?(_ column: Column, parentValidity: Bitmap? = nil) {
        guard case let .list(offsets, elementColumn) = column.storage, let elements = StringColumnView(elementColumn) else { return nil }
        self.offsets = offsets
        self.elements = elements
        self.validity = column.validity
        self.parentValidity = parentValidity
    }

    func strings(_ row: Int) -> [String] {
        if let parentValidity, !parentValidity[row] { return [] }
        if let validity, !validity[row] { return [] }
        return (Int(offsets[row])..<Int(offsets[row + 1])).compactMap { elements.string($0) }
    }
}

/// `sort_keys`: `list<struct<member0: string, member1: long>>`.
struct SortKeysColumnView: Sendable {
    let offsets: [Int32]
    let texts: StringColumnView
    let integers: IntegerColumnView
    let validity: Bitmap?

    init?(_ column: Column) {
        guard case let .list(offsets, elements) = column.storage, case let .structure(members) = elements.storage,
              case let .structure(fields) = elements.type, fields.count == 2 else { return nil }
        // Tolerate member order: pick the string member and the integer member by type.
        guard let textIndex = fields.firstIndex(where: { $0.type == .string }),
              let integerIndex = fields.firstIndex(where: { $0.type == .int64 || $0.type == .int32 }),
              let texts = StringColumnView(members[textIndex], parentValidity: elements.validity),
              let integers = IntegerColumnView(members[integerIndex], parentValidity: elements.validity)
        else { return nil }
        self.offsets = offsets
        self.texts = texts
        self.integers = integers
        self.validity = column.validity
    }

    func values(_ row: Int) -> [SortKeyValue] {
        if let validity, !validity[row] { return [] }
        var result: [SortKeyValue] = []
        for element in Int(offsets[row])..<Int(offsets[row + 1]) {
            if let text = texts.string(element) {
                result.append(.text(text))
            } else if let integer = integers.value(element) {
                result.append(.integer(integer))
            }
        }
        return result
    }
}
