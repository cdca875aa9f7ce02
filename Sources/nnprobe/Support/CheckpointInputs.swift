import ArgumentParser
import Foundation
import NNCheckpoint

/// The checkpoint arguments every analysis takes: files, directories (searched recursively),
/// or glob patterns; none means the most recently saved checkpoint under `checkpoints/`.
struct CheckpointInputs: ParsableArguments {
    @Argument(help: "Checkpoints (.h5): files, directories or glob patterns (default: the newest under checkpoints/).",
              completion: .file(extensions: ["h5"]))
    var paths: [String] = []

    /// The files to analyse, in a stable order; says on stderr which one when defaulting.
    func resolve(accepting extensions: Set<String> = ["h5"]) throws -> [String] {
        try resolve(accepting: extensions, packs: false).files
    }

    /// The files to analyse, as `resolve` lists them, and the models of those that a directory's
    /// fresh pack (`sweep-pack.hdf5`, `nnprobe pack`) holds, keyed by file: a directory whose pack
    /// is missing, out of date or unreadable is read file by file, silently, as without `packs`.
    func resolvePacked(accepting extensions: Set<String> = ["h5"]) throws -> (files: [String], packed: [String: PackedModel]) {
        try resolve(accepting: extensions, packs: true)
    }

    /// The files to analyse, as `resolve` lists them, and the checkpoints (all but their gradient
    /// records) of those that a directory's fresh pack of format 2 holds, keyed by file: the
    /// others, and every file of a directory whose pack is missing, out of date, unreadable or of
    /// format 1 (weights only), are read file by file, silently.
    func resolvePackedCheckpoints() throws -> (files: [String], packed: [String: Checkpoint]) {
        try resolve(accepting: ["h5"]) { try? WeightPack.readCheckpoints(directory: $0, files: $1) }
    }

    private func resolve(accepting extensions: Set<String>, packs: Bool) throws -> (files: [String], packed: [String: PackedModel]) {
        try resolve(accepting: extensions) { packs ? try? WeightPack.read(directory: $0, files: $1) : nil }
    }

    /// The files to analyse, and what `fromPack` gives for each directory and its listing (nil: nothing).
    private func resolve<Packed>(accepting extensions: Set<String>,
                                 fromPack: (String, [String]) -> [String: Packed]?) throws -> (files: [String], packed: [String: Packed]) {
        if paths.isEmpty { return ([try Self.defaultCheckpoint()], [:]) }
        var files: [String] = []
        var packed: [String: Packed] = [:]
        for path in paths {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
                guard isDirectory.boolValue else { files.append(path); continue }
                let listed = try Self.checkpoints(in: path)
                files += listed
                if let found = fromPack(path, listed) {
                    packed.merge(found) { first, _ in first }
                }
            } else if path.contains(where: { "*?[".contains($0) }) {
                let matches = Self.glob(path).filter { extensions.contains(URL(fileURLWithPath: $0).pathExtension) }
                guard !matches.isEmpty else { throw CommandFailure("\(path): no files match this pattern") }
                files += matches
            } else {
                throw CommandFailure("\(path): no such file")
            }
        }
        return (files, packed)
    }

    /// The newest checkpoint under `checkpoints/` (that `accepts`, which `requirement` describes,
    /// e.g. "whose task has sub-task task0"), announced on stderr.
    static func defaultCheckpoint(requirement: String? = nil, accepts: (String) -> Bool = { _ in true }) throws -> String {
        let latest = try latestCheckpoint(under: "checkpoints", requirement: requirement, accepts: accepts)
        printDiagnostic("nnprobe: using the latest checkpoint\(requirement.map { " " + $0 } ?? ""), \(latest)")
        return latest
    }

    /// Every checkpoint below `directory`, sorted: `.h5` files except activation dumps
    /// (`*.acts-*.h5`) and `--save-every` snapshots (`*.epoch-*.h5`; name those explicitly).
    /// Files are told apart by name only, so a directory costs no extra file opens.
    static func checkpoints(in directory: String) throws -> [String] {
        let found = candidateFiles(under: directory).filter { !$0.contains(".epoch-") }
        guard !found.isEmpty else { throw CommandFailure("\(directory): no checkpoints (.h5) in this directory") }
        return found
    }

    /// The most recently modified checkpoint below `directory` that `accepts`.
    static func latestCheckpoint(under directory: String, requirement: String? = nil,
                                 accepts: (String) -> Bool = { _ in true }) throws -> String {
        let dated = candidateFiles(under: directory).compactMap { path -> (String, Date)? in
            guard let date = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date else { return nil }
            return (path, date)
        }.sorted { $0.1 > $1.1 }
        guard let latest = dated.first(where: { (try? NNProbeFile.open($0.0).kind) == .checkpoint && accepts($0.0) }) else {
            throw CommandFailure("\(directory)/: no checkpoints\(requirement.map { " " + $0 } ?? "") yet; "
                                 + "train one with `nnprobe train TASK --save` or name a file")
        }
        return latest.0
    }

    /// `.h5` files below `directory` that are not activation dumps by name, sorted.
    private static func candidateFiles(under directory: String) -> [String] {
        let prefix = directory.hasSuffix("/") ? directory : directory + "/"
        return subpaths(of: directory).filter { $0.hasSuffix(".h5") && !$0.contains(".acts-") }.map { prefix + $0 }.sortedNaturally { $0 }
    }

    /// Every path below `directory`, relative to it, without following symbolic links to
    /// directories: what `FileManager.subpathsOfDirectory` lists, in a tenth of its time.
    private static func subpaths(of directory: String) -> [String] {
        let prefix = directory.hasSuffix("/") ? directory : directory + "/"
        var found: [String] = []
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] {
            found.append(name)
            var isDirectory: ObjCBool = false
            let path = prefix + name
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue,
               (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) == nil {
                found += subpaths(of: path).map { name + "/" + $0 }
            }
        }
        return found
    }

    /// Expands a glob pattern (for patterns the shell passed through quoted).
    static func glob(_ pattern: String) -> [String] {
        var result = glob_t()
        defer { globfree(&result) }
        guard Glibc.glob(pattern, 0, nil, &result) == 0 else { return [] }
        return (0..<Int(result.gl_pathc)).compactMap { result.gl_pathv[$0].map { String(cString: $0) } }.sorted()
    }
}
