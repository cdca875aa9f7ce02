/// Options every task reads (each uses the ones that apply to it).
public struct TaskOptions: Codable, Equatable, Sendable {
    /// Rows per split. Synthetic tasks default to 10,000 / 2,000 / 2,000; file tasks use every
    /// row by default (validation: 10 % of the training files for idx, fashion-mnist, cifar10 and
    /// cifar100, 15 % for csv) and treat these as caps.
    public var trainSize: Int?
    public var valSize: Int?
    public var testSize: Int?
    /// Noise: standard deviation added to targets (regression) or to points (2-D sets).
    public var noise: Double?
    /// Classes of the 2-D sets (spirals, blobs).
    public var classes = 2
    /// Data directory (idx, fashion-mnist, cifar10, cifar100) or file (csv).
    public var data: String?
    /// CSV label column: a name from the header or a 0-based index; default the last column.
    public var labelColumn: String?
    /// Regression accuracy: share of outputs within this absolute error.
    public var tolerance = 0.05
    /// Shuffle the training labels (a control: the model can then only memorise).
    public var randomLabels = false
    /// Image tasks: augment every training batch with a random crop (4-pixel zero padding) and a
    /// random horizontal flip, drawn from the run's augmentation stream.
    public var augment = false
    /// Image classification tasks (idx, fashion-mnist, cifar10, cifar100): keep only these
    /// classes, relabelled 0…k−1 in the given order, on every split (nil: every class).
    public var classSubset: ClassSubset?

    public init() {}
}
