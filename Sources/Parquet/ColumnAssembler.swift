import Columnar

/// Rebuilds Columnar columns (including nested lists, maps and structs) from leaf level streams.
struct ColumnAssembler {
    /// Decoded leaves by leaf index.
    let leaves: [Int: LeafData]

    /// Entry ranges in one leaf stream, one per value (instance) of a node.
    struct Instances {
        var starts: [Int] = []
        var ends: [Int] = []
        var count: Int { starts.count }
    }

    /// Assembles the top-level field `node` with `rowCount` rows.
    func assemble(_ node: AssemblyNode, type: DataType, rowCount: Int) throws(ParquetError) -> Column {
        if case .leaf(let leafIndex, _) = node, let data = leaves[leafIndex], data.leaf.maxRepetitionLevel == 0 {
            guard data.entryCount == rowCount else {
                throw ParquetError(.corruptMetadata, "column '\(data.leaf.path.joined(separator: "."))' has \(data.entryCount) values for \(rowCount) rows")
            }
            return try flatLeaf(data, rowCount: rowCount)
        }
        var instances: [Int: Instances] = [:]
        for leafIndex in node.leafRange {
            guard let data = leaves[leafIndex] else { preconditionFailure("leaf \(leafIndex) not decoded") }
            var rows = Instances()
            if data.leaf.maxRepetitionLevel == 0 {
                rows.starts = Array(0..<data.entryCount)
                rows.ends = data.entryCount == 0 ? [] : Array(1...data.entryCount)
            } else {
                for index in 0..<data.entryCount where data.repetitionLevels[index] == 0 {
                    if !rows.starts.isEmpty { rows.ends.append(index) }
                    rows.starts.append(index)
                }
                if !rows.starts.isEmpty { rows.ends.append(data.entryCount) }
            }
            guard rows.count == rowCount else {
                throw ParquetError(.corruptMetadata, "column '\(data.leaf.path.joined(separator: "."))' has \(rows.count) records for \(rowCount) rows")
            }
            instances[leafIndex] = rows
        }
        var cursors: [Int: Int] = [:]
        return try build(node, type: type, instances: instances, valueCursors: &cursors)
    }

    private func flatLeaf(_ data: LeafData, rowCount: Int) throws(ParquetError) -> Column {
        var validity: Bitmap?
        if data.leaf.maxDefinitionLevel > 0 {
            let bits = Bitmap(matching: data.definitionLevels, value: Int32(data.leaf.maxDefinitionLevel))
            if bits.setCount != rowCount { validity = bits }
        }
        return try LeafConversion.makeColumn(data.leaf, values: data.values, validity: validity, count: rowCount)
    }

    private func definition(_ leaf: Int, _ entry: Int) -> Int32 {
        let levels = leaves[leaf]!.definitionLevels
        return levels.isEmpty ? 0 : levels[entry]
    }

