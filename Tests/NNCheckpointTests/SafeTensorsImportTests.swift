import Foundation
import NNModel
import Testing
@testable import NNCheckpoint

/// Conv nets from safetensors state dicts: a torchvision-shaped ResNet and an nn.Sequential go
/// to the layers they name, and every bad file (a tensor missing, of the wrong shape, unknown,
/// or a truncated file) is one `FileFormatError` naming the file and the tensor.
/// (tests/interop/test_import_torch.py compares imported outputs with PyTorch's.)
@Suite struct SafeTensorsImportTests {
    typealias Tensor = (name: String, shape: [Int], values: [Double], dtype: String)

    /// A file of `tensors` (F32, or I64 counters) in the given order.
    static func bytes(_ tensors: [Tensor]) -> [UInt8] {
        var header: [String] = [], data: [UInt8] = []
        for t in tensors {
            let start = data.count
            for v in t.values {
                if t.dtype == "I64" {
                    data += (0..<8).map { UInt8(UInt64(bitPattern: Int64(v)) >> (8 * UInt64($0)) & 0xFF) }
                } else {
                    data += (0..<4).map { UInt8(Float(v).bitPattern >> (8 * UInt32($0)) & 0xFF) }
                }
            }
            header.append(#""\#(t.name)":{"dtype":"\#(t.dtype)","shape":\#(t.shape),"data_offsets":[\#(start),\#(data.count)]}"#)
        }
        let json = Array(("{" + header.joined(separator: ",") + "}").utf8)
        return (0..<8).map { UInt8(UInt64(json.count) >> (8 * UInt64($0)) & 0xFF) } + json + data
    }

    func write(_ tensors: [Tensor]) throws -> String {
        let url = try temporaryDirectory().appendingPathComponent("model.safetensors")
        try Data(Self.bytes(tensors)).write(to: url)
        return url.path
    }

    /// Distinct values for every tensor, so a tensor read into the wrong place shows.
    static func tensor(_ name: String, _ shape: [Int]) -> Tensor {
        let seed = Double(name.utf8.reduce(0) { ($0 &* 31 &+ Int($1)) % 1000 })
        let count = shape.reduce(1, *)
        let values = (0..<count).map { k in name.hasSuffix("running_var") ? 0.5 + Double(k % 7) / 7 : sin(seed + Double(k)) }
        return (name, shape, values, "F32")
    }

    static func batchNorm(_ prefix: String, _ c: Int) -> [Tensor] {
        ["weight", "bias", "running_mean", "running_var"].map { tensor("\(prefix).\($0)", [c]) } + [("\(prefix).num_batches_tracked", [], [3], "I64")]
    }

    /// torchvision's state-dict keys for a BasicBlock ResNet: stem width 2, stages of
    /// `blocks` blocks with widths 2, 4, 8, …, `classes` outputs.
    static func resNet(blocks: [Int], classes: Int = 3) -> [Tensor] {
        var tensors = [tensor("conv1.weight", [2, 3, 7, 7])] + batchNorm("bn1", 2)
        var channels = 2
        for (s, count) in blocks.enumerated() {
            let width = 2 << s
            for i in 0..<count {
                let p = "layer\(s + 1).\(i)", inputs = i == 0 ? channels : width
                tensors += [tensor("\(p).conv1.weight", [width, inputs, 3, 3])] + batchNorm("\(p).bn1", width)
                tensors += [tensor("\(p).conv2.weight", [width, width, 3, 3])] + batchNorm("\(p).bn2", width)
                if i == 0 && (s > 0 || channels != width) {
                    tensors += [tensor("\(p).downsample.0.weight", [width, channels, 1, 1])] + batchNorm("\(p).downsample.1", width)
                }
            }
            channels = width
        }
        return tensors + [tensor("fc.weight", [classes, channels]), tensor("fc.bias", [classes])]
    }

    static let image = FeatureShape(channels: 3, height: 16, width: 16)

    @Test func aResNetIsTheStackTorchvisionComputesWithEveryTensorInPlace() throws {
        let tensors = Self.resNet(blocks: [2, 1, 1])
        let path = try write(tensors)
        let read = try SafeTensors.read(path)
        #expect(SafeTensors.isResNet(read))
        let model = try SafeTensors.resNet(from: read, input: Self.image, file: path)
        let expected: [Block] = [
            Block([.conv2d(channels: 2, kernel: 7, stride: 2, padding: 3, bias: false), .batchNorm, .activation(.relu), .maxPool(kernel: 3, stride: 2, padding: 1)]),
            .basic(from: 2, to: 2), .basic(from: 2, to: 2), .basic(from: 2, to: 4, stride: 2), .basic(from: 4, to: 8, stride: 2),
            Block([.globalAvgPool, .linear(outputs: 3)]),
        ]
        #expect(model.stack == LayerStack(input: Self.image, blocks: expected))
        #expect(model.stack.blocks[3].shortcut?.count == 2 && model.stack.blocks[1].shortcut == [])
        // Each engine tensor holds the file's tensor of the torchvision name written here by hand.
        let names = ["block0.main.0": "conv1", "block0.main.1": "bn1", "block5.main.1": "fc"]
            .merging((1...4).flatMap { b -> [(String, String)] in
                let source = ["layer1.0", "layer1.1", "layer2.0", "layer3.0"][b - 1]
                return [("block\(b).main.0", "\(source).conv1"), ("block\(b).main.1", "\(source).bn1"), ("block\(b).main.3", "\(source).conv2"),
                        ("block\(b).main.4", "\(source).bn2"), ("block\(b).shortcut.0", "\(source).downsample.0"),
                        ("block\(b).shortcut.1", "\(source).downsample.1")]
            }, uniquingKeysWith: { a, _ in a })
        let network = try LayerNetwork<Float>(model)
        let byName = Dictionary(uniqueKeysWithValues: tensors.map { ($0.name, $0.values.map { Float($0) }) })
        var checked = 0
        for slot in network.tensors {
            let place = slot.name.split(separator: ".").dropLast().joined(separator: ".")
            let source = "\(names[place]!).\(slot.name.split(separator: ".").last!)"
            #expect(Array(model.parameters[slot.offset..<(slot.offset + slot.count)]) == byName[source], "\(slot.name) ← \(source)")
            checked += 1
        }
        for step in network.steps {
            guard let offset = step.state else { continue }
            let c = step.inShape.channels, source = names[step.name]!
            #expect(Array(model.state[offset..<(offset + c)]) == byName["\(source).running_mean"])
            #expect(Array(model.state[(offset + c)..<(offset + 2 * c)]) == byName["\(source).running_var"])
        }
        #expect(checked == tensors.filter { !$0.name.contains("running") && !$0.name.contains("num_batches") }.count)
        #expect(model.parameterCount == tensors.filter { !$0.name.contains("running") && $0.dtype == "F32" }.reduce(0) { $0 + $1.values.count })
    }

    /// The one line a bad ResNet file gives.
    func resNetProblem(_ tensors: [Tensor], input: FeatureShape = Self.image) throws -> String? {
        let path = try write(tensors)
        let error = #expect(throws: FileFormatError.self) { try SafeTensors.resNet(from: SafeTensors.read(path), input: input, file: path) }
        #expect(error?.file == path && error?.description.contains("\n") == false)
        return error?.problem
    }

    @Test func aMissingTensorIsNamed() throws {
        let tensors = Self.resNet(blocks: [1, 1]).filter { $0.name != "layer2.0.bn2.running_var" }
        #expect(try resNetProblem(tensors) == "missing tensor 'layer2.0.bn2.running_var': block2.main.4 (batch_norm on 4×2×2) needs shape [4]")
        let noShortcut = Self.resNet(blocks: [1, 1]).filter { !$0.name.hasPrefix("layer2.0.downsample") }
        #expect(try resNetProblem(noShortcut)?.hasPrefix("missing tensor 'layer2.0.downsample.0.weight'") == true)
    }

    @Test func aWrongShapeIsNamed() throws {
        var tensors = Self.resNet(blocks: [1, 1])
        let k = tensors.firstIndex { $0.name == "layer1.0.conv2.weight" }!
        tensors[k] = Self.tensor("layer1.0.conv2.weight", [2, 2, 5, 5])
        #expect(try resNetProblem(tensors) == "tensor 'layer1.0.conv2.weight' has shape [2, 2, 5, 5]; block1.main.3 (conv2d on 2×4×4) needs [2, 2, 3, 3]")
        // A grey-scale input against RGB weights: the stem's weight is named.
        #expect(try resNetProblem(Self.resNet(blocks: [1]), input: FeatureShape(channels: 1, height: 16, width: 16))
                == "tensor 'conv1.weight' has shape [2, 3, 7, 7]; block0.main.0 (conv2d on 1×16×16) needs [2, 1, 7, 7]")
    }

