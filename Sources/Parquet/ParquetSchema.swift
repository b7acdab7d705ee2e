import Columnar

/// A leaf column of a Parquet schema: its path, levels and physical layout.
public struct LeafColumn: Sendable, Hashable {
    /// Names from the root (excluded) to the leaf.
    public var path: [String]
    public var element: SchemaElement
    public var physicalType: PhysicalType
    public var maxDefinitionLevel: Int
    public var maxRepetitionLevel: Int
    /// The Columnar type values of this leaf are converted to.
    public var valueType: DataType
}

/// How to rebuild a Columnar value from leaf level streams (see ``ParquetSchema``).
indirect enum AssemblyNode: Sendable {
    /// A leaf; `presentAt` is the definition level at which the value is non-null.
    case leaf(leaf: Int, presentAt: Int)
    case structure(presentAt: Int, children: [AssemblyNode], firstLeaf: Int)
    /// A list: non-null at `presentAt`, has at least one element at `nonEmptyAt`, elements start at repetition level `repetitionLevel`.
    case list(presentAt: Int, nonEmptyAt: Int, repetitionLevel: Int, element: AssemblyNode, firstLeaf: Int)
    case map(presentAt: Int, nonEmptyAt: Int, repetitionLevel: Int, key: AssemblyNode, value: AssemblyNode, firstLeaf: Int)
}

/// A Parquet schema: the flattened Thrift elements, the leaves, and the equivalent Columnar schema.
public struct ParquetSchema: Sendable {
    public let elements: [SchemaElement]
    public let leaves: [LeafColumn]
    /// The Columnar schema the file reads as.
    public let schema: Schema
    /// One assembly tree per top-level field.
    let assembly: [AssemblyNode]
    /// For each top-level field, the range of leaf indices beneath it.
    let leafRanges: [Range<Int>]

    /// Builds the Parquet schema that stores `schema`.
    public init(writing schema: Schema) throws(ParquetError) {
        var root = SchemaElement(name: "schema")
        root.numChildren = Int32(schema.fields.count)
        var elements = [root]
        for field in schema.fields {
            try Self.appendElements(for: field, repetition: field.isNullable ? .optional : .required, to: &elements)
        }
        try self.init(elements: elements)
    }

    /// Interprets the flattened schema of a file.
    public init(elements: [SchemaElement]) throws(ParquetError) {
        guard let root = elements.first else {
            throw ParquetError(.corruptMetadata, "the schema is empty")
        }
        var builder = TreeBuilder(elements: elements)
        var fields: [Field] = []
        var assembly: [AssemblyNode] = []
        var ranges: [Range<Int>] = []
        builder.position = 1
        let childCount = Int(root.numChildren ?? 0)
        guard childCount >= 0, childCount < elements.count else {
            throw ParquetError(.corruptMetadata, "the schema root claims \(childCount) children but there are \(elements.count - 1) elements")
        }
        for _ in 0..<childCount {
            let firstLeaf = builder.leaves.count
            let (field, node) = try builder.build(definition: 0, repetition: 0, path: [], depth: 0)
            fields.append(field)
            assembly.append(node)
            ranges.append(firstLeaf..<builder.leaves.count)
        }
        guard builder.position == elements.count else {
            throw ParquetError(.corruptMetadata, "the schema has \(elements.count - builder.position) elements not reachable from the root")
        }
        self.elements = elements
        self.leaves = builder.leaves
        self.schema = Schema(fields)
        self.assembly = assembly
        self.leafRanges = ranges
    }

    // MARK: Writing: Columnar field → Thrift elements

