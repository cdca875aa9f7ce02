import NNAnalysis

/// How `LayerSpectrum.of` takes the spectra of conv layers. Every setting left at nil/false is
/// the default; one that is set concerns conv layers, and asking it of layers without any is an
/// error (`AnalysisError.noConvolutionLayers`).
public struct ConvolutionSettings: Equatable, Sendable {
    /// The views reported for each conv layer, in this order; nil: the operator view alone.
    /// Linear layers get their matrix's spectrum once, whatever the views.
    public var views: [ConvolutionSpectrumView]?
    /// The model's input images, height × width (its channels as stored): each conv layer's
    /// operator is taken on the grid it sees then. Nil: the size the model was built for.
    public var inputSize: (height: Int, width: Int)? {
        get { inputHeight.flatMap { h in inputWidth.map { (h, $0) } } }
        set { (inputHeight, inputWidth) = (newValue?.height, newValue?.width) }
    }
    /// Take every conv layer as circularly padded: the operator view is then exact (it is the
    /// circular layer's, whose output grid is the input grid divided by the stride).
    public var circular = false

    private var inputHeight: Int?
    private var inputWidth: Int?

    public init(views: [ConvolutionSpectrumView]? = nil, inputSize: (height: Int, width: Int)? = nil, circular: Bool = false) {
        self.views = views
        self.circular = circular
        self.inputSize = inputSize
    }

    /// The settings that were set, by key (`view`, `input-size`, `circular`).
    public var keysSet: [String] {
        (views == nil ? [] : ["view"]) + (inputSize == nil ? [] : ["input-size"]) + (circular ? ["circular"] : [])
    }
}
