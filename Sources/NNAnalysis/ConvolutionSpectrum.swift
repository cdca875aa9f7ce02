import NNLinalg

/// The singular values of a convolution layer's linear operator on its input grid (Sedghi, Gupta
/// & Long 2019, "The Singular Values of Convolutional Layers").
///
/// With circular padding and stride 1, the layer's map from C_in × H × W inputs to C_out × H × W
/// outputs is block-doubly-circulant, diagonalised by the 2-D DFT: its singular values are those
/// of the C_out × C_in matrices K̂(u, v) (`ConvolutionKernel.frequencyResponse`), one per
/// frequency, H · W · min(C_out, C_in) values in all. A real kernel has K̂(−u, −v) = conj K̂(u, v),
/// with the same singular values, so only about half the frequencies are decomposed
/// (`ComplexMatrix.singularValuesFast`: LAPACK's bidiagonalisation and dqds, or √λ of the Gram
/// matrix for rectangular K̂). Cost: H·W/2 decompositions of C_out × C_in, each O(C_out·C_in·min);
/// on one core a 64 → 64 3×3 layer on 32×32 (65,536 values) takes about 0.1 s.
/// A stride s dividing H and W is exact too, through the polyphase kernel on the (H/s) × (W/s) grid
/// (`ConvolutionKernel.polyphase(stride:)`); other cases carry `caveats`.
public struct ConvolutionSpectrum: Sendable {
    /// All values, descending.
    public let singularValues: [Double]
    /// The shape of the matrix they belong to: C_out · H′ · W′ outputs (H′ × W′ the output grid)
    /// by C_in · H · W inputs, for the operator named by `caveats` (the layer's own when none).
    public let rows: Int
    public let cols: Int
    /// The frequency grid: the input grid, or it divided by the stride when that is exact.
    public let gridHeight: Int
    public let gridWidth: Int
    /// Why the values are not exactly the layer's; empty when they are.
    public let caveats: [ConvolutionSpectrumCaveat]

    /// Whether the values are exactly those of the layer's operator.
    public var isExact: Bool { caveats.isEmpty }

    /// The most values computed at once (50 million: 400 MB for the values alone).
    public static let maximumValueCount = 50_000_000

    /// The spectrum of `kernel` applied as `layout`. With `parallel`, frequencies are spread over
    /// all cores; either way BLAS runs one thread per decomposition. Throws
    /// `ConvolutionSpectrumError` for a layout the kernel cannot be applied in or more than
    /// `maximumValueCount` values, `NonFiniteError` for NaN or ±∞ weights, `LinalgError` if LAPACK fails.
    public init(kernel: ConvolutionKernel, layout: ConvolutionLayout, parallel: Bool = true) throws {
        try layout.validate(for: kernel)
        try kernel.requireFinite()
        caveats = ConvolutionSpectrumCaveat.of(kernel, layout)
        let (h, w, s) = (layout.inputHeight, layout.inputWidth, layout.stride)
        let polyphase = !caveats.contains(.strideIgnored)
        (gridHeight, gridWidth) = polyphase ? (h / s, w / s) : (h, w)
        // The operator's min(rows, cols) values, counted before anything is allocated.
        let inputs = Double(kernel.inChannels) * Double(h) * Double(w)
        let outputs = Double(kernel.outChannels) * Double(gridHeight) * Double(gridWidth)
        guard min(inputs, outputs) <= Double(Self.maximumValueCount) else {
            throw ConvolutionSpectrumError(
                "a \(kernel.shape.map(String.init).joined(separator: "×")) kernel on a \(h)×\(w) input has \(Int(min(inputs, outputs))) singular values, more than \(Self.maximumValueCount)")
        }
        (rows, cols) = (Int(outputs), Int(inputs))
        var values = try Self.values(of: polyphase ? kernel.polyphase(stride: s) : kernel, gridHeight: gridHeight,
                                     gridWidth: gridWidth, parallel: parallel)
        values += repeatElement(0, count: min(rows, cols) - values.count)  // inputs a stride skips
        singularValues = values
    }

    /// The singular values of every K̂(u, v) over the grid, descending: one frequency of each
    /// conjugate pair decomposed, its values counted twice.
    static func values(of kernel: ConvolutionKernel, gridHeight n: Int, gridWidth m: Int, parallel: Bool) throws -> [Double] {
        let frequencies = halfGrid(n, m)
        let chunks = parallel ? min(frequencies.count, availableCores * 8) : 1
        let bounds = (0...chunks).map { $0 * frequencies.count / chunks }
        let taps = FourierTaps(kernel)
        let threads = BLASThreads.current
        BLASThreads.set(1)
        defer { BLASThreads.set(threads) }
        let pieces = try Array(0..<chunks).concurrentMap { chunk in
            var values: [Double] = []
            for (u, v, twice) in frequencies[bounds[chunk]..<bounds[chunk + 1]] {
                let s = try taps.response(u: u, v: v, gridHeight: n, gridWidth: m).singularValuesFast()
                values += s
                if twice { values += s }
            }
            return values
        }
        var all = pieces.flatMap { $0 }
        all.sort(by: >)
        return all
    }

    /// One frequency (u, v) of each conjugate pair {(u, v), (−u mod n, −v mod m)} of the n × m
    /// grid, the first in row-major order, and whether it stands for two (it is not its own
    /// conjugate): n·m/2 + O(1) frequencies.
    static func halfGrid(_ n: Int, _ m: Int) -> [(u: Int, v: Int, twice: Bool)] {
        var frequencies: [(u: Int, v: Int, twice: Bool)] = []
        for u in 0..<n {
            for v in 0..<m {
                let partner = ((n - u) % n) * m + (m - v) % m
                if u * m + v <= partner { frequencies.append((u, v, u * m + v < partner)) }
            }
        }
        return frequencies
    }
}
