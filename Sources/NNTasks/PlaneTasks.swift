import Foundation
import NNModel

/// 2-D K-class classification sets, for decision-boundary and linear-region studies.
extension SyntheticTask {
    private static func plane(_ name: String, _ summary: String, classes: Int, range: ClosedRange<Double>,
                              draw: @escaping (inout RandomSource, Int) -> ([Double], Int)) -> SyntheticTask {
        let definition = TaskDefinition(name: name, summary: summary, inputWidth: 2, outputWidth: classes,
                                        loss: .crossEntropy, subtasks: [], inputRange: range)
        return SyntheticTask(definition: definition) { rng, i, inputs, _ in
            let (point, label) = draw(&rng, i)
            inputs.append(Float(point[0])); inputs.append(Float(point[1]))
            return Int32(label)
        }
    }

    /// K interleaved spiral arms (1.5 turns each) in [−1, 1]², Gaussian noise on the points.
    static func spirals(classes: Int, noise: Double) -> SyntheticTask {
        plane("spirals", "\(classes) interleaved spiral arms in [-1, 1]²", classes: classes, range: -1...1) { rng, i in
            let k = i % classes
            let t = rng.unit()
            let angle = 3 * Double.pi * t + 2 * Double.pi * Double(k) / Double(classes)
            return ([rng.noisy(t * cos(angle), noise: noise), rng.noisy(t * sin(angle), noise: noise)], k)
        }
    }

    /// Two interleaving half circles (scikit-learn's `make_moons`), centred on the origin.
    static func moons(noise: Double) -> SyntheticTask {
        plane("moons", "two interleaving half circles", classes: 2, range: -1.5...1.5) { rng, i in
            let k = i % 2
            let t = Double.pi * rng.unit()
            let p = k == 0 ? [cos(t), sin(t)] : [1 - cos(t), 0.5 - sin(t)]
            return ([rng.noisy(p[0] - 0.5, noise: noise), rng.noisy(p[1] - 0.25, noise: noise)], k)
        }
    }

    /// Two concentric circles of radius 1 and 0.5 (scikit-learn's `make_circles`, factor 0.5).
    static func circles(noise: Double) -> SyntheticTask {
        plane("circles", "two concentric circles (radius 1 and 0.5)", classes: 2, range: -1.2...1.2) { rng, i in
            let k = i % 2
            let t = 2 * Double.pi * rng.unit()
            let r = k == 0 ? 1.0 : 0.5
            return ([rng.noisy(r * cos(t), noise: noise), rng.noisy(r * sin(t), noise: noise)], k)
        }
    }

    /// K Gaussian blobs whose centres are fixed (drawn once in [−1, 1]² from a fixed seed).
    static func blobs(classes: Int, noise: Double) -> SyntheticTask {
        var teacher = RandomSource.stream(.teacher, seed: 1)
        let centres = (0..<classes).map { _ in [teacher.uniform(-1, 1), teacher.uniform(-1, 1)] }
        return plane("blobs", "\(classes) Gaussian blobs", classes: classes, range: -1.5...1.5) { rng, i in
            let k = i % classes
            return ([rng.noisy(centres[k][0], noise: noise), rng.noisy(centres[k][1], noise: noise)], k)
        }
    }
}
