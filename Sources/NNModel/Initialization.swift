/// How a dense layer's weight and bias are first drawn.
public enum Initialization: String, Codable, CaseIterable, Sendable {
    /// PyTorch's `nn.Linear` default: W ~ U(−1/√fan_in, 1/√fan_in) (Kaiming-uniform with a = √5),
    /// b ~ U(−1/√fan_in, 1/√fan_in).
    case pytorch
    /// Kaiming-normal for ReLU: W ~ N(0, 2/fan_in), b = 0.
    case kaimingNormal = "kaiming-normal"
    /// Xavier/Glorot-uniform: W ~ U(±√(6/(fan_in + fan_out))), b = 0.
    case xavier

    /// Draws an `out × in` weight (row-major) and an `out` bias.
    public func draw(out: Int, in fanIn: Int, using rng: inout RandomSource) -> (weight: [Float], bias: [Float]) {
        let count = out * fanIn
        switch self {
        case .pytorch:
            let bound = fanIn > 0 ? 1 / Double(fanIn).squareRoot() : 0
            let weight = (0..<count).map { _ in Float(rng.uniform(-bound, bound)) }
            let bias = (0..<out).map { _ in Float(rng.uniform(-bound, bound)) }
            return (weight, bias)
        case .kaimingNormal:
            let std = fanIn > 0 ? (2 / Double(fanIn)).squareRoot() : 0
            return ((0..<count).map { _ in Float(rng.normal() * std) }, Array(repeating: 0, count: out))
        case .xavier:
            let bound = (6 / Double(max(1, fanIn + out))).squareRoot()
            return ((0..<count).map { _ in Float(rng.uniform(-bound, bound)) }, Array(repeating: 0, count: out))
        }
    }
}
