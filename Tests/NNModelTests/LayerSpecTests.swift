import Testing
@testable import NNModel

/// `nnprobe import --layers` specs: PyTorch's module defaults (a pool's stride is its kernel, a
/// conv's stride 1 and padding 0), PyTorch's spellings, a spec per layer read back, and one
/// error naming the item that does not read.
@Suite struct LayerSpecTests {
    @Test func specsReadWithPyTorchsDefaults() throws {
        let layers = try Layer.list(specs: "conv2d:16:3:1:1,batchnorm,relu,maxpool:2,flatten,linear:10")
        #expect(layers == [.conv2d(channels: 16, kernel: 3, stride: 1, padding: 1), .batchNorm, .activation(.relu),
                           .maxPool(kernel: 2, stride: 2, padding: 0), .flatten, .linear(outputs: 10)])
        #expect(try Layer.list(specs: "Conv2d:8:5, BatchNorm2d, ReLU, MaxPool2d:3:2:1, AvgPool2d:2, globalavgpool, Dropout:0.5, GELU, tanh")
                == [.conv2d(channels: 8, kernel: 5, stride: 1, padding: 0), .batchNorm, .activation(.relu), .maxPool(kernel: 3, stride: 2, padding: 1),
                    .avgPool(kernel: 2, stride: 2, padding: 0), .globalAvgPool, .dropout(0.5), .activation(.gelu), .activation(.tanh)])
    }

    @Test func everySpecReadsBack() throws {
        let layers: [Layer] = [.conv2d(channels: 4, kernel: 3, stride: 2, padding: 1), .linear(outputs: 7), .batchNorm, .activation(.identity),
                               .maxPool(kernel: 3, stride: 1, padding: 1), .avgPool(kernel: 2, stride: 2), .globalAvgPool, .flatten, .dropout(0.25)]
        #expect(try Layer.list(specs: layers.map(\.spec).joined(separator: ",")) == layers)
    }

    @Test(arguments: [
        ("conv2d:16", "item 1 'conv2d:16': expected conv2d:OUT:K[:STRIDE[:PADDING]]"),
        ("relu,linear:ten", "item 2 'linear:ten': 'ten' is not a size (expected linear:OUT)"),
        ("relu,,linear:2", "item 2 '': unknown layer ''"),
        ("maxpool:2:2:1:1", "item 1 'maxpool:2:2:1:1': expected maxpool:K[:STRIDE[:PADDING]]"),
        ("softmax", "item 1 'softmax': unknown layer 'softmax'"),
        ("relu:2", "item 1 'relu:2': expected relu with no arguments"),
        ("dropout:1", "item 1 'dropout:1': expected dropout:P with P in [0, 1)"),
        ("linear:-3", "item 1 'linear:-3': '-3' is not a size"),
    ])
    func aBadSpecNamesItsItem(specs: String, expected: String) {
        let error = #expect(throws: LayerSpecError.self) { try Layer.list(specs: specs) }
        #expect(error?.description.hasPrefix(expected) == true, "\(String(describing: error))")
    }
}
