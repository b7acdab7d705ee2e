import Columnar

/// Conversions between Avro's big-endian two's-complement decimal bytes and Int128 / text.
enum AvroDecimal {
    /// Decimals wider than 38 digits longer than this many bytes are refused (the text
    /// conversion is quadratic in the length).
    static let maximumWideBytes = 4096

    /// The value of big-endian two's-complement `bytes`, if it fits 128 bits.
    static func int128(bigEndian bytes: UnsafeRawBufferPointer) -> Int128? {
        Decimal128Text.int128(bigEndian: bytes)
    }

    /// Exact decimal text of big-endian two's-complement `bytes` at `scale` (any length).
    static func text(bigEndian bytes: UnsafeRawBufferPointer, scale: Int) -> String {
        Decimal128Text.format(bigEndian: bytes, scale: scale)
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
