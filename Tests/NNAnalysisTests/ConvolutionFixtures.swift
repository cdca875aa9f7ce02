import Foundation
import NNAnalysis

/// The cases of Fixtures/convolution_reference.json (made by make_convolution_fixtures.py with
/// numpy and PyTorch): kernels, layouts and the singular values of the unrolled operators.
struct ConvolutionCase: @unchecked Sendable, CustomStringConvertible {  // immutable after loading
    let name: String
    let kernel: ConvolutionKernel
    let layout: ConvolutionLayout
    let json: [String: Any]

    nonisolated(unsafe) static let reference: [String: Any] = {  // immutable after loading
        let url = Bundle.module.url(forResource: "Fixtures/convolution_reference", withExtension: "json")!
        return try! JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
    }()

    static let all: [ConvolutionCase] = (reference["cases"] as! [[String: Any]]).map { c in
        let shape = c["shape"] as! [Int]
        let kernel = ConvolutionKernel(outChannels: shape[0], inChannels: shape[1], height: shape[2], width: shape[3],
                                       weights: doubles(c["weights"]))
        let padding: ConvolutionPadding = (c["padding"] as? String) == "circular" ? .circular : .zeros(c["padding"] as! Int)
        let layout = ConvolutionLayout(inputHeight: c["height"] as! Int, inputWidth: c["width"] as! Int,
                                       stride: c["stride"] as! Int, padding: padding)
        return ConvolutionCase(name: c["name"] as! String, kernel: kernel, layout: layout, json: c)
    }

    subscript(_ key: String) -> [Double] { doubles(json[key]) }
    var description: String { name }
}

/// The kernel the fixture script and the bench build from a 32-bit LCG: x ← 1664525·x + 1013904223
/// (mod 2³²), weight = (x >> 8)/2²⁴ − ½, exactly representable, so both sides hold the same weights.
func lcgKernel(outChannels: Int, inChannels: Int, height: Int, width: Int, seed: UInt32) -> ConvolutionKernel {
    var x = seed
    let weights = (0..<(outChannels * inChannels * height * width)).map { _ -> Double in
        x = x &* 1664525 &+ 1013904223
        return Double(x >> 8) / 16_777_216 - 0.5
    }
    return ConvolutionKernel(outChannels: outChannels, inChannels: inChannels, height: height, width: width, weights: weights)
}
