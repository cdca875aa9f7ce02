import NNCheckpoint
import NNTasks
import NNModel
import NNModelAnalyses

/// The document `inspect` prints (schema `nnprobe.inspect/1`, see docs/json.md).
struct InspectReport: Encodable, Sendable {
    struct Layer: Encodable, Sendable {
        let name: String
        let index: Int
        let kind: String
        let activation: String
        let weightShape: [Int]
        let parameterCount: Int
        let batchNorm: Bool
        let residual: Bool
        let dropout: Double
        let sourceLayer: Int?

        enum CodingKeys: String, CodingKey {
            case name, index, kind, activation, dropout, residual
            case weightShape = "weight_shape", parameterCount = "parameter_count"
            case batchNorm = "batch_norm", sourceLayer = "source_layer"
        }
    }

    struct Model: Encodable, Sendable {
        let inputWidth: Int
        let outputWidth: Int
        let parameterCount: Int
        let layers: [Layer]
        let heads: [Layer]
        enum CodingKeys: String, CodingKey {
            case layers, heads
            case inputWidth = "input_width", outputWidth = "output_width", parameterCount = "parameter_count"
        }
    }

    struct Metrics: Encodable, Sendable {
        let epochs: Int
        let finalTrainLoss: Double
        let finalValLoss: Double
        let finalValAccuracy: Double
        let testLoss: Double
        let testAccuracy: Double
        enum CodingKeys: String, CodingKey {
            case epochs
            case finalTrainLoss = "final_train_loss", finalValLoss = "final_val_loss"
            case finalValAccuracy = "final_val_accuracy", testLoss = "test_loss", testAccuracy = "test_accuracy"
        }
    }

    struct Gradients: Encodable, Sendable {
        let stepsKept: Int
        let parameters: [String]
        enum CodingKeys: String, CodingKey { case parameters; case stepsKept = "steps_kept" }
    }

    struct Probe: Encodable, Sendable {
        let kind: String
        let dataset: String
        let variedTask: String
        let variedInputs: [Int]
        let gridSize: Int
        let contexts: Int
        enum CodingKeys: String, CodingKey {
            case kind, dataset, contexts
            case variedTask = "varied_task", variedInputs = "varied_inputs", gridSize = "grid_size"
        }
    }

    let schema = "nnprobe.inspect/1"
    let file: String
    let kind: String
    var nnprobeVersion: String?
    var created: String?
    var task: String?
    var seed: Int64?
    var status: RunStatus?
    var config: JSONValue?
    var model: Model?
    var metrics: Metrics?
    var gradients: Gradients?
    var deadUnits: [Double]?
    var sourceCheckpoint: String?
    var probe: Probe?
    var nSamples: Int?
    var layerWidths: [Int]?
    /// Conv nets' dumps: per layer (block) its output's C, H, W, and the rows whose maps are kept.
    var layerShapes: [[Int]]?
    var nMapRows: Int?

    enum CodingKeys: String, CodingKey {
        case schema, file, kind, created, task, seed, status, config, model, metrics, gradients, probe
        case nnprobeVersion = "nnprobe_version", deadUnits = "dead_units", sourceCheckpoint = "source_checkpoint"
        case nSamples = "n_samples", layerWidths = "layer_widths", layerShapes = "layer_shapes", nMapRows = "n_map_rows"
    }

    /// A conv net's layers (checkpoint format 2): every layer in execution order, by name, its op
    /// as the kind and its weight in PyTorch's shape; heads' layers apart.
    private static func layers(of model: LayerModel) -> Model? {
        guard let network = try? LayerNetwork<Float>(model) else { return nil }
        var layers: [Layer] = [], heads: [Layer] = []
        for step in network.steps {
            let kind: String, activation: String, dropout: Double
            switch step.operation {
            case .add: continue
            case .readOut: (kind, activation, dropout) = ("linear", "identity", 0)
            case .layer(let layer):
                kind = layer.op
                if case .activation(let a) = layer { activation = a.rawValue } else { activation = "-" }
                if case .dropout(let rate) = layer { dropout = rate } else { dropout = 0 }
            }
            let block = step.name.split(separator: ".").first.map(String.init) ?? ""
            let source = step.name.hasPrefix("head") ? Int(block.dropFirst(4)).map { model.stack.heads[$0].source } : nil
            let entry = Layer(name: step.name, index: layers.count + heads.count, kind: kind, activation: activation,
                              weightShape: step.weight?.shape ?? [], parameterCount: (step.weight?.count ?? 0) + (step.bias?.count ?? 0),
                              batchNorm: kind == "batch_norm", residual: step.name.contains(".shortcut."), dropout: dropout, sourceLayer: source)
            if step.name.hasPrefix("head") { heads.append(entry) } else { layers.append(entry) }
        }
        return Model(inputWidth: model.stack.input.count, outputWidth: network.outputWidth,
                     parameterCount: model.parameterCount, layers: layers, heads: heads)
    }

