import ArgumentParser
import Foundation
import NNAnalysis
import NNModelAnalyses

/// `nnprobe svd`: weight spectra per layer; conv layers through their operator, flattened or
/// pooled-positions matrices.
struct SVD: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "svd",
        abstract: "Singular values of weight matrices and what they say (ranks, norms, near-equal groups, random-matrix edge).",
        discussion: """
            Float64 LAPACK on every layer (and head), any size down to 1×1: singular values as \
            √ of the Gram matrix's eigenvalues (syrk + syevd) where that is within ~1e-8 of gesdd, \
            gesdd itself otherwise and with --vectors. Numerical rank counts \
            σ > σ₁·max(m, n)·2⁻²³ (float32 precision). Near-equal groups are runs of leading values \
            whose relative gap is under --group-tolerance. The random-matrix edge is s(√m + √n) with \
            s = ‖W‖_F/√(mn). Safetensors files are read directly (every 2-D tensor is a layer). With \
            several checkpoints, each is reported and then the distribution of every metric across \
            them. Files are decomposed side by side on all cores, and so are the \
            large layers of one file. A directory packed by `nnprobe pack` (or by the sweep that \
            trained it) is read from its pack while the pack is up to date.

            Conv layers (checkpoints of --arch cnn or resnet) have three spectra, chosen with \
            --view. operator: the singular values of the linear map the layer computes on its \
            input size (C_out·H′·W′ × C_in·H·W), by a 2-D DFT of the kernel and an SVD per \
            frequency (Sedghi, Gupta & Long 2019); exact for circular padding and strides that \
            divide the input, otherwise those of the circularly padded layer (at stride 1 when \
            the stride does not divide the input), marked and explained below the table. \
            flattened: the C_out × C_in·k·k matrix PyTorch's spectral_norm normalises by. \
            pooled-positions: the k·k matrices W[:, :, a, b] (C_out × C_in), their values \
            pooled, as WeightWatcher does. Every metric applies to each view, each computed on \
            its own matrix's shape. Linear layers of a conv net keep their matrix's spectrum.
            """)

    @OptionGroup var inputs: CheckpointInputs
    @Option(help: "Only this layer: its index (0-based, heads not counted, as everywhere in nnprobe), its name (block2.main.0), or a block's name for its layers (block2).")
    var layer: LayerAddress?
    @Option(help: "Which spectra of conv layers to report (default: operator; see above).")
    var view: SpectrumViews?
    @Option(help: "The model's input size H,W for the operator view, each conv layer on the grid it then sees (default: the size it was trained on).")
    var inputSize: GridSize?
    @Flag(help: "Take conv layers as circularly padded, which makes the operator view exact.")
    var circular = false
    @Flag(help: "Include the singular vectors U and Vᵀ in the JSON (weight matrices; not conv layers' views).")
    var vectors = false
    @Option(help: "k for 'energy in the top k' and the number of singular values in the table (default 3).")
    var top = 3
    @Option(help: "Relative gap under which consecutive singular values count as near-equal (default 0.05).")
    var groupTolerance = 0.05
    @OptionGroup var output: OutputOptions
    @OptionGroup var figure: PlotOptions

    func validate() throws {
        if top < 1 { throw ValidationError("--top \(top): must be at least 1") }
        if !(groupTolerance >= 0) { throw ValidationError("--group-tolerance must not be negative") }
        if let inputSize, let problem = inputSize.problem { throw ValidationError("--input-size \(inputSize): \(problem)") }
        if let view, !view.views.contains(.linearOperator), inputSize != nil || circular {
            throw ValidationError("\(inputSize != nil ? "--input-size" : "--circular") changes the operator view only; add --view operator or --view all")
        }
    }

    func run() throws {
        // A directory with a fresh pack is read in one go; other files one by one.
        let (files, packed) = try inputs.resolvePacked(accepting: ["h5", "safetensors"])
        let (layer, vectors, top, groupTolerance) = (layer, vectors, top, groupTolerance)
        let settings = ConvolutionSettings(views: view?.views, inputSize: inputSize.map { ($0.height, $0.width) }, circular: circular)
        let progress = SharedProgress(files: files)
        // Files are decomposed side by side.
        let done = PerFile.analyse(files, concurrently: true) { file in
            defer { progress.report(file, done: 1) }
            let model = try ModelFile.load(file, packed: packed[file], allowSafeTensors: true, weightsOnly: true)
            return SVDReport.File(file: file, seed: model.seed, layers: try AnalysisFlags.naming(file) {
                try LayerSpectrum.of(model.weights, layer: layer, vectors: vectors, groupTolerance: groupTolerance, top: top,
                                     convolutions: settings) { progress.report(file, done: $0, next: $1) }
            })
        }
        progress.finish()
        try done.requireAny()
        let report = SVDReport(files: done.values, errors: done.errors, top: top, groupTolerance: groupTolerance)
        try figure.write(SpectrumFigure.make(report.files[0].layers, title: shortTitle(report.files[0].file, limit: 60)))
        if output.json { try printJSON(report) } else { print(report.text()) }
        try done.finish()
    }
}

extension LayerAddress: ExpressibleByArgument {
    /// An index (`2`) or a name (`block2.main.0`, `block2`).
    public init?(argument: String) {
        guard !argument.isEmpty else { return nil }
        self.init(argument)
    }
}

/// `--view`: one of a conv layer's spectra, or all of them.
enum SpectrumViews: ExpressibleByArgument, Equatable {
    case one(ConvolutionSpectrumView)
    case all

    init?(argument: String) {
        if argument == "all" { self = .all } else if let v = ConvolutionSpectrumView(rawValue: argument) { self = .one(v) } else { return nil }
    }

    /// The views, in `ConvolutionSpectrumView`'s order.
    var views: [ConvolutionSpectrumView] {
        switch self {
        case .one(let v): [v]
        case .all: ConvolutionSpectrumView.allCases
        }
    }

    static var allValueStrings: [String] { ConvolutionSpectrumView.allCases.map(\.rawValue) + ["all"] }
}

/// `--input-size H,W` (or one number for a square): an image size.
struct GridSize: ExpressibleByArgument, Equatable, CustomStringConvertible {
    let height: Int
    let width: Int

    /// The largest side `validate` accepts.
    static let largestSide = 65_536

    init?(argument: String) {
        let sides = argument.split(separator: ",", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard (1...2).contains(sides.count), let height = sides[0], let width = sides[sides.count - 1] else { return nil }
        (self.height, self.width) = (height, width)
    }

    var description: String { "\(height),\(width)" }

    /// Why it is not an image size (a side below 1 or above `largestSide`); nil when it is.
    var problem: String? {
        (1...Self.largestSide).contains(height) && (1...Self.largestSide).contains(width) ? nil : "each side must be 1 … \(Self.largestSide)"
    }
}
