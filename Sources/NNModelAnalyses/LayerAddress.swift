/// Which weight layers an analysis of a model's matrices looks at: one trunk layer by index, or
/// layers by name.
public enum LayerAddress: Equatable, Sendable, CustomStringConvertible {
    /// The i-th trunk layer with a weight (0-based, heads not counted), as `--layer 2` has always meant.
    case index(Int)
    /// A layer's own name (`block2.main.0`, `head0.1`, `layer_1`), or a name that groups layers at a
    /// dot: `block2` is every weight layer of block 2 (a ResNet block's conv layers, main path and
    /// shortcut), `block2.main` its main path's.
    case name(String)

    /// An integer is an index; anything else a name.
    public init(_ text: String) {
        self = Int(text).map { .index($0) } ?? .name(text)
    }

    public var description: String {
        switch self {
        case .index(let i): String(i)
        case .name(let name): name
        }
    }
}
