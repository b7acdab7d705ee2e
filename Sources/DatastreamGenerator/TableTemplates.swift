import Columnar

/// One column of a simulated source table.
struct SimulatedColumn: Sendable {
    let name: String
    /// The source database type, for documentation and `inspect`.
    let sourceType: String
    let encoding: ColumnEncoding
    let nullable: Bool
    let values: ValueKind
}

/// What values a column holds (the generator draws them from a seeded RNG).
enum ValueKind: Sendable {
    case sequence
    case foreignKey(range: Int)
    case smallInt(range: Int)
    case words(prefix: String)
    case email
    case choice([String])
    case decimal(precision: Int, scale: Int)
    case unsigned64
    case flag
    case dateDays
    case timestamp
    case blob
    case real
    case float32
}

/// A simulated table: columns, primary key, and the column added mid-stream (schema evolution).
struct TableTemplate: Sendable {
    let schema: String
    let table: String
    let columns: [SimulatedColumn]
    let primaryKey: [String]
    /// Added as nullable partway through the CDC phase.
    let addedColumn: SimulatedColumn?

    /// The first `count` tables; beyond the three templates, names get a numeric suffix.
    static func tables(_ count: Int, flavor: SourceFlavor, jsonOutput: Bool = false) -> [TableTemplate] {
        (0..<count).map { index in
            let base = templates(flavor, jsonOutput: jsonOutput)[index % 3]
            let suffix = index < 3 ? "" : "_\(index / 3)"
            return TableTemplate(schema: base.schema, table: base.table + suffix, columns: base.columns, primaryKey: base.primaryKey, addedColumn: base.addedColumn)
        }
    }

    private static func templates(_ flavor: SourceFlavor, jsonOutput: Bool) -> [TableTemplate] {
        let schema = flavor == .oracle ? "SHOP" : "shop"
        func text(_ length: Int) -> ColumnEncoding { flavor == .oracle ? .varchar(length: length) : .string }
        let smallInteger: ColumnEncoding = flavor == .oracle ? .long : .int
        let flag: ColumnEncoding = switch flavor {
        case .mysql: .int
        case .oracle: .long
        case .postgresql, .sqlserver: .boolean
        }
        let dateEncoding: ColumnEncoding = flavor == .mysql || flavor == .oracle ? .timestampMicros : .date
        // JSON has no bytes type: binary columns are hex strings there (PostgreSQL bytea is Avro bytes).
        let binary: ColumnEncoding = flavor == .postgresql && !jsonOutput ? .bytes : .hexString
        let unsigned: ColumnEncoding = flavor == .mysql ? .number : .decimal(precision: 20, scale: 0)
        let customers = TableTemplate(
            schema: schema, table: "customers",
            columns: [
                SimulatedColumn(name: "id", sourceType: "BIGINT", encoding: .long, nullable: false, values: .sequence),
                SimulatedColumn(name: "name", sourceType: "VARCHAR(100)", encoding: text(100), nullable: false, values: .words(prefix: "customer")),
                SimulatedColumn(name: "email", sourceType: "VARCHAR(200)", encoding: text(200), nullable: true, values: .email),
                SimulatedColumn(name: "balance", sourceType: "DECIMAL(12,2)", encoding: .decimal(precision: 12, scale: 2), nullable: false, values: .decimal(precision: 12, scale: 2)),
                SimulatedColumn(name: "credit_limit", sourceType: "BIGINT UNSIGNED", encoding: unsigned, nullable: true, values: .unsigned64),
                SimulatedColumn(name: "is_active", sourceType: "TINYINT(1)", encoding: flag, nullable: false, values: .flag),
                SimulatedColumn(name: "birth_date", sourceType: "DATE", encoding: dateEncoding, nullable: true, values: .dateDays),
                SimulatedColumn(name: "created_at", sourceType: "DATETIME(6)", encoding: .timestampMicros, nullable: false, values: .timestamp),
                SimulatedColumn(name: "avatar", sourceType: "VARBINARY(64)", encoding: binary, nullable: true, values: .blob),
                SimulatedColumn(name: "score", sourceType: "DOUBLE", encoding: .double, nullable: true, values: .real),
            ],
            primaryKey: ["id"],
            addedColumn: SimulatedColumn(name: "loyalty_tier", sourceType: "VARCHAR(20)", encoding: text(20), nullable: true, values: .choice(["bronze", "silver", "gold"]))
        )
        let orders = TableTemplate(
            schema: schema, table: "orders",
            columns: [
                SimulatedColumn(name: "order_id", sourceType: "BIGINT", encoding: .long, nullable: false, values: .sequence),
                SimulatedColumn(name: "customer_id", sourceType: "BIGINT", encoding: .long, nullable: false, values: .foreignKey(range: 100_000)),
                SimulatedColumn(name: "amount", sourceType: "DECIMAL(18,4)", encoding: .decimal(precision: 18, scale: 4), nullable: false, values: .decimal(precision: 18, scale: 4)),
                SimulatedColumn(name: "status", sourceType: "ENUM", encoding: text(16), nullable: false, values: .choice(["new", "paid", "shipped", "delivered", "cancelled"])),
                SimulatedColumn(name: "quantity", sourceType: "INT", encoding: smallInteger, nullable: false, values: .smallInt(range: 1000)),
                SimulatedColumn(name: "weight", sourceType: "FLOAT", encoding: .float, nullable: true, values: .float32),
                SimulatedColumn(name: "ordered_at", sourceType: "TIMESTAMP(6)", encoding: .timestampMicros, nullable: false, values: .timestamp),
                SimulatedColumn(name: "notes", sourceType: "TEXT", encoding: text(4000), nullable: true, values: .words(prefix: "note")),
            ],
            primaryKey: ["order_id"],
            addedColumn: nil
        )
        let items = TableTemplate(
            schema: schema, table: "order_items",
            columns: [
                SimulatedColumn(name: "order_id", sourceType: "BIGINT", encoding: .long, nullable: false, values: .sequence),
                SimulatedColumn(name: "line_no", sourceType: "INT", encoding: smallInteger, nullable: false, values: .smallInt(range: 8)),
                SimulatedColumn(name: "sku", sourceType: "VARCHAR(32)", encoding: text(32), nullable: false, values: .words(prefix: "SKU")),
                SimulatedColumn(name: "price", sourceType: "DECIMAL(10,2)", encoding: .decimal(precision: 10, scale: 2), nullable: false, values: .decimal(precision: 10, scale: 2)),
                SimulatedColumn(name: "qty", sourceType: "SMALLINT", encoding: smallInteger, nullable: false, values: .smallInt(range: 50)),
            ],
            primaryKey: ["order_id", "line_no"],
            addedColumn: nil
        )
        return [customers, orders, items]
    }
}
