import NNCheckpoint
import NNLinalg
import NNModel

/// A model's weight matrices named the way every analysis names them (`layer_0`, …, `head_0`, …),
/// layers in forward order then heads, each with the count of its other parameters.
public struct ModelWeights: Sendable {
    /// One weight matrix.
    public struct Named: Sendable {
        /// `layer_0`, …, `head_0`, … (or a safetensors tensor's own name).
        public let name: String
        /// out × in, in Float64: float32 weights exactly, float64 ones (safetensors F64) unrounded.
        public let weight: Matrix<Double>
        public let isHead: Bool
        /// Bias, and batch norm's γ and β: what `DenseLayer.parameterCount` counts besides the
        /// weight (0 when the source does not say).
        public let otherParameters: Int
        /// For a conv layer's kernel (flattened in `weight`, out × in·kh·kw): where the layer
        /// applies it in the stored model (its input C × H × W, kernel, stride and padding); nil
        /// for a linear layer or head.
        public let convolution: ConvGeometry?

        /// A matrix `name` of `weight`, with `otherParameters` bias, γ and β entries beside it;
        /// `convolution` when it is a conv layer's flattened kernel.
        public init(name: String, weight: Matrix<Double>, isHead: Bool, otherParameters: Int = 0, convolution: ConvGeometry? = nil) {
            self.name = name
            self.weight = weight
            self.isHead = isHead
            self.otherParameters = otherParameters
            self.convolution = convolution
        }
    }

    /// Where the matrices come from, which decides how messages name one.
    public enum Source: Sendable {
        /// A checkpoint (or its pack): `layer_0/weight`.
        case checkpoint
        /// A safetensors file: the tensor's own name.
        case safeTensors
    }

    /// Layers in forward order, then heads.
    public let matrices: [Named]
    /// What the matrices were read from.
    public let source: Source
    /// The model's layer description when it is a conv net (or another format-2 stack): what
    /// places its conv layers on another input size. Nil for MLPs and safetensors files.
    public let stack: LayerStack?

    /// The matrices `matrices`, read from `source`; `stack` when they are a conv net's.
    public init(_ matrices: [Named], source: Source, stack: LayerStack? = nil) {
        self.matrices = matrices
        self.source = source
        self.stack = stack
    }

    /// The weights of `model`, with exact parameter counts.
    public init(_ model: MLP) {
        self.init(model.layers.enumerated().map {
            Named(name: "layer_\($0.offset)", weight: $0.element.weight.converted(), isHead: false,
                  otherParameters: $0.element.parameterCount - $0.element.weight.storage.count)
        } + model.heads.enumerated().map {
            Named(name: "head_\($0.offset)", weight: $0.element.weight.converted(), isHead: true, otherParameters: $0.element.bias.count)
        }, source: .checkpoint)
    }

    /// The weight matrices a checkpoint's file holds (`Checkpoint.readWeights`): no other parameters known.
    public init(_ weights: [Checkpoint.NamedWeight]) {
        self.init(weights.map { Named(name: $0.name, weight: $0.weight.converted(), isHead: $0.isHead) }, source: .checkpoint)
    }

    /// A checkpoint's weights as its directory's pack holds them, with the pack's bias, γ and β counts.
    public init(packed: PackedModel) {
        self.init(packed.weights.map { w in
            Named(name: w.name, weight: w.weight.converted(), isHead: w.isHead,
                  otherParameters: ["bias", "gamma", "beta"].reduce(0) { $0 + (packed.tensor("\(w.name)/\($1)")?.values.count ?? 0) })
        }, source: .checkpoint)
    }

    /// Every 2-D tensor of a safetensors file, each counted as a layer; throws
    /// `AnalysisError.noMatrices` when there is none.
    public init(safeTensors tensors: [SafeTensor]) throws(AnalysisError) {
        let matrices = tensors.filter { $0.shape.count == 2 }
        guard !matrices.isEmpty else { throw .noMatrices }
        self.init(matrices.map {
            Named(name: $0.name, weight: Matrix(rows: $0.shape[0], cols: $0.shape[1], storage: $0.values), isHead: false)
        }, source: .safeTensors)
    }

    /// How messages name the matrix `name`: where a checkpoint stores it (`layer_0/weight`,
    /// `head_1/weight`), or a safetensors tensor's own name.
    public func label(of name: String) -> String {
        source == .safeTensors ? name : "\(name)/weight"
    }

    /// The matrices to analyse: all, or only trunk layer `layer` (setting `layer`; out of range is
    /// an error listing the layers).
    public func select(layer: Int?) throws(AnalysisError) -> [Named] {
        guard let layer else { return matrices }
        let layers = matrices.filter { !$0.isHead }
        guard layers.indices.contains(layer) else {
            throw .layerOutOfRange(layer, valid: layers.enumerated().map {
                "\($0.offset) (\($0.element.name) \($0.element.weight.rows)×\($0.element.weight.cols))"
            })
        }
        return [layers[layer]]
    }
}
