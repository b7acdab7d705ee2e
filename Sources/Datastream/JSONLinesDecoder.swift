import Columnar
import CompressionCodecs

/// Decodes Datastream JSON files (`.jsonl`, `.jsonl.gz`, and the JSON-array fixtures of the
/// original project) into an event batch of the same shape the Avro path produces.
///
/// Envelope: `uuid`, `object`, `read_method`, `stream_name`, `schema_key` as strings;
/// `read_timestamp` / `source_timestamp` as timestamps (ISO text or epoch milliseconds);
/// `sort_keys` as `list<struct<member0: string, member1: long>>`; `source_metadata` and `payload`
/// as structs whose fields are inferred (see ``JSONTypeReconciliation``). Fields appear in the
/// order of first appearance; an envelope field present in every event is non-nullable, one
/// missing from every event is left out (older files lack `sort_keys` / `schema_key`).
///
/// Numbers keep their exact text: a decimal never passes through `Double`.
public struct JSONLinesDecoder: Sendable {
    public struct Options: Sendable, Hashable {
        /// Type string payload values that all look like Datastream timestamps as `timestamp`.
        public var inferTimestamps: Bool
        /// Largest decompressed size of a `.jsonl.gz` file.
        public var maximumDecompressedSize: Int

        public init(inferTimestamps: Bool = true, maximumDecompressedSize: Int = 1 << 30) {
            self.inferTimestamps = inferTimestamps
            self.maximumDecompressedSize = maximumDecompressedSize
        }
    }

    public var options: Options

    public init(options: Options = Options()) {
        self.options = options
    }

    /// Decodes one file.
    ///
    /// - Parameters:
    ///   - bytes: The file contents (gzip-compressed when `fileName` ends in `.gz` or the bytes
    ///     start with the gzip magic).
    ///   - fileName: Used for error messages and to detect compression.
    ///   - payloadTypes: Types already chosen for payload columns by earlier files; each column
    ///     is built as the common type of this and its own inferred type, so files reconcile.
    public func decode(_ bytes: [UInt8], fileName: String, payloadTypes: [String: DataType] = [:]) throws(DatastreamError) -> RecordBatch {
        var text = bytes
        if fileName.hasSuffix(".gz") || (bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B) {
            do {
                text = try CompressionCodec.gzip.decompress(bytes, maxOutputSize: options.maximumDecompressedSize)
            } catch {
                throw DatastreamError(.decompression, "gzip: \(error)", fileName: fileName)
            }
        }
        let options = self.options
        return try text.withUnsafeBytes { buffer in
            Result { () throws(DatastreamError) -> RecordBatch in
                let tape: JSONTape
                do throws(JSONTapeParser.Failure) {
                    tape = try JSONTapeParser.parse(buffer)
                } catch {
                    let (line, column) = TextLocation.lineAndColumn(of: error.offset, in: buffer)
                    throw DatastreamError(.malformedJSON, error.message, fileName: fileName, line: line, column: column)
                }
                var assembler = JSONEventAssembler(reader: JSONTapeReader(tape: tape, bytes: buffer), fileName: fileName, options: options)
                return try assembler.assemble(payloadTypes: payloadTypes)
            }
        }.get()
    }
}

enum TextLocation {
    /// 1-based line and byte column of `offset`.
    static func lineAndColumn(of offset: Int, in bytes: UnsafeRawBufferPointer) -> (Int, Int) {
        var line = 1
        var lineStart = 0
        for index in 0..<min(offset, bytes.count) where bytes[index] == 0x0A {
            line += 1
            lineStart = index + 1
        }
        return (line, offset - lineStart + 1)
    }
}

/// Node indices of one named field across the events of a file (-1: absent).
struct FieldSlots {
    var names: [String] = []
    var indexByName: [String: Int] = [:]
    var rows: [[Int]] = []
    /// The field index seen at each member position of the previous object: events of one file
    /// share their key order, so a byte comparison usually replaces a String and a hash lookup.
    private var fieldAtPosition: [Int] = []

