/// A file that cannot be used as an nnprobe checkpoint or dump, with the reason.
public struct FileFormatError: Error, CustomStringConvertible, Sendable {
    public let file: String
    public let problem: String

    public init(file: String, _ problem: String) {
        self.file = file
        self.problem = problem
    }

    public var description: String { "\(file): \(problem)" }
}
