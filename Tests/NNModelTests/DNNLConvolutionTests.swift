import Foundation
import NNLinalg
import Testing
@testable import NNModel

/// oneDNN's whole-batch convolutions against the im2col + GEMM kernels (Float, one image at a
/// time), in both layouts; a Float conv net on oneDNN against the same net in Double on im2col;
/// and oneDNN against PyTorch's conv2d and its autograd (Fixtures/make_conv_fixtures.py).
@Suite struct DNNLConvolutionTests {
    struct Case: CustomStringConvertible, Sendable {
        let batch: Int, geometry: ConvGeometry, outChannels: Int, bias: Bool
        var description: String {
            let g = geometry
            return "\(batch)×\(g.channels)×\(g.height)×\(g.width) → \(outChannels) k\(g.kernelHeight) s\(g.stride) p\(g.padding)"
                + (bias ? " bias" : "")
        }
    }

    static let cases: [Case] = [
        Case(batch: 7, geometry: ConvGeometry(channels: 3, height: 9, width: 7, kernel: 3, stride: 1, padding: 1), outChannels: 5, bias: true),
        Case(batch: 1, geometry: ConvGeometry(channels: 16, height: 11, width: 11, kernel: 3, stride: 2, padding: 1), outChannels: 32, bias: false),
        Case(batch: 7, geometry: ConvGeometry(channels: 16, height: 8, width: 8, kernel: 1, stride: 2, padding: 0), outChannels: 32, bias: false),
        Case(batch: 7, geometry: ConvGeometry(channels: 1, height: 13, width: 13, kernel: 5, stride: 1, padding: 0), outChannels: 16, bias: true),
        Case(batch: 1, geometry: ConvGeometry(channels: 17, height: 7, width: 5, kernel: 3, stride: 2, padding: 0), outChannels: 9, bias: true),
        Case(batch: 7, geometry: ConvGeometry(channels: 32, height: 6, width: 6, kernel: 3, stride: 1, padding: 1), outChannels: 64, bias: true),
    ]

    static func floats(_ count: Int, seed: UInt64) -> [Float] { ConvKernelTests.values(count, seed: seed).map(Float.init) }

    /// max |a − b| over max(1, max |b|).
    static func difference(_ a: [Float], _ b: [Float]) -> Double {
        let scale = max(1, b.map { abs(Double($0)) }.max() ?? 0)
        return zip(a, b).map { abs(Double($0) - Double($1)) }.max()! / scale
    }

    @Test(arguments: cases, DNNLConvolution.Layout.allCases)
    func passesMatchTheIm2colKernels(testCase: Case, layout: DNNLConvolution.Layout) throws {
        let (n, g, cout) = (testCase.batch, testCase.geometry, testCase.outChannels)
        let (inCount, outCount) = (g.inputCount, cout * g.positions)
        let x = Self.floats(n * inCount, seed: 1), w = Self.floats(cout * g.patchSize, seed: 2)
        let b = testCase.bias ? Self.floats(cout, seed: 3) : nil, dOut = Self.floats(n * outCount, seed: 4)
        // Gradients start non-zero: both sides add into them.
        let dx0 = Self.floats(n * inCount, seed: 5), dW0 = Self.floats(w.count, seed: 6), db0 = Self.floats(cout, seed: 7)

        var cols = [Float](repeating: 0, count: g.patchSize * g.positions), dCols = cols
        var out = [Float](repeating: 0, count: n * outCount), dx = dx0, dW = dW0, db = db0
        for i in 0..<n {
            out.withUnsafeMutableBufferPointer { o in
                conv2dForward(out: o.baseAddress! + i * outCount, x: x.withUnsafeBufferPointer { $0.baseAddress! + i * inCount },
                              w: w, b: b, cols: &cols, g: g, outChannels: cout)
            }
            dx.withUnsafeMutableBufferPointer { dxp in
                db.withUnsafeMutableBufferPointer { dbp in
                    conv2dBackward(dW: &dW, db: testCase.bias ? dbp.baseAddress! : nil, dx: dxp.baseAddress! + i * inCount,
                                   dOut: dOut.withUnsafeBufferPointer { $0.baseAddress! + i * outCount },
                                   x: x.withUnsafeBufferPointer { $0.baseAddress! + i * inCount }, w: w,
                                   cols: &cols, dCols: &dCols, g: g, outChannels: cout)
                }
            }
        }

        let convolution = try DNNLConvolution(batch: n, geometry: g, outChannels: cout, bias: testCase.bias, layout: layout)
        var dnnlOut = [Float](repeating: .nan, count: n * outCount), dnnlDx = dx0, dnnlDW = dW0, dnnlDb = db0
        try convolution.forward(out: &dnnlOut, x: x, w: w, b: b)
        try convolution.backwardData(dx: &dnnlDx, dOut: dOut, w: w)
        try dnnlDb.withUnsafeMutableBufferPointer { dbp in
            try convolution.backwardWeights(dW: &dnnlDW, db: testCase.bias ? dbp.baseAddress! : nil, dOut: dOut, x: x)
        }
        #expect(Self.difference(dnnlOut, out) < 1e-5, "forward, \(convolution.implementations)")
        #expect(Self.difference(dnnlDx, dx) < 1e-5, "backward data, \(convolution.implementations)")
        #expect(Self.difference(dnnlDW, dW) < 1e-5, "backward weights, \(convolution.implementations)")
        #expect(Self.difference(dnnlDb, db) < 1e-5, "bias gradient")
        // A second step on the same primitives adds again; given other buffers than the last
        // forward's x and backward-data's dOut (with the same values), backward-weights
        // reorders them itself rather than reusing its copies.
        try convolution.backwardData(dx: &dnnlDx, dOut: dOut, w: w)
        #expect(Self.difference(dnnlDx, zip(dx, dx0).map { 2 * $0 - $1 }) < 1e-5)
        let (xCopy, dOutCopy) = (x.map { $0 }, dOut.map { $0 })
        try dnnlDb.withUnsafeMutableBufferPointer { dbp in
            try convolution.backwardWeights(dW: &dnnlDW, db: testCase.bias ? dbp.baseAddress! : nil, dOut: dOutCopy, x: xCopy)
        }
        #expect(Self.difference(dnnlDW, zip(dW, dW0).map { 2 * $0 - $1 }) < 1e-5, "backward weights, again")
        // Replacing: dx = the input gradient alone.
        try convolution.backwardData(dx: &dnnlDx, dOut: dOut, w: w, replacing: true)
        #expect(Self.difference(dnnlDx, zip(dx, dx0).map { $0 - $1 }) < 1e-5, "backward data, replacing")
    }

