import CCodecZlib

/// CRC-32 (ISO-HDLC: the zlib, gzip and PNG polynomial), as used for Avro snappy
/// block trailers and Parquet page checksums. Backed by zlib's `crc32_z`.
public enum CRC32 {
    /// Returns the CRC-32 of `bytes`.
    ///
    /// - Parameters:
    ///   - bytes: The data to checksum.
    ///   - seed: The checksum of the data preceding `bytes`, to checksum data in
    ///     pieces: `checksum(b, continuing: checksum(a))` equals the checksum of `a + b`.
    ///     Use 0 (the default) to start.
    public static func checksum(_ bytes: UnsafeRawBufferPointer, continuing seed: UInt32 = 0) -> UInt32 {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return seed }
        let crc = crc32_z(uLong(seed), base.assumingMemoryBound(to: Bytef.self), z_size_t(bytes.count))
        return UInt32(truncatingIfNeeded: crc)
    }

    /// Returns the CRC-32 of `bytes`.
    public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0) }
    }
}
