import NNModelAnalyses
import NNPlot

/// Singular-value spectra per layer, linear and log, each layer's random-matrix edge dashed.
/// A conv layer's views are drawn as layers of their own (`block1.main.0 operator 3136×3136`);
/// spectra longer than `longest` values are drawn as a line through `longest` of them, evenly
/// spaced, with no dots.
enum SpectrumFigure {
    /// The most values drawn per conv view.
    static let longest = 1000

    static func make(_ layers: [LayerSpectrum], title: String) -> Figure {
        var linear = Chart(title: "Singular values (dashed: random-matrix edge)", xLabel: "index", yLabel: "σ")
        var log = Chart(title: "Singular values, log scale", xLabel: "index", yLabel: "σ")
        log.yScale = .log
        for (k, layer) in layers.enumerated() {
            var x = layer.singularValues.indices.map { Double($0 + 1) }
            var y = layer.singularValues
            let long = layer.convolution != nil && y.count > longest
            if long {
                let kept = (0..<longest).map { $0 * (y.count - 1) / (longest - 1) }
                (x, y) = (kept.map { x[$0] }, kept.map { y[$0] })
            }
            let colour = Palette.category(k)
            let name = "\(layer.label) \(layer.shape[0])×\(layer.shape[1])"
            linear.series.append(.line(label: name, x: x, y: y, color: colour))
            if !long { linear.series.append(.points(label: nil, x: x, y: y, colors: [colour], radius: 2.5)) }
            log.series.append(.line(label: name, x: x, y: y, color: colour))
            if !long { log.series.append(.points(label: nil, x: x, y: y, colors: [colour], radius: 2.5)) }
            for chart in [0, 1] {
                let rule = Series.rule(label: nil, value: layer.randomMatrixEdge, vertical: false, color: colour)
                if chart == 0 { linear.series.append(rule) } else { log.series.append(rule) }
            }
        }
        return Figure([linear, log], title: title, columns: 2)
    }
}