    /// PyTorch's conv2d and autograd on fixed tensors (Fixtures/make_conv_fixtures.py).
    @Test(arguments: DNNLConvolution.Layout.allCases)
    func passesMatchPyTorch(layout: DNNLConvolution.Layout) throws {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/conv2d_reference", withExtension: "json"))
        let root = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let cases = try #require(root["cases"] as? [[String: Any]])
        #expect(cases.count == 4)
        for c in cases {
            func int(_ key: String) throws -> Int { try #require(c[key] as? Int, "\(key)") }
            func floats(_ key: String) -> [Float]? { (c[key] as? [Double])?.map(Float.init) }
            let name = c["name"] as? String ?? "?"
            let g = ConvGeometry(channels: try int("channels"), height: try int("height"), width: try int("width"),
                                 kernel: try int("kernel"), stride: try int("stride"), padding: try int("padding"))
            let (n, cout) = (try int("batch"), try int("out_channels"))
            let x = try #require(floats("x")), w = try #require(floats("weight")), b = floats("bias")
            let dOut = try #require(floats("output_gradient"))
            let convolution = try DNNLConvolution(batch: n, geometry: g, outChannels: cout, bias: b != nil, layout: layout)
            var out = [Float](repeating: .nan, count: n * cout * g.positions)
            var dx = [Float](repeating: 0, count: x.count), dW = [Float](repeating: 0, count: w.count)
            var db = [Float](repeating: 0, count: cout)
            try convolution.forward(out: &out, x: x, w: w, b: b)
            try convolution.backwardData(dx: &dx, dOut: dOut, w: w)
            try db.withUnsafeMutableBufferPointer { dbp in
                try convolution.backwardWeights(dW: &dW, db: b != nil ? dbp.baseAddress! : nil, dOut: dOut, x: x)
            }
            #expect(out.count == (floats("output")?.count ?? 0))
            #expect(Self.difference(out, try #require(floats("output"))) < 1e-5, "\(name): output")
            #expect(Self.difference(dx, try #require(floats("x_gradient"))) < 1e-5, "\(name): x gradient")
            #expect(Self.difference(dW, try #require(floats("weight_gradient"))) < 1e-5, "\(name): weight gradient")
            if let expected = floats("bias_gradient") { #expect(Self.difference(db, expected) < 1e-5, "\(name): bias gradient") }
        }
    }

    /// A conv net with batch norm, residual blocks (a strided one with a 1×1 projection), a
    /// biased convolution, max pooling and a linear read-out: gradients of the Float network on
    /// oneDNN equal those of the same weights in Double on im2col + GEMM (which the
    /// finite-difference checks in LayerNetworkTests vouch for).
    @Test(arguments: DNNLConvolution.Layout.allCases)
    func floatNetworkOnDNNLMatchesDoubleOnIm2col(layout: DNNLConvolution.Layout) throws {
        let stack = LayerStack(input: FeatureShape(channels: 3, height: 9, width: 9), blocks: [
            Block([.conv2d(channels: 8, kernel: 3, padding: 1, bias: false), .batchNorm, .activation(.relu)]),
            .basic(from: 8, to: 8),
            .basic(from: 8, to: 16, stride: 2),
            Block([.conv2d(channels: 12, kernel: 1), .activation(.relu), .maxPool(kernel: 2, stride: 2), .flatten, .linear(outputs: 4)]),
        ])
        let batch = 5
        let single = try LayerNetwork<Float>(stack, seed: 3), double = try LayerNetwork<Double>(stack, seed: 3)
        single.convolutionBackend = .dnnl(layout)
        double.parameters = single.parameters.map(Double.init)
        let x = Self.floats(batch * stack.input.count, seed: 11), r = Self.floats(batch * 4, seed: 12)
        var masks = RandomSource(seed: 0), sameMasks = RandomSource(seed: 0)
        let out = single.forward(x, batch: batch, training: true, dropout: &masks)
        let reference = double.forward(x.map(Double.init), batch: batch, training: true, dropout: &sameMasks)
        #expect(Self.difference(out, reference.map(Float.init)) < 1e-5, "outputs")
        single.backward(r)
        double.backward(r.map(Double.init))
        #expect(single.convolutionNotes.isEmpty, "\(single.convolutionNotes)")
        let convolutions = single.workspace.convolutions.values.compactMap { try? $0.get() }
        #expect(convolutions.count == 7 && convolutions.allSatisfy { $0.layout == layout })
        for tensor in single.tensors {
            let range = tensor.offset..<(tensor.offset + tensor.count)
            #expect(Self.difference(Array(single.gradients[range]), double.gradients[range].map(Float.init)) < 1e-4,
                    "\(tensor.name)")
        }
        #expect(Self.difference(single.inputGradient, double.inputGradient.map(Float.init)) < 1e-4, "input gradient")
        // The same parameter gradients without the input gradient; that stays zero.
        single.computesInputGradient = false
        let withInput = single.gradients
        single.zeroGradients()
        _ = single.forward(x, batch: batch, training: true, dropout: &masks)
        single.backward(r)
        #expect(single.gradients == withInput)
        #expect(single.inputGradient.allSatisfy { $0 == 0 })
    }

    static let poolings: [(batch: Int, geometry: ConvGeometry)] = [
        (7, ConvGeometry(channels: 3, height: 8, width: 8, kernel: 2, stride: 2)),
        (7, ConvGeometry(channels: 5, height: 9, width: 7, kernel: 3, stride: 2, padding: 1)),
        (1, ConvGeometry(channels: 16, height: 7, width: 9, kernel: 3, stride: 1, padding: 1)),
        (3, ConvGeometry(channels: 4, height: 11, width: 11, kernel: 2, stride: 2)),
    ]

    /// oneDNN's max pooling against the engine's kernels, forward and backward (which adds, or
    /// replaces when asked), on values without ties.
    @Test(arguments: poolings.indices)
    func maxPoolingMatchesTheKernels(index: Int) throws {
        let (n, g) = Self.poolings[index]
        let (inCount, outCount) = (g.inputCount, g.channels * g.positions)
        let x = Self.floats(n * inCount, seed: 21), dOut = Self.floats(n * outCount, seed: 22), dx0 = Self.floats(n * inCount, seed: 23)
        var out = [Float](repeating: 0, count: n * outCount), argmax = [Int32](repeating: 0, count: n * outCount), dx = dx0
        for i in 0..<n {
            out.withUnsafeMutableBufferPointer { o in
                argmax.withUnsafeMutableBufferPointer { a in
                    maxPoolForward(out: o.baseAddress! + i * outCount, argmax: a.baseAddress! + i * outCount,
                                   x: x.withUnsafeBufferPointer { $0.baseAddress! + i * inCount }, g: g)
                    dx.withUnsafeMutableBufferPointer { d in
                        maxPoolBackward(dx: d.baseAddress! + i * inCount, dOut: dOut.withUnsafeBufferPointer { $0.baseAddress! + i * outCount },
                                        argmax: a.baseAddress! + i * outCount, outputs: outCount)
                    }
                }
            }
        }
        let pooling = try DNNLMaxPooling(batch: n, geometry: g)
        var dnnlOut = [Float](repeating: .nan, count: out.count), dnnlDx = dx0
        try pooling.forward(out: &dnnlOut, x: x)
        try pooling.backward(dx: &dnnlDx, dOut: dOut)
        #expect(dnnlOut == out, "forward, \(pooling.implementations)")
        #expect(Self.difference(dnnlDx, dx) < 1e-6, "backward, \(pooling.implementations)")
        try pooling.backward(dx: &dnnlDx, dOut: dOut, replacing: true)
        #expect(Self.difference(dnnlDx, zip(dx, dx0).map { $0 - $1 }) < 1e-6, "backward replacing")
    }
}

