import Foundation
import Testing
@testable import NNCheckpoint

/// Issue 19: every reader, on every damaged file of the corpus (`Mutants.corpus()`), either succeeds
/// with sane results or throws one typed error naming the file — the same one every time. A trap
/// crashes the test runner, which is this suite's failure signal. The committed corpus is 56 files (conv dumps among them);
/// `NNPROBE_FUZZ_COUNT=3000 swift test --filter FuzzTests` runs thousands (`NNPROBE_FUZZ_SEED`
/// picks another corpus, `NNPROBE_FUZZ_TRACE=1` names each file before reading it,
/// `NNPROBE_FUZZ_ONLY=NAME` reads one).
///
/// Known limit: past about 3,800 mutants in one process, a read has hung inside HDF5 1.10 itself
/// (`H5Aread` → `H5HG_read` → `H5C_protect`, a variable-length string of the root group) on a file
/// that reads cleanly on its own, in a fresh process and under the CLI: state left in the library
/// by earlier damaged files, not the file at hand.
@Suite struct FuzzTests {
    /// What one read gave: a one-line summary of the result, or the error's text.
    enum Outcome: Equatable { case read(String), failed(String) }

    /// Runs `body` on `file`, checking a thrown error is typed, one line and names the file.
    static func outcome(_ file: String, _ body: () throws -> String) -> Outcome {
        do {
            return .read(try body())
        } catch let error as FileFormatError {
            #expect(error.file == file)
            #expect(!error.description.contains("\n"), "\(error)")
            return .failed(error.description)
        } catch let error as HDF5Error {
            #expect(error.file == file)
            #expect(!error.description.contains("\n"), "\(error)")
            return .failed(error.description)
        } catch {
            Issue.record("\(file): untyped error \(error)")
            return .failed("\(error)")
        }
    }