    mutating func set(_ name: String, row: Int, node: Int, rowCount: Int) {
        let field: Int
        if let existing = indexByName[name] {
            field = existing
        } else {
            field = names.count
            names.append(name)
            indexByName[name] = field
            rows.append([Int](repeating: -1, count: rowCount))
        }
        rows[field][row] = node
    }

    /// Records the members of one object (row `row`) by their key nodes.
    mutating func set(membersOf object: Int, row: Int, rowCount: Int, reader: JSONTapeReader) {
        var position = 0
        var cursor = object + 1
        let end = reader.node(object).next
        while cursor < end {
            let key = cursor
            let value = cursor + 1
            cursor = reader.node(value).next
            if position < fieldAtPosition.count {
                let candidate = fieldAtPosition[position]
                if !reader.node(key).flagA, reader.raw(key).elementsEqual(names[candidate].utf8), rows[candidate][row] < 0 {
                    rows[candidate][row] = value
                    position += 1
                    continue
                }
            }
            let name = reader.string(key)
            set(name, row: row, node: value, rowCount: rowCount)
            let field = indexByName[name] ?? 0
            if position < fieldAtPosition.count { fieldAtPosition[position] = field } else { fieldAtPosition.append(field) }
            position += 1
        }
    }
}

struct JSONEventAssembler {
    let reader: JSONTapeReader
    let fileName: String
    let options: JSONLinesDecoder.Options

    private enum Envelope {
        static let strings: Set<String> = ["uuid", "object", "read_method", "stream_name", "schema_key"]
        static let timestamps: Set<String> = ["read_timestamp", "source_timestamp"]
    }

    func error(_ code: DatastreamError.Code, _ message: String, node: Int) -> DatastreamError {
        let value = reader.node(node)
        // Strings start after their opening quote; point at the quote.
        let offset = value.kind == .string ? value.start - 1 : value.start
        let (line, column) = TextLocation.lineAndColumn(of: offset, in: reader.bytes)
        return DatastreamError(code, message, fileName: fileName, line: line, column: column)
    }

    /// The event objects: every top-level value, or the elements of a single top-level array.
    func eventRoots() throws(DatastreamError) -> [Int] {
        let roots = reader.tape.roots
        var events = roots
        if roots.count == 1, reader.node(roots[0]).kind == .array {
            events = reader.elements(of: roots[0])
        }
        for event in events where reader.node(event).kind != .object {
            throw error(.malformedJSON, "an event must be a JSON object", node: event)
        }
        return events
    }

    mutating func assemble(payloadTypes: [String: DataType]) throws(DatastreamError) -> RecordBatch {
        let events = try eventRoots()
        let rowCount = events.count
        var top = FieldSlots()
        for (row, event) in events.enumerated() {
            top.set(membersOf: event, row: row, rowCount: rowCount, reader: reader)
        }
        var fields: [Field] = []
        var columns: [Column] = []
        for (position, name) in top.names.enumerated() {
            let nodes = top.rows[position]
            let (column, nullable) = try buildEnvelopeColumn(name, nodes: nodes, payloadTypes: payloadTypes)
            fields.append(Field(name, column.type, isNullable: nullable))
            columns.append(column)
        }
        do {
            return try RecordBatch(schema: Schema(fields), columns: columns, rowCount: rowCount)
        } catch {
            throw DatastreamError(.invalidValue, "internal: \(error)", fileName: fileName)
        }
    }

    private func buildEnvelopeColumn(_ name: String, nodes: [Int], payloadTypes: [String: DataType]) throws(DatastreamError) -> (Column, Bool) {
        let column: Column
        if Envelope.strings.contains(name) {
            column = try buildColumn(nodes, as: .string)
        } else if Envelope.timestamps.contains(name) {
            column = try buildEnvelopeTimestamps(nodes, name: name)
        } else if name == "sort_keys" {
            column = try buildSortKeys(nodes)
        } else if name == "source_metadata" || name == "payload" {
            column = try buildStruct(nodes, name: name, arraysAsLists: name == "source_metadata", hints: name == "payload" ? payloadTypes : [:])
        } else {
            column = try buildColumn(nodes, as: inferType(nodes, arraysAsLists: false).dataType)
        }
        return (column, column.validity != nil)
    }

    // MARK: inference

