import NNCheckpoint
import NNModel
import NNRegions
import Testing
@testable import NNModelAnalyses

@Suite struct LinearRegionsTests {
    /// A 2-8-8-3 ReLU classifier on spirals' input box.
    static let model = Architecture(inputs: 2, hidden: [8, 8], outputs: 3).build(seed: 11)
    static let checkpoint = Checkpoint(task: "spirals", seed: 2, config: #"{"task":"spirals","seed":2}"#, model: model)

    @Test func regionsTileTheBoxAndRespectTheBounds() throws {
        let task = try CheckpointTask(Self.checkpoint)
        let settings = LinearRegions.Settings(segment: ([-1, -1], [1, 1]), grid: 64, samples: 200, polygons: true)
        let result = try LinearRegions.of(Self.model, task: task, settings: settings, file: "memory")
        let report = result.report
        let range = task.task.inputRange
        let boxArea = (range.upperBound - range.lowerBound) * (range.upperBound - range.lowerBound)
        #expect(close(report.totalArea, boxArea, 1e-9))
        #expect(report.nRegions == result.partition.regions.count && report.nRegions > 1)
        // One count per layer; the identity output layer repeats the last ReLU layer's.
        #expect(report.countsAfterLayer.count == 3 && report.countsAfterLayer[1] == report.nRegions && report.countsAfterLayer[2] == report.nRegions)
        // One layer of 8 lines in the plane: at most Σ_{k≤2} C(8, k) = 1 + 8 + 28 regions.
        #expect(report.countsAfterLayer[0] <= 37 && report.boundsSlice?.hyperplaneArrangement == 37)
        // Sampled counts are lower bounds of the exact count on the slice.
        #expect(try #require(report.grid).distinctPatterns <= report.nRegions && report.grid?.points == 64 * 64)
        #expect(try #require(report.segment).regions >= 1)
        #expect(report.regions?.count == report.nRegions && report.decisionBoundary != nil)   // spirals is a classifier
        #expect(LinearRegions.trainingPoints(of: task, model: Self.model, plane: settings.plane).count == min(1500, task.splits.train.count))
    }

    @Test func sliceSettingsMustFitTheModel() throws {
        #expect(throws: AnalysisError.planeAxes([0, 5], inputs: 2)) {
            try LinearRegions.of(Self.model, task: nil, settings: .init(plane: .axes(0, 5, at: nil)), file: "memory")
        }
        #expect(throws: AnalysisError.pointWidth(key: "at", count: 3, inputs: 2)) {
            try LinearRegions.of(Self.model, task: nil, settings: .init(plane: .axes(0, 1, at: [1, 2, 3])), file: "memory")
        }
        #expect(throws: AnalysisError.pointWidth(key: "p0/p1/p2", count: nil, inputs: 2)) {
            try LinearRegions.of(Self.model, task: nil, settings: .init(plane: .through([0], [1, 0], [0, 1])), file: "memory")
        }
        #expect(AnalysisError.pointWidth(key: "from/to", count: nil, inputs: 2).described { "--" + $0 } == "--from/--to need 2 coordinates each")
        #expect(AnalysisError.planeAxes([0, 5], inputs: 2).described { "--" + $0 } == "--plane 0,5 needs two different inputs below 2")
    }
}
