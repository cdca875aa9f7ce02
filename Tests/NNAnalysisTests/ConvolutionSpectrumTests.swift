import Foundation
import NNLinalg
import Testing
@testable import NNAnalysis

/// Every value within `tolerance` · max(expected) of the expected one, same count.
func matches(_ values: [Double], _ expected: [Double], _ tolerance: Double, _ what: String) {
    #expect(values.count == expected.count, "\(what): \(values.count) values, expected \(expected.count)")
    let scale = expected.first ?? 1
    let worst = zip(values, expected).map { abs($0 - $1) }.max() ?? 0
    #expect(worst <= tolerance * scale, "\(what): off by \(worst) (scale \(scale))")
}

@Suite struct ConvolutionSpectrumTests {
    /// All three views against numpy's SVD of the unrolled operator (built by PyTorch's conv2d),
    /// of the reshaped weight and of the per-position matrices, to 1e-10 of the largest value (the
    /// issue asks 1e-8; measured: within 1e-14).
    @Test(arguments: ConvolutionCase.all)
    func viewsMatchTheUnrolledOperatorAndTheReshapedWeights(c: ConvolutionCase) throws {
        let spectra = try ConvolutionSpectra(kernel: c.kernel, layout: c.layout)
        let op = try #require(spectra[.linearOperator]), exact = try #require(spectra.linearOperator)
        #expect(spectra.caveats.map(\.rawValue) == c.json["caveats"] as! [String])
        #expect(exact.isExact == spectra.caveats.isEmpty)
        #expect(op.rows == c.json["rows"] as! Int && op.cols == c.json["cols"] as! Int, "operator shape \(op.rows) × \(op.cols)")
        matches(op.singularValues, c["singular_values"], 1e-10, "operator")
        #expect(op.numericalRank == c.json["numerical_rank"] as! Int, "numerical rank \(op.numericalRank)")
        matches(spectra[.flattened]!.singularValues, c["flattened"], 1e-10, "flattened")
        matches(spectra[.pooledPositions]!.singularValues, c["pooled_positions"], 1e-10, "pooled positions")
        #expect(spectra[.flattened]!.rows == c.kernel.outChannels && spectra[.flattened]!.cols == c.kernel.flattened.cols)
        #expect(spectra[.pooledPositions]!.singularValues.count
                == c.kernel.height * c.kernel.width * min(c.kernel.outChannels, c.kernel.inChannels))
        // The parallel and serial paths decompose the same matrices.
        #expect(try ConvolutionSpectrum(kernel: c.kernel, layout: c.layout, parallel: false).singularValues == op.singularValues)
    }

    /// Where a caveat is reported, the layer's own values (its unrolled zero-padded or strided
    /// operator) really differ; with circular padding, the stride-1 values bound the strided ones.
    @Test(arguments: ConvolutionCase.all.filter { !($0.json["caveats"] as! [String]).isEmpty })
    func caveatsMarkValuesThatAreNotTheLayers(c: ConvolutionCase) throws {
        let ours = try ConvolutionSpectrum(kernel: c.kernel, layout: c.layout).singularValues
        let layer = c["layer_singular_values"]
        let gap = zip(ours, layer).map { abs($0 - $1) }.max()!
        #expect(gap > 1e-3 * ours[0] || ours.count != layer.count, "the caveat changes nothing: gap \(gap)")
        if c.layout.padding == .circular {
            for (i, value) in layer.enumerated() { #expect(value <= ours[i] + 1e-12, "σ\(i) of the strided layer \(value) > \(ours[i])") }
        }
    }

    @Test func frequencyResponseIsNumpysFFT2() throws {
        let f = ConvolutionCase.reference["fourier"] as! [String: Any]
        let c = ConvolutionCase.all[f["case"] as! Int]
        let response = c.kernel.frequencyResponse(u: f["u"] as! Int, v: f["v"] as! Int,
                                                  gridHeight: c.layout.inputHeight, gridWidth: c.layout.inputWidth)
        let (re, im) = (doubles(f["real"]), doubles(f["imag"]))
        for k in 0..<re.count {
            #expect(abs(response.storage[2 * k] - re[k]) < 1e-13 && abs(response.storage[2 * k + 1] - im[k]) < 1e-13)
        }
    }

    /// The bench layer (64 → 64, 3×3, 32×32: 65,536 values) against numpy's fft2 + batched SVD
    /// over all 1,024 frequencies: every 64th value and the last 8, to 1e-10 of the largest value.
    @Test func largeLayerMatchesNumpysFFTMethod() throws {
        let ref = ConvolutionCase.reference["large"] as! [String: Any]
        let kernel = lcgKernel(outChannels: 64, inChannels: 64, height: 3, width: 3, seed: UInt32(ref["seed"] as! Int))
        let s = try ConvolutionSpectrum(kernel: kernel, layout: ConvolutionLayout(inputHeight: 32, inputWidth: 32, padding: .circular))
        #expect(s.singularValues.count == ref["count"] as! Int && s.isExact)
        let every = ref["every"] as! Int
        matches(stride(from: 0, to: s.singularValues.count, by: every).map { s.singularValues[$0] }, doubles(ref["sampled"]), 1e-10, "sampled")
        matches(Array(s.singularValues.suffix(8)), doubles(ref["last"]), 1e-10 * doubles(ref["sampled"])[0] / doubles(ref["last"])[0], "last 8")
    }

    @Test func polyphaseKernelRegroupsTheTaps() {
        // One input channel, 3×3 kernel, stride 2: sub-grid (β, γ) gets taps K[2α + β, 2α′ + γ].
        let k = ConvolutionKernel(outChannels: 1, inChannels: 1, height: 3, width: 3, weights: (1...9).map(Double.init))
        let p = k.polyphase(stride: 2)
        #expect(p.shape == [1, 4, 2, 2])
        #expect(p.weights == [1, 3, 7, 9, /* β=0,γ=1 */ 2, 0, 8, 0, /* β=1,γ=0 */ 4, 6, 0, 0, /* β=1,γ=1 */ 5, 0, 0, 0])
        #expect(k.polyphase(stride: 1) == k)
        // A stride past the kernel: sub-grids no tap reaches are left out.
        #expect(k.polyphase(stride: 4).shape == [1, 9, 1, 1] && k.polyphase(stride: 4).weights == (1...9).map(Double.init))
    }

    @Test func exactnessFollowsPaddingAndStride() throws {
        let k3 = lcgKernel(outChannels: 2, inChannels: 2, height: 3, width: 3, seed: 1)
        let k1 = lcgKernel(outChannels: 2, inChannels: 2, height: 1, width: 1, seed: 1)
        func caveats(_ k: ConvolutionKernel, _ h: Int, _ w: Int, _ s: Int, _ p: ConvolutionPadding) throws -> [String] {
            try ConvolutionSpectrum(kernel: k, layout: ConvolutionLayout(inputHeight: h, inputWidth: w, stride: s, padding: p)).caveats.map(\.rawValue)
        }
        #expect(try caveats(k3, 8, 8, 1, .circular) == [])
        #expect(try caveats(k3, 8, 8, 2, .circular) == [])
        #expect(try caveats(k3, 8, 7, 2, .circular) == ["stride-ignored"])
        #expect(try caveats(k1, 5, 5, 1, .zeros(0)) == [])
        #expect(try caveats(k1, 5, 5, 1, .zeros(1)) == ["circular-approximation-of-zero-padding"])
        #expect(try caveats(k3, 9, 9, 2, .zeros(1)) == ["circular-approximation-of-zero-padding", "stride-ignored"])
    }

    @Test func badLayoutsAndWeightsAreRefusedInOneLine() {
        let k = lcgKernel(outChannels: 2, inChannels: 3, height: 5, width: 5, seed: 3)
        func message(_ layout: ConvolutionLayout, _ kernel: ConvolutionKernel? = nil) -> String {
            do { _ = try ConvolutionSpectra(kernel: kernel ?? k, layout: layout); return "" } catch { return "\(error)" }
        }
        #expect(message(ConvolutionLayout(inputHeight: 0, inputWidth: 4, padding: .circular)) == "the input grid 0×4 is empty")
        #expect(message(ConvolutionLayout(inputHeight: 4, inputWidth: 4, stride: 0, padding: .circular)) == "the stride 0 must be at least 1")
        #expect(message(ConvolutionLayout(inputHeight: 4, inputWidth: 4, padding: .zeros(-1))) == "the padding -1 must not be negative")
        #expect(message(ConvolutionLayout(inputHeight: 3, inputWidth: 8, padding: .zeros(0)))
                == "a 5×5 kernel does not fit a 3×8 input padded by 0")
        #expect(message(ConvolutionLayout(inputHeight: 10_000, inputWidth: 10_000, padding: .circular))
                == "a 2×3×5×5 kernel on a 10000×10000 input has 200000000 singular values, more than 50000000")
        #expect(message(ConvolutionLayout(inputHeight: 10_000_000, inputWidth: 10_000_000, padding: .circular))
                == "the input grid 10000000×10000000 is too large")
        // Extreme flags neither trap nor allocate: they are caveats, not arithmetic overflows.
        #expect(message(ConvolutionLayout(inputHeight: 4, inputWidth: 4, stride: .max, padding: .zeros(.max))) == "")
        var weights = k.weights
        weights[7] = .infinity
        let bad = ConvolutionKernel(outChannels: 2, inChannels: 3, height: 5, width: 5, weights: weights)
        #expect(message(ConvolutionLayout(inputHeight: 4, inputWidth: 4, padding: .circular), bad)
                == "a matrix has 1 infinite value (2 × 75 matrix); its spectrum is undefined")
    }
}
