import NNModel

/// Per-channel normalisation of images, torchvision's `ToTensor()` then `Normalize(mean, std)`:
/// a pixel byte b of channel c becomes (b / 255 − mean_c) / std_c.
///
/// The statistics come from one split (a task fits them on its training split and applies them
/// to every split): over every pixel of every image of each channel, the mean and the population
/// standard deviation (dividing by N·H·W, as numpy's `std`), in Float64. A constant channel
/// (std 0) is only centred.
public struct ChannelNormalisation: Equatable, Sendable {
    /// Per channel, of pixels scaled to [0, 1].
    public let mean: [Double]
    /// Per channel, of pixels scaled to [0, 1].
    public let std: [Double]

    public init(mean: [Double], std: [Double]) {
        precondition(mean.count == std.count, "one mean and one std per channel")
        self.mean = mean
        self.std = std
    }

    /// Fits the statistics to the images at `rows` of `pixels` (bytes, C × H × W per image,
    /// images back to back), exactly, from a histogram of each channel's 256 byte values.
    init(fitting pixels: [UInt8], rows: some Sequence<Int>, shape: FeatureShape) {
        let positions = shape.positions, image = shape.count
        var counts = [Int](repeating: 0, count: shape.channels * 256)   // (C, 256)
        var images = 0
        pixels.withUnsafeBufferPointer { p in
            counts.withUnsafeMutableBufferPointer { histogram in
                for row in rows {
                    images += 1
                    for c in 0..<shape.channels {
                        let start = row * image + c * positions
                        for k in start..<(start + positions) { histogram[c * 256 + Int(p[k])] += 1 }
                    }
                }
            }
        }
        let n = Double(images * positions)
        var mean: [Double] = [], std: [Double] = []
        for c in 0..<shape.channels {
            let histogram = counts[(c * 256)..<((c + 1) * 256)]
            let m = zip(0..., histogram).reduce(0.0) { $0 + Double($1.1) * (Double($1.0) / 255) } / n
            let variance = zip(0..., histogram).reduce(0.0) { sum, bin in
                let d = Double(bin.0) / 255 - m
                return sum + Double(bin.1) * d * d
            } / n
            mean.append(m)
            std.append(variance.squareRoot())
        }
        self.init(mean: mean, std: std)
    }

    /// What a pixel of value `value` (in [0, 1]) in `channel` becomes: (value − mean_c) / std_c.
    public func normalised(_ value: Double, channel: Int) -> Float {
        Float((value - mean[channel]) / (std[channel] > 0 ? std[channel] : 1))
    }

    /// What each byte becomes in each channel: `table[c * 256 + b]` is `normalised(b / 255, c)`.
    func byteTable() -> [Float] {
        (0..<mean.count).flatMap { c in (0..<256).map { normalised(Double($0) / 255, channel: c) } }
    }
}
