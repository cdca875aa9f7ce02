import ArgumentParser
import NNCheckpoint
import NNModelAnalyses

/// `nnprobe ablate`: what each hidden unit does, tested causally.
struct Ablate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Ablate each hidden unit of a layer: each task's loss change, causal unit roles beside ortho's, patching.",
        discussion: """
            Each unit of the layer (a trunk layer by number, or any step by name: block0.main.0, \
            block1.add, block1) is ablated alone — set to 0 (--mode zero) or to its mean over the \
            rows (mean, the default; a conv channel at every position) — and each task's loss is \
            measured on the rows (the checkpoint's test split, or --on probes: every sub-task's \
            probe grid against the task's formula), in Float64. Tasks are the sub-tasks, or one per \
            output. With r_t = (L'_t − L_t)/L_t, the relative loss increase of task t, a unit is \
            dead when no r_t reaches --floor; otherwise mono-functional for the task holding at \
            least --threshold of Σ √max(r_t, 0) (the root puts it on the scale of ortho's |w|·std \
            attribution), else shared. Beside it: the unit's role from the \
            read-out weights (ortho's rule, same --threshold) where a read-out reads this layer of an MLP, and \
            whether the two agree (same kind and, for mono units, the same task). --units and \
            --top-k K also ablate a set of units, and each sub-task's top-K principal subspace \
            (its probe grid, centred per context; projected out: h − VᵀV(h − r)). --patch pairs row \
            i with row i + N/2: row i runs with the units each task alone relies on (then the \
            shared units, the set, the subspaces) taken from its partner's run, and each output's \
            RMS movement is reported over the RMS of the whole difference between the two rows' \
            outputs. Several checkpoints (a sweep directory): the distribution of agreement and a \
            weights × causal table of unit roles over all of them.
            """)

    @OptionGroup var inputs: CheckpointInputs
    @Option(help: ArgumentHelp("The layer: a trunk layer number, or a step or block name (default: the last hidden layer).", valueName: "layer"))
    var layer: CausalUnitAnalysis.LayerChoice?
    @Option(help: ArgumentHelp("Also ablate (and patch) these units together, e.g. 1,3,5 or 0..3.", valueName: "units"))
    var units: ValueList<Int>?
    @Option(help: "Replace ablated values with zero or with their mean over the rows (default mean).")
    var mode: UnitAblation.Mode = .mean
    @Option(name: .customLong("top-k"), help: ArgumentHelp("Also ablate (and patch) each sub-task's top K principal directions.", valueName: "K"))
    var topK: Int?
    @Option(help: "Rows the losses are measured on: test, val, train, or probes (every sub-task's probe grid; default test).")
    var on: CausalUnitAnalysis.Rows = .split(.test)
    @OptionGroup(title: "Probe grid (--on probes, --top-k)") var probe: ProbeGridOptions
    @Option(help: "Share of a unit's effect (and, for the weights, attribution) that makes it mono-functional (default 0.95).")
    var threshold = 0.95
    @Option(help: "Relative loss increase below which a task does not count as served (default 0.01).")
    var floor = 0.01
    @Flag(help: "Also patch units from another row's run and report how each output moves.")
    var patch = false
    @OptionGroup var output: OutputOptions
    @OptionGroup var figure: PlotOptions

    func validate() throws {
        if !(0.5...1).contains(threshold) { throw ValidationError("--threshold \(threshold): must be in [0.5, 1]") }
        if !(floor >= 0 && floor.isFinite) { throw ValidationError("--floor \(floor): must be a finite number ≥ 0") }
        if let topK, topK < 1 { throw ValidationError("--top-k \(topK): need at least 1 direction") }
        if let units = units?.values {
            if let bad = units.first(where: { $0 < 0 }) { throw ValidationError("--units \(bad): units are numbered from 0") }
            if Set(units).count != units.count { throw ValidationError("--units lists a unit twice") }
        }
        if case .name(let name) = layer, name.isEmpty { throw ValidationError("--layer: give a layer number or a step name") }
    }

    var settings: CausalUnitAnalysis.Settings {
        var s = CausalUnitAnalysis.Settings()
        s.layer = layer
        s.units = units?.values
        s.mode = mode
        s.topK = topK
        s.rows = on
        s.gridSize = probe.grid
        s.contexts = probe.contexts
        s.threshold = threshold
        s.floor = floor
        s.patch = patch
        return s
    }

    func run() throws {
        let settings = settings
        let (files, packed) = try inputs.resolvePackedCheckpoints()
        let done = PerFile.analyse(files, concurrently: true, bar: ProgressBar(), unit: "checkpoints") { file in
            try AnalysisFlags.naming(file) {
                let checkpoint = try packed[file] ?? Checkpoint.read(from: file, training: false, convNets: true)
                return AblateReport.File(file: file, try CausalUnitAnalysis(checkpoint, task: CheckpointTask(checkpoint), settings: settings))
            }
        }
        try done.requireAny()
        let report = AblateReport(files: done.values, errors: done.errors, settings: settings)
        try figure.write(AblateFigure.make(report))
        if output.json { try printJSON(report) } else { print(report.text()) }
        try done.finish()
    }
}

extension CausalUnitAnalysis.LayerChoice: ExpressibleByArgument {
    /// A number is a trunk layer; anything else a step or block name (`layer_1` also names layer 1).
    public init?(argument: String) {
        if let index = Int(argument) { self = .index(index) } else { self = .name(argument) }
    }
}

extension CausalUnitAnalysis.Rows: ExpressibleByArgument {
    /// `test`, `val`, `train` or `probes`.
    public init?(argument: String) {
        if argument == "probes" { self = .probes } else if let split = Split(rawValue: argument) { self = .split(split) } else { return nil }
    }

    public static var allValueStrings: [String] { Split.allCases.map(\.rawValue) + ["probes"] }

    /// As the flag takes it: `test`, …, `probes`.
    public var defaultValueDescription: String {
        switch self {
        case .split(let split): split.rawValue
        case .probes: "probes"
        }
    }
}

extension UnitAblation.Mode: ExpressibleByArgument {}