    private func build(_ node: AssemblyNode, type: DataType, instances: [Int: Instances], valueCursors: inout [Int: Int]) throws(ParquetError) -> Column {
        switch node {
        case .leaf(let leafIndex, let presentAt):
            let data = leaves[leafIndex]!
            let inst = instances[leafIndex]!
            var bits = Bitmap()
            bits.reserveCapacity(inst.count)
            var nulls = 0
            for index in 0..<inst.count {
                guard inst.ends[index] - inst.starts[index] == 1 else {
                    throw ParquetError(.corruptPage, "column '\(data.leaf.path.joined(separator: "."))' has inconsistent repetition levels")
                }
                let present = definition(leafIndex, inst.starts[index]) >= Int32(presentAt)
                bits.append(present)
                if !present { nulls += 1 }
            }
            // Values of this leaf are consumed in stream order, so a slice of the dense values is needed.
            let start = valueCursors[leafIndex] ?? 0
            let used = inst.count - nulls
            valueCursors[leafIndex] = start + used
            let values = start == 0 && used == data.values.count ? data.values : data.values.slice(start..<(start + used))
            return try LeafConversion.makeColumn(data.leaf, values: values, validity: nulls > 0 ? bits : nil, count: inst.count)

        case .structure(let presentAt, let children, let firstLeaf):
            let first = instances[firstLeaf]!
            var bits = Bitmap()
            var nulls = 0
            for index in 0..<first.count {
                let present = definition(firstLeaf, first.starts[index]) >= Int32(presentAt)
                bits.append(present)
                if !present { nulls += 1 }
            }
            guard case .structure(let fields) = type, fields.count == children.count else { preconditionFailure("struct type expected") }
            var columns: [Column] = []
            for (child, field) in zip(children, fields) {
                columns.append(try build(child, type: field.type, instances: instances, valueCursors: &valueCursors))
            }
            return Column(type: type, count: first.count, validity: nulls > 0 ? bits : nil, storage: .structure(columns))

        case .list(let presentAt, let nonEmptyAt, let level, let element, let firstLeaf):
            let (offsets, validity, elementInstances) = try split(node: node, presentAt: presentAt, nonEmptyAt: nonEmptyAt, level: level, firstLeaf: firstLeaf, instances: instances)
            guard case .list(let elementField) = type else { preconditionFailure("list type expected") }
            let elements = try build(element, type: elementField.type, instances: elementInstances, valueCursors: &valueCursors)
            return Column(type: type, count: offsets.count - 1, validity: validity, storage: .list(offsets: offsets, elements: elements))

        case .map(let presentAt, let nonEmptyAt, let level, let key, let value, let firstLeaf):
            let (offsets, validity, entryInstances) = try split(node: node, presentAt: presentAt, nonEmptyAt: nonEmptyAt, level: level, firstLeaf: firstLeaf, instances: instances)
            guard case .map(let keyField, let valueField) = type else { preconditionFailure("map type expected") }
            let keys = try build(key, type: keyField.type, instances: entryInstances, valueCursors: &valueCursors)
            let values = try build(value, type: valueField.type, instances: entryInstances, valueCursors: &valueCursors)
            return Column(type: type, count: offsets.count - 1, validity: validity, storage: .map(offsets: offsets, keys: keys, values: values))
        }
    }

    /// Splits each instance of a repeated node into element instances, per leaf stream.
    private func split(node: AssemblyNode, presentAt: Int, nonEmptyAt: Int, level: Int, firstLeaf: Int, instances: [Int: Instances]) throws(ParquetError) -> ([Int32], Bitmap?, [Int: Instances]) {
        var offsets: [Int32] = [0]
        var bits = Bitmap()
        var nulls = 0
        var elementInstances: [Int: Instances] = [:]
        for leafIndex in node.leafRange {
            let data = leaves[leafIndex]!
            let inst = instances[leafIndex]!
            var elements = Instances()
            let isFirst = leafIndex == firstLeaf
            for index in 0..<inst.count {
                let start = inst.starts[index], end = inst.ends[index]
                let def = definition(leafIndex, start)
                if isFirst {
                    let present = def >= Int32(presentAt)
                    bits.append(present)
                    if !present { nulls += 1 }
                }
                if def >= Int32(nonEmptyAt) {
                    var elementStart = start
                    for entry in (start + 1)..<max(end, start + 1) where data.repetitionLevels[entry] <= Int32(level) {
                        elements.starts.append(elementStart)
                        elements.ends.append(entry)
                        elementStart = entry
                    }
                    elements.starts.append(elementStart)
                    elements.ends.append(end)
                }
                if isFirst { offsets.append(Int32(elements.count)) }
            }
            elementInstances[leafIndex] = elements
        }
        let expected = elementInstances[firstLeaf]!.count
        for (leafIndex, elements) in elementInstances where elements.count != expected {
            throw ParquetError(.corruptPage, "column '\(leaves[leafIndex]!.leaf.path.joined(separator: "."))' disagrees with its siblings on list sizes")
        }
        return (offsets, nulls > 0 ? bits : nil, elementInstances)
    }
}

extension LeafValues {
    /// The values in `range`.
    func slice(_ range: Range<Int>) -> LeafValues {
        switch self {
        case .boolean(let v): return .boolean(Array(v[range]))
        case .int32(let v): return .int32(Array(v[range]))
        case .int64(let v): return .int64(Array(v[range]))
        case .float(let v): return .float(Array(v[range]))
        case .double(let v): return .double(Array(v[range]))
        case .bytes(let o, let d): return .bytes(offsets: Array(o[range.lowerBound...range.upperBound]), data: d)
        case .fixed(let w, let d): return .fixed(width: w, data: Array(d[(range.lowerBound * w)..<(range.upperBound * w)]))
        }
    }
}
