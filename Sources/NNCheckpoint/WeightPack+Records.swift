import NNLinalg
import NNModel

/// What format 2 of a pack adds to the weights: for every run whose checkpoint read whole when it
/// was packed, the rest of that checkpoint but its gradient records (provenance, each layer's
/// settings, the learning curves), so that analyses needing a whole model (`ortho`) or the
/// training curves (`summary --plot`) read the pack instead of every checkpoint. Layout in
/// docs/checkpoint-format.md.
extension WeightPack {
    /// The learning curves stacked as [runs, epochs] (NaN past each run's own length, which
    /// `NAME_length` holds), in `/history`.
    static let curveNames = ["train_loss", "train_accuracy", "val_loss", "val_accuracy", "learning_rate", "dead_units"]

    /// Writes each run's record (`records`, in listing order; nil for a run whose checkpoint did not
    /// read whole) beside the tensors: `groups[g]` lists the runs of group `g`, in row order.
    static func writeRecords(_ records: [Checkpoint?], groups: [[Int]], in root: HDF5Group) throws {
        try root.writeDataset("has_record", records.map { Int64($0 == nil ? 0 : 1) }, shape: [records.count])
        for (name, value) in [("task", \Checkpoint.task), ("config", \.config), ("nnprobe_version", \.nnprobeVersion), ("created", \.created)] {
            try root.writeStringDataset(name, records.map { $0?[keyPath: value] ?? "" })
        }
        try root.writeStringDataset("status", records.map { $0?.status.rawValue ?? "" })
        try root.writeDataset("seed", records.map { $0?.seed ?? 0 }, shape: [records.count])
        try writeHistories(records, in: root.createGroup("history"))
        for (g, runs) in groups.enumerated() {
            let members = runs.map { records[$0] }
            guard let model = members.lazy.compactMap({ $0?.model }).first else { continue }
            for index in model.layers.indices {
                let node = try root.group("groups/g\(g)/layer_\(index)")
                let layers = members.map { $0?.model.layers[index] }
                try node.writeStringDataset("activation", layers.map { $0?.activation.rawValue ?? "" })
                try node.writeDataset("batch_norm", layers.map { Int64($0?.batchNorm == nil ? 0 : 1) }, shape: [runs.count])
                try node.writeDataset("bn_eps", layers.map { $0?.batchNorm?.eps ?? .nan }, shape: [runs.count])
                try node.writeDataset("bn_momentum", layers.map { $0?.batchNorm?.momentum ?? .nan }, shape: [runs.count])
                try node.writeDataset("residual", layers.map { Int64($0?.residual == true ? 1 : 0) }, shape: [runs.count])
                try node.writeDataset("dropout", layers.map { $0?.dropout ?? 0 }, shape: [runs.count])
            }
            for index in model.heads.indices {
                try root.group("groups/g\(g)/head_\(index)")
                    .writeDataset("source_layer", members.map { Int64($0?.model.heads[index].sourceLayer ?? -1) }, shape: [runs.count])
            }
        }
    }

    private static func writeHistories(_ records: [Checkpoint?], in group: HDF5Group) throws {
        let histories = records.map { $0?.history ?? TrainingHistory() }
        let curves: [[[Double]]] = [histories.map(\.trainLoss), histories.map(\.trainAccuracy), histories.map(\.valLoss),
                                    histories.map(\.valAccuracy), histories.map(\.learningRate), records.map { $0?.deadUnits ?? [] }]
        for (name, curve) in zip(curveNames, curves) {
            let width = max(1, curve.map(\.count).max() ?? 0)
            let padded = curve.flatMap { $0 + Array(repeating: Double.nan, count: width - $0.count) }
            try group.writeDataset(name, padded, shape: [records.count, width])
            try group.writeDataset("\(name)_length", curve.map { Int64($0.count) }, shape: [records.count])
        }
        try group.writeDataset("test_loss", histories.map(\.testLoss), shape: [records.count])
        try group.writeDataset("test_accuracy", histories.map(\.testAccuracy), shape: [records.count])
        try group.writeDataset("steps_per_epoch", histories.map { Int64($0.stepsPerEpoch) }, shape: [records.count])
    }

    /// The checkpoints of `files` (the listing of `directory`, in order) as the directory's pack
    /// holds them, keyed by file as given: everything `Checkpoint.read` gives but the gradient
    /// records (empty here). Only runs whose checkpoint read whole when packed are included; read
    /// the others from their files. Throws `Unusable` as `read` does, and `.weightsOnly` for a
    /// version-1 pack.
    public static func readCheckpoints(directory: String, files: [String]) throws(Unusable) -> [String: Checkpoint] {
        let opened = try open(directory: directory, files: files)
        guard opened.version >= 2 else { throw .weightsOnly }
        return try damagedUnlessUnusable { try readRecords(opened, files: files) }
    }

