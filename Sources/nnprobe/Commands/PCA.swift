import ArgumentParser
import NNCheckpoint
import NNModel
import NNModelAnalyses

/// `nnprobe pca`: activation PCA while one task's inputs vary.
struct PCA: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pca",
        abstract: "PCA of each layer's activations while one task's inputs sweep a grid (or over a whole split).",
        discussion: """
            From a checkpoint, --vary TASK sweeps that sub-task's inputs over an N×N grid while the \
            other inputs are held at C contexts; activations are centred per context and pooled \
            (divisor N − C). It also reports the principal angles between each pair of tasks' top-k \
            subspaces and the cross-task leakage: how much each other task's outputs move, relative to \
            the varied task's own, while only its inputs vary. --vary all is plain PCA over the \
            checkpoint's test split. From an activation dump, the dump's own probe is used and the \
            rows are streamed in blocks (covariance accumulated in Float64), so memory does not grow \
            with N. Keys follow scikit-learn: explained_variance (divisor n − 1), \
            explained_variance_ratio, components (sign: largest entry positive).
            """)

    @Argument(help: "A checkpoint or activation dump (default: the newest checkpoint under checkpoints/).", completion: .file(extensions: ["h5"]))
    var file: String?
    @Option(help: "The sub-task whose inputs vary (task0, task1, …), or all (default all).")
    var vary: VariedInputs = .all
    @Option(help: "Only this layer: its index (0-based), or a name: a block (block2), a stage (stage2: its last block), a layer inside a block (layer2.0.conv2: that block's output), an MLP's layer_1.")
    var layer: LayerAddress?
    @OptionGroup(title: "Probe grid (checkpoints)") var probe: ProbeGridOptions
    @Option(help: "Components listed, and k for principal angles (default 3).")
    var components = 3
    @Flag(help: "Use pre-activations (before the nonlinearity) instead of layer outputs.")
    var pre = false
    @OptionGroup var output: OutputOptions
    @OptionGroup var figure: PlotOptions

    func validate() throws {
        if components < 1 { throw ValidationError("--components \(components): need at least 1") }
    }

    /// The settings, with `--layer` resolved to an index among `blocks` (see `LayerNames.block`).
    func settings(blocks: [String], stack: LayerStack?) throws(AnalysisError) -> ActivationPCA.Settings {
        .init(vary: vary, layer: try layer.map { address throws(AnalysisError) in try LayerNames.block(address, blocks: blocks, stack: stack) },
              gridSize: probe.grid, contexts: probe.contexts, components: components, preActivations: pre)
    }

    func run() throws {
        let path = try file ?? defaultCheckpoint()
        // An error of the analysis itself (LAPACK, NaN activations) names the file.
        let (report, projections) = try FileError.naming(path) {
            try AnalysisFlags.naming(path) { try analyse(path, plotting: figure.plot != nil) }
        }
        if figure.plot != nil, let plotted = report.layers.first {
            try figure.write(PCAFigure.make(plotted, projections: projections, title: "\(shortTitle(path, limit: 60)): \(report.variedTask == "all" ? "plain PCA" : "\(report.variedTask) varied")"))
        }
        if output.json { try printJSON(report) } else { print(report.text()) }
    }

    /// The report of the checkpoint or dump at `path`, and (when `plotting`) the projections its figure shows.
    private func analyse(_ path: String, plotting: Bool) throws -> (PCAReport, [PCAProjection]) {
        switch try NNProbeFile.open(path).kind {
        case .activations:
            let reader = try ActivationDumpReader(path: path)
            let blocks = (0..<reader.layerCount).map { i in reader.blocks.indices.contains(i) ? reader.blocks[i]?.name ?? "layer_\(i)" : "layer_\(i)" }
            let report = try ActivationPCA.of(reader, settings: settings(blocks: blocks, stack: nil), file: path)
            let projections = plotting ? try report.layers.prefix(1).map {
                try ActivationPCA.projection(reader, layer: $0.layer, preActivations: pre)
            } : []
            return (report, projections)
        case .checkpoint:
            let checkpoint = try Checkpoint.read(from: path, training: false, convNets: true)
            let stack = checkpoint.layers?.stack
            let blocks = stack.map { DumpBuilder.blockLayouts($0).map(\.name) } ?? checkpoint.model.layers.indices.map { "layer_\($0)" }
            return try ActivationPCA.of(checkpoint, task: try CheckpointTask(checkpoint), settings: settings(blocks: blocks, stack: stack),
                                        file: path, projections: plotting)
        }
    }

    /// The newest checkpoint under checkpoints/ — with --vary TASK, the newest whose task has that sub-task.
    private func defaultCheckpoint() throws -> String {
        guard let name = vary.subtaskName else { return try CheckpointInputs.defaultCheckpoint() }
        return try CheckpointInputs.defaultCheckpoint(requirement: "whose task has sub-task \(name)") { path in
            guard let checkpoint = try? Checkpoint.read(from: path, training: false),
                  let context = try? CheckpointTask(checkpoint) else { return false }
            return context.hasSubtask(name)
        }
    }
}

extension VariedInputs: ExpressibleByArgument {
    /// `all` or a sub-task's name.
    public init?(argument: String) { self.init(argument) }
}
