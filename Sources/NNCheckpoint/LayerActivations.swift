import NNLinalg
import NNModel

/// One trunk layer's activations over the probe's N inputs: an MLP's layer, or a layer stack's
/// block (a conv net's `block3`), whose image-shaped outputs keep their feature maps for the
/// first M rows and their per-channel spatial means for all N.
public struct LayerActivations: Equatable, Sendable {
    /// The layer's output (after the activation and any residual sum; dropout off). Flat outputs:
    /// N × width. Image-shaped outputs (C × H × W, H·W > 1): the first M rows' maps, M × C·H·W
    /// (NCHW per row).
    public var post: Matrix<Float>
    /// Before the layer's first activation (after batch norm), laid out as `post` in its own shape.
    public var pre: Matrix<Float>
    /// The block the layer is, in a layer stack's dump; nil in an MLP's dump (format 1).
    public var block: BlockLayout?
    /// Image-shaped `post` only: each channel's mean over H × W, N × C (what a global average pool gives).
    public var pooled: Matrix<Float>?
    /// Image-shaped `pre` only: each channel's mean over H × W, N × C.
    public var pooledPre: Matrix<Float>?

    /// An MLP's layer: N × width before and after the activation.
    public init(post: Matrix<Float>, pre: Matrix<Float>) {
        self.post = post
        self.pre = pre
    }

    /// A layer stack's block; `pooled`/`pooledPre` are required exactly where the shape is not flat.
    public init(block: BlockLayout, post: Matrix<Float>, pre: Matrix<Float>, pooled: Matrix<Float>?, pooledPre: Matrix<Float>?) {
        precondition((pooled == nil) == block.shape.isFlat && (pooledPre == nil) == block.preShape.isFlat,
                     "\(block.name): pooled activations go with image-shaped outputs")
        self.post = post
        self.pre = pre
        self.block = block
        self.pooled = pooled
        self.pooledPre = pooledPre
    }

    /// One value vector per probe row (N × width), what analyses take as the layer's
    /// representation: the flat activations, or an image-shaped block's pooled channels.
    public func features(pre usePre: Bool = false) -> Matrix<Float> {
        (usePre ? pooledPre : pooled) ?? (usePre ? pre : post)
    }
}

/// Where a dumped block sits in a layer stack, and the shapes of its activations per example.
public struct BlockLayout: Equatable, Sendable {
    /// `block3`: the prefix of its layers' names, as in the checkpoint's `/model/layers`.
    public var name: String
    /// Its layers in execution order (`block3.main.0`, …, `block3.shortcut.0`, `block3.after.0`).
    public var layers: [String]
    /// The output's shape (a block ending in `flatten` has the shape before it: the same values).
    public var shape: FeatureShape
    /// The pre-activation's shape.
    public var preShape: FeatureShape

    public init(name: String, layers: [String], shape: FeatureShape, preShape: FeatureShape) {
        self.name = name
        self.layers = layers
        self.shape = shape
        self.preShape = preShape
    }
}
