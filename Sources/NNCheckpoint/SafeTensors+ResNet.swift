import NNModel

/// torchvision's BasicBlock ResNets (`resnet18()`, `resnet34()`, and the same structure with
/// other block counts, widths or class counts) from their state dicts.
extension SafeTensors {
    /// Whether the names are a torchvision ResNet's (`conv1.weight`, `layer1.0.conv1.weight`, `fc.weight`).
    public static func isResNet(_ tensors: [SafeTensor]) -> Bool {
        let names = Set(tensors.map(\.name))
        return ["conv1.weight", "layer1.0.conv1.weight", "fc.weight"].allSatisfy(names.contains)
    }

    /// The ResNet torchvision computes, with the file's weights and batch-norm statistics. Stem:
    /// `conv1` (7×7, stride 2, padding 3, no bias), `bn1`, ReLU, 3×3 max-pool (stride 2, padding 1);
    /// then `layer1`…`layerN`, each of `Block.basic` blocks (`layerS.I.conv1/bn1/conv2/bn2`, the
    /// first block of every stage after the first with stride 2, `downsample.0/1` the 1×1 conv +
    /// batch norm shortcut); then global average pooling and `fc`. Stage widths, block counts and
    /// the class count come from the tensors; `input` is the image shape (C × H × W) it takes.
    ///
    /// As blocks: block 0 is the stem, one block per BasicBlock, the last block the read-out.
    public static func resNet(from tensors: [SafeTensor], input: FeatureShape, file: String) throws -> LayerModel {
        if let bottleneck = tensors.first(where: { $0.name.hasPrefix("layer") && $0.name.contains(".conv3.") }) {
            throw FileFormatError(file: file, "tensor '\(bottleneck.name)' belongs to a Bottleneck block (ResNet-50 and deeper); nnprobe imports BasicBlock ResNets (ResNet-18/34)")
        }
        var shapes: [String: [Int]] = [:]
        for t in tensors { shapes[t.name] = t.shape }
        func width(_ name: String, rank: Int) throws -> Int {
            guard let shape = shapes[name] else { throw FileFormatError(file: file, "missing tensor '\(name)'") }
            guard shape.count == rank, shape[0] >= 1 else {
                throw FileFormatError(file: file, "tensor '\(name)' has shape \(shape); a \(rank == 4 ? "conv" : "linear") weight is \(rank)-D")
            }
            return shape[0]
        }
        let stemWidth = try width("conv1.weight", rank: 4)
        var modules = ["block0.main.0": "conv1", "block0.main.1": "bn1"]
        var blocks = [Block([.conv2d(channels: stemWidth, kernel: 7, stride: 2, padding: 3, bias: false), .batchNorm, .activation(.relu),
                             .maxPool(kernel: 3, stride: 2, padding: 1)])]
        var channels = stemWidth
        var stage = 1
        while shapes["layer\(stage).0.conv1.weight"] != nil {
            let stageWidth = try width("layer\(stage).0.conv1.weight", rank: 4)
            var index = 0
            while shapes["layer\(stage).\(index).conv1.weight"] != nil {
                let b = blocks.count, source = "layer\(stage).\(index)"
                blocks.append(.basic(from: channels, to: stageWidth, stride: stage > 1 && index == 0 ? 2 : 1))
                for (place, part) in [("main.0", "conv1"), ("main.1", "bn1"), ("main.3", "conv2"), ("main.4", "bn2"),
                                      ("shortcut.0", "downsample.0"), ("shortcut.1", "downsample.1")] {
                    modules["block\(b).\(place)"] = "\(source).\(part)"
                }
                channels = stageWidth
                index += 1
            }
            stage += 1
        }
        let classes = try width("fc.weight", rank: 2)
        modules["block\(blocks.count).main.1"] = "fc"
        blocks.append(Block([.globalAvgPool, .linear(outputs: classes)]))
        let stages = stage - 1
        return try model(LayerStack(input: input, blocks: blocks), modules: modules, from: tensors, file: file) { name in
            if name.hasPrefix("layer"), let n = Int(name.dropFirst(5).prefix(while: \.isNumber)), n == 0 || n > stages {
                return "is not in a stage: the stages are layer1…layer\(stages), numbered from 1 without gaps"
            }
            if name.contains(".downsample.") {
                return "is a shortcut projection where torchvision has none (a block keeping its width and stride has an identity shortcut)"
            }
            return "is not part of a torchvision BasicBlock ResNet (conv1, bn1, layerS.I.conv1/bn1/conv2/bn2/downsample.0/downsample.1, fc)"
        }
    }
}
