import NNModel

/// The names a layer of a layer stack (a conv net) answers to besides its own (`block6.main.3`):
/// its block (`block6`), its ResNet stage (`stage3`), and torchvision's names for the same layer
/// (`layer3.1.conv2`, `layer3`, `conv1`, `fc`).
///
/// A stage is a run of residual-style blocks (two or more conv layers on the main path) in which
/// every block after the first keeps its input's channels and stride 1: ResNet's `layer1` …
/// `layerN`, numbered from 1 as torchvision numbers them. A stack without such blocks (a plain
/// CNN, an MLP) has no stages and no torchvision names.
public struct LayerNames: Sendable {
    public let stack: LayerStack
    /// Each stage's blocks, stage 1 first.
    public let stages: [[Int]]

    public init(_ stack: LayerStack) {
        self.stack = stack
        var stages: [[Int]] = []
        var previous: Int?
        for (b, block) in stack.blocks.enumerated() {
            let convs = block.main.compactMap { layer -> (channels: Int, stride: Int)? in
                if case .conv2d(let channels, _, let stride, _, _) = layer { return (channels, stride) }
                return nil
            }
            guard convs.count >= 2 else { previous = nil; continue }
            // A new stage where the block changes the width or the resolution (ResNet's first block of a stage).
            let continues = previous == b - 1 && convs[0].stride == 1 && block.shortcut?.isEmpty != false
                && stages.last.map { stack.blocks[$0.last!].main.lastConvChannels == convs.last!.channels } == true
            if continues { stages[stages.count - 1].append(b) } else { stages.append([b]) }
            previous = b
        }
        self.stages = stages
    }

    /// The stage (1-based) block `b` belongs to, if any.
    public func stage(ofBlock b: Int) -> Int? {
        stages.firstIndex { $0.contains(b) }.map { $0 + 1 }
    }

    /// The names (of the stack's own: `block3`, `block6.main.3`) that `name` stands for: `stageS`
    /// and `layerS` → the stage's blocks, `layerS.I` → its I-th block, `layerS.I.convK`/`bnK` → that
    /// block's K-th conv or batch norm, `layerS.I.downsample.J` → its shortcut's layer J, `conv1`/`bn1`
    /// → the stem's (block 0 when it is not in a stage), `fc` → the last block's last linear layer of a
    /// single-head model. Nil when `name` is none of these.
    public func canonical(_ name: String) -> [String]? {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        func number(_ text: Substring) -> Int? { Int(text).flatMap { String($0) == text ? $0 : nil } }
        if parts.count == 1, let s = ["stage", "layer"].lazy.compactMap({ parts[0].hasPrefix($0) ? number(parts[0].dropFirst($0.count)) : nil }).first {
            guard stages.indices.contains(s - 1) else { return nil }
            return stages[s - 1].map { "block\($0)" }
        }
        if parts.count == 1, stages.first?.first != 0, let stem = stack.blocks.first {
            if let k = Self.ordinal(parts[0], "conv"), let j = stem.main.index(ofNth: k, where: \.isConv) { return ["block0.main.\(j)"] }
            if let k = Self.ordinal(parts[0], "bn"), let j = stem.main.index(ofNth: k, where: { $0 == .batchNorm }) { return ["block0.main.\(j)"] }
        }
        if name == "fc", stack.heads.isEmpty, let last = stack.blocks.indices.last,
           let j = stack.blocks[last].main.lastIndex(where: { if case .linear = $0 { true } else { false } }) {
            return ["block\(last).main.\(j)"]
        }
        guard parts.count >= 2, parts[0].hasPrefix("layer"), let s = number(parts[0].dropFirst(5)), stages.indices.contains(s - 1),
              let i = number(Substring(parts[1])), stages[s - 1].indices.contains(i) else { return nil }
        let b = stages[s - 1][i], block = stack.blocks[b]
        switch parts.count {
        case 2: return ["block\(b)"]
        case 3:
            if let k = Self.ordinal(parts[2], "conv"), let j = block.main.index(ofNth: k, where: \.isConv) { return ["block\(b).main.\(j)"] }
            if let k = Self.ordinal(parts[2], "bn"), let j = block.main.index(ofNth: k, where: { $0 == .batchNorm }) { return ["block\(b).main.\(j)"] }
            return parts[2] == "downsample" && block.shortcut?.isEmpty == false ? ["block\(b).shortcut"] : nil
        case 4:
            guard parts[2] == "downsample", let j = number(Substring(parts[3])), let shortcut = block.shortcut,
                  shortcut.indices.contains(j) else { return nil }
            return ["block\(b).shortcut.\(j)"]
        default: return nil
        }
    }