    @Test func anUnknownTensorIsNamed() throws {
        #expect(try resNetProblem(Self.resNet(blocks: [1]) + [Self.tensor("layer1.0.se.weight", [2])])
                == "tensor 'layer1.0.se.weight' is not part of a torchvision BasicBlock ResNet (conv1, bn1, layerS.I.conv1/bn1/conv2/bn2/downsample.0/downsample.1, fc) (no tensor is dropped)")
        #expect(try resNetProblem(Self.resNet(blocks: [1]) + [Self.tensor("layer1.0.conv3.weight", [8, 2, 1, 1])])?
            .hasPrefix("tensor 'layer1.0.conv3.weight' belongs to a Bottleneck block (ResNet-50 and deeper)") == true)
        #expect(try resNetProblem(Self.resNet(blocks: [1]) + [Self.tensor("layer3.0.conv1.weight", [8, 4, 3, 3])])?
            .hasPrefix("tensor 'layer3.0.conv1.weight' is not in a stage: the stages are layer1…layer1") == true)
    }

    @Test func aTruncatedFileIsOneLine() throws {
        let bytes = Self.bytes(Self.resNet(blocks: [1]))
        let url = try temporaryDirectory().appendingPathComponent("cut.safetensors")
        try Data(bytes.dropLast(10)).write(to: url)
        let error = #expect(throws: FileFormatError.self) { try SafeTensors.resNet(from: SafeTensors.read(url.path), input: Self.image, file: url.path) }
        #expect(error?.file == url.path && error?.problem.hasPrefix("corrupt safetensors header: 'fc.bias' offsets") == true,
                "\(String(describing: error))")
    }

    @Test func aSequentialTakesTheFilesModulesInOrder() throws {
        // nn.Sequential(Conv2d(1, 3, 3, bias=False), BatchNorm2d(3), ReLU(), MaxPool2d(2), Flatten(), Linear(12, 2)) on 1×6×6.
        let tensors = [Self.tensor("0.weight", [3, 1, 3, 3])] + Self.batchNorm("1", 3) + [Self.tensor("5.weight", [2, 12]), Self.tensor("5.bias", [2])]
        let path = try write(tensors)
        let layers = try Layer.list(specs: "conv2d:3:3,batchnorm,relu,maxpool:2,flatten,linear:2")
        let model = try SafeTensors.sequential(layers, input: FeatureShape(channels: 1, height: 6, width: 6), from: SafeTensors.read(path), file: path)
        #expect(model.stack.blocks == [Block([.conv2d(channels: 3, kernel: 3, stride: 1, padding: 0, bias: false), .batchNorm, .activation(.relu),
                                              .maxPool(kernel: 2, stride: 2), .flatten]),
                                       Block([.linear(outputs: 2)])])
        #expect(model.parameters == (tensors[0].values + tensors[1].values + tensors[2].values + tensors[6].values + tensors[7].values).map { Float($0) })
        #expect(model.state == (tensors[3].values + tensors[4].values).map { Float($0) })
        let error = #expect(throws: FileFormatError.self) {
            try SafeTensors.sequential(try Layer.list(specs: "conv2d:3:3,relu,maxpool:2,flatten,linear:2"), input: FeatureShape(channels: 1, height: 6, width: 6),
                                       from: SafeTensors.read(path), file: path)
        }
        #expect(error?.problem == "tensor '1.weight' has shape [3]; block1.main.0 (linear on 12) needs [2, 12]")
    }
}
