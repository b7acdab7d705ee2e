import Columnar
import Foundation
import Testing
import TestSupport

/// Reading columns back into plain Swift values for expectations.
extension Column {
    func child(_ name: String) -> Column? {
        guard case let .structure(fields) = type, case let .structure(children) = storage,
              let index = fields.firstIndex(where: { $0.name == name }) else { return nil }
        return children[index]
    }

    var strings: [String?] {
        guard case let .bytes(offsets, data) = storage else { return [] }
        return (0..<count).map { isNull($0) ? nil : String(decoding: data[Int(offsets[$0])..<Int(offsets[$0 + 1])], as: UTF8.self) }
    }

    var int64s: [Int64?] {
        switch storage {
        case .int64(let v): return (0..<count).map { isNull($0) ? nil : v[$0] }
        case .int32(let v): return (0..<count).map { isNull($0) ? nil : Int64(v[$0]) }
        default: return []
        }
    }

    var doubles: [Double?] {
        guard case .float64(let v) = storage else { return [] }
        return (0..<count).map { isNull($0) ? nil : v[$0] }
    }

    var booleans: [Bool?] {
        guard case .boolean(let bits) = storage else { return [] }
        return (0..<count).map { isNull($0) ? nil : bits[$0] }
    }

    /// Decimal values as exact text.
    var decimalTexts: [String?] {
        guard case let .decimal(_, scale) = type, case .int128(let v) = storage else { return [] }
        return (0..<count).map { isNull($0) ? nil : Decimal128Text.format(v[$0], scale: scale) }
    }

    /// list<string> rows.
    var stringLists: [[String?]?] {
        guard case let .list(offsets, elements) = storage else { return [] }
        let values = elements.strings
        return (0..<count).map { isNull($0) ? nil : Array(values[Int(offsets[$0])..<Int(offsets[$0 + 1])]) }
    }
}

extension RecordBatch {
    func payload(_ name: String) -> Column? { column(named: "payload")?.child(name) }
    func metadata(_ name: String) -> Column? { column(named: "source_metadata")?.child(name) }
}
