import NNAnalysis

/// Frobenius and spectral norms and parameter counts of every layer and head of one model
/// (`nnprobe norms`; schema `nnprobe.norms/1`, see docs/json.md).
public struct WeightNorms: Encodable, Sendable {
    /// One weight matrix's norms.
    public struct Entry: Encodable, Sendable {
        public let name: String
        /// `layer` or `head`.
        public let kind: String
        public let shape: [Int]
        /// The weight's entries plus the bias, γ and β that go with it.
        public let parameterCount: Int
        public let frobeniusNorm: Double
        public let spectralNorm: Double
        enum CodingKeys: String, CodingKey {
            case name, kind, shape
            case parameterCount = "parameter_count", frobeniusNorm = "frobenius_norm", spectralNorm = "spectral_norm"
        }
    }

    public let file: String
    public let parameterCount: Int
    public let entries: [Entry]
    enum CodingKeys: String, CodingKey { case file, entries; case parameterCount = "parameter_count" }

    /// The norms of every matrix of `weights`; `file` names the model in the result.
    /// Throws `NonFiniteError`/`LinalgError` from the decompositions.
    public init(of weights: ModelWeights, file: String) throws {
        let spectra = try Spectrum.of(weights.matrices.map(\.weight), names: weights.matrices.map { weights.label(of: $0.name) })
        entries = zip(weights.matrices, spectra).map { m, s in
            Entry(name: m.name, kind: m.isHead ? "head" : "layer", shape: [m.weight.rows, m.weight.cols],
                  parameterCount: m.weight.storage.count + m.otherParameters,
                  frobeniusNorm: s.frobeniusNorm, spectralNorm: s.spectralNorm)
        }
        self.file = file
        parameterCount = entries.reduce(0) { $0 + $1.parameterCount }
    }
}
