import Foundation
import NNLinalg
import NNModel
import NNTasks

/// Trains one model on one task: mini-batch epochs with shuffling, validation after every
/// epoch, test metrics at the end, gradient flow and dead units recorded.
public struct Trainer {
    public let config: TrainingConfig
    public let task: TaskDefinition
    public let splits: DataSplits

    /// Loads the task's data for `config` (image files already decoded in `files` are reused)
    /// and checks the settings.
    public init(config: TrainingConfig, files: ImageFileCache? = nil) throws {
        if let problem = config.problems().first { throw problem }
        self.config = config
        (task, splits) = try TaskRegistry.load(config.task, options: config.data, seed: config.seed, files: files)
        let batch = min(config.optimization.batchSize, splits.train.count)
        let architecture = config.architecture(for: task)
        if config.data.augment, task.resolvedInputShape.isFlat {
            throw SettingProblem("data.augment", nil, "crops and flips images; task \(task.name) gives \(task.inputWidth) flat features")
        }
        if config.model.arch != .mlp {
            guard !task.resolvedInputShape.isFlat else {
                throw SettingProblem("arch", config.model.arch.rawValue, "needs image inputs; task \(task.name) gives \(task.inputWidth) flat features")
            }
            if let problem = architecture.problems().first { throw SettingProblem("arch", config.model.arch.rawValue, problem) }
        }
        if let problem = MemoryBudget.problem(needing: architecture.trainingBytes(batch: batch)) {
            // Name the setting that makes it big: the classes when the output layer alone would not fit.
            let outputLayer = 16 * Double(architecture.hidden.last ?? task.inputWidth) * Double(task.outputWidth)
            let key = config.model.arch != .mlp ? "arch" : outputLayer > MemoryBudget.bytes / 2 && task.isClassification ? "data.classes" : "hidden"
            throw SettingProblem(key, nil, "the model \(problem)")
        }
    }

    /// The architecture to train.
    public var architecture: Architecture { config.architecture(for: task) }

    /// Steps per epoch (a last batch of one row is dropped under batch norm, which needs two;
    /// ResNets always have batch norm).
    public var stepsPerEpoch: Int {
        let n = splits.train.count, b = config.optimization.batchSize
        let batchNorm = config.model.batchNorm || config.model.arch == .resnet
        return batchNorm && n % b == 1 && n > 1 ? n / b : (n + b - 1) / b
    }

    /// The rule for a run that diverges without a NaN: an epoch's mean training loss above a
    /// million times the first step's (and above 1). Returns a description, or nil when it holds.
    static func divergedLoss(_ loss: Double, first: Double) -> String? {
        loss > 1 && loss > 1e6 * abs(first) ? "\(loss), over 10⁶ × its first value \(first)" : nil
    }

