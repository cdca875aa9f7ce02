import Foundation
import NNCheckpoint
import Testing

/// `nnprobe import` of conv nets and `nnprobe predict` end to end: what they write reads back,
/// and every bad file or flag is one line naming it, with exit status 1 and no file written.
/// (Tests/interop/test_import_torch.py compares the outputs with PyTorch's.)
@Suite struct ImportCommandTests {
    /// Runs nnprobe expecting failure: stderr, one line for a bad file (flag errors come with
    /// argument-parser's usage lines).
    func failure(_ arguments: [String], oneLine: Bool = true) throws -> String {
        let result = try runNNProbe(arguments)
        #expect(result.status != 0 && !result.terminatedBySignal)
        if oneLine { #expect(result.stderr.filter { $0 == "\n" }.count == 1, "\(result.stderr)") }
        return result.stderr
    }

    @Test func aResNetImportsAndPredicts() throws {
        let dir = try temporaryDirectory()
        let source = dir.appendingPathComponent("r.safetensors").path, out = dir.appendingPathComponent("r.h5").path
        try Data(ReaderFuzzTests.resNetSafeTensors()).write(to: URL(fileURLWithPath: source))
        let report = try JSONSerialization.jsonObject(with: Data(runNNProbe(["import", source, "--input-shape", "3,8,8", "--out", out, "--json"]).stdout.utf8)) as! [String: Any]
        #expect(report["kind"] as? String == "resnet" && report["format"] as? Int == 2 && report["input_shape"] as? [Int] == [3, 8, 8])
        // conv1, layer1.0.conv1/conv2, layer2.0.conv1/conv2, downsample.0, fc as [out, in].
        #expect(report["layers"] as? [[Int]] == [[2, 3], [2, 2], [2, 2], [4, 2], [4, 4], [4, 2], [3, 4]])
        // conv1 294, bn1 4, layer1.0 2 × (36 + 4), layer2.0 72 + 8 + 144 + 8, downsample 8 + 8, fc 12 + 3.
        #expect(report["parameter_count"] as? Int == 294 + 4 + 80 + 232 + 16 + 15)
        // Inputs written by nnprobe's own HDF5 writer, N × C × H × W; then flattened, which reads the same.
        let inputs = dir.appendingPathComponent("x.h5").path
        let values = (0..<(2 * 192)).map { Float($0 % 13) / 13 - 0.5 }
        try HDF5File.createAtomically(inputs) { root in
            try root.writeDataset("images", values, shape: [2, 3, 8, 8])
            try root.writeDataset("flat", values, shape: [2, 192])
        }
        var outputs: [[Float]] = []
        for dataset in ["images", "flat"] {
            let predictions = dir.appendingPathComponent("\(dataset).h5").path
            let result = try runNNProbe(["predict", out, "--inputs", inputs, "--dataset", dataset, "--out", predictions])
            #expect(result.status == 0 && result.stdout == "wrote \(predictions): 2 × 3 outputs of \(out)\n", "\(result.stderr)")
            let (shape, read) = try HDF5File.openForReading(predictions).dataset("outputs").readWithShape(as: Float.self)
            #expect(shape == [2, 3] && read.allSatisfy(\.isFinite))
            outputs.append(read)
        }
        #expect(outputs[0] == outputs[1] && outputs[0][0..<3] != outputs[0][3..<6])
        #expect(try failure(["predict", out, "--inputs", inputs, "--dataset", "absent", "--out", dir.appendingPathComponent("p.h5").path])
                == "nnprobe: error: \(inputs): no dataset 'absent' (name it with --dataset)\n")
        try HDF5File.createAtomically(inputs) { root in try root.writeDataset("inputs", values, shape: [8, 3, 4, 4]) }
        #expect(try failure(["predict", out, "--inputs", inputs, "--out", dir.appendingPathComponent("p.h5").path])
                == "nnprobe: error: \(inputs): dataset 'inputs' has shape [8, 3, 4, 4]; the model takes N × 3 × 8 × 8 (or N × 192 flattened)\n")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("p.h5").path))
    }

    @Test func badImportsAreOneLine() throws {
        let dir = try temporaryDirectory()
        let resNet = dir.appendingPathComponent("r.safetensors").path, sequential = dir.appendingPathComponent("s.safetensors").path
        try Data(ReaderFuzzTests.resNetSafeTensors()).write(to: URL(fileURLWithPath: resNet))
        try Data(ReaderFuzzTests.sequentialSafeTensors()).write(to: URL(fileURLWithPath: sequential))
        let out = dir.appendingPathComponent("x.h5").path
        #expect(try failure(["import", resNet, "--input-shape", "1,8,8", "--out", out])
                == "nnprobe: error: \(resNet): tensor 'conv1.weight' has shape [2, 3, 7, 7]; block0.main.0 (conv2d on 1×8×8) needs [2, 1, 7, 7]\n")
        #expect(try failure(["import", sequential, "--layers", ReaderFuzzTests.sequentialLayers.replacingOccurrences(of: "linear:3", with: "linear:4"),
                             "--input-shape", "1,4,4", "--out", out])
                == "nnprobe: error: \(sequential): tensor '4.weight' has shape [3, 8]; block1.main.0 (linear on 8) needs [4, 8]\n")
        #expect(try failure(["import", sequential, "--layers", "conv2d:2:3,batchnorm,softmax", "--input-shape", "1,4,4", "--out", out], oneLine: false)
                .contains("--layers: item 3 'softmax': unknown layer 'softmax'"))
        #expect(try failure(["import", sequential, "--layers", ReaderFuzzTests.sequentialLayers, "--out", out], oneLine: false).contains("--layers needs --input-shape"))
        #expect(try failure(["import", sequential, "--layers", ReaderFuzzTests.sequentialLayers, "--input-shape", "1,0,4", "--out", out], oneLine: false)
                .contains("--input-shape"))
        // Without --layers the Sequential's file is read as an MLP, which its 4-D conv weight is not.
        #expect(try failure(["import", sequential, "--input-shape", "1,4,4", "--out", out])
                == "nnprobe: error: \(sequential): --input-shape is for ResNets and --layers; this file is read as an MLP, whose input width is its first weight's\n")
        #expect(!FileManager.default.fileExists(atPath: out))
        let ok = try runNNProbe(["import", sequential, "--layers", ReaderFuzzTests.sequentialLayers, "--input-shape", "1,4,4", "--out", out])
        #expect(ok.status == 0 && ok.stdout == "wrote \(out): an nn.Sequential of 2 conv/linear layers on 1×4×4 inputs, 51 parameters (checkpoint format 2)\n",
                "\(ok.stderr)")
    }
}
