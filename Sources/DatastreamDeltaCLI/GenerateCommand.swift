import ArgumentParser
import DatastreamGenerator
import FoundationEssentials
import ObjectStore

extension SourceFlavor: ExpressibleByArgument {}
extension GeneratedFormat: ExpressibleByArgument {}

/// `datastream-delta generate`: realistic Datastream output plus its expected final state.
struct GenerateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write realistic Datastream output for simulated tables, with the expected final state.",
        discussion: """
            Simulates source tables (backfill, then CDC with inserts, hot-key updates, deletes, \
            re-inserts, primary-key changes, a column added mid-stream) and writes the files as \
            Datastream lays them out: <out>/<object>/yyyy/MM/dd/HH/mm/<file>. Output includes \
            duplicate deliveries, late events and files in older minute folders. The final state of \
            every table, computed from the simulated database, goes to <out>/_expected/. The same \
            seed always gives the same output.
            """
    )

    @Option(help: "Directory to write into.")
    var out: String

    @Option(help: "Source database flavor: mysql, oracle, postgresql or sqlserver.")
    var source: SourceFlavor = .mysql

    @Option(help: "File format: avro or json.")
    var format: GeneratedFormat = .avro

    @Option(help: "Number of tables.")
    var tables: Int = 3

    @Option(help: "Approximate number of distinct events (about 30% backfill).")
    var events: Int = 10_000

    @Option(help: "Random seed.")
    var seed: UInt64 = 1

    @Option(help: "Largest number of events per file.")
    var eventsPerFile: Int = 10_000

    @Option(help: "Share of events delivered twice (0 to 1).")
    var duplicates: Double = 0.01

    @Option(help: "Share of files written into older minute folders (0 to 1).")
    var lateFiles: Double = 0.02

    func validate() throws {
        guard tables >= 1 else { throw ValidationError("--tables must be at least 1") }
        guard events >= 1 else { throw ValidationError("--events must be at least 1") }
        guard eventsPerFile >= 1 else { throw ValidationError("--events-per-file must be at least 1") }
        guard (0...1).contains(duplicates), (0...1).contains(lateFiles) else {
            throw ValidationError("--duplicates and --late-files are fractions between 0 and 1")
        }
    }

    func run() async throws {
        var options = GeneratorOptions()
        options.source = source
        options.format = format
        options.tables = tables
        options.events = events
        options.seed = seed
        options.eventsPerFile = eventsPerFile
        options.duplicateFraction = duplicates
        options.lateFileFraction = lateFiles
        let store = try LocalFileSystemStore(root: out)
        let started = ContinuousClock.now
        let summary = try await ChangeDataGenerator.generate(options, into: store, prefix: "")
        let elapsed = ContinuousClock.now - started
        let tenths = (elapsed.components.seconds * 10) + elapsed.components.attoseconds / 100_000_000_000_000_000
        print("wrote \(summary.files) files, \(summary.writtenEvents) events (\(summary.bytes / 1_048_576) MiB) to \(out) in \(tenths / 10).\(tenths % 10) s")
        for table in summary.tables {
            print("  \(table.object): \(table.distinctEvents) distinct events in \(table.files) files, \(table.finalRows) rows in the final state (key \(table.primaryKey.joined(separator: ", ")))")
        }
        print("expected final state: \(out)/_expected/")
    }
}
