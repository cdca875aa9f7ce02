import Foundation
import NNCheckpoint
import NNModel
import Testing

/// `nnprobe svd` on conv checkpoints (issue 13): the three views of each conv layer against
/// numpy (NNAnalysisTests/Fixtures/convolution_reference.json, made by make_convolution_fixtures.py
/// from the unrolled operators), layers by name and block, the table's views and caveats, the
/// figure, byte-identical JSON, and bad flags in one line.
@Suite struct SVDConvCommandTests {
    nonisolated(unsafe) static let reference = try! JSONSerialization.jsonObject(  // read-only after loading
        with: Data(contentsOf: URL(fileURLWithPath: analysisFixture("convolution_reference.json")))) as! [String: Any]

    static func fixtureCase(_ name: String) -> [String: Any] {
        (reference["cases"] as! [[String: Any]]).first { $0["name"] as? String == name }!
    }

    static func doubles(_ value: Any?) -> [Double] { (value as! [NSNumber]).map(\.doubleValue) }

    /// A checkpoint of one conv layer holding fixture case `c`'s kernel (circular cases stored
    /// with padding (k − 1)/2), then flatten and a linear read-out of 2.
    static func writeCheckpoint(of c: [String: Any], to path: String) throws {
        let shape = c["shape"] as! [Int]
        let k = shape[2]
        let stack = LayerStack(input: FeatureShape(channels: shape[1], height: c["height"] as! Int, width: c["width"] as! Int), blocks: [
            Block([.conv2d(channels: shape[0], kernel: k, stride: c["stride"] as! Int, padding: c["padding"] as? Int ?? (k - 1) / 2,
                           bias: false), .flatten]),
            Block([.linear(outputs: 2)]),
        ])
        var model = try LayerNetwork<Float>(stack, seed: 1).export()
        let weights = doubles(c["weights"])
        model.parameters.replaceSubrange(0..<weights.count, with: weights.map { Float($0) })   // exact: multiples of 2⁻²⁴
        try Checkpoint(task: "images", seed: 0, config: "{}", model: model).write(to: path)
    }

    /// A ResNet ([1, 1], width 4) on 1 × 12 × 12, seeded, as `train --arch resnet` lays it out.
    static func writeResNet(to path: String) throws {
        var settings = ModelSettings()
        (settings.arch, settings.blocks, settings.baseWidth) = (.resnet, [1, 1], 4)
        let model = try Architecture(inputs: 144, outputs: 3, settings: settings, inputShape: FeatureShape(channels: 1, height: 12, width: 12))
            .model(seed: 5)
        try Checkpoint(task: "images", seed: 5, config: "{}", model: model).write(to: path)
    }

    func layers(_ result: CLIResult) throws -> [[String: Any]] {
        let files = try json(result)["files"] as! [[String: Any]]
        return files[0]["layers"] as! [[String: Any]]
    }

    func expectClose(_ got: Any?, _ want: Any?, _ what: String) {
        let (g, w) = (Self.doubles(got), Self.doubles(want))
        #expect(g.count == w.count, "\(what): \(g.count) values, \(w.count) expected")
        let worst = zip(g, w).map { abs($0 - $1) }.max() ?? 0
        #expect(worst <= 1e-10 * w[0], "\(what): off by \(worst)")
    }

    @Test(arguments: [("3x3 zeros(1) stride 2 on 7x6, 2 from 3", false), ("5x5 stride 3, 2 from 2, 6x9", true),
                      ("1x1 stride 2 (a shortcut that skips 3/4 of the input), 6 from 2, 4x6", false)])
    func everyViewMatchesNumpy(name: String, circular: Bool) throws {
        let c = Self.fixtureCase(name)
        let path = try temporaryDirectory().appendingPathComponent("conv.h5").path
        try Self.writeCheckpoint(of: c, to: path)
        let entries = try layers(runNNProbe(["svd", path, "--view", "all", "--json"] + (circular ? ["--circular"] : [])))
        #expect(entries.map { $0["name"] as! String } == ["block0.main.0", "block0.main.0", "block0.main.0", "block1.main.0"])
        #expect(entries.map { $0["view"] as? String } == ["operator", "flattened", "pooled-positions", nil])
        let (op, flat, pooled) = (entries[0], entries[1], entries[2])
        expectClose(op["singular_values"], c["singular_values"], "\(name) operator")
        expectClose(flat["singular_values"], c["flattened"], "\(name) flattened")
        expectClose(pooled["singular_values"], c["pooled_positions"], "\(name) pooled positions")
        #expect(op["shape"] as! [Int] == [c["rows"] as! Int, c["cols"] as! Int])
        #expect(op["caveats"] as! [String] == c["caveats"] as! [String] && op["exact"] as! Bool == (c["caveats"] as! [String]).isEmpty)
        #expect(op["padding_mode"] as! String == (circular ? "circular" : "zeros") && op["kernel"] as! [Int] == c["shape"] as! [Int])
        #expect(flat["exact"] as! Bool && flat["caveats"] as! [String] == [] && flat["frequency_grid"] is NSNull)
        let stride = c["stride"] as! Int, (h, w) = (c["height"] as! Int, c["width"] as! Int)
        let divides = h % stride == 0 && w % stride == 0
        #expect(op["frequency_grid"] as! [Int] == (divides ? [h / stride, w / stride] : [h, w]))
    }

