import NNCheckpoint
import NNModel

extension ModelWeights {
    /// The weight matrices of a format-2 model (a conv net) in execution order, named by layer
    /// (`block2.main.0`, `head0.1`): linear weights as they are, conv kernels flattened to
    /// out × in·kh·kw with where the layer applies them; the stack kept to place the conv layers
    /// on other input sizes. Other parameters are not counted (0), as for any file's matrices.
    public init(_ model: LayerModel) throws {
        let placed = try model.stack.layers().get()
        let places = Dictionary(placed.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.init(try Checkpoint.layerWeights(model).map { w in
            Named(name: w.name, weight: w.weight.converted(), isHead: w.isHead,
                  convolution: w.kernelShape == nil ? nil : places[w.name].flatMap(Self.geometry))
        }, source: .checkpoint, stack: model.stack)
    }

    /// The conv layers' geometry, by layer name, when the model's input images are `height` ×
    /// `width` (same channels): each conv layer on the grid it then sees. Throws
    /// `AnalysisError.inputSizeUnfit` when a layer cannot take that input (a kernel or pooling
    /// window larger than what reaches it), or when the matrices are not a conv net's.
    public func convolutions(inputHeight height: Int, inputWidth width: Int) throws(AnalysisError) -> [String: ConvGeometry] {
        guard var stack else { throw .inputSizeUnfit(height: height, width: width, reason: "the model has no conv layers") }
        stack.input = FeatureShape(channels: stack.input.channels, height: height, width: width)
        switch stack.layers() {
        case .failure(let error):
            throw .inputSizeUnfit(height: height, width: width, reason: error.description)
        case .success(let placed):
            return Dictionary(placed.compactMap { p in Self.geometry(of: p).map { (p.name, $0) } }, uniquingKeysWith: { first, _ in first })
        }
    }

    /// A conv layer's geometry as placed; nil for any other layer.
    static func geometry(of placed: LayerStack.PlacedLayer) -> ConvGeometry? {
        guard case .conv2d(_, let kernel, let stride, let padding, _) = placed.layer else { return nil }
        return ConvGeometry(channels: placed.input.channels, height: placed.input.height, width: placed.input.width,
                            kernel: kernel, stride: stride, padding: padding)
    }

    /// The same model with only the matrices `address` names (`select`); all of them for nil.
    public func only(_ address: LayerAddress?) throws(AnalysisError) -> ModelWeights {
        guard address != nil else { return self }
        return ModelWeights(try select(address), source: source, stack: stack)
    }

    /// The matrices `address` names: all of them (nil), trunk layer i (`.index`, as
    /// `select(layer:)`), a layer by its name, every layer whose name begins with the given name
    /// and a dot (`block2` → `block2.main.0`, `block2.main.3`, `block2.shortcut.0`), or a conv net's
    /// stage or torchvision name for them (`stage2`, `layer2.0.conv2`; see `LayerNames`).
    /// Throws `AnalysisError` for an index out of range or a name that matches nothing (listing
    /// the names and groups there are).
    public func select(_ address: LayerAddress?) throws(AnalysisError) -> [Named] {
        switch address {
        case nil: return matrices
        case .index(let i): return try select(layer: i)
        case .name(let name):
            let names = try LayerNames.select(name, among: matrices.map(\.name), stack: stack)
            return matrices.filter { names.contains($0.name) }
        }
    }
}
