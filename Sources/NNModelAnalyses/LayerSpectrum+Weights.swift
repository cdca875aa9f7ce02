import NNAnalysis
import NNLinalg
import NNModel

extension LayerSpectrum {
    /// The spectra of `weights` (all matrices, or those `layer` names), in order; `top` is k for
    /// the energy in the top k. A weight matrix gets one entry (with U and Vᵀ when `vectors`); a
    /// conv layer one per view of `convolutions` (no vectors), its operator taken on the input
    /// size the model was built for unless `convolutions` says otherwise. Matrices are
    /// decomposed side by side, a conv layer's frequencies on all cores. `progress(done, next)`
    /// is called before each conv layer with the share of the work done (by estimated flops)
    /// and the layer next, and at the end with 1 and "".
    ///
    /// Throws `AnalysisError` for a layer that does not exist, conv settings without conv layers,
    /// an input size the model cannot take, a conv spectrum that cannot be computed (too many
    /// values); `NonFiniteError`/`LinalgError` from the decompositions.
    public static func of(_ weights: ModelWeights, layer: LayerAddress? = nil, vectors: Bool = false, groupTolerance: Double = 0.05,
                          top: Int = 3, convolutions settings: ConvolutionSettings = .init(),
                          progress: (_ done: Double, _ next: String) -> Void = { _, _ in }) throws -> [LayerSpectrum] {
        let selected = try weights.select(layer)
        guard selected.contains(where: { $0.convolution != nil }) else {
            if !settings.keysSet.isEmpty { throw AnalysisError.noConvolutionLayers(keys: settings.keysSet) }
            let spectra = try Spectrum.of(selected.map(\.weight), names: selected.map { weights.label(of: $0.name) },
                                          vectors: vectors, groupTolerance: groupTolerance)
            return zip(selected, spectra).map { LayerSpectrum(name: $0.name, spectrum: $1, top: top) }
        }
        let placed = try settings.inputSize.map { try weights.convolutions(inputHeight: $0.height, inputWidth: $0.width) }
        let matrices = selected.filter { $0.convolution == nil }
        var matrixSpectra = try Spectrum.of(matrices.map(\.weight), names: matrices.map { weights.label(of: $0.name) },
                                            vectors: vectors, groupTolerance: groupTolerance).makeIterator()
        let layers = try selected.map { m in
            try m.convolution.map { stored in try ConvolutionLayer(m, geometry: placed?[m.name] ?? stored) }
        }
        let work = layers.map { $0?.work ?? 0 }
        let total = max(work.reduce(0, +), 1)
        var done = 0.0, entries: [LayerSpectrum] = []
        for (m, layer) in zip(selected, layers) {
            guard let layer else {
                entries.append(LayerSpectrum(name: m.name, spectrum: matrixSpectra.next()!, top: top))
                continue
            }
            progress(done / total, m.name)
            entries += try layer.spectra(views: settings.views ?? [.linearOperator], circular: settings.circular,
                                         label: weights.label(of: m.name), groupTolerance: groupTolerance, top: top)
            done += layer.work
        }
        progress(1, "")
        return entries
    }
}

/// One conv layer's kernel and where it is applied, checked to fit each other.
private struct ConvolutionLayer {
    let name: String
    let kernel: ConvolutionKernel
    let geometry: ConvGeometry

    /// The kernel of conv layer `m` (flattened out × in·kh·kw) applied as `geometry`; throws
    /// `AnalysisError.convolutionSpectrum` when its values do not fill that kernel.
    init(_ m: ModelWeights.Named, geometry g: ConvGeometry) throws(AnalysisError) {
        let (rows, cols) = (m.weight.rows, m.weight.cols)
        guard rows >= 1, g.channels >= 1, g.kernelHeight >= 1, g.kernelWidth >= 1,
              cols == g.channels * g.kernelHeight * g.kernelWidth else {
            throw .convolutionSpectrum(layer: m.name, reason: "a \(rows)×\(cols) weight is not a kernel of \(g.channels) input channels, \(g.kernelHeight)×\(g.kernelWidth)")
        }
        name = m.name
        kernel = ConvolutionKernel(outChannels: rows, inChannels: g.channels, height: g.kernelHeight, width: g.kernelWidth,
                                   weights: m.weight.storage)
        geometry = g
    }

    /// Estimated flops of the operator view: H·W/2 frequencies, each an SVD of C_out × C_in.
    var work: Double {
        let (o, c) = (Double(kernel.outChannels), Double(kernel.inChannels))
        return Double(geometry.height) * Double(geometry.width) / 2 * o * c * min(o, c) + 1
    }

    /// One entry per view; `label` names the kernel in a non-finite error.
    func spectra(views: [ConvolutionSpectrumView], circular: Bool, label: String, groupTolerance: Double,
                 top: Int) throws -> [LayerSpectrum] {
        try kernel.requireFinite(name: label)
        let layout = ConvolutionLayout(inputHeight: geometry.height, inputWidth: geometry.width, stride: geometry.stride,
                                       padding: circular ? .circular : .zeros(geometry.padding))
        let spectra: ConvolutionSpectra
        do {
            spectra = try ConvolutionSpectra(kernel: kernel, layout: layout, views: views, groupTolerance: groupTolerance)
        } catch let error as ConvolutionSpectrumError {
            throw AnalysisError.convolutionSpectrum(layer: name, reason: error.description)
        }
        return zip(spectra.views, spectra.spectra).map { view, spectrum in
            let exact = view == .linearOperator ? spectra.linearOperator : nil
            let details = ConvolutionView(
                view: view, kernel: kernel.shape, inputSize: [geometry.height, geometry.width], stride: geometry.stride,
                padding: geometry.padding, circular: circular, caveats: exact?.caveats ?? [],
                frequencyGrid: exact.map { [$0.gridHeight, $0.gridWidth] })
            return LayerSpectrum(name: name, spectrum: spectrum, top: top, convolution: details)
        }
    }
}
