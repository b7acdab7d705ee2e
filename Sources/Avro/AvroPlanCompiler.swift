import Columnar

/// Compiles an Avro schema into column builders and the mapped Columnar types (the type mapping
/// of docs/AVRO.md lives here).
struct AvroPlanCompiler {
    private var named = AvroNamedTypes()
    /// Records being expanded, to detect recursion.
    private var expanding: [String] = []
    private var nodeCount = 0
    /// Refuses schemas that expand (through repeated named types) to more builders than this.
    static let maximumNodes = 50_000
    static let maximumDepth = 128

    init(root: AvroSchema) {
        named.collect(root)
    }

    /// The columns of a top-level schema: one per record field, or one column `value` for a
    /// non-record schema.
    mutating func compileTopLevel(_ root: AvroSchema) throws(AvroError) -> (Schema, [ColumnBuilder]) {
        let resolved = named.resolve(root)
        if case .record(let record) = resolved {
            expanding.append(record.fullName)
            var fields: [Field] = []
            var builders: [ColumnBuilder] = []
            for field in record.fields {
                let (mapped, builder) = try compileField(name: field.name, field.type)
                fields.append(mapped)
                builders.append(builder)
            }
            expanding.removeLast()
            return (Schema(fields), builders)
        }
        let (mapped, builder) = try compileField(name: "value", root)
        return (Schema([mapped]), [builder])
    }

    /// One field: unions decide nullability; everything else is non-nullable.
    mutating func compileField(name: String, _ schema: AvroSchema) throws(AvroError) -> (Field, ColumnBuilder) {
        nodeCount += 1
        guard nodeCount <= Self.maximumNodes else { throw AvroError(.limitExceeded, "schema expands to more than \(Self.maximumNodes) columns") }
        guard expanding.count <= Self.maximumDepth else { throw AvroError(.limitExceeded, "schema nests deeper than \(Self.maximumDepth) levels") }
        guard case .union(let branches) = schema else {
            return try compile(name: name, schema, nullable: false, wrapper: nil)
        }
        let nullIndex = branches.firstIndex(of: .null)
        let nonNull = branches.enumerated().filter { $0.element != .null }
        let nullable = nullIndex != nil
        switch nonNull.count {
        case 0:
            let wrapper = UnionWrapper(nullIndex: Int64(nullIndex ?? 0), valueIndex: .min, branchCount: branches.count)
            let builder = ColumnBuilder(kind: .null, type: .string, isNullable: true, wrapper: wrapper, minimumSize: 1)
            return (Field(name, .string, isNullable: true, metadata: ["avro.type": "null"]), builder)
        case 1:
            let wrapper = UnionWrapper(nullIndex: nullIndex.map { Int64($0) } ?? -1, valueIndex: Int64(nonNull[0].offset), branchCount: branches.count)
            return try compile(name: name, nonNull[0].element, nullable: nullable, wrapper: wrapper)
        default:
            var fields: [Field] = []
            var members: [ColumnBuilder] = []
            var memberOfBranch = [Int](repeating: -1, count: branches.count)
            for (member, entry) in nonNull.enumerated() {
                let (field, builder) = try compile(name: "member\(member)", entry.element, nullable: true, wrapper: nil)
                fields.append(field)
                members.append(builder)
                memberOfBranch[entry.offset] = member
            }
            let type = DataType.structure(fields)
            let builder = ColumnBuilder(kind: .union(memberOfBranch: memberOfBranch), type: type, isNullable: nullable, wrapper: nil, minimumSize: 1, children: members)
            return (Field(name, type, isNullable: nullable), builder)
        }
    }

    private func make(_ name: String, _ kind: ColumnBuilderKind, _ type: DataType, _ nullable: Bool, _ wrapper: UnionWrapper?, size: Int, metadata: [String: String] = [:], children: [ColumnBuilder] = []) -> (Field, ColumnBuilder) {
        let minimum: Int
        if let wrapper { minimum = wrapper.nullIndex >= 0 ? 1 : 1 + size } else { minimum = size }
        let builder = ColumnBuilder(kind: kind, type: type, isNullable: nullable, wrapper: wrapper, minimumSize: minimum, children: children)
        return (Field(name, type, isNullable: nullable, metadata: metadata), builder)
    }

