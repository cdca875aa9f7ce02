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