    private static func appendElements(for field: Field, repetition: Repetition, to elements: inout [SchemaElement]) throws(ParquetError) {
        var e = SchemaElement(name: field.name)
        e.repetition = repetition
        switch field.type {
        case .boolean:
            e.type = .boolean
        case .int8:
            e.type = .int32
            e.convertedType = .int8
            e.logicalType = .integer(bitWidth: 8, isSigned: true)
        case .int16:
            e.type = .int32
            e.convertedType = .int16
            e.logicalType = .integer(bitWidth: 16, isSigned: true)
        case .int32:
            e.type = .int32
        case .int64:
            e.type = .int64
        case .float32:
            e.type = .float
        case .float64:
            e.type = .double
        case .decimal(let precision, let scale):
            guard precision >= 1, precision <= DataType.maximumDecimalPrecision, scale >= 0, scale <= precision else {
                throw ParquetError(.invalidArgument, "field '\(field.name)': decimal(\(precision),\(scale)) is not storable")
            }
            if precision <= 9 {
                e.type = .int32
            } else if precision <= 18 {
                e.type = .int64
            } else {
                e.type = .fixedLenByteArray
                e.typeLength = Int32(DecimalBytes.minimumByteWidth(precision: precision))
            }
            e.convertedType = .decimal
            e.scale = Int32(scale)
            e.precision = Int32(precision)
            e.logicalType = .decimal(scale: Int32(scale), precision: Int32(precision))
        case .string:
            e.type = .byteArray
            e.convertedType = .utf8
            e.logicalType = .string
        case .binary:
            e.type = .byteArray
        case .date:
            e.type = .int32
            e.convertedType = .date
            e.logicalType = .date
        case .timestamp:
            e.type = .int64
            e.convertedType = .timestampMicros
            e.logicalType = .timestamp(isAdjustedToUTC: true, unit: .micros)
        case .timestampWithoutTimeZone:
            e.type = .int64
            e.logicalType = .timestamp(isAdjustedToUTC: false, unit: .micros)
        case .list(let element):
            e.convertedType = .list
            e.logicalType = .list
            e.numChildren = 1
            elements.append(e)
            var group = SchemaElement(name: "list")
            group.repetition = .repeated
            group.numChildren = 1
            elements.append(group)
            var item = element
            item.name = "element"
            try appendElements(for: item, repetition: element.isNullable ? .optional : .required, to: &elements)
            return
        case .map(let key, let value):
            e.convertedType = .map
            e.logicalType = .map
            e.numChildren = 1
            elements.append(e)
            var group = SchemaElement(name: "key_value")
            group.repetition = .repeated
            group.numChildren = 2
            elements.append(group)
            var keyField = key
            keyField.name = "key"
            try appendElements(for: keyField, repetition: .required, to: &elements)
            var valueField = value
            valueField.name = "value"
            try appendElements(for: valueField, repetition: value.isNullable ? .optional : .required, to: &elements)
            return
        case .structure(let children):
            guard !children.isEmpty else {
                throw ParquetError(.invalidArgument, "field '\(field.name)': Parquet cannot store a struct without fields")
            }
            e.numChildren = Int32(children.count)
            elements.append(e)
            for child in children {
                try appendElements(for: child, repetition: child.isNullable ? .optional : .required, to: &elements)
            }
            return
        }
        elements.append(e)
    }
}

/// Walks the flattened elements depth-first, producing fields, leaves and assembly nodes.
private struct TreeBuilder {
    let elements: [SchemaElement]
    var position = 0
    var leaves: [LeafColumn] = []

    init(elements: [SchemaElement]) {
        self.elements = elements
    }

    mutating func next() throws(ParquetError) -> SchemaElement {
        guard position < elements.count else {
            throw ParquetError(.corruptMetadata, "the schema declares more children than it has elements")
        }
        defer { position += 1 }
        return elements[position]
    }

    /// Builds the field at `position`, whose parent is present at `definition` and repeats at `repetition`.
    mutating func build(definition: Int, repetition: Int, path: [String], depth: Int) throws(ParquetError) -> (Field, AssemblyNode) {
        guard depth < 64 else { throw ParquetError(.corruptMetadata, "the schema is nested too deeply") }
        let element = try next()
        let path = path + [element.name]
        let repetitionType = element.repetition ?? .required
        let firstLeaf = leaves.count

        if repetitionType == .repeated {
            // A repeated field outside a LIST/MAP annotation is a list of required elements.
            let nonEmpty = definition + 1
            let level = repetition + 1
            let (elementField, node) = try buildSingle(element, definition: nonEmpty, repetition: level, path: path, depth: depth)
            var item = elementField
            item.isNullable = false
            let field = Field(element.name, .list(Field("element", item.type, isNullable: false)), isNullable: false)
            return (field, .list(presentAt: definition, nonEmptyAt: nonEmpty, repetitionLevel: level, element: node, firstLeaf: firstLeaf))
        }
        return try buildSingle(element, definition: definition + (repetitionType == .optional ? 1 : 0), repetition: repetition, path: path, depth: depth)
    }