    private static func readRecords(_ opened: Opened, files: [String]) throws -> [String: Checkpoint] {
        let root = opened.root, n = files.count, bytes = opened.bytes
        let hasRecord = try column("has_record", in: root, runs: n, packBytes: bytes, as: Int64.self)
        let seeds = try column("seed", in: root, runs: n, packBytes: bytes, as: Int64.self)
        let (tasks, configs, versions, created, statuses) = try (
            strings("task", in: root, runs: n, packBytes: bytes), strings("config", in: root, runs: n, packBytes: bytes),
            strings("nnprobe_version", in: root, runs: n, packBytes: bytes), strings("created", in: root, runs: n, packBytes: bytes),
            strings("status", in: root, runs: n, packBytes: bytes))
        let histories = try readHistories(root.group("history"), runs: n, packBytes: bytes)
        var settings: [Int: [[LayerSettings]]] = [:]
        var checkpoints: [String: Checkpoint] = [:]
        for (index, file) in files.enumerated() where hasRecord[index] != 0 {
            let (g, row) = opened.placement[index]
            guard let packed = opened.models[file], let status = RunStatus(rawValue: statuses[index]) else {
                throw Unusable.damaged("run \(index): status '\(statuses[index])'")
            }
            if settings[g] == nil { settings[g] = try LayerSettings.read(root.group("groups/g\(g)"), model: packed, packBytes: bytes) }
            var checkpoint = Checkpoint(task: tasks[index], seed: seeds[index], config: configs[index], status: status,
                                        model: try LayerSettings.model(packed, settings: settings[g]![row], run: index),
                                        nnprobeVersion: versions[index], created: created[index])
            (checkpoint.history, checkpoint.deadUnits) = histories[index]
            checkpoints[file] = checkpoint
        }
        return checkpoints
    }

    private static func readHistories(_ group: HDF5Group, runs n: Int, packBytes: Int64) throws -> [(TrainingHistory, [Double])] {
        var curves: [[[Double]]] = []
        for name in curveNames {
            let dataset = try group.dataset(name)
            let shape = try checkedShape(dataset, packBytes: packBytes)
            guard shape.count == 2, shape[0] == n else { throw Unusable.damaged("\(dataset.path): shape \(shape) for \(n) runs") }
            let lengths = try column("\(name)_length", in: group, runs: n, packBytes: packBytes, as: Int64.self)
            let values = try dataset.read(as: Double.self)
            curves.append(try (0..<n).map { run in
                guard (0...Int64(shape[1])).contains(lengths[run]) else {
                    throw Unusable.damaged("\(group.path)/\(name)_length: run \(run) has \(lengths[run]) of \(shape[1])")
                }
                return Array(values[(run * shape[1])..<(run * shape[1] + Int(lengths[run]))])
            })
        }
        let testLoss = try column("test_loss", in: group, runs: n, packBytes: packBytes, as: Double.self)
        let testAccuracy = try column("test_accuracy", in: group, runs: n, packBytes: packBytes, as: Double.self)
        let steps = try column("steps_per_epoch", in: group, runs: n, packBytes: packBytes, as: Int64.self)
        return (0..<n).map { run in
            var history = TrainingHistory()
            (history.trainLoss, history.trainAccuracy, history.valLoss) = (curves[0][run], curves[1][run], curves[2][run])
            (history.valAccuracy, history.learningRate) = (curves[3][run], curves[4][run])
            (history.testLoss, history.testAccuracy, history.stepsPerEpoch) = (testLoss[run], testAccuracy[run], Int(clamping: steps[run]))
            return (history, curves[5][run])
        }
    }

    /// The per-run dataset `name` of `group`, which must hold `runs` values.
    static func column<T: HDF5Scalar>(_ name: String, in group: HDF5Group, runs: Int, packBytes: Int64, as type: T.Type) throws -> [T] {
        let dataset = try group.dataset(name)
        guard try checkedShape(dataset, packBytes: packBytes) == [runs] else { throw Unusable.damaged("\(dataset.path) does not hold \(runs) runs") }
        return try dataset.read(as: T.self)
    }

    /// The per-run string dataset `name` of `group`, which must hold `runs` strings.
    static func strings(_ name: String, in group: HDF5Group, runs: Int, packBytes: Int64) throws -> [String] {
        let dataset = try group.dataset(name)
        guard try checkedShape(dataset, packBytes: packBytes) == [runs] else { throw Unusable.damaged("\(dataset.path) does not hold \(runs) runs") }
        return try dataset.readStrings()
    }
}
