/// Which inputs a probe varies: all of them (plain PCA over a split), or one sub-task's on a grid
/// while the others are held.
public enum VariedInputs: Equatable, Hashable, Sendable, CustomStringConvertible {
    case all
    case subtask(String)

    /// `all`, or a sub-task's name (`task0`).
    public init(_ text: String) {
        self = text == "all" ? .all : .subtask(text)
    }

    /// `all` or the sub-task's name, as flags and JSON write it.
    public var description: String {
        switch self {
        case .all: "all"
        case .subtask(let name): name
        }
    }

    /// The varied sub-task's name, or nil for `all`.
    public var subtaskName: String? {
        if case .subtask(let name) = self { name } else { nil }
    }
}
