import NNCheckpoint
import NNLinalg

/// One input file that could not be analysed: its name and the problem, in one line.
///
/// Printed on stderr as `nnprobe: error: FILE: problem`; in a `--json` document it is an entry of
/// `errors`, `{"file": FILE, "error": problem}` (see docs/json.md).
struct FileError: Error, Encodable, Sendable {
    let file: String
    let error: String

    /// The failure `error` of the analysis of `file`, worded once: our errors that already start
    /// with the file's name (`FILE: …`) lose that prefix, the rest (LAPACK, NaN weights, …) gain it.
    init(file: String, _ error: any Error) {
        self.file = file
        let text = Self.message(error)
        let prefix = file + ": "
        self.error = text.hasPrefix(prefix) ? String(text.dropFirst(prefix.count)) : text
    }

    /// The one-line text of any error an analysis throws.
    static func message(_ error: any Error) -> String {
        switch error {
        case let error as FileError: "\(error.file): \(error.error)"
        case let error as FileFormatError: error.description
        case let error as HDF5Error: error.description
        case let error as CommandFailure: error.message
        case let error as NonFiniteError: error.description
        case let error as LinalgError: error.description
        case let error as CustomStringConvertible: error.description
        default: String(describing: error)
        }
    }

    /// `FILE: problem`, as the stderr line shows it after `nnprobe: error: `.
    var line: String { "\(file): \(error)" }

    /// Runs `body`, the analysis of `file`; any error it throws comes out as this type, naming the file.
    static func naming<T>(_ file: String, _ body: () throws -> T) throws(FileError) -> T {
        do { return try body() } catch { throw FileError(file: file, error) }
    }
}
