import NNLinalg
import NNModel
import NNTasks

/// One optimiser step on one mini-batch, the unit the training loop repeats and the benchmark
/// times: load the batch, forward, score, zero the gradients, backward, record gradient flow,
/// update.
public final class TrainingStep {
    public let network: Network<Float>
    private let workspace: Workspace<Float>
    private var optimizer: Optimizer
    private var recorder: GradientRecorder
    private var dropout: RandomSource?
    private let loss: LossFunction
    private let tolerance: Double
    /// Teacher logits for every training row (N × o), when distilling.
    private let teacherLogits: [Float]?
    private let temperature: Double
    private let alpha: Double
    /// Steps taken so far.
    public private(set) var count = 0

    /// - Parameters:
    ///   - batchSize: the most rows a batch may have.
    ///   - frozen: trunk layers whose tensors are not updated.
    ///   - totalSteps: steps the run will take (gradient flow keeps the last K).
    ///   - teacherLogits: the teacher's outputs on every training row; the loss is then the
    ///     distillation loss (`Network.distillationScore`) with the config's temperature and α.
    public init(network: Network<Float>, config: TrainingConfig, loss: LossFunction, batchSize: Int,
                frozen: Set<Int> = [], totalSteps: Int, teacherLogits: [Float]? = nil) {
        self.network = network
        let layout = network.layout
        workspace = Workspace(layout: layout, capacity: batchSize)
        let trainable = layout.layers.indices.filter { !frozen.contains($0) }.flatMap { layout.tensors(ofLayer: $0) }
            + layout.heads.flatMap { [$0.weight, $0.bias] }
        optimizer = Optimizer(settings: config.optimization, parameterCount: layout.count,
                              trainable: trainable.map { $0.offset..<($0.offset + $0.count) })
        recorder = GradientRecorder(layout: layout, stepsKept: config.run.gradSteps, totalSteps: totalSteps)
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
        let rows = indices.count
        workspace.load(inputs: data.inputs, targets: teacherLogits ?? data.targets, labels: data.labels, indices: indices)
        network.forward(workspace, rows: rows, training: true, dropout: &dropout)
        let score = teacherLogits == nil
            ? network.score(workspace, rows: rows, loss: loss, tolerance: tolerance, gradient: true)
            : network.distillationScore(workspace, rows: rows, temperature: temperature, alpha: alpha, gradient: true)
        guard score.loss.isFinite else { return score }
        network.zeroGradients()
        network.backward(workspace, rows: rows)
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
