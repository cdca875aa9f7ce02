extension TaskOptions {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case noise, classes, data, tolerance
        case trainSize = "train_size", valSize = "val_size", testSize = "test_size"
        case labelColumn = "label_column", randomLabels = "random_labels"
    }

    public init(from decoder: Decoder) throws {
        try rejectUnknownKeys(decoder, known: CodingKeys.allCases.map(\.rawValue), section: "data ")
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        trainSize = try c.decodeIfPresent(Int.self, forKey: .trainSize)
        valSize = try c.decodeIfPresent(Int.self, forKey: .valSize)
        testSize = try c.decodeIfPresent(Int.self, forKey: .testSize)
        noise = try c.decodeIfPresent(Double.self, forKey: .noise)
        classes = try c.decodeIfPresent(Int.self, forKey: .classes) ?? classes
        data = try c.decodeIfPresent(String.self, forKey: .data)
        labelColumn = try c.decodeIfPresent(String.self, forKey: .labelColumn)
        tolerance = try c.decodeIfPresent(Double.self, forKey: .tolerance) ?? tolerance
        randomLabels = try c.decodeIfPresent(Bool.self, forKey: .randomLabels) ?? randomLabels
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(trainSize, forKey: .trainSize)
        try c.encodeIfPresent(valSize, forKey: .valSize)
        try c.encodeIfPresent(testSize, forKey: .testSize)
        try c.encodeIfPresent(noise, forKey: .noise)
        try c.encode(classes, forKey: .classes)
        try c.encodeIfPresent(data, forKey: .data)
        try c.encodeIfPresent(labelColumn, forKey: .labelColumn)
        try c.encode(tolerance, forKey: .tolerance)
        try c.encode(randomLabels, forKey: .randomLabels)
    }
}