    static func checkpoint(_ checkpoint: Checkpoint, file: String) -> InspectReport {
        let model = checkpoint.model
        let layers = model.layers.enumerated().map { index, layer in
            Layer(name: "layer_\(index)", index: index, kind: "dense", activation: layer.activation.rawValue,
                  weightShape: [layer.outputs, layer.inputs], parameterCount: layer.parameterCount,
                  batchNorm: layer.batchNorm != nil, residual: layer.residual, dropout: layer.dropout, sourceLayer: nil)
        }
        let heads = model.heads.enumerated().map { index, head in
            Layer(name: "head_\(index)", index: index, kind: "dense", activation: "identity",
                  weightShape: [head.weight.rows, head.weight.cols], parameterCount: head.parameterCount,
                  batchNorm: false, residual: false, dropout: 0, sourceLayer: head.sourceLayer)
        }
        let history = checkpoint.history
        var report = InspectReport(file: file, kind: "checkpoint")
        report.nnprobeVersion = checkpoint.nnprobeVersion
        report.created = checkpoint.created
        report.task = checkpoint.task
        report.seed = checkpoint.seed
        report.status = checkpoint.status
        report.config = JSONValue.parse(checkpoint.config) ?? .string(checkpoint.config)
        report.model = checkpoint.layers.flatMap(Self.layers(of:))
            ?? Model(inputWidth: model.inputWidth, outputWidth: model.outputWidth, parameterCount: model.parameterCount,
                     layers: layers, heads: heads)
        report.metrics = Metrics(
            epochs: history.epochs, finalTrainLoss: history.trainLoss.last ?? .nan,
            finalValLoss: history.valLoss.last ?? .nan,
            finalValAccuracy: history.valAccuracy.last ?? .nan,
            testLoss: history.testLoss, testAccuracy: history.testAccuracy)
        report.gradients = Gradients(stepsKept: checkpoint.gradients.stepsKept,
                                     parameters: checkpoint.gradients.records.map(\.name))
        report.deadUnits = checkpoint.deadUnits
        return report
    }

    /// The report with only the model's layers (and heads) `address` names: by index among the
    /// trunk layers with a weight (as `svd --layer` counts), or by name (`LayerNames.select`).
    func only(_ address: LayerAddress?, stack: LayerStack?) throws(AnalysisError) -> InspectReport {
        guard let address, let model else { return self }
        let all = model.layers + model.heads
        let names: [String]
        switch address {
        case .index(let i):
            let weighted = model.layers.filter { !$0.weightShape.isEmpty }
            guard weighted.indices.contains(i) else {
                throw .layerOutOfRange(i, valid: weighted.enumerated().map { "\($0.offset) (\($0.element.name))" })
            }
            names = [weighted[i].name]
        case .name(let name):
            names = try LayerNames.select(name, among: all.map(\.name), stack: stack)
        }
        var report = self
        report.model = Model(inputWidth: model.inputWidth, outputWidth: model.outputWidth, parameterCount: model.parameterCount,
                             layers: model.layers.filter { names.contains($0.name) }, heads: model.heads.filter { names.contains($0.name) })
        return report
    }

    static func dump(_ reader: ActivationDumpReader) throws -> InspectReport {
        var report = InspectReport(file: reader.path, kind: "activations")
        report.task = reader.task
        report.sourceCheckpoint = reader.sourceCheckpoint
        let probe = reader.probe
        report.probe = Probe(kind: probe.kind.rawValue, dataset: probe.dataset, variedTask: probe.variedTask,
                             variedInputs: probe.variedInputs, gridSize: probe.gridSize, contexts: probe.contexts.rows)
        report.nSamples = reader.rowCount
        report.layerWidths = try (0..<reader.layerCount).map { try reader.width(ofLayer: $0) }
        if reader.formatVersion >= 2 {
            report.layerShapes = try (0..<reader.layerCount).map { let s = try reader.shape(ofLayer: $0); return [s.channels, s.height, s.width] }
            report.nMapRows = reader.mapRowCount
        }
        return report
    }

