/// Kernels for the LSB-first bit packing shared by Parquet's RLE/bit-packed hybrid, PLAIN
/// booleans and DELTA_BINARY_PACKED miniblocks.
///
/// Values are packed in groups of 8: a group of 8 values of `w` bits occupies exactly `w` bytes.
/// Value `i` of a group starts at bit `i * w`, counted from the least significant bit of the
/// group's first byte.
@usableFromInline
enum BitPacking {
    /// The number of bits needed to represent `value` (0 for 0).
    @inlinable
    static func bitWidth(of value: UInt64) -> Int {
        64 &- value.leadingZeroBitCount
    }

    // MARK: Unpacking up to 32 bits per value

    /// Unpacks 8 values of `width` (1...32) bits. `source` must have `width + 8` readable bytes.
    @inlinable
    @inline(__always)
    static func _unpack8x32Direct(_ source: UnsafeRawPointer, width: Int, into destination: UnsafeMutablePointer<UInt32>) {
        let mask: UInt64 = (1 &<< UInt64(width)) &- 1
        for i in 0..<8 {
            let bit = i &* width
            let word = UInt64(littleEndian: source.loadUnaligned(fromByteOffset: bit &>> 3, as: UInt64.self))
            destination[i] = UInt32(truncatingIfNeeded: (word &>> UInt64(bit & 7)) & mask)
        }
    }

    /// Unpacks 8 values of `width` (1...32) bits, specialised per width.
    @inlinable
    static func _unpack8x32Specialized(_ s: UnsafeRawPointer, width: Int, into d: UnsafeMutablePointer<UInt32>) {
        switch width {
        case 1: _unpack8x32Direct(s, width: 1, into: d)
        case 2: _unpack8x32Direct(s, width: 2, into: d)
        case 3: _unpack8x32Direct(s, width: 3, into: d)
        case 4: _unpack8x32Direct(s, width: 4, into: d)
        case 5: _unpack8x32Direct(s, width: 5, into: d)
        case 6: _unpack8x32Direct(s, width: 6, into: d)
        case 7: _unpack8x32Direct(s, width: 7, into: d)
        case 8:
            for i in 0..<8 { d[i] = UInt32(s.load(fromByteOffset: i, as: UInt8.self)) }
        case 9: _unpack8x32Direct(s, width: 9, into: d)
        case 10: _unpack8x32Direct(s, width: 10, into: d)
        case 11: _unpack8x32Direct(s, width: 11, into: d)
        case 12: _unpack8x32Direct(s, width: 12, into: d)
        case 13: _unpack8x32Direct(s, width: 13, into: d)
        case 14: _unpack8x32Direct(s, width: 14, into: d)
        case 15: _unpack8x32Direct(s, width: 15, into: d)
        case 16:
            for i in 0..<8 {
                d[i] = UInt32(UInt16(littleEndian: s.loadUnaligned(fromByteOffset: 2 &* i, as: UInt16.self)))
            }
        case 17: _unpack8x32Direct(s, width: 17, into: d)
        case 18: _unpack8x32Direct(s, width: 18, into: d)
        case 19: _unpack8x32Direct(s, width: 19, into: d)
        case 20: _unpack8x32Direct(s, width: 20, into: d)
        case 21: _unpack8x32Direct(s, width: 21, into: d)
        case 22: _unpack8x32Direct(s, width: 22, into: d)
        case 23: _unpack8x32Direct(s, width: 23, into: d)
        case 24: _unpack8x32Direct(s, width: 24, into: d)
        case 25: _unpack8x32Direct(s, width: 25, into: d)
        case 26: _unpack8x32Direct(s, width: 26, into: d)
        case 27: _unpack8x32Direct(s, width: 27, into: d)
        case 28: _unpack8x32Direct(s, width: 28, into: d)
        case 29: _unpack8x32Direct(s, width: 29, into: d)
        case 30: _unpack8x32Direct(s, width: 30, into: d)
        case 31: _unpack8x32Direct(s, width: 31, into: d)
        default:
            for i in 0..<8 {
                d[i] = UInt32(littleEndian: s.loadUnaligned(fromByteOffset: 4 &* i, as: UInt32.self))
            }
        }
    }