    /// Checks that `counts` of elements fit the file: no array can hold more elements than the file has bytes.
    static func sane(_ counts: [Int], _ shapes: [(Int, Int)], file: String, bytes: Int) -> String {
        #expect(counts.reduce(0, +) <= bytes, "\(file): \(counts.reduce(0, +)) elements from \(bytes) bytes")
        for ((rows, cols), count) in zip(shapes, counts) { #expect(rows * cols == count, "\(file): \(rows)×\(cols) holding \(count)") }
        return shapes.map { "\($0.0)x\($0.1)" }.joined(separator: ",")
    }

    /// Every reader of a checkpoint or a dump, once each, on `file` of `bytes` bytes.
    static func readEverything(_ file: String, bytes: Int) -> [Outcome] {
        [
            outcome(file) {
                let model = try Checkpoint.read(from: file).model
                #expect(model.shapeProblems().isEmpty)
                let weights = model.layers.map(\.weight) + model.heads.map(\.weight)
                return sane(weights.map(\.storage.count), weights.map { ($0.rows, $0.cols) }, file: file, bytes: bytes)
            },
            outcome(file) {
                let weights = try Checkpoint.readWeights(from: file).map(\.weight)
                return sane(weights.map(\.storage.count), weights.map { ($0.rows, $0.cols) }, file: file, bytes: bytes)
            },
            outcome(file) {
                let weights = try Checkpoint.readWeightsWithLibrary(from: file).map(\.weight)
                return sane(weights.map(\.storage.count), weights.map { ($0.rows, $0.cols) }, file: file, bytes: bytes)
            },
            outcome(file) {
                let dump = try ActivationDumpReader(path: file).readAll()
                let matrices = [dump.inputs, dump.targets, dump.outputs]
                    + dump.layers.flatMap { [$0.post, $0.pre] + [$0.pooled, $0.pooledPre].compactMap { $0 } }
                return sane(matrices.map(\.storage.count), matrices.map { ($0.rows, $0.cols) }, file: file, bytes: bytes)
            },
        ]
    }

    @Test func everyMutantReadsOrFailsCleanlyAndAlike() throws {
        let directory = try temporaryDirectory()
        let corpus = try Mutant.corpus()
        #expect(!corpus.isEmpty)
        // With NNPROBE_FUZZ_TRACE set, each mutant's name goes to stderr before it is read: the
        // last one printed before a crash is the file that crashed.
        let trace = ProcessInfo.processInfo.environment["NNPROBE_FUZZ_TRACE"] != nil
        let only = ProcessInfo.processInfo.environment["NNPROBE_FUZZ_ONLY"]   // one mutant, by name
        for mutant in corpus where only == nil || mutant.name == only {
            if trace { FileHandle.standardError.write(Data("fuzz: \(mutant.name) (\(HDF5Library.openObjectCount()) HDF5 objects open)\n".utf8)) }
            let path = try mutant.write(in: directory)
            let size = try mutant.bytes().count
            let first = Self.readEverything(path, bytes: size)
            #expect(Self.readEverything(path, bytes: size) == first, "\(mutant): two reads differ")
            try? FileManager.default.removeItem(atPath: path)
        }
        // Every file and object a failed read opened has been closed again. Suites running beside
        // this one hold objects for moments (the count is the process's): wait for a moment with
        // none; a leaked object never goes.
        let deadline = Date().addingTimeInterval(60)
        while HDF5Library.openObjectCount() != 0, Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        #expect(HDF5Library.openObjectCount() == 0)
    }
}

/// The damage issue 19 reported, one file each: one clean `FileFormatError` naming the file.
@Suite struct DamagedShapeTests {
    /// `fixture` with its first dataspace of `shape` declaring `value` at `axis`, written to a temporary file.
    func damaged(_ fixtureName: String, shape: [UInt64], axis: Int, to value: UInt64) throws -> String {
        let bytes = [UInt8](try Data(contentsOf: fixtureURL(fixtureName)))
        let offsets = dimensionOffsets(of: shape, in: bytes)
        #expect(!offsets.isEmpty, "no dataspace of shape \(shape) in \(fixtureName)")
        let path = try temporaryDirectory().appendingPathComponent("damaged.h5").path
        try Data(setting(value, at: offsets[0] + 8 * axis, in: bytes)).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// The problem every checkpoint reader reports for `path`: each must throw a one-line
    /// `FileFormatError` naming the file.
    func problems(_ path: String) -> [String] {
        let readers: [() throws -> Void] = [
            { _ = try Checkpoint.read(from: path) },
            { _ = try Checkpoint.readWeights(from: path) },
            { _ = try Checkpoint.readWeightsWithLibrary(from: path) },
        ]
        return readers.map { read in
            do {
                try read()
                Issue.record("\(path) was read")
                return ""
            } catch let error as FileFormatError {
                #expect(error.file == path)
                #expect(!error.description.contains("\n"))
                return error.problem
            } catch {
                Issue.record("untyped error \(error)")
                return ""
            }
        }
    }

    /// A weight's leading dimension set to 2^63 − 1: the element count overflows (it used to wrap,
    /// size a tiny buffer and have HDF5 write past it).
    @Test func dimensionOf2To63Minus1IsOneError() throws {
        let path = try damaged("h5py_multihead.h5", shape: [2, 16], axis: 0, to: UInt64(Int64.max))
        for problem in problems(path) { #expect(problem.contains("more elements than can be counted"), "\(problem)") }
    }

    /// 2^45 rows: more bytes than the file has (it used to fail allocating, or hang).
    @Test func dimensionOf2To45IsOneError() throws {
        let path = try damaged("h5py_multihead.h5", shape: [2, 16], axis: 0, to: 1 << 45)
        for problem in problems(path) {
            #expect(problem == "/model/head_0/weight: cannot read dataset: shape [35184372088832, 16] needs 2251799813685248 bytes, but 128 are stored")
        }
    }

    /// 2 × 16 stored, 3 × 16 declared: a read past the stored data (σ₁ = 4.8e13, exit 0 before).
    @Test func relabelled2x16As3x16IsOneError() throws {
        let path = try damaged("h5py_multihead.h5", shape: [2, 16], axis: 0, to: 3)
        for problem in problems(path) { #expect(problem.contains("needs 192 bytes, but 128 are stored"), "\(problem)") }
    }

    /// The same for a dimension past `Int.max` (2^64 − 1; HDF5 itself refuses to open it).
    @Test func dimensionPastIntMaxIsOneError() throws {
        let path = try damaged("h5py_multihead.h5", shape: [2, 16], axis: 1, to: .max)
        #expect(problems(path).allSatisfy { $0.hasPrefix("/model/head_0/weight: cannot open dataset") })
    }

    /// The same damaged file read twice gives the same error text.
    @Test func sameDamagedFileGivesSameErrorTwice() throws {
        for value: UInt64 in [3, 1 << 45, UInt64(Int64.max)] {
            let path = try damaged("fuzz/checkpoint.h5", shape: [8, 4], axis: 1, to: value)
            #expect(problems(path) == problems(path))
            let dump = try damaged("fuzz/dump.h5", shape: [32, 8], axis: 0, to: value)
            let size = try Data(contentsOf: URL(fileURLWithPath: dump)).count
            let once = FuzzTests.readEverything(dump, bytes: size)
            #expect(FuzzTests.readEverything(dump, bytes: size) == once)
        }
    }
}

/// A conv net's dump (format 2) with its first block's 4-D feature maps declared with more rows
/// than `n_map_rows`, 2^45 or 2^63 − 1 of them: one error naming the dataset, the same each time.
@Suite struct DamagedConvDumpTests {
    @Test func relabelledFeatureMapsAreOneErrorNamingThem() throws {
        for value: UInt64 in [3, 1 << 45, UInt64(Int64.max)] {
            let path = try DamagedShapeTests().damaged("fuzz/conv-dump.h5", shape: [2, 2, 14, 14], axis: 0, to: value)
            let size = try Data(contentsOf: URL(fileURLWithPath: path)).count
            let once = FuzzTests.readEverything(path, bytes: size)
            guard case .failed(let problem) = once[3] else { Issue.record("\(value): the dump was read"); continue }
            #expect(problem.contains("/layers/layer_0/post"), "\(problem)")
            #expect(FuzzTests.readEverything(path, bytes: size) == once)
        }
    }
}

/// Issue 19, item 7: an attribute message whose dataspace size field is damaged sends HDF5 1.10's
/// copy of its value past the message; the value read was different each run.
@Suite struct DamagedAttributeTests {
    @Test func attributeValuesPastTheirMessageAreOneErrorEveryTime() throws {
        var bytes = [UInt8](try Data(contentsOf: fixtureURL("h5py_multihead.h5")))
        let name = Array("n_heads\0".utf8)
        let at = try #require((8..<bytes.count - name.count).first { bytes[$0..<$0 + name.count].elementsEqual(name) })
        // Version-1 attribute message: version, reserved, name size, type size, dataspace size, name.
        #expect(bytes[at - 8] == 1 && bytes[at - 6] == UInt8(name.count))
        bytes[at - 1] = 0x3A
        let path = try temporaryDirectory().appendingPathComponent("n_heads.h5").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let readers: [() throws -> Void] = [
            { _ = try Checkpoint.read(from: path) },
            { _ = try Checkpoint.readWeights(from: path) },
            { _ = try Checkpoint.readWeightsWithLibrary(from: path) },
        ]
        for read in readers {
            for _ in 0..<3 {
                #expect(throws: FileFormatError.self) { try read() }
                do { try read() } catch {
                    #expect("\(error)".hasPrefix("\(path): /model: cannot open group: its object header is damaged"))
                }
            }
        }
    }
}

/// A global heap collection whose free space stops short of its end: HDF5 1.10 (and 2.0, through
/// h5py) loops forever reading any string of it; every reader gives one error instead.
@Suite struct DamagedHeapTests {
    @Test func freeSpaceShortOfTheCollectionsEndIsOneErrorNotAHang() throws {
        var bytes = [UInt8](try Data(contentsOf: fixtureURL("h5py_multihead.h5")))
        let collection = try #require((0..<bytes.count - 4).first { bytes[$0..<$0 + 4].elementsEqual("GCOL".utf8) })
        let field = { (at: Int) in (0..<8).reduce(0) { $0 | Int(bytes[at + $1]) << (8 * $1) } }
        let end = collection + field(collection + 8)
        // Objects: index (2), reference count (2), reserved (4), size (8), data padded to 8; index 0 is the free space.
        var position = collection + 16
        while bytes[position] != 0 || bytes[position + 1] != 0 { position += 16 + ((field(position + 8) + 7) & ~7) }
        #expect(field(position + 8) == end - position, "the free space reaches the collection's end")
        bytes[position + 8] ^= 0x41
        let path = try temporaryDirectory().appendingPathComponent("free-space.h5").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        for read in [{ _ = try Checkpoint.read(from: path) }, { _ = try Checkpoint.readWeights(from: path) }] {
            // Typed, one line, naming the file and the damage (the same outcome FuzzTests asks of every mutant).
            let outcome = FuzzTests.outcome(path) { try read(); return "read" }
            #expect(outcome == .failed("\(path): cannot read attributes: its object header is damaged (an attribute's value "
                                       + "reaches past its message or heap object, or a datatype contradicts itself)"))
        }
    }
}

