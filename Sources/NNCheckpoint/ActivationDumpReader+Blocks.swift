import NNModel

extension ActivationDumpReader {
    /// The block a version-2 layer group describes, once every dataset's shape is what its
    /// attributes say: `post`/`pre` (N, w) when flat, (M, C, H, W) when image-shaped; `pooled`/
    /// `pooled_pre` (N, C) beside each image-shaped one.
    static func block(_ group: HDF5Group, rows: Int, mapRows: Int, file: String) throws -> BlockLayout {
        let layers: [String]
        switch try group.attribute("layers") {
        case .strings(let names): layers = names
        case .string(let name): layers = [name]
        default: throw FileFormatError(file: file, "\(group.path)/@layers: expected the block's layer names (strings)")
        }
        let block = BlockLayout(name: try group.stringAttribute("name"), layers: layers,
                                shape: try featureShape(group, "shape", file: file),
                                preShape: try featureShape(group, "pre_shape", file: file))
        for (part, shape) in [("post", block.shape), ("pre", block.preShape)] {
            let expected = shape.isFlat ? [rows, shape.channels] : [mapRows, shape.channels, shape.height, shape.width]
            try require(group, part, expected, file: file)
            if !shape.isFlat { try require(group, part == "post" ? "pooled" : "pooled_pre", [rows, shape.channels], file: file) }
        }
        return block
    }

    /// The (C, H, W) attribute `name`: three positive sizes whose product can be counted.
    private static func featureShape(_ group: HDF5Group, _ name: String, file: String) throws -> FeatureShape {
        let values = try group.attribute(name).integers
        let problem = "\(group.path)/@\(name) \(values): expected three positive sizes C, H, W"
        guard values.count == 3, values.allSatisfy({ $0 >= 1 }) else { throw FileFormatError(file: file, problem) }
        let (hw, o1) = values[1].multipliedReportingOverflow(by: values[2])
        let (_, o2) = hw.multipliedReportingOverflow(by: values[0])
        guard !o1, !o2 else { throw FileFormatError(file: file, problem + " (their product overflows)") }
        return FeatureShape(channels: Int(values[0]), height: Int(values[1]), width: Int(values[2]))
    }

    private static func require(_ group: HDF5Group, _ name: String, _ expected: [Int], file: String) throws {
        let shape = try group.dataset(name).shape()
        guard shape == expected else {
            throw FileFormatError(file: file, "\(group.path)/\(name): shape \(shape), expected \(expected)")
        }
    }
}
