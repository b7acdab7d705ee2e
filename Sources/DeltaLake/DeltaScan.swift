import Columnar
import ObjectStore
import Parquet

extension DeltaTable {
    /// Reads every live data file of `snapshot` with the Parquet reader, one batch per row group,
    /// conformed to the table schema (columns missing from a file read as null; partition
    /// columns rebuilt from `add.partitionValues`). Files are read in path order. Deletion
    /// vectors are not supported.
    public func readBatches(_ snapshot: DeltaSnapshot) async throws(DeltaError) -> [RecordBatch] {
        var result: [RecordBatch] = []
        for file in snapshot.addFiles {
            result += try await readBatches(of: file, snapshot: snapshot)
        }
        return result
    }

    /// The rows of one live data file, with the table schema.
    func readBatches(of file: DeltaAddFile, snapshot: DeltaSnapshot) async throws(DeltaError) -> [RecordBatch] {
        if file.otherFields["deletionVector"] != nil {
            throw DeltaError(.unsupportedReaderFeature, "file has a deletion vector", path: file.path)
        }
        let partitions = Set(snapshot.metadata.partitionColumns)
        let dataSchema = Schema(snapshot.schema.fields.filter { !partitions.contains($0.name) })
        let path = try layout.dataPath(file.path)
        let bytes: [UInt8]
        do { bytes = try await store.get(path) } catch { throw error.delta("cannot read data file") }
        var result: [RecordBatch] = []
        do {
            let reader = try ParquetFileReader(bytes: bytes, fileName: path.rawValue)
            let present = dataSchema.fields.map(\.name).filter { reader.schema.index(of: $0) != nil }
            for batch in try reader.readAll(columns: present) {
                let data = try SchemaConformance.conform(batch, to: dataSchema, file: path.rawValue)
                result.append(try attachPartitions(data, file: file, snapshot: snapshot, fileName: path.rawValue))
            }
        } catch let error as ParquetError {
            throw DeltaError(.dataFile, "cannot read data file", path: path.rawValue, underlying: error.description)
        } catch let error as DeltaError {
            throw error
        } catch {
            throw DeltaError(.dataFile, "cannot read data file", path: path.rawValue, underlying: "\(error)")
        }
        return result
    }

    private func attachPartitions(_ data: RecordBatch, file: DeltaAddFile, snapshot: DeltaSnapshot, fileName: String) throws(DeltaError) -> RecordBatch {
        let partitions = snapshot.metadata.partitionColumns
        if partitions.isEmpty { return data }
        var columns: [Column] = []
        for field in snapshot.schema.fields {
            if partitions.contains(field.name) {
                columns.append(try PartitionValues.column(file.partitionValues[field.name] ?? nil, type: field.type, count: data.rowCount,
                                                          name: field.name, file: fileName))
            } else if let column = data.column(named: field.name) {
                columns.append(column)
            }
        }
        do { return try RecordBatch(schema: snapshot.schema, columns: columns, rowCount: data.rowCount) } catch {
            throw DeltaError(.dataFile, "cannot attach partition columns", path: fileName, underlying: error.description)
        }
    }
}

/// Re-labels a batch read from a data file with the table schema (field names of lists/maps,
/// nullability), adding all-null columns for fields the file lacks.
enum SchemaConformance {
    static func conform(_ batch: RecordBatch, to schema: Schema, file: String) throws(DeltaError) -> RecordBatch {
        var columns: [Column] = []
        for field in schema.fields {
            if let column = batch.column(named: field.name) {
                columns.append(try retype(column, to: field.type, name: field.name, file: file))
            } else {
                do { columns.append(try Column(type: field.type, datums: Array(repeating: .null, count: batch.rowCount))) } catch {
                    throw DeltaError(.dataFile, "cannot build null column '\(field.name)'", path: file, underlying: error.description)
                }
            }
        }
        do { return try RecordBatch(schema: schema, columns: columns, rowCount: batch.rowCount) } catch {
            throw DeltaError(.dataFile, "data file does not match the table schema", path: file, underlying: error.description)
        }
    }

    static func retype(_ column: Column, to type: DataType, name: String, file: String) throws(DeltaError) -> Column {
        if column.type == type { return column }
        let mismatch = DeltaError(.dataFile, "column '\(name)' has type \(column.type) in the file but \(type) in the table schema", path: file)
        switch (column.storage, type) {
        case (.list(let offsets, let elements), .list(let element)):
            let child = try retype(elements, to: element.type, name: name + ".element", file: file)
            return Column(type: type, count: column.count, validity: column.validity, storage: .list(offsets: offsets, elements: child))
        case (.map(let offsets, let keys, let values), .map(let key, let value)):
            let k = try retype(keys, to: key.type, name: name + ".key", file: file)
            let v = try retype(values, to: value.type, name: name + ".value", file: file)
            return Column(type: type, count: column.count, validity: column.validity, storage: .map(offsets: offsets, keys: k, values: v))
        case (.structure(let children), .structure(let fields)):
            guard case .structure(let fileFields) = column.type else { throw mismatch }
            var result: [Column] = []
            for field in fields {
                if let index = fileFields.firstIndex(where: { $0.name == field.name }) {
                    result.append(try retype(children[index], to: field.type, name: name + "." + field.name, file: file))
                } else {
                    do { result.append(try Column(type: field.type, datums: Array(repeating: .null, count: column.count))) } catch { throw mismatch }
                }
            }
            return Column(type: type, count: column.count, validity: column.validity, storage: .structure(result))
        default:
            throw mismatch
        }
    }
}
