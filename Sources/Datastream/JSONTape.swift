/// A parsed JSON text as a flat "tape" of nodes that point back into the source bytes.
///
/// One node per value (object keys are string nodes followed by their value). Containers record
/// the index just past their subtree, so siblings are reached without recursion. Nothing is
/// decoded until asked: numbers keep their exact text (decimals are never routed through
/// `Double`), strings are unescaped on demand.
struct JSONTape: Sendable {
    enum Kind: UInt8, Sendable {
        case null, boolTrue, boolFalse, number, string, array, object
    }

    struct Node: Sendable {
        var kind: Kind
        /// number: has a fraction; string: contains escapes.
        var flagA: Bool
        /// number: has an exponent.
        var flagB: Bool
        /// Byte range of the value in the source (strings: between the quotes).
        var start: Int
        var end: Int
        /// Containers: the node index just past the subtree. Scalars: own index + 1.
        var next: Int
        /// Containers: the number of elements (objects: members).
        var count: Int
    }

    var nodes: [Node] = []
    /// Top-level values, as node indices.
    var roots: [Int] = []
}

/// Parses the JSON values of a JSON-lines (or whitespace-separated / single array) text.
struct JSONTapeParser {
    /// Nesting deeper than this is rejected, so hostile input cannot exhaust the stack.
    static let maximumDepth = 256

    struct Failure: Error {
        var offset: Int
        var message: String
    }

    static func parse(_ bytes: UnsafeRawBufferPointer) throws(Failure) -> JSONTape {
        var parser = JSONTapeParser(bytes: bytes)
        parser.tape.nodes.reserveCapacity(bytes.count / 8)
        parser.skipWhitespace()
        while parser.index < bytes.count {
            parser.tape.roots.append(parser.tape.nodes.count)
            try parser.parseValue(depth: 0)
            parser.skipWhitespace()
        }
        return parser.tape
    }

    private let bytes: UnsafeRawBufferPointer
    private var index = 0
    private var tape = JSONTape()

    private init(bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private func fail(_ message: String, at offset: Int? = nil) -> Failure {
        Failure(offset: offset ?? index, message: message)
    }

    private mutating func parseValue(depth: Int) throws(Failure) {
        guard index < bytes.count else { throw fail("unexpected end of input, expected a value") }
        switch bytes[index] {
        case UInt8(ascii: "{"): try parseObject(depth: depth + 1)
        case UInt8(ascii: "["): try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""): try parseString()
        case UInt8(ascii: "t"): try parseLiteral("true", .boolTrue)
        case UInt8(ascii: "f"): try parseLiteral("false", .boolFalse)
        case UInt8(ascii: "n"): try parseLiteral("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try parseNumber()
        default: throw fail("unexpected character '\(Self.printable(bytes[index]))', expected a value")
        }
    }

    private static func printable(_ byte: UInt8) -> String {
        byte >= 0x20 && byte < 0x7F ? String(UnicodeScalar(byte)) : "\\x" + String(byte, radix: 16)
    }

    private mutating func append(_ kind: JSONTape.Kind, start: Int, end: Int, flagA: Bool = false, flagB: Bool = false) {
        let position = tape.nodes.count
        tape.nodes.append(.init(kind: kind, flagA: flagA, flagB: flagB, start: start, end: end, next: position + 1, count: 0))
    }

    private mutating func parseLiteral(_ literal: StaticString, _ kind: JSONTape.Kind) throws(Failure) {
        let length = literal.utf8CodeUnitCount
        guard index + length <= bytes.count else { throw fail("invalid literal, expected '\(literal)'") }
        for offset in 0..<length where bytes[index + offset] != literal.utf8Start[offset] {
            throw fail("invalid literal, expected '\(literal)'")
        }
        append(kind, start: index, end: index + length)
        index += length
    }

    private mutating func parseNumber() throws(Failure) {
        let start = index
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        func digit(_ i: Int) -> Bool { i < bytes.count && bytes[i] >= 48 && bytes[i] <= 57 }
        guard digit(index) else { throw fail("invalid number: expected a digit") }
        if bytes[index] == 48 {
            index += 1
            if digit(index) { throw fail("invalid number: leading zero") }
        } else {
            while digit(index) { index += 1 }
        }
        var fraction = false
        var exponent = false
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard digit(index) else { throw fail("invalid number: expected a digit after '.'") }
            while digit(index) { index += 1 }
            fraction = true
        }
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard digit(index) else { throw fail("invalid number: expected a digit in the exponent") }
            while digit(index) { index += 1 }
            exponent = true
        }
        append(.number, start: start, end: index, flagA: fraction, flagB: exponent)
    }

    private mutating func parseString() throws(Failure) {
        index += 1  // opening quote
        let start = index
        var escapes = false
        while true {
            guard index < bytes.count else { throw fail("unterminated string", at: start - 1) }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") { break }
            if byte < 0x20 { throw fail("control character in string") }
            if byte == UInt8(ascii: "\\") {
                escapes = true
                index += 1
                guard index < bytes.count else { throw fail("unterminated string", at: start - 1) }
                switch bytes[index] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
                     UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    index += 1
                case UInt8(ascii: "u"):
                    guard index + 4 < bytes.count,
                          (1...4).allSatisfy({ HexField.digit(bytes[index + $0]) != nil })
                    else { throw fail("invalid \\u escape") }
                    index += 5
                default:
                    throw fail("invalid escape '\\\(Self.printable(bytes[index]))'")
                }
                continue
            }
            index += 1
        }
        append(.string, start: start, end: index, flagA: escapes)
        index += 1  // closing quote
    }

    private mutating func parseArray(depth: Int) throws(Failure) {
        guard depth <= Self.maximumDepth else { throw fail("nesting deeper than \(Self.maximumDepth)") }
        let position = tape.nodes.count
        let start = index
        append(.array, start: start, end: start)
        index += 1
        var count = 0
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
        } else {
            while true {
                try parseValue(depth: depth)
                count += 1
                skipWhitespace()
                guard index < bytes.count else { throw fail("unterminated array", at: start) }
                if bytes[index] == UInt8(ascii: ",") {
                    index += 1
                    skipWhitespace()
                    continue
                }
                guard bytes[index] == UInt8(ascii: "]") else { throw fail("expected ',' or ']' in array") }
                index += 1
                break
            }
        }
        tape.nodes[position].end = index
        tape.nodes[position].next = tape.nodes.count
        tape.nodes[position].count = count
    }

    private mutating func parseObject(depth: Int) throws(Failure) {
        guard depth <= Self.maximumDepth else { throw fail("nesting deeper than \(Self.maximumDepth)") }
        let position = tape.nodes.count
        let start = index
        append(.object, start: start, end: start)
        index += 1
        var count = 0
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
        } else {
            while true {
                guard index < bytes.count else { throw fail("unterminated object", at: start) }
                guard bytes[index] == UInt8(ascii: "\"") else { throw fail("expected a quoted member name") }
                try parseString()
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw fail("expected ':' after member name") }
                index += 1
                skipWhitespace()
                try parseValue(depth: depth)
                count += 1
                skipWhitespace()
                guard index < bytes.count else { throw fail("unterminated object", at: start) }
                if bytes[index] == UInt8(ascii: ",") {
                    index += 1
                    skipWhitespace()
                    continue
                }
                guard bytes[index] == UInt8(ascii: "}") else { throw fail("expected ',' or '}' in object") }
                index += 1
                break
            }
        }
        tape.nodes[position].end = index
        tape.nodes[position].next = tape.nodes.count
        tape.nodes[position].count = count
    }
}

