extension LayerAddress: ExpressibleByIntegerLiteral, ExpressibleByStringLiteral {
    /// `layer: 2`: trunk layer 2.
    public init(integerLiteral value: Int) { self = .index(value) }
    /// `layer: "block2"`: the layers of that name (see `init(_:)`).
    public init(stringLiteral value: String) { self.init(value) }
}
