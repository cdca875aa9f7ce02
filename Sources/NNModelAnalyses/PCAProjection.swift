import NNAnalysis
import NNLinalg

/// Activations projected on their own top two principal components, with a colouring value per
/// point (for the scatters of `pca --plot`).
public struct PCAProjection: Sendable {
    /// The task whose probe the rows come from (`task0 (varied)`, `all inputs`, …).
    public let task: String
    /// Coordinates on the first and second components.
    public let first: [Double]
    public let second: [Double]
    /// The colouring value of each point (an input's value) and its name (`input 0`).
    public let colour: [Double]
    public let colourName: String

    /// The N × `width` rows of `values`, centred per context (`contexts`, or all together when nil)
    /// and projected on their own top two components.
    public init(_ values: [Float], width: Int, contexts: [Int32]?, colour: [Double], task: String, colourName: String) throws {
        let n = values.count / width
        var accumulator = CovarianceAccumulator(dimension: width)
        accumulator.add(Matrix(rows: n, cols: width, storage: values), contexts: contexts.map { $0[...] })
        let pcs = try PrincipalComponents(covariance: accumulator.covariance(), samples: n)
        let means = accumulator.means()
        var first: [Double] = [], second: [Double] = []
        for r in 0..<n {
            let c = contexts?[r] ?? 0
            var a = 0.0, b = 0.0
            for j in 0..<width {
                let centred = Double(values[r * width + j]) - means[c]![j]
                a += centred * pcs.components[0, j]
                if pcs.components.rows > 1 { b += centred * pcs.components[1, j] }
            }
            first.append(a)
            second.append(b)
        }
        self.task = task
        self.first = first
        self.second = second
        self.colour = colour
        self.colourName = colourName
    }
}