extension HexField {
    static func digit(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 48...57: return byte - 48
        case 65...70: return byte - 55
        case 97...102: return byte - 87
        default: return nil
        }
    }
}

/// Reading values back from a tape and its source bytes.
struct JSONTapeReader {
    let tape: JSONTape
    let bytes: UnsafeRawBufferPointer

    func node(_ index: Int) -> JSONTape.Node { tape.nodes[index] }

    func raw(_ index: Int) -> UnsafeRawBufferPointer {
        let node = tape.nodes[index]
        return UnsafeRawBufferPointer(rebasing: bytes[node.start..<node.end])
    }

    /// The element node indices of an array.
    func elements(of array: Int) -> [Int] {
        var result: [Int] = []
        result.reserveCapacity(tape.nodes[array].count)
        var cursor = array + 1
        let end = tape.nodes[array].next
        while cursor < end {
            result.append(cursor)
            cursor = tape.nodes[cursor].next
        }
        return result
    }

    /// Whether a string node's text equals `literal` (no escapes involved).
    func stringEquals(_ index: Int, _ literal: String) -> Bool {
        let node = tape.nodes[index]
        guard !node.flagA else { return string(index) == literal }
        return raw(index).elementsEqual(literal.utf8)
    }

    /// Appends the decoded UTF-8 bytes of a string node.
    func appendString(_ index: Int, to output: inout [UInt8]) {
        let node = tape.nodes[index]
        let source = raw(index)
        guard node.flagA else {
            output.append(contentsOf: source)
            return
        }
        var i = 0
        while i < source.count {
            let byte = source[i]
            guard byte == UInt8(ascii: "\\") else {
                output.append(byte)
                i += 1
                continue
            }
            let escape = source[i + 1]
            i += 2
            switch escape {
            case UInt8(ascii: "b"): output.append(0x08)
            case UInt8(ascii: "f"): output.append(0x0C)
            case UInt8(ascii: "n"): output.append(0x0A)
            case UInt8(ascii: "r"): output.append(0x0D)
            case UInt8(ascii: "t"): output.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = hex4(source, i)
                i += 4
                // A high surrogate followed by an escaped low surrogate forms one scalar.
                if scalar >= 0xD800, scalar < 0xDC00, i + 6 <= source.count,
                   source[i] == UInt8(ascii: "\\"), source[i + 1] == UInt8(ascii: "u") {
                    let low = hex4(source, i + 2)
                    if low >= 0xDC00, low < 0xE000 {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        i += 6
                    }
                }
                let unicode = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                output.append(contentsOf: String(Character(unicode)).utf8)
            default: output.append(escape)  // \" \\ \/
            }
        }
    }

    private func hex4(_ source: UnsafeRawBufferPointer, _ at: Int) -> UInt32 {
        var value: UInt32 = 0
        for offset in 0..<4 { value = value << 4 | UInt32(HexField.digit(source[at + offset]) ?? 0) }
        return value
    }

    func string(_ index: Int) -> String {
        var output: [UInt8] = []
        appendString(index, to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// The value's JSON text without insignificant whitespace (for nested payload values).
    func appendCompactText(_ index: Int, to output: inout [UInt8]) {
        let node = tape.nodes[index]
        switch node.kind {
        case .string:
            output.append(UInt8(ascii: "\""))
            output.append(contentsOf: raw(index))
            output.append(UInt8(ascii: "\""))
        case .array, .object:
            var inString = false
            var escaped = false
            for byte in UnsafeRawBufferPointer(rebasing: bytes[node.start..<node.end]) {
                if inString {
                    output.append(byte)
                    if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                    continue
                }
                switch byte {
                case 0x20, 0x09, 0x0A, 0x0D: continue
                case UInt8(ascii: "\""): inString = true; output.append(byte)
                default: output.append(byte)
                }
            }
        default:
            output.append(contentsOf: raw(index))
        }
    }
}
