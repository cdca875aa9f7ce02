import ArgumentParser

/// Where `train --save` writes: the default place for the run (`--save` alone) or a given path.
enum SaveTarget: ExpressibleByArgument, Equatable, CustomStringConvertible {
    /// `checkpoints/<task>/<name>.h5` for one run, `checkpoints/<task>/sweep-<name>` for a sweep.
    case defaultLocation
    case path(String)

    /// A path; an empty one is refused (give no value for the default location).
    init?(argument: String) {
        guard !argument.isEmpty else { return nil }
        self = .path(argument)
    }

    var description: String {
        switch self {
        case .defaultLocation: "checkpoints/<task>/<name>.h5, a sweep checkpoints/<task>/sweep-<name>"
        case .path(let path): path
        }
    }
}
