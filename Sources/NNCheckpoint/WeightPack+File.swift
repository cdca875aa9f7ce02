import Foundation

/// The weights of many checkpoints of one directory stacked into one HDF5 file,
/// `DIR/sweep-pack.hdf5` (format `nnprobe.pack`, see docs/checkpoint-format.md): one dataset per
/// tensor of shape [runs, …] per group of runs with identical tensor shapes, and (format 2) the
/// rest of each checkpoint but its gradient records (`WeightPack+Records`). Reading it is one
/// file open instead of one per run. The checkpoints stay the record of truth: the pack stores
/// each one's size and modification time, and a pack that no longer matches the directory
/// (a checkpoint changed, added or removed since) is not used.
public enum WeightPack {
    /// The pack's name inside the directory it packs; not `.h5`, so that no `*.h5` listing or glob
    /// of checkpoints picks it up.
    public static let fileName = "sweep-pack.hdf5"
    public static let format = "nnprobe.pack"
    /// 2 adds each run's provenance, layer settings and training curves (`WeightPack+Records`);
    /// packs of version 1 (weights only) are still read for the weights.
    public static let formatVersion: Int64 = 2

    /// `directory/sweep-pack.hdf5`.
    public static func path(in directory: String) -> String {
        (directory.hasSuffix("/") ? directory : directory + "/") + fileName
    }

    /// A file's size and modification time (nanoseconds since 1970), as `stat` gives them.
    public struct Stamp: Equatable, Sendable {
        public let size: Int64
        public let modified: Int64

