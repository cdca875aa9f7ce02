import Foundation
import NNTrain

/// Default checkpoint file names, derived from the flags that tell runs apart and the seed,
/// e.g. `checkpoints/multi-mult/h16-relu-adam-lr0.001-b128-e20-s0.h5`.
///
/// Settings the readable part leaves out (weight decay, initialisation, data sizes, transfer and
/// distillation settings, …) add `-c` and a hash of their values when any differs from its
/// default, so two different configurations of one task never share a name.
enum RunNaming {
    static func name(for config: TrainingConfig) -> String {
        readableName(for: config) + (unnamedSettingsHash(of: config).map { "-c\($0)" } ?? "")
    }

    /// Keys (as in `TrainingConfig.differences`) that the readable part of a name shows; the
    /// task is the directory a run is saved in.
    private static let namedKeys: Set<String> = [
        "task", "seed", "hidden", "activation", "batch_norm", "dropout", "residual", "multi_head",
        "match_multi_head_parameters", "optimizer", "lr", "schedule", "batch_size", "epochs", "data.random_labels",
        "arch", "blocks", "base_width", "channels", "fc", "heads_on", "no_residual", "data.augment",
    ]

    /// 8 hex digits (FNV-1a) of the settings the readable name leaves out, where any differs
    /// from the default for the task; nil when all are defaults.
    static func unnamedSettingsHash(of config: TrainingConfig) -> String? {
        var defaults = TrainingConfig()
        defaults.task = config.task
        let rest = config.differences(from: defaults).filter { !namedKeys.contains($0.key) }
        guard !rest.isEmpty else { return nil }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in rest.map({ "\($0.key)=\($0.requested)\n" }).joined().utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return String(format: "%08x", UInt32(truncatingIfNeeded: hash ^ (hash >> 32)))
    }

    /// The flags that tell runs apart and the seed, e.g. `h16-relu-adam-lr0.001-b128-e20-s0`.
    private static func readableName(for config: TrainingConfig) -> String {
        let m = config.model
        var parts: [String]
        switch m.arch {
        case .mlp: parts = ["h" + (m.hidden.isEmpty ? "0" : m.hidden.map(String.init).joined(separator: "x")), m.activation.rawValue]
        case .cnn: parts = ["cnn" + m.channels.map(String.init).joined(separator: "x"), "fc" + m.fc.map(String.init).joined(separator: "x"), m.activation.rawValue]
        case .resnet:
            parts = ["resnet" + m.blocks.map(String.init).joined(separator: "x"), "w\(m.baseWidth)"]
            if m.noResidual { parts.append("plain") }
            if m.zeroInitResidual { parts.append("zi") }
            if m.headsOn == .stages { parts.append("stageheads") }
        }
        if config.model.batchNorm && m.arch != .resnet { parts.append("bn") }
        if config.model.dropout > 0 { parts.append("do\(compact(config.model.dropout))") }
        if config.model.residual { parts.append("res") }
        if config.model.multiHead { parts.append("mh") }
        if config.model.matchMultiHeadParameters { parts.append("matched") }
        parts.append(config.optimization.optimizer.rawValue)
        parts.append("lr\(compact(config.optimization.lr))")
        if config.optimization.schedule != .constant { parts.append(config.optimization.schedule.rawValue) }
        parts.append("b\(config.optimization.batchSize)")
        parts.append("e\(config.optimization.epochs)")
        if config.data.randomLabels { parts.append("randlabels") }
        if config.data.augment { parts.append("aug") }
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
