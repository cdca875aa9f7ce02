import Foundation
import NNLinalg
import NNModel
import Testing
@testable import NNCheckpoint

/// Hostile safetensors headers (sizes that overflow, negative shapes, offsets near Int.min)
/// are one clear error naming the file, never a trap.
@Suite struct SafeTensorsTests {
    /// A safetensors file: the header JSON, then `data`.
    func file(header: String, data: [UInt8] = Array(repeating: 0, count: 16)) throws -> String {
        let url = try temporaryDirectory().appendingPathComponent("t.safetensors")
        let json = Array(header.utf8)
        var bytes = (0..<8).map { UInt8(UInt64(json.count) >> (8 * UInt64($0)) & 0xFF) }
        bytes += json + data
        try Data(bytes).write(to: url)
        return url.path
    }

    @Test func aWellFormedFileReads() throws {
        let values: [Float] = [1, -2, 3.5, 0.25]
        let data = values.flatMap { v in (0..<4).map { UInt8(v.bitPattern >> (8 * UInt32($0)) & 0xFF) } }
        let path = try file(header: #"{"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]}}"#, data: data)
        let tensors = try SafeTensors.read(path)
        #expect(tensors.count == 1 && tensors[0].shape == [2, 2] && tensors[0].values == values.map(Double.init))
    }

    @Test(arguments: [
        (#"{"w":{"dtype":"F32","shape":[2305843009213693952,4],"data_offsets":[0,16]}}"#, "more values than any file holds"),
        (#"{"w":{"dtype":"F64","shape":[1152921504606846976,2],"data_offsets":[0,16]}}"#, "more values than any file holds"),
        (#"{"w":{"dtype":"F32","shape":[-16,-4],"data_offsets":[0,16]}}"#, "a negative dimension"),
        (#"{"w":{"dtype":"F32","shape":[-1,0],"data_offsets":[0,0]}}"#, "a negative dimension"),
        (#"{"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,-9223372036854775807]}}"#, "do not hold 4 F32 values"),
        (#"{"w":{"dtype":"F32","shape":[2,2],"data_offsets":[-9223372036854775807,16]}}"#, "do not hold 4 F32 values"),
        (#"{"w":{"dtype":"F32","shape":[2,2],"data_offsets":[9223372036854775807,16]}}"#, "do not hold 4 F32 values"),
        (#"{"w":{"dtype":"F32","shape":[4,4],"data_offsets":[0,64]}}"#, "do not hold 16 F32 values in 16 data bytes"),
    ])
    func hostileHeadersAreOneError(header: String, expected: String) throws {
        let path = try file(header: header)
        let error = #expect(throws: FileFormatError.self) { try SafeTensors.read(path) }
        #expect(error?.description.hasPrefix(path) == true && error?.description.contains(expected) == true, "\(String(describing: error))")
    }

    /// A file of named float32 tensors (and int64 ones), in the given order.
    func file(tensors: [SafeTensorsImportTests.Tensor]) throws -> String {
        let url = try temporaryDirectory().appendingPathComponent("t.safetensors")
        try Data(SafeTensorsImportTests.bytes(tensors)).write(to: url)
        return url.path
    }

    /// PyTorch's `Sequential(Linear(3, 4), BatchNorm1d(4), ReLU(), Linear(4, 2))` state dict,
    /// `num_batches_tracked` included: the batch norm is imported, not dropped, and the model's
    /// evaluation-mode output is the formula computed here by hand.
    @Test func batchNormIsImportedWithItsLinearLayer() throws {
        let w0 = [0.5, -0.25, 1, 0.75, 0.1, -0.6, -1, 0.3, 0.2, 0.05, -0.4, 0.9], b0 = [0.1, -0.2, 0.3, 0]
        let gamma = [1.5, 0.5, -1, 2], beta = [0.1, 0, -0.3, 0.2], mean = [0.2, -0.1, 0.4, 0], variance = [0.5, 2, 1, 0.25]
        let w1 = [1, -1, 0.5, 0.25, -0.5, 0.75, 1, -0.2], b1 = [0.05, -0.05]
        let path = try file(tensors: [
            ("0.weight", [4, 3], w0, "F32"), ("0.bias", [4], b0, "F32"),
            ("1.weight", [4], gamma, "F32"), ("1.bias", [4], beta, "F32"),
            ("1.running_mean", [4], mean, "F32"), ("1.running_var", [4], variance, "F32"), ("1.num_batches_tracked", [], [7], "I64"),
            ("3.weight", [2, 4], w1, "F32"), ("3.bias", [2], b1, "F32"),
        ])
        let model = try SafeTensors.mlp(from: SafeTensors.read(path), activation: .relu, file: path)
        #expect(model.layers.count == 2 && model.layers[0].batchNorm?.runningVar == variance.map(Float.init))
        let x = [0.3, -0.7, 1.1]
        var none = RandomSource(seed: 0)
        let out = LayerNetwork<Double>(model).forward(x, batch: 1, training: false, dropout: &none)
        // By hand: h = relu(γ (W₀x + b₀ − μ)/√(σ² + 1e-5) + β), y = W₁h + b₁.
        let h = (0..<4).map { j -> Double in
            let z = (0..<3).reduce(b0[j]) { $0 + Double(Float(w0[j * 3 + $1])) * x[$1] }
            return max(0, Double(Float(gamma[j])) * (z - Double(Float(mean[j]))) / (Double(Float(variance[j])) + 1e-5).squareRoot() + Double(Float(beta[j])))
        }
        let y = (0..<2).map { i in (0..<4).reduce(Double(Float(b1[i]))) { $0 + Double(Float(w1[i * 4 + $1])) * h[$1] } }
        #expect(zip(out, y).allSatisfy { abs($0 - $1) < 1e-6 }, "\(out) vs \(y)")
        // A tensor of a layer nnprobe does not import is refused by name.
        let other = try file(tensors: [("0.weight", [4, 3], w0, "F32"), ("0.bias", [4], b0, "F32"), ("1.scale", [4], gamma, "F32"),
                                       ("2.weight", [2, 4], w1, "F32")])
        let error = #expect(throws: FileFormatError.self) { try SafeTensors.mlp(from: SafeTensors.read(other), activation: .relu, file: other) }
        #expect(error?.problem.hasPrefix("tensor '1.scale' is not part of a Linear or BatchNorm1d layer") == true)
    }
}
