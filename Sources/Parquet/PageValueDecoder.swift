import BinaryCoding

/// Decodes the value section of a page into physical values, for every encoding we read.
struct PageValueDecoder {
    let leaf: LeafColumn
    let offset: Int

    private var fixedWidth: Int { Int(leaf.element.typeLength ?? 0) }

    private func corrupt(_ message: String) -> ParquetError {
        ParquetError(.corruptPage, "column '\(leaf.path.joined(separator: "."))': \(message)", offset: offset)
    }

    func decode(_ r: inout ByteReader, encoding: Encoding, count: Int, dictionary: LeafValues?, into values: inout LeafValues) throws(ParquetError) {
        do {
            switch encoding {
            case .plain:
                try decodePlain(&r, count: count, into: &values)
            case .plainDictionary, .rleDictionary:
                guard let dictionary else { throw corrupt("dictionary-encoded page without a dictionary page") }
                try decodeDictionary(&r, count: count, dictionary: dictionary, into: &values)
            case .rle:
                guard case .boolean(var bools) = values else { throw corrupt("RLE value encoding on a non-boolean column") }
                values = .int32([])
                let length = Int(try r.readInteger(as: UInt32.self))
                let section = try r.readBytes(count: length)
                var levels: [Int32] = []
                try Kernels.decodeLevels(section, bitWidth: 1, count: count, baseOffset: r.absoluteOffset - length, into: &levels)
                bools.append(contentsOf: levels.lazy.map { $0 != 0 })
                values = .boolean(bools)
            case .deltaBinaryPacked:
                switch values {
                case .int32(var v):
                    values = .boolean([])
                    try Kernels.decodeDeltaBinaryPacked32(&r, count: count, into: &v)
                    values = .int32(v)
                case .int64(var v):
                    values = .boolean([])
                    try Kernels.decodeDeltaBinaryPacked64(&r, count: count, into: &v)
                    values = .int64(v)
                default: throw corrupt("DELTA_BINARY_PACKED on a non-integer column")
                }
            case .deltaLengthByteArray:
                guard case .bytes(var o, var d) = values else { throw corrupt("DELTA_LENGTH_BYTE_ARRAY on a non-byte-array column") }
                values = .boolean([])
                try Kernels.decodeDeltaLengthByteArray(&r, count: count, offsets: &o, data: &d)
                values = .bytes(offsets: o, data: d)
            case .deltaByteArray:
                switch values {
                case .bytes(var o, var d):
                    values = .boolean([])
                    try Kernels.decodeDeltaByteArray(&r, count: count, offsets: &o, data: &d)
                    values = .bytes(offsets: o, data: d)
                case .fixed(let width, var d):
                    var o: [Int32] = [0]
                    var tmp: [UInt8] = []
                    try Kernels.decodeDeltaByteArray(&r, count: count, offsets: &o, data: &tmp)
                    for index in 0..<count where Int(o[index + 1] - o[index]) != width {
                        throw corrupt("DELTA_BYTE_ARRAY value of length \(o[index + 1] - o[index]) in a fixed column of width \(width)")
                    }
                    d.append(contentsOf: tmp)
                    values = .fixed(width: width, data: d)
                default: throw corrupt("DELTA_BYTE_ARRAY on a non-byte-array column")
                }
            case .byteStreamSplit:
                let width: Int
                switch values {
                case .int32, .float: width = 4
                case .int64, .double: width = 8
                case .fixed(let w, _): width = w
                default: throw corrupt("BYTE_STREAM_SPLIT on an unsupported column type")
                }
                guard width > 0, count <= r.remaining / width else { throw corrupt("BYTE_STREAM_SPLIT section too short") }
                let section = try r.readBytes(count: count * width)
                var plain: [UInt8] = []
                try ByteStreamSplit.decode(section, width: width, baseOffset: r.absoluteOffset - section.count, appendingTo: &plain)
                try withBytes(plain) { raw throws(ParquetError) in
                    var inner = ByteReader(raw, baseOffset: offset)
                    try decodePlain(&inner, count: count, into: &values)
                }
            case .bitPacked:
                throw ParquetError(.unsupported, "BIT_PACKED is only valid for levels", offset: offset)
            }
        } catch let error as ParquetError {
            throw error
        } catch let error as BinaryDecodingError {
            throw ParquetError(error, "column '\(leaf.path.joined(separator: "."))': invalid \(encoding) data", code: .corruptPage)
        } catch {
            throw corrupt("\(error)")
        }
    }

