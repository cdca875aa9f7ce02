import Foundation
import NNCheckpoint
import NNLinalg
import NNModel
import NNTasks
import NNTrain

/// A model read from a checkpoint or a safetensors file, with its weight matrices named the
/// way every subcommand names them (`layer_0`, …, `head_0`, …).
struct ModelFile {
    let path: String
    /// The checkpoint (model and provenance only), when the file is one and was read whole.
    let checkpoint: Checkpoint?
    /// Weight matrices in forward order, then heads.
    let matrices: [(name: String, weight: Matrix<Float>, isHead: Bool)]

    /// Reads `path`: a checkpoint, or (where `allowSafeTensors`) any safetensors file, whose
    /// 2-D tensors each count as a layer. `weightsOnly` reads a checkpoint's weight matrices and
    /// nothing else (`checkpoint` is then nil): the fast path for spectra over many files.
    static func load(_ path: String, allowSafeTensors: Bool = false, weightsOnly: Bool = false) throws -> ModelFile {
        if allowSafeTensors && path.hasSuffix(".safetensors") {
            let tensors = try SafeTensors.read(path).filter { $0.shape.count == 2 }
            guard !tensors.isEmpty else { throw CommandFailure("\(path): no 2-D tensors") }
            return ModelFile(path: path, checkpoint: nil, matrices: tensors.map {
                ($0.name, Matrix(rows: $0.shape[0], cols: $0.shape[1], storage: $0.values.map(Float.init)), false)
            })
        }
        if weightsOnly {
            return ModelFile(path: path, checkpoint: nil, matrices: try Checkpoint.readWeights(from: path).map { ($0.name, $0.weight, $0.isHead) })
        }
        return ModelFile(path: path, checkpoint: try Checkpoint.read(from: path, training: false))
    }


    /// How messages name the matrix `name` of this file: where a checkpoint stores it
    /// (`layer_0/weight`, `head_1/weight`), or a safetensors tensor's own name.
    func label(of name: String) -> String {
        path.hasSuffix(".safetensors") ? name : "\(name)/weight"
    }

    /// The matrices to analyse: all, or only `layer_L` — out of range is an error listing the layers.
    func select(layer: Int?) throws -> [(name: String, weight: Matrix<Float>, isHead: Bool)] {
        guard let layer else { return matrices }
        let layers = matrices.filter { !$0.isHead }
        guard layers.indices.contains(layer) else {
            let valid = layers.enumerated().map { "\($0.offset) (\($0.element.name) \($0.element.weight.rows)×\($0.element.weight.cols))" }
            throw CommandFailure("\(path): --layer \(layer) is out of range; valid layers: \(valid.joined(separator: ", "))")
        }
        return [layers[layer]]
    }
}

extension ModelFile {
    /// The weight matrices of a checkpoint already read from `path`.
    init(path: String, checkpoint: Checkpoint) {
        let model = checkpoint.model
        self.init(path: path, checkpoint: checkpoint,
                  matrices: model.layers.enumerated().map { ("layer_\($0.offset)", $0.element.weight, false) }
                      + model.heads.enumerated().map { ("head_\($0.offset)", $0.element.weight, true) })
    }

    /// A checkpoint's weight matrices as its directory's pack holds them: what
    /// `load(path, weightsOnly: true)` reads from the file itself.
    init(path: String, packed: PackedModel) {
        self.init(path: path, checkpoint: nil, matrices: packed.weights.map { ($0.name, $0.weight, $0.isHead) })
    }
}

/// The task a checkpoint was trained on, rebuilt from its stored configuration.
struct CheckpointTask {
    let config: TrainingConfig
    let task: TaskDefinition
    let splits: DataSplits

    init(_ checkpoint: Checkpoint, file: String) throws {
        guard let data = checkpoint.config.data(using: .utf8),
              let config = try? JSONDecoder().decode(TrainingConfig.self, from: data) else {
            throw CommandFailure("\(file): its stored config is not an nnprobe training configuration, so its task data cannot be rebuilt")
        }
        self.config = config
        do {
            (task, splits) = try TaskRegistry.load(config.task, options: config.data, seed: config.seed)
        } catch let error as TaskError {
            throw CommandFailure("\(file): cannot rebuild its task data: \(error.description)")
        } catch let error as SettingProblem {   // worded by its stored setting, not a flag
            throw CommandFailure("\(file): cannot rebuild its task data: \(error.description)")
        }
        guard task.inputWidth == checkpoint.model.inputWidth else {
            throw CommandFailure("\(file): the model takes \(checkpoint.model.inputWidth) inputs but task \(task.name) has \(task.inputWidth)")
        }
    }

    /// The sub-task called `name`; the error lists the task's sub-tasks.
    func subtask(_ name: String, file: String) throws -> SubTask {
        guard let found = task.subtasks.first(where: { $0.name == name }) else {
            let known = task.subtasks.map(\.name)
            throw CommandFailure("\(file): task \(task.name) has no sub-task '\(name)'; "
                + (known.isEmpty ? "it has none (use --vary all)" : "its sub-tasks: \(known.joined(separator: ", ")), or all"))
        }
        return found
    }
}
