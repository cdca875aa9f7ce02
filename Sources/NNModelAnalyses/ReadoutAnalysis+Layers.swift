import NNAnalysis
import NNLinalg
import NNModel

extension ReadoutAnalysis {
    /// The read-outs of a layer stack (a conv net) over the features each one reads: every head's
    /// linear layer (a ResNet's stage heads: each over its stage's pooled channels), or a
    /// single-head model's last linear layer (over a CNN's last fc units, a ResNet's pooled
    /// channels). Each feature's spread is measured on the task's test split, in evaluation mode.
    /// Heads reading different features share no space, so angles are taken between a head's own
    /// task read-outs only; `note` says so.
    ///
    /// Throws `AnalysisError.modelUnsupported` when the model's output is not a linear read-out,
    /// `.readoutNeedsHiddenLayer` when that read-out reads the inputs themselves.
    public init(_ model: LayerModel, task context: CheckpointTask, threshold: Double) throws {
        let network: LayerNetwork<Float>
        do { network = try LayerNetwork<Float>(model) } catch {
            throw AnalysisError.modelUnsupported(reason: "its layers do not fit its values: \(error)")
        }
        let stack = model.stack
        // The read-out steps: each head's linear layer, else the step writing the model's output.
        let steps: [LayerNetwork<Float>.Step]
        if stack.heads.isEmpty {
            guard let last = network.steps.last, last.output == network.outputBuffer, case .layer(.linear) = last.operation else {
                throw AnalysisError.modelUnsupported(reason: "ortho needs a linear read-out at the output; this model ends in "
                                                     + (network.steps.last?.name ?? "its inputs"))
            }
            steps = [last]
        } else {
            steps = network.steps.filter { if case .readOut = $0.operation { true } else { false } }
        }
        guard steps.allSatisfy({ $0.inputs[0] != 0 }) else { throw AnalysisError.readoutNeedsHiddenLayer }
        let tasks: [(name: String, outputs: [Int])] = context.task.subtasks.isEmpty
            ? (0..<network.outputWidth).map { ("output_\($0)", [$0]) }
            : context.task.subtasks.map { ($0.name, $0.outputs) }
        // Every read-out's inputs on the test split, gathered chunk by chunk.
        let inputs = context.splits.test.inputs
        var features = steps.map { _ in [Float]() }
        network.forEachChunk(of: inputs, chunk: network.evaluationChunk(rows: context.splits.test.count)) { _, _, _ in
            for (k, step) in steps.enumerated() { features[k] += network.values(ofBuffer: step.inputs[0]) }
        }
        let naming = LayerNames(stack)
        readouts = zip(steps, features).map { step, values in
            let width = step.inShape.count, slot = step.weight!
            let weight = Matrix<Double>(rows: slot.count / width, cols: width,
                                        storage: network.parameters[slot.offset..<(slot.offset + slot.count)].map(Double.init))
            let read = Self.featuresRead(by: step.name, in: stack)
            let stage = read.block.flatMap(naming.stage(ofBlock:)).map { " (stage\($0))" } ?? ""
            let place = read.block.map { "block\($0)" } ?? read.layer
            return Readout(source: step.name, readsLayer: place,
                           geometry: ReadoutGeometry(weight: weight, tasks: tasks, unitStd: columnStd(values, width: width),
                                                     monoThreshold: threshold),
                           features: "\(width) \(read.kind) of \(place)\(stage)")
        }
        let spaces = Set(readouts.compactMap(\.features).map { $0.drop { $0 != " " } })
        if readouts.count > 1 {
            note = spaces.count > 1
                ? "the heads read different features (\(readouts.map { "\($0.source): \($0.features!)" }.joined(separator: "; "))), so angles are taken between each head's own task read-outs only"
                : "the heads read the same features; angles are taken between each head's own task read-outs"
        }
    }

    /// What read-out `name` reads: the block whose output reaches it through parameter-free layers
    /// (pooling, flatten, dropout), and whether those pool it (`pooled channels`), flatten it
    /// (`flattened values`) or pass units on (`units`); else the layer just before it (`layer`).
    static func featuresRead(by name: String, in stack: LayerStack) -> (block: Int?, layer: String, kind: String) {
        let between: [Layer], source: Int?
        if name.hasPrefix("head"), let k = Int(name.dropFirst(4).prefix { $0.isNumber }), stack.heads.indices.contains(k) {
            between = stack.heads[k].layers
            source = stack.heads[k].source
        } else {
            let last = stack.blocks.count - 1, main = stack.blocks[last].main
            between = Array(main.dropLast())
            source = last > 0 ? last - 1 : nil
        }
        let free = between.allSatisfy { layer in
            switch layer {
            case .globalAvgPool, .flatten, .dropout, .avgPool, .maxPool: true
            default: false
            }
        }
        guard free, let source else {
            return (nil, between.isEmpty ? "the inputs" : "\(name.split(separator: ".").dropLast().joined(separator: ".")).\(between.count - 1)", "units")
        }
        let kind = between.contains(.globalAvgPool) ? "pooled channels"
            : between.contains(.flatten) || !(Self.outputShape(ofBlock: source, in: stack)?.isFlat ?? true) ? "flattened values" : "units"
        return (source, "block\(source)", kind)
    }

    /// The output shape of block `b`, as the stack lays it out.
    private static func outputShape(ofBlock b: Int, in stack: LayerStack) -> FeatureShape? {
        guard let placed = try? stack.layers().get() else { return nil }
        return placed.last { $0.name.hasPrefix("block\(b).") && !$0.name.hasPrefix("block\(b).shortcut") }.map {
            $0.layer == .flatten ? $0.input : $0.output
        }
    }
}
