import NNLinalg
import NNModel
import NNTasks

/// One optimiser step on one mini-batch, the unit the training loop repeats and the benchmark
/// times: load the batch, forward, score, zero the gradients, backward, record gradient flow,
/// update.
public final class TrainingStep {
    public let network: LayerNetwork<Float>
    private var optimizer: Optimizer
    private var recorder: GradientRecorder
    private var dropout: RandomSource
    private let loss: LossFunction
    private let tolerance: Double
    /// Teacher logits for every training row (N × o), when distilling.
    private let teacherLogits: [Float]?
    private let temperature: Double
    private let alpha: Double
    /// The batch's inputs, targets (or teacher logits), labels and the loss gradient, reused.
    private var inputs: [Float] = [], targets: [Float] = [], labels: [Int32] = [], dOutputs: [Float] = []
    /// Random crops and flips of every batch (`--augment`), from the run's augmentation stream.
    private let augmentation: ImageAugmentation?
    private var augmentationDraws: RandomSource
    private var augmented: [Float] = []
    /// Steps taken so far.
    public private(set) var count = 0

    /// - Parameters:
    ///   - batchSize: the most rows a batch may have.
    ///   - frozen: blocks whose tensors are not updated.
    ///   - totalSteps: steps the run will take (gradient flow keeps the last K).
    ///   - teacherLogits: the teacher's outputs on every training row; the loss is then the
    ///     distillation loss (`distillationScore`) with the config's temperature and α.
    ///   - augmentation: crops and flips each batch's images before the forward pass.
    public init(network: LayerNetwork<Float>, config: TrainingConfig, loss: LossFunction, batchSize: Int,
                frozen: Set<Int> = [], totalSteps: Int, teacherLogits: [Float]? = nil, augmentation: ImageAugmentation? = nil) {
        network.computesInputGradient = false   // nothing reads the gradient w.r.t. the inputs while training
        self.augmentation = augmentation
        augmentationDraws = RandomSource.stream(.augmentation, seed: config.seed)
        self.network = network
        let frozenTensors = Set(frozen.flatMap { network.tensors(ofBlock: $0).map(\.offset) })
        let trainable = network.tensors.filter { !frozenTensors.contains($0.offset) }
        optimizer = Optimizer(settings: config.optimization, parameterCount: network.parameters.count,
                              trainable: trainable.map { $0.offset..<($0.offset + $0.count) })
        recorder = GradientRecorder(tensors: network.namedTensors, stepsKept: config.run.gradSteps, totalSteps: totalSteps)
        dropout = RandomSource.stream(.dropout, seed: config.seed)
        self.loss = loss
        tolerance = config.data.tolerance
        self.teacherLogits = teacherLogits
        temperature = config.run.temperature
        alpha = config.run.alpha
    }

    /// Trains on rows `indices` of `data` with learning rate `lr`; returns the batch's score
    /// before the update. A non-finite loss returns without touching the weights.
    @discardableResult
    public func run(on data: Dataset, indices: ArraySlice<Int>, lr: Double) -> BatchScore {
        let rows = indices.count, o = network.outputWidth
        data.gather(indices, inputs: &inputs, targets: &targets, labels: &labels)
        if let teacherLogits {
            if targets.count != rows * o { targets = Array(repeating: 0, count: rows * o) }
            for (r, index) in indices.enumerated() {
                targets.replaceSubrange((r * o)..<((r + 1) * o), with: teacherLogits[(index * o)..<((index + 1) * o)])
            }
        }
        if let augmentation {
            if augmented.count != inputs.count { augmented = Array(repeating: 0, count: inputs.count) }
            augmentation.augment(inputs, count: rows, into: &augmented, using: &augmentationDraws)
        }
        let outputs = network.forward(augmentation == nil ? inputs : augmented, batch: rows, training: true, dropout: &dropout)
        if dOutputs.count != rows * o { dOutputs = Array(repeating: 0, count: rows * o) }
        let score = outputs.withUnsafeBufferPointer { y in
            targets.withUnsafeBufferPointer { t in
                labels.withUnsafeBufferPointer { l in
                    dOutputs.withUnsafeMutableBufferPointer { d in
                        teacherLogits == nil
                            ? loss.score(y.baseAddress!, rows: rows, width: o, targets: t.baseAddress, labels: l.baseAddress,
                                         tolerance: tolerance, gradient: d.baseAddress)
                            : distillationScore(y.baseAddress!, rows: rows, width: o, teacher: t.baseAddress!, labels: l.baseAddress!,
                                                temperature: temperature, alpha: alpha, gradient: d.baseAddress)
                    }
                }
            }
        }
        guard score.loss.isFinite else { return score }
        network.zeroGradients()
        network.backward(dOutputs)
        recorder.observe(step: count, gradients: network.gradients)
        optimizer.update(parameters: &network.parameters, gradients: network.gradients, lr: lr)
        count += 1
        return score
    }

    /// Closes an epoch of gradient-flow records.
    public func endEpoch() { recorder.endEpoch() }

    /// The gradient flow recorded so far.
    public var gradientFlow: GradientFlow { recorder.result }
}
