import NNLinalg
import NNModel
import Testing
@testable import NNModelAnalyses

@Suite struct WeightAnalysesTests {
    @Test func normsAndParameterCountsFromTheModel() throws {
        let model = InMemoryModel.model
        let norms = try WeightNorms(of: ModelWeights(model), file: "memory")
        #expect(norms.entries.map(\.name) == ["layer_0", "layer_1", "layer_2"])
        #expect(norms.entries.map(\.parameterCount) == [8 * 4 + 8, 6 * 8 + 6, 2 * 6 + 2])
        #expect(norms.parameterCount == model.parameterCount)
        for (entry, layer) in zip(norms.entries, model.layers) {
            let frobenius = layer.weight.storage.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
            #expect(close(entry.frobeniusNorm, frobenius, 1e-9))
            #expect(entry.spectralNorm <= entry.frobeniusNorm && entry.spectralNorm >= entry.frobeniusNorm / Double(min(layer.outputs, layer.inputs)).squareRoot())
        }
    }

    @Test func spectraOfOneLayerAndOutOfRange() throws {
        let weights = ModelWeights(InMemoryModel.model)
        let spectra = try LayerSpectrum.of(weights, layer: 1, top: 2)
        #expect(spectra.count == 1 && spectra[0].name == "layer_1" && spectra[0].shape == [6, 8])
        let sumOfSquares = spectra[0].singularValues.reduce(0) { $0 + $1 * $1 }
        #expect(close(spectra[0].energyTopK, (spectra[0].singularValues[0] * spectra[0].singularValues[0]
                                               + spectra[0].singularValues[1] * spectra[0].singularValues[1]) / sumOfSquares, 1e-9))
        #expect(throws: AnalysisError.layerOutOfRange(3, valid: ["0 (layer_0 8×4)", "1 (layer_1 6×8)", "2 (layer_2 2×6)"])) {
            try LayerSpectrum.of(weights, layer: 3)
        }
        #expect(weights.label(of: "layer_1") == "layer_1/weight")
    }

    @Test func gradientFlowMeansAndFlags() throws {
        var quiet = GradientFlow.Record(name: "layer_0.weight")
        quiet.first.steps = [0, 1]; quiet.first.norm = [1e-9, 3e-9]; quiet.first.meanAbs = [1, 3]; quiet.first.stdAbs = [2, 4]
        quiet.last.norm = [5e-9]
        quiet.epochMeanNorm = [2e-9]
        var loud = GradientFlow.Record(name: "layer_1.weight")
        loud.first.norm = [0.5, 1.5]
        loud.last.norm = [.nan]
        let summary = try GradientFlowSummary(GradientFlow(stepsKept: 2, records: [quiet, loud]), file: "memory")
        #expect(summary.stepsKept == 2 && summary.tensors.count == 2)
        #expect(close(summary.tensors[0].first.norm, 2e-9, 1e-12) && summary.tensors[0].first.meanAbs == 2 && summary.tensors[0].first.stdAbs == 3)
        #expect(summary.tensors[0].last.meanAbs.isNaN)
        #expect(summary.tensors[0].flags == [.vanishing])
        #expect(summary.tensors[1].first.norm == 1 && summary.tensors[1].flags == [.exploding])
        #expect(throws: AnalysisError.noGradientRecords) { try GradientFlowSummary(GradientFlow(stepsKept: 2), file: "memory") }
    }
}
