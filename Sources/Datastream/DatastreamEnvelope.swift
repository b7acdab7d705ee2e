import Columnar

/// Names and fixed types of the Datastream event envelope, shared by the JSON and Avro paths.
public enum DatastreamEnvelope {
    /// The element type of `sort_keys`: the Avro union `["string","long"]` as a struct of
    /// nullable members, exactly one of which is set.
    public static let sortKeyElementType = DataType.structure([
        Field("member0", .string, isNullable: true),
        Field("member1", .int64, isNullable: true),
    ])

    /// `sort_keys`: `list<struct<member0: string, member1: long>>`.
    public static let sortKeysType = DataType.list(Field("element", sortKeyElementType, isNullable: false))
}
