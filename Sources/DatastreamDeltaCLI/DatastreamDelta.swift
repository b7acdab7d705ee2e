import ArgumentParser

@main
struct DatastreamDelta: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "datastream-delta",
        abstract: "Turn Google Cloud Datastream change files into Delta Lake tables.",
        discussion: """
            Reads Datastream output (Avro or JSON lines) from a local directory or gs:// and keeps, per \
            source table, a change-log Delta table and a merged Delta table.

            Available now: `inspect` (Parquet files). The connector commands (run, status, rebuild, \
            demo, generate) are being built.
            """,
        version: "0.1.0",
        subcommands: [InspectCommand.self, GenerateCommand.self]
    )
}
