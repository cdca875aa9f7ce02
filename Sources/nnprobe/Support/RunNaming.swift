import Foundation
import NNTrain

/// Default checkpoint file names, derived from the flags that tell runs apart and the seed,
/// e.g. `checkpoints/multi-mult/h16-relu-adam-lr0.001-b128-e20-s0.h5`.
enum RunNaming {
    static func name(for config: TrainingConfig) -> String {
        var parts = ["h" + (config.hidden.isEmpty ? "0" : config.hidden.map(String.init).joined(separator: "x")), config.activation.rawValue]
        if config.batchNorm { parts.append("bn") }
        if config.dropout > 0 { parts.append("do\(compact(config.dropout))") }
        if config.residual { parts.append("res") }
        if config.multiHead { parts.append("mh") }
        if config.matchMultiHeadParameters { parts.append("matched") }
        parts.append(config.optimizer.rawValue)
        parts.append("lr\(compact(config.lr))")
        if config.schedule != .constant { parts.append(config.schedule.rawValue) }
        parts.append("b\(config.batchSize)")
        parts.append("e\(config.epochs)")
        if config.data.randomLabels { parts.append("randlabels") }
        parts.append("s\(config.seed)")
        return parts.joined(separator: "-")
    }

    static func defaultPath(for config: TrainingConfig, root: String = "checkpoints") -> String {
        "\(root)/\(config.task)/\(name(for: config)).h5"
    }

    /// `model.h5` → `model.SUFFIX.h5`, beside it.
    static func sibling(of path: String, suffix: String) -> String {
        let base = path.hasSuffix(".h5") ? String(path.dropLast(3)) : path
        return "\(base).\(suffix).h5"
    }

    /// `0.001`, `1e-05`, `0.2`: the shortest usual form (`%g`).
    private static func compact(_ value: Double) -> String { String(format: "%g", value) }
}