    /// PLAIN values: booleans bit-packed; numbers little-endian; byte arrays length-prefixed.
    func decodePlain(_ r: inout ByteReader, count: Int, into values: inout LeafValues) throws(ParquetError) {
        guard count >= 0 else { throw corrupt("negative value count") }
        do {
            switch values {
            case .boolean(var v):
                guard count <= r.remaining * 8 else { throw corrupt("\(count) booleans need more than \(r.remaining) bytes") }
                values = .int32([])
                let bytes = try r.readBytes(count: (count + 7) / 8)
                for index in 0..<count { v.append(bytes[index >> 3] & (1 << UInt8(index & 7)) != 0) }
                values = .boolean(v)
            case .int32(var v):
                values = .boolean([])
                try appendRaw(&r, count: count, into: &v)
                values = .int32(v)
            case .int64(var v):
                values = .boolean([])
                if leaf.physicalType == .int96 {
                    guard count <= r.remaining / 12 else { throw corrupt("\(count) INT96 values need more than \(r.remaining) bytes") }
                        for _ in 0..<count {
                        let nanos = try r.readInteger(as: UInt64.self)
                        let julianDay = try r.readInteger(as: Int32.self)
                        let days = Int64(julianDay) - 2_440_588
                        v.append(days &* 86_400_000_000 &+ Int64(nanos / 1000))
                    }
                } else {
                    try appendRaw(&r, count: count, into: &v)
                }
                values = .int64(v)
            case .float(var v):
                values = .boolean([])
                try appendRaw(&r, count: count, into: &v)
                values = .float(v)
            case .double(var v):
                values = .boolean([])
                try appendRaw(&r, count: count, into: &v)
                values = .double(v)
            case .bytes(var o, var d):
                // Each value needs at least its 4-byte length.
                guard count <= r.remaining / 4 else { throw corrupt("\(count) byte arrays need more than \(r.remaining) bytes") }
                values = .boolean([])
                // The page's value bytes bound what this page adds: grow once, geometrically.
                d.reserveGrowing(r.remaining)
                for _ in 0..<count {
                    let length = Int(try r.readInteger(as: UInt32.self))
                    let bytes = try r.readBytes(count: length)
                    d.append(contentsOf: bytes)
                    guard d.count <= Int(Int32.max) else { throw ParquetError(.unsupported, "more than 2 GiB of byte arrays in one column chunk", offset: offset) }
                    o.append(Int32(d.count))
                }
                values = .bytes(offsets: o, data: d)
            case .fixed(let width, var d):
                guard width > 0, count <= r.remaining / width else { throw corrupt("\(count) values of width \(width) need more than \(r.remaining) bytes") }
                values = .boolean([])
                d.append(contentsOf: try r.readBytes(count: count * width))
                values = .fixed(width: width, data: d)
            }
        } catch let error as ParquetError {
            throw error
        } catch let error as BinaryDecodingError {
            throw ParquetError(error, "column '\(leaf.path.joined(separator: "."))': invalid PLAIN data", code: .corruptPage)
        } catch {
            throw corrupt("\(error)")
        }
    }

