import FoundationEssentials

/// A user-facing error: printed as is, exit status 1.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Reads local files for the CLI.
enum FileInput {
    static func read(_ path: String) throws -> [UInt8] {
        do {
            return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw CLIError("\(path): cannot read the file (\(error)). Check the path and permissions.")
        }
    }
}
