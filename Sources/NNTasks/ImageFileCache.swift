import NNModel

/// Decoded image files kept for the runs of one process that read them (a sweep's batch of
/// Fashion-MNIST runs): each run otherwise decodes and converts 70,000 images again, about half
/// of a one-epoch 784-128×4 run. Runs get the same arrays either way, so results do not change.
///
/// Holds what it decoded until it is released: make one per batch of runs, not per process.
public final class ImageFileCache {
    private var pairs: [String: (pixels: [Float], labels: [Int32], shape: FeatureShape)] = [:]

    public init() {}

    /// `IDXReader.readPair(images:labels:)`, decoded once per pair of paths.
    func idxPair(images: String, labels: String) throws -> (pixels: [Float], labels: [Int32], shape: FeatureShape) {
        let key = images + "\u{0}" + labels
        if let known = pairs[key] { return known }
        let pair = try IDXReader.readPair(images: images, labels: labels)
        pairs[key] = pair
        return pair
    }
}
