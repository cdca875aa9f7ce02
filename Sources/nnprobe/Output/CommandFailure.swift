import Foundation

/// A user-facing failure: printed as one line on stderr, exit status 1.
struct CommandFailure: Error {
    let message: String
    init(_ message: String) { self.message = message }

    /// Prints `nnprobe: error: message` on stderr and exits with status 1.
    static func exit(_ message: String) -> Never {
        FileHandle.standardError.write(Data("nnprobe: error: \(message)\n".utf8))
        Foundation.exit(1)
    }
}