    private func appendRaw<T: BitwiseCopyable>(_ r: inout ByteReader, count: Int, into v: inout [T]) throws(ParquetError) {
        let width = MemoryLayout<T>.size
        guard count <= r.remaining / width else { throw corrupt("\(count) values need more than \(r.remaining) bytes") }
        let bytes: UnsafeRawBufferPointer
        do { bytes = try r.readBytes(count: count * width) } catch { throw corrupt("\(error)") }
        guard count > 0 else { return }
        if v.isEmpty {
            v = [T](unsafeUninitializedCapacity: count) { buffer, initialized in
                UnsafeMutableRawPointer(buffer.baseAddress!).copyMemory(from: bytes.baseAddress!, byteCount: count * width)
                initialized = count
            }
            return
        }
        // Grow in place (geometrically, via append) and copy the raw bytes over the new tail.
        let start = v.count
        v.append(contentsOf: repeatElement(v[0], count: count))
        v.withUnsafeMutableBytes { target in
            (target.baseAddress! + start * width).copyMemory(from: bytes.baseAddress!, byteCount: count * width)
        }
    }

    private func decodeDictionary(_ r: inout ByteReader, count: Int, dictionary: LeafValues, into values: inout LeafValues) throws(ParquetError) {
        guard count > 0 else { return }
        var indices: [Int32] = []
        do {
            let bitWidth = Int(try r.readUInt8())
            guard bitWidth <= 32 else { throw corrupt("dictionary index bit width \(bitWidth)") }
            let section = r.readRemainingBytes()
            try Kernels.decodeLevels(section, bitWidth: bitWidth, count: count, baseOffset: r.absoluteOffset - section.count, into: &indices)
        } catch let error as ParquetError {
            throw error
        } catch let error as BinaryDecodingError {
            throw ParquetError(error, "invalid dictionary indices", code: .corruptPage)
        } catch {
            throw corrupt("\(error)")
        }
        let size = dictionary.count
        for index in indices where index < 0 || Int(index) >= size {
            throw corrupt("dictionary index \(index) out of range 0..<\(size)")
        }
        func gather<T>(_ dict: [T], into target: inout [T]) {
            for index in indices { target.append(dict[Int(index)]) }
        }
        // Take each accumulated buffer out of `values` before appending, so it stays uniquely
        // referenced (binding it from a tuple together with `values` copies it on every page).
        switch dictionary {
        case .int32(let dict):
            guard case .int32(var v) = values else { break }
            values = .boolean([]); gather(dict, into: &v); values = .int32(v); return
        case .int64(let dict):
            guard case .int64(var v) = values else { break }
            values = .boolean([]); gather(dict, into: &v); values = .int64(v); return
        case .float(let dict):
            guard case .float(var v) = values else { break }
            values = .boolean([]); gather(dict, into: &v); values = .float(v); return
        case .double(let dict):
            guard case .double(var v) = values else { break }
            values = .boolean([]); gather(dict, into: &v); values = .double(v); return
        case .boolean(let dict):
            guard case .boolean(var v) = values else { break }
            values = .int32([]); gather(dict, into: &v); values = .boolean(v); return
        case .bytes(let dictOffsets, let dictData):
            guard case .bytes(var o, var d) = values else { break }
            values = .boolean([])
            var total = 0
            for index in indices { total += Int(dictOffsets[Int(index) + 1] - dictOffsets[Int(index)]) }
            d.reserveGrowing(total)
            o.reserveGrowing(indices.count)
            for index in indices {
                d.append(contentsOf: dictData[Int(dictOffsets[Int(index)])..<Int(dictOffsets[Int(index) + 1])])
                guard d.count <= Int(Int32.max) else { throw ParquetError(.unsupported, "more than 2 GiB of byte arrays in one column chunk", offset: offset) }
                o.append(Int32(d.count))
            }
            values = .bytes(offsets: o, data: d)
            return
        case .fixed(let width, let dictData):
            guard case .fixed(_, var d) = values else { break }
            values = .boolean([])
            for index in indices { d.append(contentsOf: dictData[(Int(index) * width)..<(Int(index) * width + width)]) }
            values = .fixed(width: width, data: d)
            return
        }
        throw corrupt("dictionary type does not match the column")
    }
}

extension Array {
    /// Makes room for `additional` more elements, at least doubling the capacity when it grows,
    /// so repeated calls stay linear overall.
    mutating func reserveGrowing(_ additional: Int) {
        let needed = count + additional
        guard needed > capacity else { return }
        reserveCapacity(Swift.max(needed, capacity * 2))
    }
}