    func inferType(_ nodes: [Int], arraysAsLists: Bool) -> JSONValueType {
        var type = JSONValueType.unknown
        for index in nodes where index >= 0 {
            type = type.widened(with: valueType(index, arraysAsLists: arraysAsLists))
            if type == .string { break }
        }
        return type
    }

    private func valueType(_ index: Int, arraysAsLists: Bool) -> JSONValueType {
        let node = reader.node(index)
        switch node.kind {
        case .null: return .unknown
        case .boolTrue, .boolFalse: return .boolean
        case .number:
            if node.flagB { return .float64 }
            let raw = reader.raw(index)
            var integerDigits = 0
            var fractionDigits = 0
            var inFraction = false
            for byte in raw {
                if byte == UInt8(ascii: ".") { inFraction = true } else if byte != UInt8(ascii: "-") {
                    if inFraction { fractionDigits += 1 } else { integerDigits += 1 }
                }
            }
            if node.flagA {
                return integerDigits + fractionDigits > DataType.maximumDecimalPrecision ? .string : .decimal(integerDigits: integerDigits, scale: fractionDigits)
            }
            if integerDigits <= JSONValueType.int64Digits, Int64(fromJSONDigits: raw) != nil { return .integer(digits: integerDigits) }
            return integerDigits > DataType.maximumDecimalPrecision ? .string : .decimal(integerDigits: integerDigits, scale: 0)
        case .string:
            if options.inferTimestamps, !node.flagA, TimestampText.parseMicros(reader.raw(index)) != nil { return .timestamp }
            return .string
        case .array:
            return arraysAsLists ? .stringList : .string
        case .object:
            return .string
        }
    }

    // MARK: builders

    private func buildStruct(_ nodes: [Int], name: String, arraysAsLists: Bool, hints: [String: DataType]) throws(DatastreamError) -> Column {
        var slots = FieldSlots()
        var validity = Bitmap()
        validity.reserveCapacity(nodes.count)
        for (row, index) in nodes.enumerated() {
            guard index >= 0, reader.node(index).kind != .null else {
                validity.append(false)
                continue
            }
            guard reader.node(index).kind == .object else { throw error(.invalidValue, "'\(name)' must be a JSON object", node: index) }
            validity.append(true)
            slots.set(membersOf: index, row: row, rowCount: nodes.count, reader: reader)
        }
        var fields: [Field] = []
        var children: [Column] = []
        for (position, child) in slots.names.enumerated() {
            var type = inferType(slots.rows[position], arraysAsLists: arraysAsLists)
            if let hint = hints[child] { type = type.widened(with: JSONValueType(hint)) }
            let column = try buildColumn(slots.rows[position], as: type.dataType)
            fields.append(Field(child, column.type, isNullable: true))
            children.append(column)
        }
        let hasNulls = validity.setCount != nodes.count
        return Column(type: .structure(fields), count: nodes.count, validity: hasNulls ? validity : nil, storage: .structure(children))
    }

    private func buildEnvelopeTimestamps(_ nodes: [Int], name: String) throws(DatastreamError) -> Column {
        var values = [Int64](repeating: 0, count: nodes.count)
        var validity = Bitmap(repeating: true, count: nodes.count)
        for (row, index) in nodes.enumerated() {
            guard index >= 0, reader.node(index).kind != .null else {
                validity[row] = false
                continue
            }
            let node = reader.node(index)
            if node.kind == .number, !node.flagA, !node.flagB, let millis = Int64(fromJSONDigits: reader.raw(index)) {
                let (micros, overflow) = millis.multipliedReportingOverflow(by: 1000)
                guard !overflow else { throw error(.invalidValue, "'\(name)' epoch milliseconds out of range", node: index) }
                values[row] = micros
            } else if node.kind == .string, let micros = TimestampText.parseMicros(reader.raw(index)) {
                values[row] = micros
            } else {
                throw error(.invalidValue, "'\(name)' is not a timestamp", node: index)
            }
        }
        return Column(type: .timestamp, count: nodes.count, validity: validity.setCount == nodes.count ? nil : validity, storage: .int64(values))
    }

