/// Exact text conversion for 128-bit unscaled decimals.
public enum Decimal128Text {
    /// Powers of ten that fit in `Int128` (10^0 … 10^38).
    static let powersOfTen: [Int128] = {
        var powers: [Int128] = [1]
        for _ in 1...38 { powers.append(powers[powers.count - 1] * 10) }
        return powers
    }()

    /// Whether `unscaled` has at most `precision` digits.
    public static func fits(_ unscaled: Int128, precision: Int) -> Bool {
        guard precision >= 1, precision <= 38 else { return precision > 38 }
        let limit = powersOfTen[precision]
        return unscaled < limit && unscaled > -limit
    }

    /// `unscaled × 10^-scale` as plain decimal text that keeps every digit of the scale,
    /// for example `(-12340, 3)` → `"-12.340"`, `(0, 2)` → `"0.00"`. A negative scale appends zeros.
    public static func format(_ unscaled: Int128, scale: Int) -> String {
        let negative = unscaled < 0
        // The magnitude as unsigned, so Int128.min is fine.
        var magnitude = unscaled.magnitude
        var digits: [UInt8] = []
        repeat {
            digits.append(UInt8(magnitude % 10) + 48)
            magnitude /= 10
        } while magnitude > 0
        if scale < 0 {
            digits.insert(contentsOf: [UInt8](repeating: 48, count: -scale), at: 0)
        }
        let fraction = max(scale, 0)
        while digits.count <= fraction { digits.append(48) }
        var text: [UInt8] = []
        text.reserveCapacity(digits.count + 2)
        if negative { text.append(45) }
        for index in stride(from: digits.count - 1, through: fraction, by: -1) { text.append(digits[index]) }
        if fraction > 0 {
            text.append(46)
            for index in stride(from: fraction - 1, through: 0, by: -1) { text.append(digits[index]) }
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// Parses plain decimal text (`-12.5`, `+3`, `.5`, `1e3` not allowed) into an unscaled value at
    /// `scale`, exactly. Extra fractional digits must be zeros; otherwise the value does not fit.
    public static func parse(_ text: some StringProtocol, scale: Int) throws(ColumnarError) -> Int128 {
        var utf8 = Array(text.utf8)[...]
        var negative = false
        if let first = utf8.first, first == 45 || first == 43 {
            negative = first == 45
            utf8 = utf8.dropFirst()
        }
        var value: Int128 = 0
        var fractionDigits = 0
        var sawDot = false
        var sawDigit = false
        func invalid() -> ColumnarError { ColumnarError(.invalidText, "'\(text)' is not a decimal number") }
        func overflow() -> ColumnarError { ColumnarError(.valueOutOfRange, "'\(text)' does not fit a 38-digit decimal with scale \(scale)") }
        for byte in utf8 {
            if byte == 46 {
                if sawDot { throw invalid() }
                sawDot = true
                continue
            }
            guard byte >= 48, byte <= 57 else { throw invalid() }
            sawDigit = true
            let digit = Int128(byte - 48)
            if sawDot {
                fractionDigits += 1
                if fractionDigits > scale {
                    if digit != 0 { throw ColumnarError(.valueOutOfRange, "'\(text)' has more than \(scale) fractional digits") }
                    continue
                }
            }
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (next, o2) = times10.addingReportingOverflow(digit)
            if o1 || o2 { throw overflow() }
            value = next
        }
        guard sawDigit else { throw invalid() }
        let missing = scale - min(fractionDigits, scale)
        if missing > 0 {
            guard missing <= 38 else { throw overflow() }
            let (scaled, o) = value.multipliedReportingOverflow(by: powersOfTen[missing])
            if o { throw overflow() }
            value = scaled
        }
        return negative ? -value : value
    }

    // MARK: Big-endian two's-complement bytes (Avro and Parquet decimals)

    /// The value of big-endian two's-complement `bytes`, if it fits 128 bits (leading sign
    /// extension bytes are allowed).
    public static func int128(bigEndian bytes: UnsafeRawBufferPointer) -> Int128? {
        let count = bytes.count
        if count == 0 { return 0 }
        if count == 16 {
            // Fast path (decimal(38, s) as FIXED_LEN_BYTE_ARRAY(16)): two big-endian words.
            let high = UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self))
            let low = UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
            return Int128(bitPattern: UInt128(high) << 64 | UInt128(low))
        }
        let negative = bytes[0] & 0x80 != 0
        if count > 16 {
            let fill: UInt8 = negative ? 0xFF : 0x00
            for index in 0..<(count - 16) where bytes[index] != fill { return nil }
            // The kept 16 bytes must have the same sign.
            guard (bytes[count - 16] & 0x80 != 0) == negative else { return nil }
        }
        var value: UInt128 = negative ? ~0 : 0
        for index in max(0, count - 16)..<count {
            value = value << 8 | UInt128(bytes[index])
        }
        return Int128(bitPattern: value)
    }

    /// Exact decimal text of big-endian two's-complement `bytes` at `scale` (any length).
    public static func format(bigEndian bytes: UnsafeRawBufferPointer, scale: Int) -> String {
        if bytes.count <= 16, let small = int128(bigEndian: bytes) {
            return format(small, scale: scale)
        }
        let negative = bytes.count > 0 && bytes[0] & 0x80 != 0
        // Magnitude as big-endian bytes (two's complement negation when negative).
        var magnitude = Array(bytes)
        if negative {
            var carry = 1
            for index in stride(from: magnitude.count - 1, through: 0, by: -1) {
                let sum = Int(~magnitude[index]) + carry
                magnitude[index] = UInt8(truncatingIfNeeded: sum)
                carry = sum >> 8
            }
        }
        // Repeated division by 10^9, collecting base-10^9 limbs.
        var limbs: [UInt32] = []
        var number = magnitude.drop { $0 == 0 }.map { UInt32($0) }
        while !number.isEmpty {
            var remainder: UInt64 = 0
            var quotient: [UInt32] = []
            quotient.reserveCapacity(number.count)
            for byte in number {
                let current = remainder << 8 | UInt64(byte)
                let digit = current / 1_000_000_000
                remainder = current % 1_000_000_000
                if !quotient.isEmpty || digit != 0 { quotient.append(UInt32(digit)) }
            }
            limbs.append(UInt32(remainder))
            number = quotient
        }
        var digits = ""
        for (index, limb) in limbs.reversed().enumerated() {
            let part = String(limb)
            digits += index == 0 ? part : String(repeating: "0", count: 9 - part.count) + part
        }
        if digits.isEmpty { digits = "0" }
        return place(digits: digits, scale: scale, negative: negative)
    }

    /// Inserts the decimal point into an unsigned digit string.
    private static func place(digits: String, scale: Int, negative: Bool) -> String {
        var text = Array(digits.utf8)
        if scale < 0 {
            text += [UInt8](repeating: 48, count: -scale)
        } else if scale > 0 {
            if text.count <= scale { text = [UInt8](repeating: 48, count: scale - text.count + 1) + text }
            text.insert(46, at: text.count - scale)
        }
        return (negative ? "-" : "") + String(decoding: text, as: UTF8.self)
    }
}
