import NNModel

extension RegionPartition {
    /// How far a partition may grow, what it keeps, and whom it tells about progress.
    public struct Limits {
        /// Regions at most; more throws `RegionError` (pieces are never held beyond this count).
        public var maxRegions: Int
        /// Keep every region's activation pattern (needed for patterns in reports and tests).
        public var keepPatterns: Bool
        /// Called with the share of the box finished (by area), now and then.
        public var progress: ((Double) -> Void)?

        public init(maxRegions: Int = 1_000_000, keepPatterns: Bool = true, progress: ((Double) -> Void)? = nil) {
            self.maxRegions = maxRegions
            self.keepPatterns = keepPatterns
            self.progress = progress
        }
    }

    /// The exact partition of `slice` into the linear regions of any piecewise-linear model.
    ///
    /// A piece carries its polygon and, per buffer, the affine function of (u, v) every value is
    /// on it. Affine steps map those (`applyAffine`); a ReLU splits the piece by each unit's zero
    /// line, a max pooling by the lines where two entries of a window tie (each window's arg-max
    /// is then fixed on every part: the lowest position among equal entries, as PyTorch and
    /// nnprobe's kernels pick). Pieces are followed depth first, so only one path of states is
    /// held at a time. Tolerances are `init(_:slice:)`'s: vertices within 1e-10 (relative) of a
    /// line lie on it, pieces under 1e-15 of the box area are dropped. `countsAfterLayer` has
    /// one count per block. For an MLP the regions, their order and their maps are those of
    /// `init(PiecewiseLinearNet(mlp), slice:)`.
    public init(_ program: PiecewiseLinearProgram, slice: PlaneSlice, limits: Limits = Limits()) throws(RegionError) {
        var walk = ProgramWalk(program: program, slice: slice, limits: limits)
        var initial = [Double](repeating: 0, count: 3 * program.bufferCounts[0])
        for k in 0..<program.bufferCounts[0] {
            initial[3 * k] = slice.first[k]
            initial[3 * k + 1] = slice.second[k]
            initial[3 * k + 2] = slice.origin[k]
        }
        var buffers = [[Double]](repeating: [], count: program.bufferCounts.count)
        buffers[0] = initial
        let box = slice.box
        try walk.descend(from: 0, polygon: .box(box[0], box[1], box[2], box[3]), buffers: buffers, pattern: [])
        limits.progress?(1)
        self.init(slice: slice, regions: walk.regions, countsAfterLayer: walk.counts, outputWidth: program.outputWidth)
    }
}

/// The depth-first walk of `RegionPartition.init(_:slice:limits:)`.
private struct ProgramWalk {
    let program: PiecewiseLinearProgram
    let limits: RegionPartition.Limits
    let extent: Double
    let minimumArea: Double
    let boxArea: Double
    /// Per max-pooling step (by index), every window's entries (`window(_:_:)`).
    let poolWindows: [Int: [[(offset: UInt8, at: Int)]]]
    var regions: [RegionPartition.Region] = []
    var counts: [Int]
    var doneArea = 0.0

    init(program: PiecewiseLinearProgram, slice: PlaneSlice, limits: RegionPartition.Limits) {
        self.program = program
        self.limits = limits
        let box = slice.box
        extent = max(box[1] - box[0], box[3] - box[2])
        boxArea = slice.boxArea
        minimumArea = 1e-15 * slice.boxArea
        counts = Array(repeating: 0, count: program.blockCount)
        var windows: [Int: [[(offset: UInt8, at: Int)]]] = [:]
        for (index, step) in program.steps.enumerated() {
            if case .maxPool(let g) = step.operation { windows[index] = (0..<(g.channels * g.positions)).map { Self.window($0, g) } }
        }
        poolWindows = windows
    }