        public static func of(_ path: String) -> Stamp? {
            var info = stat()
            guard stat(path, &info) == 0 else { return nil }
            return Stamp(size: Int64(info.st_size), modified: Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec))
        }
    }

    /// What `write` packed.
    public struct Written: Sendable {
        public struct Group: Sendable {
            public let name: String
            public let runs: Int
            public let shapes: [(name: String, shape: [Int])]
        }
        public let path: String
        public let runs: Int
        public let groups: [Group]
        public let bytes: Int64
    }

    /// Why a pack was not used; `absent` is the ordinary case of a directory never packed.
    public enum Unusable: Error, CustomStringConvertible, Sendable {
        case absent
        /// The directory changed since packing (the reason names the first difference).
        case stale(String)
        /// The pack cannot be read as a pack (the reason says why).
        case damaged(String)
        /// A version-1 pack, which holds weights only, was asked for more.
        case weightsOnly

        public var description: String {
            switch self {
            case .absent: "no pack"
            case .stale(let reason): "out of date: \(reason)"
            case .damaged(let reason): "unreadable: \(reason)"
            case .weightsOnly: "it holds weights only (format_version 1); `nnprobe pack` rebuilds it"
            }
        }
    }

    /// The path of `file` relative to `directory` (which lists it).
    static func relative(_ file: String, to directory: String) -> String {
        let prefix = directory.hasSuffix("/") ? directory : directory + "/"
        return file.hasPrefix(prefix) ? String(file.dropFirst(prefix.count)) : file
    }

    /// Packs the checkpoints `files` (below `directory`, in the order to keep: the directory's
    /// listing) into `directory/sweep-pack.hdf5`, atomically. Any checkpoint whose tensors cannot
    /// be read stops the pack, naming it; nothing is written then. One whose tensors read but not
    /// the rest is packed without its record (`has_record` 0).
    public static func write(directory: String, files: [String]) throws -> Written {
        guard !files.isEmpty else { throw FileFormatError(file: directory, "no checkpoints to pack") }
        let path = path(in: directory)
        var stamps: [Stamp] = []
        var groupOf: [String: Int] = [:]
        var groups: [(models: [PackedModel], runs: [Int])] = []
        var runGroup: [Int64] = [], runRow: [Int64] = []
        var records: [Checkpoint?] = []
        for (index, file) in files.enumerated() {
            // Stamped before reading: a checkpoint rewritten meanwhile leaves the pack stale, not wrong.
            guard let stamp = Stamp.of(file) else { throw FileFormatError(file: file, "no such file") }
            // The file opened once for both: its model's tensors, and the rest of the run (not its
            // gradient records) when the file reads whole as a checkpoint.
            let root = try NNProbeFile.open(file, expecting: .checkpoint).root
            let model = try Checkpoint.readModelTensors(root: root, file: file)
            records.append(try? Checkpoint.read(root: root, file: file, history: true, gradients: false))
            stamps.append(stamp)
            let g = groupOf[model.signature] ?? {
                groups.append(([], []))
                groupOf[model.signature] = groups.count - 1
                return groups.count - 1
            }()
            runGroup.append(Int64(g))
            runRow.append(Int64(groups[g].runs.count))
            groups[g].models.append(model)
            groups[g].runs.append(index)
        }
        let names = files.map { relative($0, to: directory) }
        try HDF5File.createAtomically(path) { root in
            try root.setAttribute("format", format)
            try root.setAttribute("format_version", formatVersion)
            try root.setAttribute("nnprobe_version", NNProbeVersion.string)
            try root.setAttribute("created", NNProbeVersion.timestamp())
            try root.setAttribute("n_runs", Int64(files.count))
            try root.setAttribute("n_groups", Int64(groups.count))
            try root.writeStringDataset("runs", names)
            try root.writeDataset("source_size", stamps.map(\.size), shape: [files.count])
            try root.writeDataset("source_mtime_ns", stamps.map(\.modified), shape: [files.count])
            try root.writeDataset("group", runGroup, shape: [files.count])
            try root.writeDataset("row", runRow, shape: [files.count])
            let all = try root.createGroup("groups")
            for (g, group) in groups.enumerated() {
                let node = try all.createGroup("g\(g)")
                let first = group.models[0]
                try node.setAttribute("n_runs", Int64(group.runs.count))
                try node.setAttribute("n_layers", Int64(first.layers))
                try node.setAttribute("n_heads", Int64(first.heads))
                try node.writeStringDataset("runs", group.runs.map { names[$0] })
                var made: [String: HDF5Group] = [:]
                for (t, tensor) in first.tensors.enumerated() {
                    let parts = tensor.name.split(separator: "/").map(String.init)
                    let parent = try made[parts[0]] ?? node.createGroup(parts[0])
                    made[parts[0]] = parent
                    var values: [Float] = []
                    values.reserveCapacity(group.models.count * tensor.values.count)
                    for model in group.models { values += model.tensors[t].values }
                    try parent.writeDataset(parts[1], values, shape: [group.models.count] + tensor.shape)
                }
            }
            try writeRecords(records, groups: groups.map(\.runs), in: root)
        }
        let bytes = Int64((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0)
        return Written(path: path, runs: files.count, groups: groups.enumerated().map { g, group in
            Written.Group(name: "g\(g)", runs: group.runs.count, shapes: group.models[0].tensors.map { ($0.name, $0.shape) })
        }, bytes: bytes)
    }

    /// The models of `files` (the listing of `directory`, in order) read from the directory's pack,
    /// keyed by file as given. Throws `Unusable` unless the pack exists, is readable, lists
    /// exactly these files in this order, and every one still has the size and modification time
    /// it had when packed.
    public static func read(directory: String, files: [String]) throws(Unusable) -> [String: PackedModel] {
        try open(directory: directory, files: files).models
    }

    /// A pack opened and checked against its directory's listing.
    struct Opened {
        let root: HDF5Group
        let version: Int64
        /// Each run's group and row, in listing order.
        let placement: [(group: Int, row: Int)]
        let models: [String: PackedModel]
        /// Bytes in the pack: no dataset of it holds more elements.
        let bytes: Int64
    }

    /// Opens `directory`'s pack and reads its tensors, as `read` describes.
    static func open(directory: String, files: [String]) throws(Unusable) -> Opened {
        let path = path(in: directory)
        guard let packStamp = Stamp.of(path) else { throw .absent }
        return try damagedUnlessUnusable { try readChecked(path, packBytes: packStamp.size, directory: directory, files: files) }
    }

    /// Runs `body`, reporting any error but `Unusable` as the pack being damaged.
    static func damagedUnlessUnusable<T>(_ body: () throws -> T) throws(Unusable) -> T {
        do {
            return try body()
        } catch let unusable as Unusable {
            throw unusable
        } catch {
            throw .damaged("\(error)")
        }
    }

    /// `dataset`'s shape, checked: contiguous and uncompressed, no dataset of a pack holds more elements than the file has bytes.
    static func checkedShape(_ dataset: HDF5Dataset, packBytes: Int64) throws -> [Int] {
        let shape = try dataset.shape()
        var count = 1
        for dim in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: dim)
            guard dim >= 0, !overflow, product <= packBytes else {
                throw Unusable.damaged("\(dataset.path): shape \(shape) is larger than the file")
            }
            count = product
        }
        return shape
    }

    private static func readChecked(_ path: String, packBytes: Int64, directory: String, files: [String]) throws -> Opened {
        let root = try HDF5File.openForReading(path)
        guard try root.hasAttribute("format"), try root.stringAttribute("format") == format else {
            throw Unusable.damaged("format is not '\(format)'")
        }
        let version = try root.integerAttribute("format_version")
        guard (1...formatVersion).contains(version) else { throw Unusable.damaged("format_version \(version)") }
        func checkedShape(_ dataset: HDF5Dataset) throws -> [Int] { try Self.checkedShape(dataset, packBytes: packBytes) }
        let n = files.count
        func integers(_ name: String) throws -> [Int64] {
            let dataset = try root.dataset(name)
            guard try checkedShape(dataset) == [n] else { throw Unusable.stale("\(name) does not hold \(n) runs") }
            return try dataset.read(as: Int64.self)
        }
        let runsDataset = try root.dataset("runs")
        guard try checkedShape(runsDataset) == [n] else { throw Unusable.stale("it packs another number of checkpoints") }
        let names = try runsDataset.readStrings()
        for (name, file) in zip(names, files) where name != relative(file, to: directory) {
            throw Unusable.stale("\(relative(file, to: directory)) is not packed")
        }
        let sizes = try integers("source_size"), times = try integers("source_mtime_ns")
        for (index, file) in files.enumerated() where Stamp.of(file) != Stamp(size: sizes[index], modified: times[index]) {
            throw Unusable.stale("\(file) changed after packing")
        }
        let runGroup = try integers("group"), runRow = try integers("row")
        let groupCount = try root.integerAttribute("n_groups")
        guard (0...Int64(n)).contains(groupCount) else { throw Unusable.damaged("n_groups \(groupCount)") }
        var groupModels: [[PackedModel]] = []
        for g in 0..<Int(groupCount) {
            let node = try root.group("groups/g\(g)")
            let runs = Int(try node.integerAttribute("n_runs"))
            let layers = Int(try node.integerAttribute("n_layers")), heads = Int(try node.integerAttribute("n_heads"))
            guard (1...n).contains(runs), (0...100_000).contains(layers), (0...100_000).contains(heads) else {
                throw Unusable.damaged("groups/g\(g): n_runs \(runs), n_layers \(layers), n_heads \(heads)")
            }
            var stacked: [(name: String, shape: [Int], values: [Float])] = []
            for member in (0..<layers).map({ "layer_\($0)" }) + (0..<heads).map({ "head_\($0)" }) {
                let sub = try node.group(member)
                for name in Checkpoint.modelTensorNames where try name == "weight" || sub.kind(of: name) == .dataset {
                    let dataset = try sub.dataset(name)
                    let shape = try checkedShape(dataset)
                    guard shape.first == runs, name != "weight" || shape.count == 3 else {
                        throw Unusable.damaged("\(dataset.path): shape \(shape) for \(runs) runs")
                    }
                    let values = try dataset.read(as: Float.self)
                    stacked.append(("\(member)/\(name)", Array(shape.dropFirst()), values))
                }
            }
            groupModels.append((0..<runs).map { row in
                PackedModel(layers: layers, heads: heads, tensors: stacked.map { tensor in
                    let size = tensor.shape.reduce(1, *)
                    return NamedTensor(name: tensor.name, shape: tensor.shape, values: Array(tensor.values[(row * size)..<((row + 1) * size)]))
                })
            })
        }
        var models: [String: PackedModel] = [:]
        models.reserveCapacity(n)
        var placement: [(group: Int, row: Int)] = []
        for (index, file) in files.enumerated() {
            let g = Int(runGroup[index]), row = Int(runRow[index])
            guard groupModels.indices.contains(g), groupModels[g].indices.contains(row) else {
                throw Unusable.damaged("run \(index) points at group \(g) row \(row), which does not exist")
            }
            models[file] = groupModels[g][row]
            placement.append((g, row))
        }
        if version >= 2 {
            let hasRecord = try column("has_record", in: root, runs: n, packBytes: packBytes, as: Int64.self)
            let seeds = try column("seed", in: root, runs: n, packBytes: packBytes, as: Int64.self)
            for (index, file) in files.enumerated() where hasRecord[index] != 0 { models[file]?.seed = seeds[index] }
        }
        return Opened(root: root, version: version, placement: placement, models: models, bytes: packBytes)
    }
}