    /// The names of the stages (`stage1`, …), which `canonical` also reads as `layer1`, ….
    public var stageNames: [String] { stages.indices.map { "stage\($0 + 1)" } }

    /// The names among `names` (a model's layers or tensors in its own naming, in order) that
    /// `name` selects: the one of that name, or those under it (`block2` → `block2.main.0`, …), or
    /// (through `canonical`) a stage's or torchvision's name for them. Nil when nothing matches.
    public func select(_ name: String, among names: [String]) -> [String]? {
        for wanted in [[name]] + (canonical(name).map { [$0] } ?? []) {
            let found = names.filter { n in wanted.contains { n == $0 || n.hasPrefix($0 + ".") } }
            if !found.isEmpty { return found }
        }
        return nil
    }
}

extension LayerNames {
    /// The names of `names` that `name` selects, with or without a stack (an MLP's `layer_1` matches
    /// `layer_1` and `layer_1.weight`); throws `AnalysisError.unknownLayer` listing the layers there
    /// are (`layers`, or every name before its last dot-part when nil) and the groups.
    public static func select(_ name: String, among names: [String], stack: LayerStack?,
                              layers: [String]? = nil) throws(AnalysisError) -> [String] {
        let naming = stack.map(LayerNames.init)
        if let found = naming?.select(name, among: names) { return found }
        let plain = names.filter { $0 == name || $0.hasPrefix(name + ".") }
        if !plain.isEmpty { return plain }
        var groups: [String] = []
        for n in layers ?? names {
            if let dot = n.firstIndex(of: "."), case let prefix = String(n[..<dot]), !groups.contains(prefix), prefix != n {
                groups.append(prefix)
            }
        }
        throw .unknownLayer(name, layers: layers ?? names, groups: groups + (naming?.stageNames ?? []))
    }

    /// `conv2` → 2 for prefix `conv`.
    static func ordinal(_ text: String, _ prefix: String) -> Int? {
        guard text.hasPrefix(prefix), let k = Int(text.dropFirst(prefix.count)), k >= 1, String(k) == text.dropFirst(prefix.count) else { return nil }
        return k
    }
}

private extension Layer {
    var isConv: Bool { if case .conv2d = self { true } else { false } }
}

private extension Array where Element == Layer {
    /// The index of the k-th (1-based) element satisfying `predicate`.
    func index(ofNth k: Int, where predicate: (Layer) -> Bool) -> Int? {
        let matching = indices.filter { predicate(self[$0]) }
        return matching.indices.contains(k - 1) ? matching[k - 1] : nil
    }

    /// Output channels of the last conv layer.
    var lastConvChannels: Int? {
        for layer in reversed() { if case .conv2d(let c, _, _, _, _) = layer { return c } }
        return nil
    }
}

extension LayerNames {
    /// The layer of activations `address` names among `blocks` (a dump's or a model's trunk layers
    /// in order: a conv net's `block0`, `block1`, …, an MLP's `layer_0`, …): an index, a block's
    /// name, a stage's name (its last block: the stage's output), or the name of any layer inside
    /// a block (`block2.main.3`, `layer2.0.conv2`: that block's output). Throws
    /// `AnalysisError.activationLayerOutOfRange` for an index past them, `.unknownLayer` (listing
    /// the blocks and stages) for a name that is none of these.
    public static func block(_ address: LayerAddress, blocks: [String], stack: LayerStack?) throws(AnalysisError) -> Int {
        switch address {
        case .index(let i):
            guard blocks.indices.contains(i) else { throw .activationLayerOutOfRange(i, count: blocks.count) }
            return i
        case .name(let name):
            if let i = blocks.firstIndex(of: name) { return i }
            let naming = stack.map(LayerNames.init)
            for candidate in [name] + (naming?.canonical(name) ?? []).suffix(1) {
                let owner = String(candidate.split(separator: ".").first ?? "")
                if let i = blocks.firstIndex(of: owner), candidate == owner || stack == nil || naming!.knows(candidate) { return i }
            }
            throw .unknownLayer(name, layers: blocks, groups: naming?.stageNames ?? [])
        }
    }

    /// Whether `name` is one of the stack's layers or a prefix of some (`block2.main`).
    func knows(_ name: String) -> Bool {
        guard let placed = try? stack.layers().get() else { return false }
        return placed.contains { $0.name == name || $0.name.hasPrefix(name + ".") }
    }
}