    /// Runs the training loop.
    ///
    /// - Parameters:
    ///   - initial: start from these weights (transfer learning) instead of a fresh draw.
    ///   - frozen: blocks (MLP layers) whose tensors are not updated.
    ///   - teacher: distil from this model's outputs (classification tasks).
    ///   - progress: called after every step (cheap; the caller throttles drawing).
    ///   - epochEnd: called after every epoch with its index and the live network (for `--save-every`).
    public func run(initial: LayerModel? = nil, frozen: Set<Int> = [], teacher: LayerModel? = nil,
                    progress: (TrainingProgress) -> Void = { _ in },
                    epochEnd: (Int, LayerNetwork<Float>, TrainingHistory) throws -> Void = { _, _, _ in }) throws -> TrainingResult {
        let started = Date()
        let network = try LayerNetwork<Float>(initial ?? architecture.model(seed: config.seed))
        let train = splits.train
        let batch = min(config.optimization.batchSize, train.count)
        var teacherLogits: [Float]?
        if let teacher {
            let teacherNetwork = try LayerNetwork<Float>(teacher)
            guard task.isClassification, teacherNetwork.outputWidth == task.outputWidth,
                  teacher.stack.input.count == task.inputWidth else {
                throw SettingProblem("teacher", nil, "distillation needs a classifier with \(task.inputWidth) inputs and \(task.outputWidth) outputs for task \(task.name)")
            }
            teacherLogits = teacherNetwork.predictions(for: train.inputs)
        }
        var frozen = frozen
        if config.run.freezeBackbone {
            frozen.formUnion(network.stack.heads.isEmpty ? Array(0..<(network.stack.blocks.count - 1)) : Array(network.stack.blocks.indices))
        }
        let step = TrainingStep(network: network, config: config, loss: task.loss, batchSize: batch, frozen: frozen,
                                totalSteps: stepsPerEpoch * config.optimization.epochs, teacherLogits: teacherLogits,
                                augmentation: config.data.augment ? ImageAugmentation(task: task) : nil)
        let chunk = network.evaluationChunk(rows: max(splits.validation.count, splits.test.count))
        var shuffling = RandomSource.stream(.shuffling, seed: config.seed)
        var history = TrainingHistory()
        history.stepsPerEpoch = stepsPerEpoch
        var order = Array(0..<train.count)
        var divergence: String?
        var firstLoss: Double?   // the loss of the first optimiser step: the scale divergence is judged by
        var dead: [Double] = []
        let tolerance = config.data.tolerance

        epochs: for epoch in 0..<config.optimization.epochs {
            let lr = config.optimization.learningRate(epoch: epoch)
            order.shuffle(using: &shuffling)
            var lossSum = 0.0, accuracySum = 0.0
            for s in 0..<stepsPerEpoch {
                let score = step.run(on: train, indices: order[(s * batch)..<min(train.count, (s + 1) * batch)], lr: lr)
                guard score.loss.isFinite else {
                    divergence = "loss became \(score.loss) at epoch \(epoch + 1), step \(s + 1) (learning rate \(lr))"
                    break epochs
                }
                if firstLoss == nil { firstLoss = score.loss }
                lossSum += score.loss
                accuracySum += score.accuracy
                progress(TrainingProgress(epoch: epoch, epochs: config.optimization.epochs, step: s + 1, stepsPerEpoch: stepsPerEpoch,
                                          trainLoss: lossSum / Double(s + 1), valLoss: history.valLoss.last ?? .nan))
            }
            step.endEpoch()
            // The last epoch's validation pass also finds the dead units.
            let validation = network.evaluate(splits.validation, loss: task.loss, tolerance: tolerance, chunk: chunk,
                                              deadUnits: epoch == config.optimization.epochs - 1)
            if epoch == config.optimization.epochs - 1 { dead = validation.deadUnits }
            history.trainLoss.append(lossSum / Double(stepsPerEpoch))
            history.trainAccuracy.append(accuracySum / Double(stepsPerEpoch))
            history.valLoss.append(validation.score.loss)
            history.valAccuracy.append(validation.score.accuracy)
            history.learningRate.append(lr)
            try epochEnd(epoch, network, history)
            if let first = firstLoss, let rose = Self.divergedLoss(history.trainLoss.last!, first: first) {
                divergence = "training loss rose to \(rose) at epoch \(epoch + 1) (learning rate \(lr))"
                break epochs
            }
        }
        let test = network.evaluate(splits.test, loss: task.loss, tolerance: tolerance, chunk: chunk)
        history.testLoss = divergence == nil ? test.score.loss : .nan
        history.testAccuracy = divergence == nil ? test.score.accuracy : .nan
        if dead.isEmpty {   // a diverged run stopped before its last validation pass
            dead = network.evaluate(splits.validation, loss: task.loss, tolerance: tolerance, chunk: chunk,
                                    deadUnits: true).deadUnits
        }
        let seconds = Date().timeIntervalSince(started)
        history.seconds = seconds
        return TrainingResult(
            model: network.export(), history: history, gradients: step.gradientFlow, deadUnits: dead,
            status: divergence == nil ? .ok : .diverged, divergence: divergence,
            stepsPerEpoch: stepsPerEpoch, steps: step.count, seconds: seconds, notes: network.convolutionNotes)
    }
}
