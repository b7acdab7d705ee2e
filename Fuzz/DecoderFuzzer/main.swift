import Parquet

@_cdecl("LLVMFuzzerTestOneInput")
public func decoderFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = size > 0 ? Array(UnsafeBufferPointer(start: data, count: size)) : []
    if let reader = try? ParquetFileReader(bytes: bytes) { _ = try? reader.readAll() }
    return 0
}

#if !DECODER_FUZZER_LIBFUZZER
print("standalone")
#endif