    mutating func descend(from start: Int, polygon: ConvexPolygon, buffers start0: [[Double]], pattern start1: [UInt8]) throws(RegionError) {
        var buffers = start0, pattern = start1
        var index = start
        while index < program.steps.count {
            let step = program.steps[index]
            let x = buffers[step.inputs[0]]
            switch step.operation {
            case .relu:
                try splitByUnits(x, polygon: polygon, then: Continuation(index: index, buffers: buffers, pattern: pattern))
                return
            case .maxPool(let g):
                let parts = try poolParts(x, windows: poolWindows[index]!, polygon: polygon)
                for (part, winners) in parts {
                    var state = [Double](repeating: 0, count: 3 * step.count)
                    for o in 0..<step.count {
                        let k = Int(winners[o]), (c, oy, ox) = (o / g.positions, o / g.outWidth % g.outHeight, o % g.outWidth)
                        let iy = oy * g.stride - g.padding + k / g.kernelWidth, ix = ox * g.stride - g.padding + k % g.kernelWidth
                        let at = 3 * ((c * g.height + iy) * g.width + ix)
                        state[3 * o] = x[at]; state[3 * o + 1] = x[at + 1]; state[3 * o + 2] = x[at + 2]
                    }
                    var next = buffers
                    next[step.output] = state
                    if let b = step.endsBlock { counts[b] += 1 }
                    try descend(from: index + 1, polygon: part, buffers: next, pattern: limits.keepPatterns ? pattern + winners : pattern)
                }
                return
            default:
                buffers[step.output] = step.operation.applyAffine(x, second: step.inputs.count > 1 ? buffers[step.inputs[1]] : nil,
                                                                  previous: buffers[step.output])
                if let b = step.endsBlock { counts[b] += 1 }
                index += 1
            }
        }
        guard regions.count < limits.maxRegions else {
            throw RegionError("more than \(limits.maxRegions) linear regions on the slice")
        }
        regions.append(RegionPartition.Region(polygon: polygon, pattern: pattern, outputMap: buffers[program.outputBuffer]))
        doneArea += polygon.area
        if regions.count % 64 == 0 { limits.progress?(min(1, doneArea / boxArea)) }
    }

    /// Where a ReLU step's parts go on: its step, and the buffers and pattern before it.
    struct Continuation {
        let index: Int
        let buffers: [[Double]]
        let pattern: [UInt8]
    }

    /// Splits `polygon` into the parts on which every unit of the pre-activations `z` keeps its
    /// sign — the parts `RegionPartition.init(_:slice:)` makes (each part split by each unit's
    /// line in unit order), in its order — and follows each part on as soon as it is made, so
    /// parts are never all held at once. Units whose line misses the polygon (every vertex
    /// beyond the tolerance on one side) are decided once; the others are carved recursively:
    /// when a line cuts a part in two, each half keeps only the later lines that may cross it,
    /// so small parts are never tested against the lines far from them.
    mutating func splitByUnits(_ z: [Double], polygon: ConvexPolygon, then next: Continuation) throws(RegionError) {
        let n = z.count / 3
        var bits = [UInt8](repeating: 0, count: n)
        var crossing: [Int] = []
        for j in 0..<n {
            let au = z[3 * j], av = z[3 * j + 1], c = z[3 * j + 2]
            if abs(au) * extent + abs(av) * extent <= tolerance(au, av, c) {   // a flat unit splits nothing
                bits[j] = c > 0 ? 1 : 0
                continue
            }
            switch side(au, av, c, polygon) {
            case 1: bits[j] = 1
            case -1: bits[j] = 0
            default: crossing.append(j)
            }
        }
        try carve(polygon, lines: crossing[...], z: z, bits: &bits, then: next)
    }

    /// Follows one part of a ReLU step on: its units switched off where `bits` is 0.
    mutating func follow(_ part: ConvexPolygon, bits: [UInt8], z: [Double], _ next: Continuation) throws(RegionError) {
        let step = program.steps[next.index]
        var state = z
        for j in 0..<step.count where bits[j] == 0 { state[3 * j] = 0; state[3 * j + 1] = 0; state[3 * j + 2] = 0 }
        var buffers = next.buffers
        buffers[step.output] = state
        if let b = step.endsBlock { counts[b] += 1 }
        try descend(from: next.index + 1, polygon: part, buffers: buffers, pattern: limits.keepPatterns ? next.pattern + bits : next.pattern)
    }

    /// 1 when every vertex of `polygon` is above the tolerance of the line a·u + b·v + c = 0,
    /// −1 when every one is below it, 0 otherwise.
    func side(_ a: Double, _ b: Double, _ c: Double, _ polygon: ConvexPolygon) -> Int {
        let t = tolerance(a, b, c)
        var above = true, below = true
        for i in 0..<polygon.count {
            let f = a * polygon.u[i] + b * polygon.v[i] + c
            if !(f > t) { above = false }
            if !(f < -t) { below = false }
        }
        return above ? 1 : below ? -1 : 0
    }

    func tolerance(_ a: Double, _ b: Double, _ c: Double) -> Double { 1e-10 * (abs(a) * extent + abs(b) * extent + abs(c)) }

