import Foundation
@testable import NNCheckpoint

/// A damaged copy of a fixture, as `Fixtures/make_mutants.py` describes one: edits to a base file.
struct Mutant: CustomStringConvertible {
    /// File name, `BASE-NNNNN-KIND.h5`.
    let name: String
    /// The base, relative to `Fixtures/`.
    let base: String
    /// `huge_dim`, `relabel`, `shrink`, `layout_size`, `flip`, `zero` or `truncate`.
    let kind: String
    /// (offset, bytes): written over the base, or XOR-ed into it for `flip`.
    let edits: [(Int, [UInt8])]
    /// Length to cut the result to, if any.
    let truncate: Int?

    var description: String { name }

    /// The damaged bytes.
    func bytes() throws -> [UInt8] {
        var bytes = [UInt8](try Data(contentsOf: fixtureURL(base)))
        for (offset, value) in edits {
            for (index, byte) in value.enumerated() {
                bytes[offset + index] = kind == "flip" ? bytes[offset + index] ^ byte : byte
            }
        }
        return truncate.map { Array(bytes.prefix($0)) } ?? bytes
    }

    /// Writes the damaged file into `directory` and returns its path.
    func write(in directory: URL) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(try bytes()).write(to: url)
        return url.path
    }

    /// The committed corpus (`Fixtures/fuzz/mutants.json`), or, when `NNPROBE_FUZZ_COUNT` is set,
    /// that many made now by `make_mutants.py` (seed `NNPROBE_FUZZ_SEED`, default 19; needs python3
    /// with h5py and numpy).
    static func corpus() throws -> [Mutant] {
        let environment = ProcessInfo.processInfo.environment
        guard let count = environment["NNPROBE_FUZZ_COUNT"].flatMap(Int.init) else {
            return try parse(Data(contentsOf: fixtureURL("fuzz/mutants.json")))
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", fixtureURL("make_mutants.py").path, "--manifest", "-", "--count", "\(count)",
                             "--seed", environment["NNPROBE_FUZZ_SEED"] ?? "19"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return try parse(data)
    }

    private static func parse(_ data: Data) throws -> [Mutant] {
        guard let list = try JSONSerialization.jsonObject(with: data) as? [[String: Any]] else { return [] }
        return list.map { entry in
            let edits = (entry["edits"] as? [[Any]] ?? []).map { edit -> (Int, [UInt8]) in
                let hex = Array((edit[1] as? String ?? "").utf8)
                let bytes = stride(from: 0, to: hex.count, by: 2).map { UInt8(String(decoding: hex[$0..<$0 + 2], as: UTF8.self), radix: 16)! }
                return ((edit[0] as? Int) ?? 0, bytes)
            }
            return Mutant(name: entry["name"] as? String ?? "", base: entry["base"] as? String ?? "",
                          kind: entry["kind"] as? String ?? "", edits: edits, truncate: entry["truncate"] as? Int)
        }
    }
}

/// A file in the test bundle's `Fixtures/` folder.
func fixtureURL(_ relative: String) -> URL { URL(fileURLWithPath: fixture(relative)) }

/// Offsets of the dimension fields of every dataspace message in `bytes` that declares `shape`
/// (version 1: version, rank, flags, 5 reserved bytes, then 8-byte dimensions), as make_mutants.py finds them.
func dimensionOffsets(of shape: [UInt64], in bytes: [UInt8]) -> [Int] {
    let packed = shape.flatMap { value in (0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
    return (8..<max(8, bytes.count - packed.count)).filter { at in
        bytes[at - 8] == 1 && bytes[at - 7] == UInt8(shape.count) && bytes[at..<at + packed.count].elementsEqual(packed)
    }
}

/// `bytes` with the 8-byte little-endian field at `offset` set to `value`.
func setting(_ value: UInt64, at offset: Int, in bytes: [UInt8]) -> [UInt8] {
    var copy = bytes
    for index in 0..<8 { copy[offset + index] = UInt8(truncatingIfNeeded: value >> (8 * index)) }
    return copy
}
