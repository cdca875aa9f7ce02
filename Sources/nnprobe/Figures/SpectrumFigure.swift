import NNModelAnalyses
import NNPlot

/// Singular-value spectra per layer, linear and log, each layer's random-matrix edge dashed.
enum SpectrumFigure {
    static func make(_ layers: [LayerSpectrum], title: String) -> Figure {
        var linear = Chart(title: "Singular values (dashed: random-matrix edge)", xLabel: "index", yLabel: "σ")
        var log = Chart(title: "Singular values, log scale", xLabel: "index", yLabel: "σ")
        log.yScale = .log
        for (k, layer) in layers.enumerated() {
            let x = layer.singularValues.indices.map { Double($0 + 1) }
            let colour = Palette.category(k)
            let name = "\(layer.name) \(layer.shape[0])×\(layer.shape[1])"
            linear.series.append(.line(label: name, x: x, y: layer.singularValues, color: colour))
            linear.series.append(.points(label: nil, x: x, y: layer.singularValues, colors: [colour], radius: 2.5))
            log.series.append(.line(label: name, x: x, y: layer.singularValues, color: colour))
            log.series.append(.points(label: nil, x: x, y: layer.singularValues, colors: [colour], radius: 2.5))
            for chart in [0, 1] {
                let rule = Series.rule(label: nil, value: layer.randomMatrixEdge, vertical: false, color: colour)
                if chart == 0 { linear.series.append(rule) } else { log.series.append(rule) }
            }
        }
        return Figure([linear, log], title: title, columns: 2)
    }
}
