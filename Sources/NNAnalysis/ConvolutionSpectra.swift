import NNLinalg

/// The spectra of one convolution layer, one `Spectrum` per `ConvolutionSpectrumView`, so every
/// rank and edge metric applies to each. Each view's values are those of one matrix, whose shape
/// the `Spectrum` carries (its rows and cols set the numerical-rank tolerance and the
/// random-matrix edge):
/// - operator: (C_out·H′·W′) × (C_in·H·W), the map itself (H′ × W′ the output grid);
/// - flattened: C_out × (C_in·kh·kw);
/// - pooled positions: (kh·kw·C_out) × (kh·kw·C_in), the block-diagonal matrix of the kh·kw
///   position matrices, whose singular values are theirs pooled. Its random-matrix edge is one
///   position matrix's, for entries of the kernel's scale.
public struct ConvolutionSpectra: Sendable {
    /// The views computed, in the order asked for.
    public let views: [ConvolutionSpectrumView]
    /// One spectrum per view, in the same order.
    public let spectra: [Spectrum]
    /// The operator view's details (frequency grid, caveats), when it was asked for.
    public let linearOperator: ConvolutionSpectrum?

    /// Why the operator view's values are not exactly the layer's (empty when exact or not asked for);
    /// the other two views are exact by definition.
    public var caveats: [ConvolutionSpectrumCaveat] { linearOperator?.caveats ?? [] }

    /// The spectrum of `view`, nil when it was not computed.
    public subscript(view: ConvolutionSpectrumView) -> Spectrum? {
        views.firstIndex(of: view).map { spectra[$0] }
    }

    /// The spectra of `kernel` applied as `layout`, for `views` (all three by default);
    /// `groupTolerance` as in `Spectrum`, `parallel` as in `ConvolutionSpectrum`. Throws what
    /// `ConvolutionSpectrum` throws (invalid layout, non-finite weights, LAPACK failure).
    public init(kernel: ConvolutionKernel, layout: ConvolutionLayout, views: [ConvolutionSpectrumView] = ConvolutionSpectrumView.allCases,
                groupTolerance: Double = 0.05, parallel: Bool = true) throws {
        try layout.validate(for: kernel)
        try kernel.requireFinite()
        self.views = views
        let exact = views.contains(.linearOperator) ? try ConvolutionSpectrum(kernel: kernel, layout: layout, parallel: parallel) : nil
        linearOperator = exact
        let positions = kernel.height * kernel.width
        spectra = try views.map { view in
            switch view {
            case .linearOperator:
                Spectrum(rows: exact!.rows, cols: exact!.cols, singularValues: exact!.singularValues, groupTolerance: groupTolerance)
            case .flattened:
                try Spectrum(kernel.flattened, groupTolerance: groupTolerance)
            case .pooledPositions:
                Spectrum(rows: positions * kernel.outChannels, cols: positions * kernel.inChannels,
                         singularValues: try kernel.positionMatrices.flatMap { try $0.singularValues() }.sorted(by: >),
                         groupTolerance: groupTolerance)
            }
        }
    }
}
