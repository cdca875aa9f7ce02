import ArgumentParser
import Foundation
import NNAnalysis
import NNCheckpoint
import NNLinalg
import NNModel
import NNTasks

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

    @Argument(help: "A checkpoint or activation dump (default: the newest checkpoint under checkpoints/).")
    var file: String?
    @Option(help: "The sub-task whose inputs vary (task0, task1, …), or all (default all).")
    var vary = "all"
    @Option(help: "Only this layer (0-based).")
    var layer: Int?
    @OptionGroup(title: "Probe grid (checkpoints)") var probe: ProbeGridOptions
    @Option(help: "Components listed, and k for principal angles (default 3).")
    var components = 3
    @Flag(help: "Use pre-activations (before the nonlinearity) instead of layer outputs.")
    var pre = false
    @OptionGroup var output: OutputOptions
    @OptionGroup var figure: PlotOptions

    static let blockRows = 65_536

    func validate() throws {
        if components < 1 { throw ValidationError("--components \(components): need at least 1") }
    }

    func run() throws {
        let path = try file ?? defaultCheckpoint()
        let (_, kind) = try NNProbeFile.open(path)
        // An error of the analysis itself (LAPACK, NaN activations) names the file.
        let (report, checkpointProjections) = try FileError.naming(path) {
            kind == .activations ? (try fromDump(path), []) : try fromCheckpoint(path)
        }
        if figure.plot != nil, let plotted = report.layers.first {
            let projections = kind == .activations
                ? try FileError.naming(path) { try dumpProjections(path, layer: plotted.layer) } : checkpointProjections
            try figure.write(PCAFigure.make(plotted, projections: projections, title: "\(shortTitle(path, limit: 60)): \(report.variedTask == "all" ? "plain PCA" : "\(report.variedTask) varied")"))
        }
        if output.json { try printJSON(report) } else { print(report.text()) }
    }

    /// The newest checkpoint under checkpoints/ — with --vary TASK, the newest whose task has that sub-task.
    private func defaultCheckpoint() throws -> String {
        guard vary != "all" else { return try CheckpointInputs.defaultCheckpoint() }
        return try CheckpointInputs.defaultCheckpoint(requirement: "whose task has sub-task \(vary)") { path in
            guard let checkpoint = try? Checkpoint.read(from: path, training: false),
                  let context = try? CheckpointTask(checkpoint, file: path) else { return false }
            return context.task.subtasks.contains { $0.name == vary }
        }
    }

    // MARK: From a checkpoint

    /// The report, and (with --plot) each task's probe activations at the first selected layer on
    /// their own top two components, from the same forward passes.
    private func fromCheckpoint(_ path: String) throws -> (PCAReport, [PCAFigure.Projection]) {
        let checkpoint = try Checkpoint.read(from: path)
        let context = try CheckpointTask(checkpoint, file: path)
        let network = Network<Float>(checkpoint.model)
        let layers = try selectedLayers(count: checkpoint.model.layers.count, file: path)
        let plotted = figure.plot == nil ? nil : layers.first
        var report = PCAReport(file: path, source: "checkpoint", variedTask: vary, gridSize: vary == "all" ? 0 : probe.grid,
                               contexts: vary == "all" ? 0 : probe.contexts, components: components)
        var projections: [PCAFigure.Projection] = []
        if vary == "all" {
            let data = context.splits.test
            let acts = network.collectActivations(inputs: data.inputs)
            for i in layers {
                report.layers.append(try analyse(pre ? acts.pre[i] : acts.post[i], width: checkpoint.model.layers[i].outputs,
                                                 contexts: nil, layer: i).entry)
            }
            if let plotted {
                projections.append(try project(pre ? acts.pre[plotted] : acts.post[plotted], width: checkpoint.model.layers[plotted].outputs,
                                               contexts: nil, colour: stride(from: 0, to: data.inputs.count, by: data.inputWidth).map { Double(data.inputs[$0]) },
                                               task: "all inputs", colourName: "input 0"))
            }
            return (report, projections)
        }
        let varied = try context.subtask(vary, file: path)
        // Every sub-task's grid: the varied one is reported; the others give principal angles.
        var perTask: [String: [Int: PrincipalComponents]] = [:]
        for subtask in context.task.subtasks {
            let probe = ProbeGrid(task: context.task, subtask: subtask, gridSize: probe.grid, contexts: probe.contexts, seed: context.config.seed)
            let acts = network.collectActivations(inputs: probe.inputs)
            for i in layers {
                let (entry, pcs) = try analyse(pre ? acts.pre[i] : acts.post[i], width: checkpoint.model.layers[i].outputs,
                                               contexts: probe.contextIndex, layer: i)
                perTask[subtask.name, default: [:]][i] = pcs
                if subtask == varied { report.layers.append(entry) }
            }
            if let plotted {
                let input = subtask.inputs[0]
                projections.append(try project(pre ? acts.pre[plotted] : acts.post[plotted], width: checkpoint.model.layers[plotted].outputs,
                                               contexts: probe.contextIndex,
                                               colour: (0..<probe.count).map { Double(probe.inputs[$0 * probe.inputWidth + input]) },
                                               task: subtask.name + (subtask.name == vary ? " (varied)" : ""), colourName: "input \(input)"))
            }
            if subtask == varied {
                let movement = OutputMovement(outputs: acts.outputs, width: checkpoint.model.outputWidth, contextIndex: probe.contextIndex)
                for other in context.task.subtasks where other != varied {
                    report.leakage.append(.init(from: varied.name, to: other.name,
                                                ratio: movement.ratio(of: other.outputs, to: varied.outputs)))
                }
            }
        }
        for other in context.task.subtasks where other != varied {
            for i in layers {
                let a = perTask[varied.name]![i]!, b = perTask[other.name]![i]!
                report.principalAngles.append(.init(layer: i, tasks: [varied.name, other.name], k: components,
                                                    anglesDegrees: try principalAngles(a.top(components), b.top(components))))
            }
        }
        return (report, projections)
    }

    // MARK: From a dump

    private func fromDump(_ path: String) throws -> PCAReport {
        let reader = try ActivationDumpReader(path: path)
        let probe = reader.probe
        if vary != "all" && vary != probe.variedTask {
            throw CommandFailure("\(path): this dump varies \(probe.kind == "vary" ? probe.variedTask : "nothing (it is the \(probe.dataset) split)"), not \(vary); "
                                 + "make one with `nnprobe dump CKPT --vary \(vary)` or pass the checkpoint")
        }
        let contextIndex: [Int32]? = probe.kind == "vary" ? try reader.readAll(layersToo: false).contextIndex : nil
        var report = PCAReport(file: path, source: "dump", variedTask: probe.kind == "vary" ? probe.variedTask : "all",
                               gridSize: probe.gridSize, contexts: probe.contexts.rows, components: components)
        for i in try selectedLayers(count: reader.layerCount, file: path) {
            var accumulator = CovarianceAccumulator(dimension: try reader.width(ofLayer: i))
            var start = 0
            while start < reader.rowCount {
                let rows = start..<min(reader.rowCount, start + Self.blockRows)
                accumulator.add(try reader.layerRows(i, rows: rows, pre: pre), contexts: contextIndex?[rows])
                start = rows.upperBound
            }
            let pcs = try PrincipalComponents(covariance: accumulator.covariance(), samples: accumulator.count)
            report.layers.append(.init(layer: i, pcs: pcs, contexts: accumulator.contextCount, components: components))
        }
        return report
    }

    // MARK: Figure data

    /// The dump's rows (at most 100,000) at `layer` on their top two components.
    private func dumpProjections(_ path: String, layer: Int) throws -> [PCAFigure.Projection] {
        let reader = try ActivationDumpReader(path: path)
        let rows = 0..<min(reader.rowCount, 100_000)
        let values = try reader.layerRows(layer, rows: rows, pre: pre).storage
        let all = try reader.readAll(layersToo: false)
        let input = reader.probe.variedInputs.first ?? 0
        let colour = rows.map { Double(all.inputs[$0, input]) }
        return [try project(values, width: try reader.width(ofLayer: layer),
                            contexts: reader.probe.kind == "vary" ? Array(all.contextIndex[rows]) : nil,
                            colour: colour, task: reader.probe.kind == "vary" ? reader.probe.variedTask : "all inputs",
                            colourName: "input \(input)")]
    }

    /// Rows centred per context and projected on their own top two principal components.
    private func project(_ values: [Float], width: Int, contexts: [Int32]?, colour: [Double], task: String, colourName: String) throws -> PCAFigure.Projection {
        let n = values.count / width
        var accumulator = CovarianceAccumulator(dimension: width)
        accumulator.add(Matrix(rows: n, cols: width, storage: values), contexts: contexts.map { $0[...] })
        let pcs = try PrincipalComponents(covariance: accumulator.covariance(), samples: n)
        let means = accumulator.means()
        var first: [Double] = [], second: [Double] = []
        for r in 0..<n {
            let c = contexts?[r] ?? 0
            var a = 0.0, b = 0.0
            for j in 0..<width {
                let centred = Double(values[r * width + j]) - means[c]![j]
                a += centred * pcs.components[0, j]
                if pcs.components.rows > 1 { b += centred * pcs.components[1, j] }
            }
            first.append(a)
            second.append(b)
        }
        return PCAFigure.Projection(task: task, first: first, second: second, colour: colour, colourName: colourName)
    }

    // MARK: Helpers

    private func selectedLayers(count: Int, file: String) throws -> [Int] {
        guard let layer else { return Array(0..<count) }
        guard (0..<count).contains(layer) else {
            throw CommandFailure("\(file): --layer \(layer) is out of range; valid layers: 0…\(count - 1)")
        }
        return [layer]
    }

    private func analyse(_ values: [Float], width: Int, contexts: [Int32]?, layer: Int) throws -> (entry: PCAReport.Layer, pcs: PrincipalComponents) {
        var accumulator = CovarianceAccumulator(dimension: width)
        accumulator.add(Matrix(rows: values.count / width, cols: width, storage: values), contexts: contexts.map { $0[...] })
        let pcs = try PrincipalComponents(covariance: accumulator.covariance(), samples: accumulator.count)
        return (PCAReport.Layer(layer: layer, pcs: pcs, contexts: accumulator.contextCount, components: components), pcs)
    }
}
