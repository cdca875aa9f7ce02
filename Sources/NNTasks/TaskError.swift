/// A task cannot be set up: unknown name, bad option, or unreadable data file.
public struct TaskError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
