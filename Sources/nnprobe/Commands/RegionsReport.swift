import NNModelAnalyses

extension RegionsReport {
    /// The human-readable form: counts, areas, sampled counts, bounds and the decision boundary.
    func text() -> String {
        var lines = [
            "\(file): \(nRegions) linear regions on the slice box \(slice.box.map { formatNumber($0) }.joined(separator: ","))"
                + "  (exact, \(formatNumber(timing.exactSeconds * 1000, digits: 3)) ms)",
            "after each \(patternLayers == nil ? "layer" : "block"): "
                + countsAfterLayer.enumerated().map { "\(patternLayers == nil ? "layer_" : "block")\($0.offset) \($0.element)" }.joined(separator: ", "),
            "region areas: median \(formatNumber(area.median)), min \(formatNumber(area.min)), max \(formatNumber(area.max)); total \(formatNumber(totalArea))",
        ]
        if let grid { lines.append("sampled, \(Int(Double(grid.points).squareRoot()))² grid on the slice: \(grid.distinctPatterns) patterns (lower bound, \(formatNumber(timing.gridSeconds * 1000, digits: 3)) ms)") }
        if let random { lines.append("sampled, \(random.points) random inputs in the whole input space: \(random.distinctPatterns) patterns (lower bound)") }
        if let segment { lines.append("segment: crosses \(segment.regions) regions") }
        if let boundsSlice, let boundsInput {
            var table = TextTable("bound", "n₀ = 2 (slice)", "n₀ = \(boundsInput.inputDimension) (input)")
            table.add("one layer, Σ C(n₁, k)", formatNumber(boundsSlice.hyperplaneArrangement), formatNumber(boundsInput.hyperplaneArrangement))
            table.add("Montúfar et al. 2014 (reachable)", formatNumber(boundsSlice.montufar), formatNumber(boundsInput.montufar))
            table.add("Serra et al. 2018 (upper)", formatNumber(boundsSlice.serra), formatNumber(boundsInput.serra))
            lines.append("bounds for ReLU widths \(boundsSlice.widths.map(String.init).joined(separator: "-")):")
            lines.append(table.render())
        } else {
            lines.append("bounds: none (the published bounds are for plain ReLU nets, without max pooling or skip connections)")
        }
        if let b = decisionBoundary {
            lines.append("decision boundary: length \(formatNumber(b.length)) in slice units, \(b.argmaxCells) arg-max cells")
        }
        return lines.joined(separator: "\n")
    }
}