    private func buildSortKeys(_ nodes: [Int]) throws(DatastreamError) -> Column {
        var offsets: [Int32] = [0]
        var validity = Bitmap(repeating: true, count: nodes.count)
        var texts = StringColumnBuilder()
        var integers: [Int64] = []
        var integerValidity = Bitmap()
        for (row, index) in nodes.enumerated() {
            if index >= 0, reader.node(index).kind == .array {
                for element in reader.elements(of: index) {
                    let node = reader.node(element)
                    switch node.kind {
                    case .string:
                        texts.append { reader.appendString(element, to: &$0) }
                        integers.append(0)
                        integerValidity.append(false)
                    case .number where !node.flagA && !node.flagB:
                        guard let value = Int64(fromJSONDigits: reader.raw(element)) else {
                            throw error(.invalidValue, "sort_keys integer out of range", node: element)
                        }
                        texts.appendNull()
                        integers.append(value)
                        integerValidity.append(true)
                    default:
                        throw error(.invalidValue, "sort_keys elements must be strings or integers", node: element)
                    }
                }
            } else if index < 0 || reader.node(index).kind == .null {
                validity[row] = false
            } else {
                throw error(.invalidValue, "sort_keys must be an array", node: index)
            }
            guard let end = Int32(exactly: integers.count) else { throw error(.invalidValue, "too many sort_keys", node: max(index, 0)) }
            offsets.append(end)
        }
        let elementCount = integers.count
        let memberType = DatastreamEnvelope.sortKeyElementType
        guard case .structure(let memberFields) = memberType else { fatalError("unreachable") }
        let textColumn = try texts.finish(type: memberFields[0].type, fileName: fileName)
        let integerColumn = Column(type: .int64, count: elementCount, validity: integerValidity.setCount == elementCount ? nil : integerValidity, storage: .int64(integers))
        let elements = Column(type: memberType, count: elementCount, validity: nil, storage: .structure([textColumn, integerColumn]))
        return Column(type: DatastreamEnvelope.sortKeysType, count: nodes.count, validity: validity.setCount == nodes.count ? nil : validity,
                      storage: .list(offsets: offsets, elements: elements))
    }

    /// Builds a column of `type` (one the inference produced, so every value fits it).
    func buildColumn(_ nodes: [Int], as type: DataType) throws(DatastreamError) -> Column {
        var validity = Bitmap(repeating: true, count: nodes.count)
        func isNull(_ row: Int) -> Bool {
            let index = nodes[row]
            if index < 0 || reader.node(index).kind == .null {
                validity[row] = false
                return true
            }
            return false
        }
        let storage: ColumnStorage
        var resultType = type
        switch type {
        case .boolean:
            var bits = Bitmap(repeating: false, count: nodes.count)
            for row in nodes.indices where !isNull(row) {
                bits[row] = reader.node(nodes[row]).kind == .boolTrue
            }
            storage = .boolean(bits)
        case .int64:
            var values = [Int64](repeating: 0, count: nodes.count)
            for row in nodes.indices where !isNull(row) {
                guard reader.node(nodes[row]).kind == .number, let value = Int64(fromJSONDigits: reader.raw(nodes[row])) else {
                    throw error(.invalidValue, "expected an integer", node: nodes[row])
                }
                values[row] = value
            }
            storage = .int64(values)
        case .decimal(_, let scale):
            var values = [Int128](repeating: 0, count: nodes.count)
            for row in nodes.indices where !isNull(row) {
                let raw = reader.raw(nodes[row])
                do {
                    values[row] = try Decimal128Text.parse(String(decoding: raw, as: UTF8.self), scale: scale)
                } catch {
                    throw self.error(.invalidValue, "\(error.message)", node: nodes[row])
                }
            }
            storage = .int128(values)
        case .float64:
            var values = [Double](repeating: 0, count: nodes.count)
            for row in nodes.indices where !isNull(row) {
                guard let value = Double(String(decoding: reader.raw(nodes[row]), as: UTF8.self)) else {
                    throw error(.invalidValue, "expected a number", node: nodes[row])
                }
                values[row] = value
            }
            storage = .float64(values)
        case .timestamp:
            var values = [Int64](repeating: 0, count: nodes.count)
            for row in nodes.indices where !isNull(row) {
                guard let micros = TimestampText.parseMicros(reader.raw(nodes[row])) else {
                    throw error(.invalidValue, "expected a timestamp", node: nodes[row])
                }
                values[row] = micros
            }
            storage = .int64(values)
        case .list(let element):
            var offsets: [Int32] = [0]
            offsets.reserveCapacity(nodes.count + 1)
            var texts = StringColumnBuilder()
            for row in nodes.indices {
                if !isNull(row) {
                    let index = nodes[row]
                    if reader.node(index).kind == .array {
                        for item in reader.elements(of: index) { appendText(item, to: &texts) }
                    } else {
                        appendText(index, to: &texts)  // a scalar among lists: a one-element list
                    }
                }
                guard let end = Int32(exactly: texts.count) else { throw error(.invalidValue, "list too long", node: max(nodes[row], 0)) }
                offsets.append(end)
            }
            let elements = try texts.finish(type: element.type, fileName: fileName)
            storage = .list(offsets: offsets, elements: elements)
            // Like Avro's array<string>: elements are non-nullable unless a null element occurs.
            resultType = .list(Field(element.name, element.type, isNullable: elements.validity != nil))
        default:
            var texts = StringColumnBuilder()
            for row in nodes.indices {
                if isNull(row) { texts.append([]) } else { appendText(nodes[row], to: &texts) }
            }
            let column = try texts.finish(type: .string, fileName: fileName)
            storage = column.storage
            resultType = .string
        }
        let hasNulls = validity.setCount != nodes.count
        return Column(type: resultType, count: nodes.count, validity: hasNulls ? validity : nil, storage: storage)
    }

