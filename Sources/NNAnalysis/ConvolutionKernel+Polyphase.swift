extension ConvolutionKernel {
    /// The kernel of a stride-`s` convolution rewritten as a stride-1 one on the s-times coarser
    /// grid (its polyphase decomposition): input channel c's sub-grids x_βγ[i, j] = x[s·i + β,
    /// s·j + γ] become channels (c · min(s, kh) + β) · min(s, kw) + γ, with kernel
    /// K'[o, (c, β, γ), α, α′] = K[o, c, s·α + β, s·α′ + γ] (zero past the kernel's edge), of
    /// size ⌈kh/s⌉ × ⌈kw/s⌉. Sub-grids no tap reaches (β ≥ kh or γ ≥ kw, when the stride exceeds
    /// the kernel) are left out: the layer ignores them, and they add only zero singular values.
    ///
    /// With circular padding and s dividing both grid sides, the strided layer on H × W *is* this
    /// stride-1 circular convolution on (H/s) × (W/s) (plus those ignored inputs), up to a
    /// permutation of the input channels and a shift of each sub-grid (the padding), neither of
    /// which changes singular values.
    public func polyphase(stride s: Int) -> ConvolutionKernel {
        precondition(s >= 1, "stride \(s) must be at least 1")
        guard s > 1 else { return self }
        let (rowPhases, columnPhases) = (min(s, height), min(s, width))
        let (kh, kw) = ((height + s - 1) / s, (width + s - 1) / s)
        let channels = inChannels * rowPhases * columnPhases
        var out = [Double](repeating: 0, count: outChannels * channels * kh * kw)
        for o in 0..<outChannels {
            for c in 0..<inChannels {
                for a in 0..<height {
                    for b in 0..<width {
                        let channel = (c * rowPhases + a % s) * columnPhases + b % s
                        out[((o * channels + channel) * kh + a / s) * kw + b / s] = self[o, c, a, b]
                    }
                }
            }
        }
        return ConvolutionKernel(outChannels: outChannels, inChannels: channels, height: kh, width: kw, weights: out)
    }
}