    /// Builds a non-repeated view of `element` (already consumed) present at `definition`.
    private mutating func buildSingle(_ element: SchemaElement, definition: Int, repetition: Int, path: [String], depth: Int) throws(ParquetError) -> (Field, AssemblyNode) {
        let nullable = element.repetition == .optional
        let firstLeaf = leaves.count
        guard let childCount = element.numChildren, childCount > 0 || element.type == nil else {
            // A primitive leaf.
            guard let physical = element.type else {
                throw ParquetError(.corruptMetadata, "schema element '\(element.name)' has neither a type nor children")
            }
            let valueType = try LeafConversion.valueType(of: element, physical: physical)
            leaves.append(LeafColumn(path: path, element: element, physicalType: physical, maxDefinitionLevel: definition, maxRepetitionLevel: repetition, valueType: valueType))
            return (Field(element.name, valueType, isNullable: nullable), .leaf(leaf: firstLeaf, presentAt: definition))
        }
        guard childCount > 0, Int(childCount) <= elements.count - position else {
            throw ParquetError(.corruptMetadata, "schema element '\(element.name)' claims \(childCount) children")
        }
        let isList = element.logicalType == .list || element.convertedType == .list
        let isMap = element.logicalType == .map || element.convertedType == .map || element.convertedType == .mapKeyValue
        if (isList || isMap) && childCount == 1 && elements[position].repetition == .repeated {
            let repeated = try next()
            let nonEmpty = definition + 1
            let level = repetition + 1
            let repeatedPath = path + [repeated.name]
            if isMap, let pairCount = repeated.numChildren, pairCount == 2 {
                let (keyField, keyNode) = try build(definition: nonEmpty, repetition: level, path: repeatedPath, depth: depth + 1)
                let (valueField, valueNode) = try build(definition: nonEmpty, repetition: level, path: repeatedPath, depth: depth + 1)
                let type = DataType.map(key: Field("key", keyField.type, isNullable: false), value: Field("value", valueField.type, isNullable: valueField.isNullable))
                return (Field(element.name, type, isNullable: nullable),
                        .map(presentAt: definition, nonEmptyAt: nonEmpty, repetitionLevel: level, key: keyNode, value: valueNode, firstLeaf: firstLeaf))
            }
            if isList {
                // Three-level list, unless the repeated node is itself the element (legacy two-level
                // forms: a primitive, a group with several fields, or the names "array" / "<name>_tuple").
                let isTwoLevel = repeated.type != nil || (repeated.numChildren ?? 0) != 1
                    || repeated.name == "array" || repeated.name == element.name + "_tuple"
                let elementField: Field
                let elementNode: AssemblyNode
                if isTwoLevel {
                    (elementField, elementNode) = try buildSingle(repeated, definition: nonEmpty, repetition: level, path: repeatedPath, depth: depth + 1)
                } else {
                    (elementField, elementNode) = try build(definition: nonEmpty, repetition: level, path: repeatedPath, depth: depth + 1)
                }
                let type = DataType.list(Field("element", elementField.type, isNullable: isTwoLevel ? false : elementField.isNullable))
                return (Field(element.name, type, isNullable: nullable),
                        .list(presentAt: definition, nonEmptyAt: nonEmpty, repetitionLevel: level, element: elementNode, firstLeaf: firstLeaf))
            }
            // A MAP annotation on an unexpected shape: fall through as a struct of the repeated group.
            position -= 1
        }
        var fields: [Field] = []
        var nodes: [AssemblyNode] = []
        for _ in 0..<childCount {
            let (field, node) = try build(definition: definition, repetition: repetition, path: path, depth: depth + 1)
            fields.append(field)
            nodes.append(node)
        }
        return (Field(element.name, .structure(fields), isNullable: nullable),
                .structure(presentAt: definition, children: nodes, firstLeaf: firstLeaf))
    }
}