    private mutating func compile(name: String, _ schema: AvroSchema, nullable: Bool, wrapper: UnionWrapper?) throws(AvroError) -> (Field, ColumnBuilder) {
        switch schema {
        case .null:
            return make(name, .null, .string, true, wrapper, size: 0, metadata: ["avro.type": "null"])
        case .boolean: return make(name, .boolean, .boolean, nullable, wrapper, size: 1)
        case .int: return make(name, .int32, .int32, nullable, wrapper, size: 1)
        case .long: return make(name, .int64, .int64, nullable, wrapper, size: 1)
        case .float: return make(name, .float32, .float32, nullable, wrapper, size: 4)
        case .double: return make(name, .float64, .float64, nullable, wrapper, size: 8)
        case .bytes: return make(name, .bytes, .binary, nullable, wrapper, size: 1)
        case .string: return make(name, .bytes, .string, nullable, wrapper, size: 1)
        case .enumeration(let e):
            return make(name, .enumeration(symbols: e.symbols.map { Array($0.utf8) }), .string, nullable, wrapper, size: 1)
        case .fixed(let f):
            return make(name, .fixed(size: f.size), .binary, nullable, wrapper, size: f.size)
        case .reference(let fullName):
            let resolved = named.resolve(schema)
            if case .reference = resolved { throw AvroError(.invalidSchema, "unknown type '\(fullName)'") }
            if expanding.contains(fullName) {
                var memo: [String: Int] = [:]
                let size = Self.minimumSize(resolved, named: named, visiting: [fullName], memo: &memo)
                return make(name, .recursiveJSON(resolved, named), .string, nullable, wrapper, size: size,
                            metadata: ["avro.name": fullName, "avro.recursive": "json"])
            }
            return try compile(name: name, resolved, nullable: nullable, wrapper: wrapper)
        case .array(let items):
            let (element, child) = try compileField(name: "element", items)
            return make(name, .list, .list(element), nullable, wrapper, size: 1, children: [child])
        case .map(let values):
            let key = ColumnBuilder(kind: .bytes, type: .string, isNullable: false, wrapper: nil, minimumSize: 1)
            let (value, child) = try compileField(name: "value", values)
            let type = DataType.map(key: Field("key", .string, isNullable: false), value: value)
            return make(name, .map, type, nullable, wrapper, size: 1, children: [key, child])
        case .union:
            throw AvroError(.invalidSchema, "a union may not directly contain another union")
        case .record(let record):
            expanding.append(record.fullName)
            defer { expanding.removeLast() }
            var fields: [Field] = []
            var children: [ColumnBuilder] = []
            var size = 0
            for field in record.fields {
                let (mapped, builder) = try compileField(name: field.name, field.type)
                fields.append(mapped)
                children.append(builder)
                size += builder.minimumSize
            }
            return make(name, .record, .structure(fields), nullable, wrapper, size: size, metadata: ["avro.name": record.fullName], children: children)
        case .logical(let base, let logical):
            return try compileLogical(name: name, base, logical, nullable: nullable, wrapper: wrapper)
        }
    }

    private mutating func compileLogical(name: String, _ base: AvroSchema, _ logical: AvroLogicalType, nullable: Bool, wrapper: UnionWrapper?) throws(AvroError) -> (Field, ColumnBuilder) {
        let resolvedBase = named.resolve(base)
        switch (logical.name, resolvedBase) {
        case ("date", .int):
            return make(name, .int32, .date, nullable, wrapper, size: 1)
        case ("timestamp-millis", .long):
            return make(name, .int64Scaled(1000), .timestamp, nullable, wrapper, size: 1)
        case ("timestamp-micros", .long):
            return make(name, .int64, .timestamp, nullable, wrapper, size: 1)
        case ("timestamp-nanos", .long):
            return make(name, .int64FloorDivided(1000), .timestamp, nullable, wrapper, size: 1)
        case ("local-timestamp-millis", .long):
            return make(name, .int64Scaled(1000), .timestampWithoutTimeZone, nullable, wrapper, size: 1)
        case ("local-timestamp-micros", .long):
            return make(name, .int64, .timestampWithoutTimeZone, nullable, wrapper, size: 1)
        case ("local-timestamp-nanos", .long):
            return make(name, .int64FloorDivided(1000), .timestampWithoutTimeZone, nullable, wrapper, size: 1)
        case ("time-millis", .int):
            return make(name, .int32ScaledToInt64(1000), .int64, nullable, wrapper, size: 1)
        case ("time-micros", .long):
            return make(name, .int64, .int64, nullable, wrapper, size: 1)
        case ("decimal", .bytes), ("decimal", .fixed):
            var fixedSize: Int? = nil
            if case .fixed(let f) = resolvedBase { fixedSize = f.size }
            if let precision = logical.integer("precision"), precision >= 1 {
                let scale = logical.integer("scale") ?? 0
                if scale >= 0, scale <= precision {
                    if precision <= DataType.maximumDecimalPrecision {
                        return make(name, .decimal(size: fixedSize, precision: precision), .decimal(precision: precision, scale: scale), nullable, wrapper, size: fixedSize ?? 1)
                    }
                    return make(name, .wideDecimal(size: fixedSize, scale: scale), .string, nullable, wrapper, size: fixedSize ?? 1,
                                metadata: ["avro.logicalType": "decimal", "avro.precision": String(precision), "avro.scale": String(scale)])
                }
            }
            // An invalid decimal annotation is ignored, as the specification asks.
            fallthrough
        default:
            var (field, builder) = try compile(name: name, base, nullable: nullable, wrapper: wrapper)
            field.metadata["avro.logicalType"] = logical.name
            for (key, value) in logical.attributes { field.metadata["avro." + key] = value }
            return (field, builder)
        }
    }

    /// The smallest encoding of a value of `schema` in bytes; recursive uses count as 0.
    static func minimumSize(_ schema: AvroSchema, named: AvroNamedTypes, visiting: Set<String>, memo: inout [String: Int]) -> Int {
        switch schema {
        case .null: return 0
        case .boolean, .int, .long, .bytes, .string, .enumeration, .array, .map, .union: return 1
        case .float: return 4
        case .double: return 8
        case .fixed(let f): return f.size
        case .logical(let base, _): return minimumSize(base, named: named, visiting: visiting, memo: &memo)
        case .reference(let name):
            if visiting.contains(name) { return 0 }
            if let known = memo[name] { return known }
            let size = minimumSize(named.resolve(schema), named: named, visiting: visiting.union([name]), memo: &memo)
            memo[name] = size
            return size
        case .record(let record):
            var total = 0
            for field in record.fields {
                total = min(total + minimumSize(field.type, named: named, visiting: visiting.union([record.fullName]), memo: &memo), 1 << 30)
            }
            return total
        }
    }
}
