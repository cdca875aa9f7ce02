import Foundation
import Testing

func regionsFixture(_ name: String) -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("NNRegionsTests/Fixtures/\(name)").path
}

@Suite struct RegionsCommandTests {
    @Test(arguments: ["net_2_8_8_2", "net_2_10_10_10_3", "net_2_16_1"])
    func matchesAnIndependentImplementationOnNetsWrittenByH5py(name: String) throws {
        let reference = try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: regionsFixture("regions_reference.json")))) as! [String: [Int]]
        let report = try json(runNNProbe(["regions", regionsFixture("\(name).h5"), "--box=-1,1,-1,1", "--json"]))
        #expect(report["counts_after_layer"] as? [Int] == reference[name])
        let grid = (report["grid"] as! [String: Any])["distinct_patterns"] as! Int
        #expect(grid <= report["n_regions"] as! Int)
        #expect(abs((report["total_area"] as! Double) - 4) < 4e-9)
    }

    @Test func polygonsAndBoundsInJSON() throws {
        let report = try json(runNNProbe(["regions", regionsFixture("net_2_16_1.h5"), "--polygons", "--grid", "0", "--samples", "0",
                                          "--from=-1,-1", "--to", "1,1", "--json"]))
        let regions = report["regions"] as! [[String: Any]]
        #expect(regions.count == report["n_regions"] as! Int)
        #expect(regions.allSatisfy { ($0["pattern"] as! [String])[0].count == 16 })
        #expect(((report["bounds_slice"] as! [String: Any])["hyperplane_arrangement"] as! Double) == 137)
        #expect((report["segment"] as! [String: Any])["regions"] as! Int >= 1)
    }

    @Test func badInputIsOneLine() throws {
        let dir = try temporaryDirectory()
        let path = dir.appendingPathComponent("tanh.h5").path
        #expect(try runNNProbe(["train", "moons", "--hidden", "4", "--activation", "tanh", "--epochs", "1", "--save", path, "--no-dump"]).status == 0)
        let result = try runNNProbe(["regions", path])
        #expect(result.status == 1 && result.stderr.contains("linear regions exist only for relu and identity activations"))
        let plane = try runNNProbe(["regions", regionsFixture("net_2_16_1.h5"), "--plane", "0,5"])
        #expect(plane.status == 1 && plane.stderr.contains("--plane 0,5 needs two different inputs below 2"))
    }
}

/// `regions` on a trained conv checkpoint (format 2): the plane through three test images.
@Suite struct ConvRegionsCommandTests {
    @Test func aTrainedCNNOnThePlaneThroughThreeTestImages() throws {
        let dir = try temporaryDirectory()
        let train = try runNNProbe(["train", "fashion-mnist", "--arch", "cnn", "--channels", "2", "--fc", "4", "--train-size", "100",
                                    "--val-size", "20", "--test-size", "10", "--epochs", "1", "--no-dump", "--save", "cnn.h5"], in: dir)
        #expect(train.status == 0, "\(train.stderr)")
        let box = [0, 0.01, 0, 0.01]
        let run = try runNNProbe(["regions", "cnn.h5", "--images", "0,1,2", "--box", box.map { "\($0)" }.joined(separator: ","),
                                  "--grid", "32", "--polygons", "--json"], in: dir)
        #expect(run.status == 0, "\(run.stderr)")
        let report = try json(run)
        let n = report["n_regions"] as! Int
        let regions = report["regions"] as! [[String: Any]]
        #expect(n > 1 && regions.count == n && (report["counts_after_layer"] as! [Int]).last == n)
        #expect(abs((report["total_area"] as! Double) - 1e-4) < 1e-13)
        let grid = (report["grid"] as! [String: Any])["distinct_patterns"] as! Int
        #expect(grid >= 1 && grid <= n)
        // The pattern: the conv block's ReLU (2 × 28 × 28 units), its 2×2 max pooling (2 × 14 × 14
        // windows, one digit 0–3 each), the dense ReLU (4); no bounds for max pooling.
        let layers = report["pattern_layers"] as! [[String: Any]]
        #expect(layers.map { $0["kind"] as! String } == ["relu", "max_pool", "relu"])
        #expect(layers.map { $0["units"] as! Int } == [1568, 392, 4])
        #expect(regions.allSatisfy { ($0["pattern"] as! [String]).map(\.count) == [1568, 392, 4] })
        #expect(regions.allSatisfy { ($0["pattern"] as! [String])[1].allSatisfy { "0123".contains($0) } })
        #expect(report["bounds_slice"] == nil && report["slice"] != nil)
        // The slice's origin is test image 0, its axes the differences to images 1 and 2.
        #expect(((report["slice"] as! [String: Any])["origin"] as! [Double]).count == 784)

        let outOfRange = try runNNProbe(["regions", "cnn.h5", "--images", "0,1,10"], in: dir)
        #expect(outOfRange.status == 1 && outOfRange.stderr.contains("--images 10 is out of range: the test split has 10 rows (0…9)"))
        let capped = try runNNProbe(["regions", "cnn.h5", "--images", "0,1,2", "--max-regions", "3", "--grid", "0"], in: dir)
        #expect(capped.status == 1 && capped.stderr.contains("more than 3 linear regions on the slice; raise --max-regions"))
        #expect(capped.stderr.split(separator: "\n").count == 1)
    }
}
