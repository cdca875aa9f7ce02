import NNModel

/// `--augment`: a random crop with zero padding and a random horizontal flip per image, seeded —
/// torchvision's `RandomCrop((H, W), padding: p)` then `RandomHorizontalFlip()` (p = 0.5).
///
/// Each image is padded by `padding` pixels on every side, an H × W window is cut at a uniform
/// offset, and the window is mirrored left–right with probability ½. As a formula, with the
/// offsets dy, dx uniform in −p…p: out[c, y, x] = in[c, y + dy, x' + dx], where x' = W − 1 − x
/// when flipped and x otherwise, and `fill[c]` where that falls outside the image.
///
/// The pad value follows the usual torchvision pipeline, which pads before `Normalize`: a pad
/// pixel is 0 in [0, 1] space, so on normalised images it is −mean_c / std_c, what a 0 pixel
/// normalises to (`init(task:)` picks that from the task's `channelNormalisation`; on images
/// that are not normalised, such as idx's, it is 0).
public struct ImageAugmentation: Equatable, Sendable {
    /// One image's draw: the crop window's offset and whether the window is mirrored.
    public struct Draw: Equatable, Sendable {
        /// Rows and columns the window is moved by, each in −padding…padding (torchvision's crop
        /// corner i, j in the padded image is padding + dy, padding + dx).
        public var dy: Int, dx: Int
        public var flip: Bool

        public init(dy: Int, dx: Int, flip: Bool) {
            self.dy = dy
            self.dx = dx
            self.flip = flip
        }
    }

    /// Shape of one image (C × H × W; rows are NCHW).
    public let shape: FeatureShape
    /// Pixels of padding on each side: offsets range over −padding…padding.
    public let padding: Int
    /// Per channel, the value of pad pixels.
    public let fill: [Float]

    /// Augmentation of images of `shape`, padded by `padding` pixels of `fill` (per channel;
    /// default 0).
    public init(shape: FeatureShape, padding: Int = 4, fill: [Float]? = nil) {
        precondition(padding >= 0, "padding must be at least 0")
        precondition(fill == nil || fill!.count == shape.channels, "one fill value per channel")
        self.shape = shape
        self.padding = padding
        self.fill = fill ?? Array(repeating: 0, count: shape.channels)
    }

    /// Augmentation of `task`'s images, padded with what a 0 pixel becomes after the task's
    /// normalisation (0 when it has none).
    public init(task: TaskDefinition, padding: Int = 4) {
        let shape = task.resolvedInputShape
        self.init(shape: shape, padding: padding,
                  fill: task.channelNormalisation.map { n in (0..<shape.channels).map { n.normalised(0, channel: $0) } })
    }

    /// Draws one image's augmentation, in torchvision's order: the crop row, the crop column, the flip.
    public func draw(using rng: inout RandomSource) -> Draw {
        let dy = rng.index(below: 2 * padding + 1) - padding
        let dx = rng.index(below: 2 * padding + 1) - padding
        return Draw(dy: dy, dx: dx, flip: rng.unit() < 0.5)
    }

    /// Writes `image` (C × H × W) cropped and flipped as `draw` says into `output` (C × H × W);
    /// the two must not overlap.
    public func apply(_ draw: Draw, to image: UnsafeBufferPointer<Float>, into output: UnsafeMutableBufferPointer<Float>) {
        let h = shape.height, w = shape.width
        precondition(image.count >= shape.count && output.count >= shape.count, "image buffers hold C × H × W values")
        precondition(abs(draw.dy) <= padding && abs(draw.dx) <= padding, "offsets lie in −padding…padding")
        // Output columns lo..<hi read inside the image: source column x' + dx in 0..<w.
        let lo = draw.flip ? max(0, draw.dx) : max(0, -draw.dx)
        let hi = max(lo, draw.flip ? min(w, w + draw.dx) : min(w, w - draw.dx))
        for c in 0..<shape.channels {
            let value = fill[c]
            for y in 0..<h {
                let out = c * h * w + y * w, sy = y + draw.dy
                guard (0..<h).contains(sy) else {
                    for x in 0..<w { output[out + x] = value }
                    continue
                }
                let source = c * h * w + sy * w
                for x in 0..<lo { output[out + x] = value }
                if draw.flip {
                    for x in lo..<hi { output[out + x] = image[source + w - 1 - x + draw.dx] }
                } else {
                    for x in lo..<hi { output[out + x] = image[source + x + draw.dx] }
                }
                for x in hi..<w { output[out + x] = value }
            }
        }
    }

    /// The trainer's call, once per batch: augments the first `count` images of `images` (NCHW)
    /// into `output`, one draw per image from `rng` (`RandomSource.stream(.augmentation, seed:)`).
    /// Allocates nothing; the buffers must not overlap.
    public func augment(_ images: UnsafeBufferPointer<Float>, count: Int, into output: UnsafeMutableBufferPointer<Float>,
                        using rng: inout RandomSource) {
        let size = shape.count
        precondition(images.count >= count * size && output.count >= count * size, "buffers hold count × C × H × W values")
        for n in 0..<count {
            let d = draw(using: &rng)
            apply(d, to: UnsafeBufferPointer(rebasing: images[(n * size)..<((n + 1) * size)]),
                  into: UnsafeMutableBufferPointer(rebasing: output[(n * size)..<((n + 1) * size)]))
        }
    }

    /// `augment` on arrays: `output` must already hold at least `count` images (it is not
    /// resized, so a buffer kept across batches is never reallocated).
    public func augment(_ images: [Float], count: Int, into output: inout [Float], using rng: inout RandomSource) {
        images.withUnsafeBufferPointer { x in
            output.withUnsafeMutableBufferPointer { out in augment(x, count: count, into: out, using: &rng) }
        }
    }
}
