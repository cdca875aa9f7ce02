/// A failing HDF5 call, with the file, the object inside it, and HDF5's own message.
public struct HDF5Error: Error, CustomStringConvertible, Sendable {
    /// What nnprobe was doing, e.g. "open", "read dataset".
    public let operation: String
    /// The file on disk.
    public let file: String
    /// The object path inside the file ("/" for the file itself).
    public let object: String
    /// HDF5's error-stack description (outermost and innermost messages).
    public let message: String

    public var description: String {
        let where_ = object == "/" || object.isEmpty ? "" : " \(object)"
        return "\(file): cannot \(operation)\(where_): \(message)"
    }
}