    /// Any value as text: strings decoded, numbers and booleans as written, nested values as compact JSON.
    private func appendText(_ index: Int, to texts: inout StringColumnBuilder) {
        let node = reader.node(index)
        switch node.kind {
        case .null: texts.appendNull()
        case .string:
            texts.append { reader.appendString(index, to: &$0) }
        case .array, .object:
            texts.append { reader.appendCompactText(index, to: &$0) }
        default:
            texts.append { $0.append(contentsOf: reader.raw(index)) }
        }
    }
}

/// Accumulates a string column (offsets + data + validity).
struct StringColumnBuilder {
    var offsets: [Int32] = [0]
    var data: [UInt8] = []
    var validity = Bitmap()
    var count: Int { validity.count }
    private var overflow = false

    mutating func append(_ bytes: [UInt8]) {
        data.append(contentsOf: bytes)
        validity.append(true)
        pushOffset()
    }

    /// Appends one non-null value written by `write` straight into the data buffer.
    mutating func append(_ write: (inout [UInt8]) -> Void) {
        write(&data)
        validity.append(true)
        pushOffset()
    }

    mutating func appendNull() {
        validity.append(false)
        pushOffset()
    }

    private mutating func pushOffset() {
        if let end = Int32(exactly: data.count) { offsets.append(end) } else { overflow = true; offsets.append(Int32.max) }
    }

    func finish(type: DataType, fileName: String) throws(DatastreamError) -> Column {
        guard !overflow else { throw DatastreamError(.invalidValue, "more than 2 GiB of text in one column", fileName: fileName) }
        return Column(type: type, count: count, validity: validity.setCount == count ? nil : validity, storage: .bytes(offsets: offsets, data: data))
    }
}

extension Int64 {
    /// Parses an optionally negative run of ASCII digits, nil on overflow or any other byte.
    init?(fromJSONDigits bytes: UnsafeRawBufferPointer) {
        guard !bytes.isEmpty else { return nil }
        let negative = bytes[0] == UInt8(ascii: "-")
        var value: Int64 = 0
        var sawDigit = false
        for byte in bytes.dropFirst(negative ? 1 : 0) {
            guard byte >= 48, byte <= 57 else { return nil }
            let (times, o1) = value.multipliedReportingOverflow(by: 10)
            let (next, o2) = negative ? times.subtractingReportingOverflow(Int64(byte - 48)) : times.addingReportingOverflow(Int64(byte - 48))
            guard !o1, !o2 else { return nil }
            value = next
            sawDigit = true
        }
        guard sawDigit else { return nil }
        self = value
    }
}