    /// Unpacks one group of 8 values of `width` (0...32) bits from `source`, which has
    /// `available` readable bytes. Missing bytes (at most `width` are used) read as zero, so a
    /// short final group is safe; the caller decides how many of the values are real.
    @inlinable
    static func unpack8x32(
        _ source: UnsafeRawPointer?,
        available: Int,
        width: Int,
        into destination: UnsafeMutablePointer<UInt32>
    ) {
        if width == 0 {
            destination.update(repeating: 0, count: 8)
            return
        }
        if available >= width &+ 8, let source {
            _unpack8x32Specialized(source, width: width, into: destination)
            return
        }
        // Near the end of the input: copy what exists into a zeroed scratch area first.
        var scratch: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &scratch) { buffer in
            let base = buffer.baseAddress.unsafelyUnwrapped
            let copied = Swift.min(width, available)
            if copied > 0, let source {
                base.copyMemory(from: source, byteCount: copied)
            }
            _unpack8x32Specialized(UnsafeRawPointer(base), width: width, into: destination)
        }
    }

    // MARK: Unpacking up to 64 bits per value

    @inlinable
    @inline(__always)
    static func _unpack8x64Direct(_ source: UnsafeRawPointer, width: Int, into destination: UnsafeMutablePointer<UInt64>) {
        let mask: UInt64 = width == 64 ? ~0 : (1 &<< UInt64(width)) &- 1
        for i in 0..<8 {
            let bit = i &* width
            let byte = bit &>> 3
            let shift = bit & 7
            var value = UInt64(littleEndian: source.loadUnaligned(fromByteOffset: byte, as: UInt64.self)) &>> UInt64(shift)
            if shift &+ width > 64 {
                value |= UInt64(source.load(fromByteOffset: byte &+ 8, as: UInt8.self)) &<< UInt64(64 &- shift)
            }
            destination[i] = value & mask
        }
    }

    /// Unpacks one group of 8 values of `width` (0...64) bits; like ``unpack8x32``, missing
    /// trailing bytes read as zero.
    @inlinable
    static func unpack8x64(
        _ source: UnsafeRawPointer?,
        available: Int,
        width: Int,
        into destination: UnsafeMutablePointer<UInt64>
    ) {
        if width == 0 {
            destination.update(repeating: 0, count: 8)
            return
        }
        if available >= width &+ 16, let source {
            // A per-width specialisation measured no faster here than this generic loop.
            _unpack8x64Direct(source, width: width, into: destination)
            return
        }
        var scratch: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &scratch) { buffer in
            let base = buffer.baseAddress.unsafelyUnwrapped
            let copied = Swift.min(width, available)
            if copied > 0, let source {
                base.copyMemory(from: source, byteCount: copied)
            }
            _unpack8x64Direct(UnsafeRawPointer(base), width: width, into: destination)
        }
    }

    // MARK: Packing

    /// Packs `count` values (a multiple of 8) of `width` (0...64) bits LSB-first and appends
    /// the `count * width / 8` bytes. Bits of a value above `width` must be zero.
    @inlinable
    static func pack(_ values: UnsafeBufferPointer<UInt64>, width: Int, into writer: inout ByteWriter) {
        precondition(values.count % 8 == 0 && (0...64).contains(width))
        guard width > 0 else { return }
        writer.reserveCapacity(writer.count + values.count / 8 * width)
        var accumulator: UInt64 = 0
        var bits = 0
        for value in values {
            accumulator |= value << UInt64(bits)   // smart shift: 0 when bits == 64
            let total = bits &+ width
            if total >= 64 {
                writer.writeInteger(accumulator)
                accumulator = bits == 0 ? 0 : value >> UInt64(64 &- bits)
                bits = total &- 64
            } else {
                bits = total
            }
        }
        // The total bit count is a multiple of 8, so `bits` is too.
        var remainingBytes = bits / 8
        while remainingBytes > 0 {
            writer.writeUInt8(UInt8(truncatingIfNeeded: accumulator))
            accumulator &>>= 8
            remainingBytes &-= 1
        }
    }
}
