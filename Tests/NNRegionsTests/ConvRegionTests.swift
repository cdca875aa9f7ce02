import Foundation
import NNLinalg
import NNModel
import Testing
@testable import NNRegions

/// Exact regions of conv nets against PyTorch (Fixtures/make_conv_region_fixtures.py): three small
/// nets on 1 × 8 × 8 images — nnprobe's cnn family, a stack with batch norms, overlapping padded
/// max pooling and average pooling, and a ResNet with residual blocks and heads on both stages —
/// on the plane through three images. PyTorch recorded, on a 24² grid of the box, each point's
/// activation pattern (ReLU signs, max-pool choices) and logits in float64.
@Suite struct ConvRegionTests {
    struct Reference: Decodable {
        let torch: String
        let inputShape: [Int]
        let classes: Int
        let grid: Int
        let box: [Double]
        let images: [[Double]]
        let cases: [Case]
    }

    struct Case: Decodable {
        let name: String
        let tensors: [Tensor]
        let batchNorms: [BatchNormState]
        /// The distinct patterns on the grid, and per grid point its index among them.
        let patterns: [String]
        let gridPattern: [Int]
        /// Per grid point, how far (in value units) it is from a change of pattern.
        let margin: [Double]
        /// Per grid point, the logits.
        let outputs: [Double]
    }

    struct Tensor: Decodable { let name: String; let shape: [Int]; let value: [Double] }
    struct BatchNormState: Decodable { let name: String; let runningMean: [Double]; let runningVar: [Double] }

    static let names = ["cnn", "cnn_bn_pools", "resnet_heads"]
    static let input = FeatureShape(channels: 1, height: 8, width: 8)

    static func reference() throws -> Reference {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/conv_regions_reference", withExtension: "json"))
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(Reference.self, from: Data(contentsOf: url))
    }

    /// The network the script builds under `name`, described with nnprobe's API.
    static func stack(_ name: String) -> LayerStack {
        var s = ModelSettings()
        switch name {
        case "cnn":
            s.arch = .cnn
            s.channels = [3, 4]
            s.fc = [8]
        case "resnet_heads":
            s.arch = .resnet
            s.blocks = [1, 1]
            s.baseWidth = 2
            s.headsOn = .stages
        default:   // cnn_bn_pools
            return LayerStack(input: input, blocks: [
                Block([.conv2d(channels: 3, kernel: 3, padding: 1), .batchNorm, .activation(.relu), .maxPool(kernel: 3, stride: 2, padding: 1)]),
                Block([.conv2d(channels: 4, kernel: 3, padding: 1, bias: false), .batchNorm, .activation(.relu),
                       .avgPool(kernel: 3, stride: 2, padding: 1)], after: [.flatten]),
                Block([.linear(outputs: 8), .batchNorm, .activation(.relu)]),
                Block([.linear(outputs: 3)]),
            ])
        }
        return Architecture(inputs: input.count, outputs: 3, settings: s, inputShape: input).stack()
    }

    /// The script's network with its weights, loaded by name.
    static func model(_ c: Case) throws -> LayerModel {
        let net = try LayerNetwork<Double>(stack(c.name), seed: 0)
        try #require(net.tensors.map(\.name) == c.tensors.map(\.name), "\(c.name): \(net.tensors.map(\.name))")
        for (slot, tensor) in zip(net.tensors, c.tensors) {
            try #require(slot.shape == tensor.shape)
            for k in 0..<slot.count { net.parameters[slot.offset + k] = tensor.value[k] }
        }
        let norms = net.steps.filter { if case .layer(.batchNorm) = $0.operation { true } else { false } }
        try #require(norms.map(\.name) == c.batchNorms.map(\.name))
        for (step, stats) in zip(norms, c.batchNorms) {
            let channels = step.inShape.channels
            for k in 0..<channels {
                net.state[step.state! + k] = stats.runningMean[k]
                net.state[step.state! + channels + k] = stats.runningVar[k]
            }
        }
        return net.export()
    }

    /// A region's pattern as the script spells it: 0/1 per ReLU unit, a base-36 digit per window.
    static func spelled(_ pattern: [UInt8]) -> String {
        let digits = Array("0123456789abcdefghijklmnopqrstuvwxyz")
        return String(pattern.map { digits[Int($0)] })
    }

    /// Whether (u, v) lies in the convex polygon (counter-clockwise), up to `slack`.
    static func contains(_ p: ConvexPolygon, _ u: Double, _ v: Double, slack: Double) -> Bool {
        for i in 0..<p.count {
            let j = i + 1 == p.count ? 0 : i + 1
            let cross = (p.u[j] - p.u[i]) * (v - p.v[i]) - (p.v[j] - p.v[i]) * (u - p.u[i])
            if cross < -slack { return false }
        }
        return true
    }

