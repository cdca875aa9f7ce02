/// The element-wise nonlinearity applied after a layer's affine map (and batch norm, if any).
public enum Activation: String, Codable, CaseIterable, Sendable {
    case relu, tanh, gelu, identity
}
