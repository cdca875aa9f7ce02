import Foundation
import NNModel
import Testing
@testable import NNTasks

/// `--augment`'s crop and flip: equal to numpy's `np.pad` + slicing + `[..., ::-1]` for explicit
/// draws (Fixtures/make_image_fixtures.py, padding with 0 before normalising as torchvision's
/// usual pipeline does), and seeded.
@Suite struct ImageAugmentationTests {
    struct Case: Decodable {
        struct Draw: Decodable { let image: Int, dy: Int, dx: Int, flip: Bool, expected: String }
        let shape: [Int], padding: Int, images: String, mean: [Double], std: [Double], draws: [Draw]
    }

    static func bytes(_ base64: String) throws -> [UInt8] { [UInt8](try #require(Data(base64Encoded: base64))) }

    @Test func cropAndFlipMatchNumpy() throws {
        struct File: Decodable { let cases: [Case] }
        let url = try #require(Bundle.module.url(forResource: "Fixtures/augmentation_reference", withExtension: "json"))
        let cases = try JSONDecoder().decode(File.self, from: Data(contentsOf: url)).cases
        #expect(cases.count == 4)
        for test in cases {
            let shape = FeatureShape(channels: test.shape[0], height: test.shape[1], width: test.shape[2])
            // The image normalised, then augmented with the task's pad value; numpy padded the
            // bytes with 0 first, as torchvision pads before Normalize.
            let normalisation = ChannelNormalisation(mean: test.mean, std: test.std)
            var task = TaskDefinition(name: "t", summary: "", inputWidth: shape.count, outputWidth: 2, loss: .crossEntropy,
                                      subtasks: [], inputRange: 0...1)
            task.inputShape = shape
            task.channelNormalisation = normalisation
            let augmentation = ImageAugmentation(task: task, padding: test.padding)
            #expect(augmentation.fill == (0..<shape.channels).map { normalisation.normalised(0, channel: $0) })
            let normalise = { (bytes: [UInt8]) in
                bytes.enumerated().map { k, b in normalisation.normalised(Double(b) / 255, channel: k % shape.count / shape.positions) }
            }
            let images = normalise(try Self.bytes(test.images))
            var output = [Float](repeating: .nan, count: shape.count)
            for draw in test.draws {
                let image = Array(images[(draw.image * shape.count)..<((draw.image + 1) * shape.count)])
                image.withUnsafeBufferPointer { x in
                    output.withUnsafeMutableBufferPointer { out in
                        augmentation.apply(.init(dy: draw.dy, dx: draw.dx, flip: draw.flip), to: x, into: out)
                    }
                }
                #expect(output == normalise(try Self.bytes(draw.expected)),
                        "\(shape), padding \(test.padding), dy \(draw.dy), dx \(draw.dx), flip \(draw.flip)")
            }
        }
    }

    /// A batch of `count` images of `shape` with distinct values.
    static func batch(_ count: Int, _ shape: FeatureShape) -> [Float] { (0..<(count * shape.count)).map { Float($0) * 0.001 + 1 } }

    @Test(arguments: [FeatureShape(channels: 3, height: 32, width: 32), FeatureShape(channels: 1, height: 28, width: 28)])
    func theSameSeedGivesTheSameBatch(shape: FeatureShape) {
        let augmentation = ImageAugmentation(shape: shape, fill: Array(repeating: -1, count: shape.channels))
        let images = Self.batch(6, shape)
        func run(_ seed: UInt64) -> ([Float], RandomSource) {
            var rng = RandomSource.stream(.augmentation, seed: seed)
            var output = [Float](repeating: .nan, count: images.count)
            augmentation.augment(images, count: 6, into: &output, using: &rng)
            return (output, rng)
        }
        var (first, after) = run(7)
        #expect(first == run(7).0)
        #expect(first != run(8).0)
        #expect(!first.contains { $0.isNaN })
        // The batch is each image with its own draw, in order, and leaves the stream where they do.
        var rng = RandomSource.stream(.augmentation, seed: 7)
        var one = [Float](repeating: .nan, count: shape.count)
        for n in 0..<6 {
            let draw = augmentation.draw(using: &rng)
            Array(images[(n * shape.count)..<((n + 1) * shape.count)]).withUnsafeBufferPointer { x in
                one.withUnsafeMutableBufferPointer { augmentation.apply(draw, to: x, into: $0) }
            }
            #expect(Array(first[(n * shape.count)..<((n + 1) * shape.count)]) == one, "image \(n)")
        }
        #expect(rng.next() == after.next())
        // Only the first `count` images are written.
        var output = [Float](repeating: .nan, count: images.count)
        var fresh = RandomSource.stream(.augmentation, seed: 7)
        augmentation.augment(images, count: 2, into: &output, using: &fresh)
        #expect(Array(output[..<(2 * shape.count)]) == Array(first[..<(2 * shape.count)]) && output[(2 * shape.count)...].allSatisfy(\.isNaN))
    }

    /// Offsets uniform over −4…4 in each direction, flips half the time (20,000 draws; a
    /// uniform count of 246.9 per offset pair has a standard deviation of about 15.6).
    @Test func drawsAreUniform() {
        let augmentation = ImageAugmentation(shape: FeatureShape(channels: 3, height: 32, width: 32))
        var rng = RandomSource.stream(.augmentation, seed: 1)
        var counts: [Int: Int] = [:], flips = 0
        let draws = 20_000
        for _ in 0..<draws {
            let d = augmentation.draw(using: &rng)
            counts[(d.dy + 4) * 9 + d.dx + 4, default: 0] += 1
            if d.flip { flips += 1 }
        }
        #expect(Set(counts.keys) == Set(0..<81))
        let expected = Double(draws) / 81
        #expect(counts.values.allSatisfy { abs(Double($0) - expected) < 5 * 15.6 }, "\(counts.values.sorted())")
        #expect(abs(Double(flips) / Double(draws) - 0.5) < 0.02)
        // Padding 0: no crop, only flips.
        let flat = ImageAugmentation(shape: FeatureShape(channels: 1, height: 4, width: 4), padding: 0)
        #expect((0..<50).map { _ in flat.draw(using: &rng) }.allSatisfy { $0.dy == 0 && $0.dx == 0 })
    }

    @Test func imagesThatAreNotNormalisedArePaddedWithZero() {
        var task = TaskDefinition(name: "idx", summary: "", inputWidth: 784, outputWidth: 10, loss: .crossEntropy, subtasks: [], inputRange: 0...1)
        task.inputShape = FeatureShape(channels: 1, height: 28, width: 28)
        let augmentation = ImageAugmentation(task: task)
        #expect(augmentation.fill == [0] && augmentation.padding == 4 && augmentation.shape == task.inputShape)
        // The draw that keeps the image: a copy.
        let image = Self.batch(1, augmentation.shape)
        var output = [Float](repeating: .nan, count: image.count)
        image.withUnsafeBufferPointer { x in
            output.withUnsafeMutableBufferPointer { augmentation.apply(.init(dy: 0, dx: 0, flip: false), to: x, into: $0) }
        }
        #expect(output == image)
    }
}