    /// The human-readable form.
    func text() -> String {
        var lines = ["\(file)  (\(kind == "checkpoint" ? "checkpoint" : "activation dump"))"]
        if let task { lines.append("task: \(task)" + (seed.map { "   seed: \($0)" } ?? "") + (status.map { "   status: \($0)" } ?? "")) }
        if let created, let nnprobeVersion { lines.append("written by nnprobe \(nnprobeVersion) at \(created)") }
        if let model {
            lines.append("")
            lines.append("model: \(model.inputWidth) inputs → \(model.outputWidth) outputs, \(model.parameterCount) parameters")
            let conv = (model.layers + model.heads).contains { $0.kind != "dense" }
            var table = conv ? TextTable("layer", "op", "weight shape", "params", "activation", "batch norm", "shortcut", "dropout", "reads")
                             : TextTable("layer", "shape (out×in)", "params", "activation", "batch norm", "residual", "dropout", "reads")
            for layer in model.layers + model.heads {
                let shape = layer.weightShape.isEmpty ? "-" : layer.weightShape.map(String.init).joined(separator: "×")
                if conv {
                    table.add(layer.name, layer.kind, shape, String(layer.parameterCount), layer.activation,
                              layer.batchNorm ? "yes" : "-", layer.residual ? "yes" : "-",
                              layer.dropout > 0 ? formatNumber(layer.dropout) : "-", layer.sourceLayer.map { "block\($0)" } ?? "-")
                    continue
                }
                table.add(layer.name, shape, String(layer.parameterCount),
                          layer.activation, layer.batchNorm ? "yes" : "-", layer.residual ? "yes" : "-",
                          layer.dropout > 0 ? formatNumber(layer.dropout) : "-",
                          layer.sourceLayer.map { "layer_\($0)" } ?? "-")
            }
            lines.append(table.render())
        }
        if let metrics {
            lines.append("")
            if metrics.epochs == 0 {
                lines.append("history: no epochs recorded")
            } else {
                lines.append("history: \(metrics.epochs) epochs; final train loss \(formatNumber(metrics.finalTrainLoss)), "
                             + "val loss \(formatNumber(metrics.finalValLoss)), val accuracy \(formatNumber(metrics.finalValAccuracy))")
            }
            lines.append("test: loss \(formatNumber(metrics.testLoss)), accuracy \(formatNumber(metrics.testAccuracy))")
        }
        if let gradients {
            lines.append(gradients.parameters.isEmpty
                         ? "gradients: none recorded"
                         : "gradients: \(gradients.parameters.count) parameter tensors, first/last \(gradients.stepsKept) steps")
        }
        if let deadUnits, !deadUnits.isEmpty {
            lines.append("dead units per layer: " + deadUnits.map { formatNumber($0 * 100, digits: 3) + "%" }.joined(separator: " "))
        }
        if case .object(let fields)? = config, !fields.isEmpty {
            lines.append("")
            lines.append("config: " + fields.keys.sorted().map { "\($0)=\(fields[$0]!.compact)" }.joined(separator: " "))
        }
        if let probe, let nSamples, let layerWidths {
            lines.append("source checkpoint: \(sourceCheckpoint ?? "?")")
            let described = probe.kind == ActivationProbe.Kind.vary.rawValue
                ? "\(probe.variedTask) varied (inputs \(probe.variedInputs.map(String.init).joined(separator: ","))) on a \(probe.gridSize)-point grid, \(probe.contexts) held contexts"
                : "the \(probe.dataset) split"
            lines.append("probe: \(described)")
            lines.append("samples: \(nSamples)")
            lines.append("layer widths: " + layerWidths.enumerated().map { "layer_\($0.offset)=\($0.element)" }.joined(separator: " "))
            if let layerShapes, let nMapRows {
                lines.append("layer shapes (C×H×W): " + layerShapes.enumerated().map { "layer_\($0.offset)=" + $0.element.map(String.init).joined(separator: "×") }
                    .joined(separator: " "))
                lines.append("feature maps kept for the first \(nMapRows) rows; analyses read image-shaped layers' pooled channels (the widths above)")
            }
        }
        return lines.joined(separator: "\n")
    }
}

extension JSONValue {
    /// A one-line rendering for tables.
    var compact: String {
        switch self {
        case .null: "null"
        case .bool(let b): String(b)
        case .integer(let i): String(i)
        case .number(let n): n == n.rounded() && abs(n) < 1e15 ? String(Int(n)) : formatNumber(n)
        case .string(let s): s
        case .array(let a): "[" + a.map(\.compact).joined(separator: ",") + "]"
        case .object(let o): "{" + o.keys.sorted().map { "\($0):\(o[$0]!.compact)" }.joined(separator: ",") + "}"
        }
    }
}