    @Test func resNetByNameAndBlockWithTableFigureAndTwiceTheSameJSON() throws {
        let dir = try temporaryDirectory()
        let path = dir.appendingPathComponent("resnet.h5").path
        try Self.writeResNet(to: path)
        // Default: the operator view of every conv layer on the size it sees; the read-out as a matrix.
        let first = try runNNProbe(["svd", path, "--json"])
        #expect(try runNNProbe(["svd", path, "--json"]).stdout == first.stdout)
        let all = try layers(first)
        #expect(all.map { $0["name"] as! String } == ["block0.main.0", "block1.main.0", "block1.main.3", "block2.main.0", "block2.main.3",
                                                      "block2.shortcut.0", "block3.main.1"])
        #expect(all.map { $0["view"] as? String } == ["operator", "operator", "operator", "operator", "operator", "operator", nil])
        #expect(all.map { $0["input_size"] as? [Int] } == [[12, 12], [12, 12], [12, 12], [12, 12], [6, 6], [12, 12], nil])
        #expect(all[3]["shape"] as! [Int] == [8 * 36, 4 * 144] && all[3]["frequency_grid"] as! [Int] == [6, 6])
        #expect(all[3]["caveats"] as! [String] == ["circular-approximation-of-zero-padding"] && all[5]["exact"] as! Bool)
        // A block's conv layers, and one by name.
        let block = try layers(runNNProbe(["svd", path, "--layer", "block2", "--view", "flattened", "--json"]))
        #expect(block.map { $0["name"] as! String } == ["block2.main.0", "block2.main.3", "block2.shortcut.0"])
        #expect(block.map { $0["shape"] as! [Int] } == [[8, 36], [8, 72], [8, 4]])
        let one = try layers(runNNProbe(["svd", path, "--layer", "block1.main.3", "--input-size", "20,16", "--circular", "--json"]))
        #expect(one.count == 1 && one[0]["input_size"] as! [Int] == [20, 16] && one[0]["exact"] as! Bool)
        #expect((one[0]["singular_values"] as! [Any]).count == 4 * 20 * 16)
        // The table: a view column, caveated rows marked, the caveat explained once below.
        let text = try runNNProbe(["svd", path, "--view", "all", "--plot", dir.appendingPathComponent("svd.svg").path])
        #expect(text.status == 0, "\(text.stderr)")
        let lines = text.stdout.split(separator: "\n").map(String.init)
        #expect(lines[1].hasPrefix("layer") && lines[1].contains("  view  "))
        #expect(lines.contains { $0.hasPrefix("block1.main.0") && $0.contains("operator 12×12*") })
        #expect(lines.contains { $0.hasPrefix("block2.shortcut.0") && $0.contains("operator 12×12 ") })
        #expect(lines.contains { $0.hasPrefix("block3.main.1") && $0.contains(" - ") })
        #expect(lines.filter { $0.hasPrefix("* circular-approximation-of-zero-padding: the layer pads with zeros") }.count == 1)
        #expect(lines.contains("flattened: singular values of the C_out × (C_in·kh·kw) reshaped weight (PyTorch's spectral_norm)"))
        let svg = try String(contentsOfFile: dir.appendingPathComponent("svd.svg").path, encoding: .utf8)
        for label in [">block1.main.0 operator 576×576<", ">block1.main.0 flattened 4×36<", ">block3.main.1 3×8<"] {
            #expect(svg.contains(label), "svd.svg lacks \(label)")
        }
    }

    @Test func badFlagsAreOneLine() throws {
        let dir = try temporaryDirectory()
        let path = dir.appendingPathComponent("resnet.h5").path
        try Self.writeResNet(to: path)
        var cnn = ModelSettings()
        (cnn.arch, cnn.channels, cnn.fc) = (.cnn, [2], [])
        let cnnPath = dir.appendingPathComponent("cnn.h5").path
        try Checkpoint(task: "images", seed: 0, config: "{}", model: Architecture(
            inputs: 16, outputs: 2, settings: cnn, inputShape: FeatureShape(channels: 1, height: 4, width: 4)).model(seed: 0)).write(to: cnnPath)
        // Parsing and validation: argument-parser's error line first, naming the flag.
        for (arguments, expected) in [(["--view", "spectral"], "--view"), (["--input-size", "0,5"], "--input-size 0,5: each side must be 1 … 65536"),
                                      (["--input-size", "7,x"], "--input-size"),
                                      (["--view", "pooled-positions", "--circular"], "--circular changes the operator view only")] {
            let result = try runNNProbe(["svd", path] + arguments)
            #expect(result.status != 0 && !result.terminatedBySignal, "\(arguments)")
            #expect(result.stderr.split(separator: "\n").first?.contains(expected) == true, "\(arguments): \(result.stderr)")
        }
        // What only the file can say: exactly one line naming the file and the flag.
        for (file, arguments, expected) in [
            (path, ["--layer", "block7"], "--layer block7: no layer has this name; layers: block0.main.0, block1.main.0, block1.main.3, block2.main.0, block2.main.3, block2.shortcut.0, block3.main.1; or all of a block's or stage's: block0, block1, block2, block3, stage1, stage2"),
            (path, ["--layer", "9"], "--layer 9 is out of range; valid layers: 0 (block0.main.0 4×9)"),
            (path, ["--layer", "block3", "--view", "all"], "--view concerns conv layers, and the layers analysed have none"),
            (cnnPath, ["--input-size", "1,1"], "--input-size 1,1: block0.main.2: pooling: a 2×2 kernel does not fit a 1×1 input padded by 0"),
            (path, ["--input-size", "8000,8000"], "block0.main.0: a 4×1×3×3 kernel on a 8000×8000 input has 64000000 singular values, more than 50000000"),
        ] {
            let result = try runNNProbe(["svd", file] + arguments)
            #expect(result.status == 1 && result.stdout.isEmpty, "\(arguments)")
            #expect(result.stderr.hasPrefix("nnprobe: error: \(file): \(expected)") && result.stderr.filter { $0 == "\n" }.count == 1,
                    "\(arguments): \(result.stderr)")
        }
    }
}