    static func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-9 * max(1, abs(b)) }

    @Test func theFixtureHoldsThreeNetsOnOnePlane() throws {
        let reference = try Self.reference()
        #expect(reference.torch.hasPrefix("2."))
        #expect(reference.cases.map(\.name) == Self.names)
        #expect(reference.images.count == 3 && reference.images.allSatisfy { $0.count == Self.input.count })
        for c in reference.cases {
            #expect(c.gridPattern.count == reference.grid * reference.grid && c.outputs.count == c.gridPattern.count * reference.classes)
        }
    }

    @Test(arguments: names)
    func regionsMatchPyTorchOnThePlaneThroughThreeImages(name: String) throws {
        let reference = try Self.reference()
        let c = try #require(reference.cases.first { $0.name == name })
        let model = try Self.model(c)
        let program = try PiecewiseLinearProgram(model)
        let images = reference.images
        let slice = PlaneSlice.through(images[0], images[1], images[2], box: reference.box)
        let partition = try RegionPartition(program, slice: slice)
        let boxArea = slice.boxArea
        #expect(abs(partition.totalArea - boxArea) <= 1e-9 * boxArea)
        #expect(partition.countsAfterLayer.last == partition.regions.count)
        #expect(partition.countsAfterLayer == partition.countsAfterLayer.sorted())

        // Every region at its interior point: the pattern and output of the engine's own forward
        // pass (an independent computation, itself checked against PyTorch in NNModelTests).
        let engine = try LayerNetwork<Double>(model)
        let sampler = try SampledPatterns(model)
        let centres = partition.regions.map(\.polygon.interiorPoint)
        let inputs = centres.flatMap { slice.point($0.u, $0.v) }
        var none = RandomSource(seed: 0)
        let outputs = engine.forward(inputs, batch: centres.count, training: false, dropout: &none)
        let patterns = sampler.patterns(inputs, rows: centres.count)
        var wrongPatterns = 0, wrongOutputs = 0
        for (r, region) in partition.regions.enumerated() {
            if patterns[r] != region.pattern { wrongPatterns += 1 }
            for o in 0..<3 {
                let affine = region.outputMap[3 * o] * centres[r].u + region.outputMap[3 * o + 1] * centres[r].v + region.outputMap[3 * o + 2]
                if !Self.close(affine, outputs[3 * r + o]) { wrongOutputs += 1 }
            }
        }
        #expect(wrongPatterns == 0, "\(name): \(wrongPatterns) of \(partition.regions.count) regions")
        #expect(wrongOutputs == 0, "\(name)")

        // PyTorch's grid: every point lies in a region with PyTorch's pattern and logits there.
        let g = reference.grid, b = reference.box
        let extent = max(b[1] - b[0], b[3] - b[2])
        var unmatched = 0, pointsChecked = 0
        for i in 0..<(g * g) {
            let u = b[0] + (Double(i % g) + 0.5) / Double(g) * (b[1] - b[0]), v = b[2] + (Double(i / g) + 0.5) / Double(g) * (b[3] - b[2])
            let holding = partition.regions.filter { Self.contains($0.polygon, u, v, slack: 1e-12 * extent * extent) }
            guard let region = holding.first else { unmatched += 1; continue }
            if c.margin[i] > 1e-9 {   // not on a boundary: the pattern is PyTorch's
                pointsChecked += 1
                #expect(holding.count == 1 && Self.spelled(region.pattern) == c.patterns[c.gridPattern[i]], "\(name): grid point \(i)")
            }
            for o in 0..<3 {
                let affine = region.outputMap[3 * o] * u + region.outputMap[3 * o + 1] * v + region.outputMap[3 * o + 2]
                #expect(Self.close(affine, c.outputs[3 * i + o]), "\(name): grid point \(i), output \(o): \(affine) vs \(c.outputs[3 * i + o])")
            }
        }
        #expect(unmatched == 0)
        #expect(pointsChecked > g * g * 9 / 10)

        // Counts: the grid sees at most the exact regions, and only patterns among them.
        let exact = Set(partition.regions.map { Self.spelled($0.pattern) })
        #expect(exact.count == partition.regions.count)   // a pattern's region is convex: never two
        #expect(c.patterns.count <= partition.regions.count)
        #expect(c.patterns.allSatisfy { exact.contains($0) })
        #expect(sampler.onGrid(slice, size: g) == c.patterns.count)
    }

    @Test func tooManyRegionsIsRefusedBeforeMemoryRunsOut() throws {
        let reference = try Self.reference()
        let model = try Self.model(reference.cases[0])
        let images = reference.images
        let slice = PlaneSlice.through(images[0], images[1], images[2], box: reference.box)
        #expect(throws: RegionError.self) { try RegionPartition(try PiecewiseLinearProgram(model), slice: slice, limits: .init(maxRegions: 5)) }
    }

    @Test func layersWithoutAPiecewiseLinearFormAreRefused() throws {
        let stack = LayerStack(input: Self.input, blocks: [Block([.conv2d(channels: 2, kernel: 3), .activation(.tanh), .flatten, .linear(outputs: 2)])])
        let model = try LayerNetwork<Float>(stack, seed: 0).export()
        #expect(throws: RegionError.self) { try PiecewiseLinearProgram(model) }
    }
}

/// MLPs through the general program: the same regions, in the same order, bit for bit, as the
/// MLP partition (`PiecewiseLinearNet`), with batch norm, residual layers and heads.
@Suite struct ProgramMatchesMLPPartitionTests {
    static func compare(_ model: MLP, box: [Double]) throws {
        let slice = PlaneSlice.axes(0, 1, through: [0, 0], box: box)
        let old = RegionPartition(try PiecewiseLinearNet(model), slice: slice)
        let new = try RegionPartition(try PiecewiseLinearProgram(LayerModel(model)), slice: slice)
        #expect(old.regions.count == new.regions.count && old.countsAfterLayer == new.countsAfterLayer)
        for (a, b) in zip(old.regions, new.regions) {
            #expect(a.polygon.u == b.polygon.u && a.polygon.v == b.polygon.v && a.pattern == b.pattern && a.outputMap == b.outputMap)
        }
    }

    @Test func batchNormAndResidualLayers() throws {
        let model = RegionPartitionTests.batchNormResidualMLP()
        try Self.compare(model, box: [-2, 2, -2, 2])
    }

    @Test func multiHeadOutputsAreSummed() throws {
        var a = Architecture(inputs: 2, hidden: [6, 6], outputs: 2)
        a.multiHead = true
        try Self.compare(a.build(seed: 8), box: [-1, 1, -1, 1])
    }
}
