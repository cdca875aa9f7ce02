import NNAnalysis
import NNCheckpoint
import NNLinalg
import Testing
@testable import NNModelAnalyses

@Suite struct RepresentationSimilarityTests {
    static func rows() throws -> SimilarityRows {
        try SimilarityRows(InMemoryModel.checkpoint, task: CheckpointTask(InMemoryModel.checkpoint), vary: .all,
                           gridSize: 21, contexts: 5, file: "a.h5")
    }

    @Test func checkpointActivationsAreTheModelsOnTheRows() throws {
        let rows = try Self.rows()
        #expect(rows.kind == .split && rows.split == "test" && rows.inputs.cols == 4 && rows.inputs.rows > 100)
        let reps = try LayerRepresentations(InMemoryModel.checkpoint, on: rows, preActivations: false)
        #expect(reps.layers.map(\.cols) == [8, 6, 2] && reps.layers.allSatisfy { $0.rows == rows.inputs.rows })
        for r in [0, rows.inputs.rows - 1] {
            let expected = InMemoryModel.activations(of: rows.inputs.row(r), throughLayer: 1).post
            for (a, b) in zip(reps.layers[1].row(r), expected) { #expect(close(Double(a), b, 1e-5)) }
        }
        // The layers of one model: identical on the diagonal, and a layer of 8 against one of 6 is neither 0 nor 1.
        let c = try RepresentationSimilarity.acrossLayers(reps, measures: [.cka])
        #expect(c.layer == nil && c.widths == [8, 6, 2] && c.matrices[0].values[1, 1] == 1)
        #expect(c.matrices[0].values[0, 1] > 0.05 && c.matrices[0].values[0, 1] < 0.999)
    }

    @Test func rowsMustBeTheSameInTheSameOrder() throws {
        let rows = try Self.rows()
        try rows.requireSame(rows.inputs)
        var swapped = rows.inputs
        for j in 0..<4 { (swapped[2, j], swapped[3, j]) = (swapped[3, j], swapped[2, j]) }
        #expect(throws: AnalysisError.rowsDiffer(reference: "a.h5", reason: "row 2 of \(rows.inputs.rows) differs")) {
            try rows.requireSame(swapped)
        }
        let fewer = Matrix(rows: 3, cols: 4, storage: Array(rows.inputs.storage.prefix(12)))
        #expect(throws: AnalysisError.rowsDiffer(reference: "a.h5", reason: "3 rows, not \(rows.inputs.rows)")) { try rows.requireSame(fewer) }
    }

    @Test func aLayerMissingFromOneModelIsRefused() throws {
        let reps = try LayerRepresentations(InMemoryModel.checkpoint, on: Self.rows(), preActivations: true)
        #expect(try RepresentationSimilarity.sharedLayers([reps, reps], layer: nil) == [0, 1, 2])
        #expect(throws: AnalysisError.activationLayerOutOfRange(3, count: 3)) { try RepresentationSimilarity.sharedLayers([reps], layer: 3) }
    }
}
