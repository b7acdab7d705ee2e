import Columnar

/// Conversions between Avro's big-endian two's-complement decimal bytes and Int128 / text.
enum AvroDecimal {
    /// Decimals wider than 38 digits longer than this many bytes are refused (the text
    /// conversion is quadratic in the length).
    static let maximumWideBytes = 4096

    /// The value of big-endian two's-complement `bytes`, if it fits 128 bits (leading sign
    /// extension bytes are allowed).
    static func int128(bigEndian bytes: UnsafeRawBufferPointer) -> Int128? {
        let count = bytes.count
        if count == 0 { return 0 }
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
    static func text(bigEndian bytes: UnsafeRawBufferPointer, scale: Int) -> String {
        if bytes.count <= 16, let small = int128(bigEndian: bytes) {
            return Decimal128Text.format(small, scale: scale)
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
    static func place(digits: String, scale: Int, negative: Bool) -> String {
        var text = Array(digits.utf8)
        if scale < 0 {
            text += [UInt8](repeating: 48, count: -scale)
        } else if scale > 0 {
            if text.count <= scale { text = [UInt8](repeating: 48, count: scale - text.count + 1) + text }
            text.insert(46, at: text.count - scale)
        }
        return (negative ? "-" : "") + String(decoding: text, as: UTF8.self)
    }

    /// Minimal big-endian two's-complement bytes of `value`.
    static func bytes(_ value: Int128) -> [UInt8] {
        var result: [UInt8] = []
        var v = value
        repeat {
            result.append(UInt8(truncatingIfNeeded: v))
            v >>= 8
        } while !(v == 0 && result[result.count - 1] & 0x80 == 0) && !(v == -1 && result[result.count - 1] & 0x80 != 0)
        return result.reversed()
    }

    /// Big-endian two's-complement bytes of decimal `text` at `scale` (any number of digits),
    /// or nil if the text is not a plain decimal with at most `scale` fraction digits.
    static func bytes(text: String, scale: Int) -> [UInt8]? {
        var utf8 = Array(text.utf8)[...]
        var negative = false
        if let first = utf8.first, first == 45 || first == 43 {
            negative = first == 45
            utf8 = utf8.dropFirst()
        }
        var digits: [UInt8] = []
        var fraction = 0
        var sawDot = false
        for byte in utf8 {
            if byte == 46, !sawDot { sawDot = true; continue }
            guard byte >= 48, byte <= 57 else { return nil }
            digits.append(byte - 48)
            if sawDot { fraction += 1 }
        }
        guard !digits.isEmpty, fraction <= max(scale, 0) else { return nil }
        digits += [UInt8](repeating: 0, count: max(scale, 0) - fraction)
        // Base-256 little-endian accumulation.
        var limbs: [UInt8] = [0]
        for digit in digits {
            var carry = Int(digit)
            for index in limbs.indices {
                let product = Int(limbs[index]) * 10 + carry
                limbs[index] = UInt8(truncatingIfNeeded: product)
                carry = product >> 8
            }
            while carry > 0 { limbs.append(UInt8(truncatingIfNeeded: carry)); carry >>= 8 }
        }
        limbs.append(0) // room for the sign bit
        if negative {
            var carry = 1
            for index in limbs.indices {
                let sum = Int(~limbs[index]) + carry
                limbs[index] = UInt8(truncatingIfNeeded: sum)
                carry = sum >> 8
            }
        }
        // Trim redundant sign bytes.
        while limbs.count > 1 {
            let top = limbs[limbs.count - 1], next = limbs[limbs.count - 2]
            if (top == 0 && next & 0x80 == 0) || (top == 0xFF && next & 0x80 != 0) { limbs.removeLast() } else { break }
        }
        return limbs.reversed()
    }
}