    /// Splits `polygon` by `lines` (units, ascending) in order, following each part on with `bits`.
    mutating func carve(_ start: ConvexPolygon, lines: ArraySlice<Int>, z: [Double], bits: inout [UInt8],
                        then next: Continuation) throws(RegionError) {
        var polygon = start
        var index = lines.startIndex
        while index < lines.endIndex {
            let j = lines[index]
            let au = z[3 * j], av = z[3 * j + 1], c = z[3 * j + 2]
            let (positive, negative) = polygon.split(a: au, b: av, c: c, tolerance: tolerance(au, av, c))
            let kept = (positive.flatMap { $0.area > minimumArea ? $0 : nil }, negative.flatMap { $0.area > minimumArea ? $0 : nil })
            switch kept {
            case (let p?, let m?):
                let rest = lines[(index + 1)...]
                for (half, bit) in [(p, UInt8(1)), (m, UInt8(0))] {
                    bits[j] = bit
                    var near: [Int] = []
                    for k in rest {
                        switch side(z[3 * k], z[3 * k + 1], z[3 * k + 2], half) {
                        case 1: bits[k] = 1
                        case -1: bits[k] = 0
                        default: near.append(k)
                        }
                    }
                    try carve(half, lines: near[...], z: z, bits: &bits, then: next)
                }
                return
            case (let p?, nil): bits[j] = 1; polygon = p
            case (nil, let m?): bits[j] = 0; polygon = m
            case (nil, nil): return
            }
            index += 1
        }
        try follow(polygon, bits: bits, z: z, next)
    }

    /// The parts of `polygon` on which every max-pooling window of `x` keeps its arg-max, with
    /// the arg-max of every window (its position ky·k + kx). A window whose arg-max is the same
    /// at every vertex of a part keeps it on the whole part (differences of affine functions);
    /// otherwise the part is cut into the cells where each entry is the largest (ties to the
    /// lowest position).
    func poolParts(_ x: [Double], windows: [[(offset: UInt8, at: Int)]], polygon: ConvexPolygon) throws(RegionError) -> [(ConvexPolygon, [UInt8])] {
        let outputs = windows.count
        var winners = [UInt8](repeating: 0, count: outputs)
        var open: [(output: Int, candidates: [(offset: UInt8, at: Int)])] = []
        for o in 0..<outputs {
            let candidates = windows[o]
            if let k = agreedWinner(x, candidates, polygon) { winners[o] = candidates[k].offset } else { open.append((o, candidates)) }
        }
        var parts = [(polygon: polygon, winners: [UInt8]())]
        for (_, candidates) in open {
            var split: [(polygon: ConvexPolygon, winners: [UInt8])] = []
            for part in parts {
                if let k = agreedWinner(x, candidates, part.polygon) {
                    split.append((part.polygon, part.winners + [candidates[k].offset]))
                    continue
                }
                for (k, candidate) in candidates.enumerated() {
                    var cell: ConvexPolygon? = part.polygon
                    for (m, other) in candidates.enumerated() where m != k {
                        guard let current = cell else { break }
                        let a = x[candidate.at] - x[other.at], b = x[candidate.at + 1] - x[other.at + 1], c = x[candidate.at + 2] - x[other.at + 2]
                        let tolerance = 1e-10 * (abs(a) * extent + abs(b) * extent + abs(c))
                        if abs(a) * extent + abs(b) * extent <= tolerance {   // parallel entries: one wins throughout
                            if c < -tolerance || (abs(c) <= tolerance && m < k) { cell = nil }
                            continue
                        }
                        cell = current.split(a: a, b: b, c: c, tolerance: tolerance).positive
                    }
                    if let cell, cell.area > minimumArea { split.append((cell, part.winners + [candidate.offset])) }
                }
            }
            parts = split
            try checkGrowth(parts.count)
        }
        return parts.map { part in
            var all = winners
            for (k, window) in open.enumerated() { all[window.output] = part.winners[k] }
            return (part.polygon, all)
        }
    }

    /// The entries of pooling window `o`: their position in the window and their value's index
    /// (3·i) in the state, in scan order; padding is never an entry.
    static func window(_ o: Int, _ g: ConvGeometry) -> [(offset: UInt8, at: Int)] {
        let (c, oy, ox) = (o / g.positions, o / g.outWidth % g.outHeight, o % g.outWidth)
        var entries: [(offset: UInt8, at: Int)] = []
        g.forEachInput(inWindowOf: c, oy, ox) { offset, i in entries.append((UInt8(offset), 3 * i)) }
        return entries
    }

    /// The candidate that is the window's arg-max (first of the largest) at every vertex, if one is.
    func agreedWinner(_ x: [Double], _ candidates: [(offset: UInt8, at: Int)], _ polygon: ConvexPolygon) -> Int? {
        var agreed: Int?
        for i in 0..<polygon.count {
            let (u, v) = (polygon.u[i], polygon.v[i])
            var best = 0, top = -Double.infinity
            for (k, candidate) in candidates.enumerated() {
                let value = x[candidate.at] * u + x[candidate.at + 1] * v + x[candidate.at + 2]
                if value > top { top = value; best = k }
            }
            if let agreed, agreed != best { return nil }
            agreed = best
        }
        return agreed
    }

    func checkGrowth(_ parts: Int) throws(RegionError) {
        if regions.count + parts > limits.maxRegions {
            throw RegionError("more than \(limits.maxRegions) linear regions on the slice")
        }
    }
}
