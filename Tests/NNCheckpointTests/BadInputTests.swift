import Foundation
import Testing
import NNLinalg
@testable import NNCheckpoint

/// Each bad file gives one `FileFormatError` naming the file and the problem.
@Suite struct BadInputTests {
    let dir: URL
    init() throws { dir = try temporaryDirectory() }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    func problem(reading file: String) -> String? {
        do {
            _ = try Checkpoint.read(from: file)
            return nil
        } catch let error as FileFormatError {
            #expect(error.file == file)
            #expect(!error.description.contains("\n"))
            return error.problem
        } catch {
            Issue.record("unexpected error type: \(error)")
            return nil
        }
    }

    @Test func missingFile() {
        #expect(problem(reading: path("absent.h5")) == "no such file")
    }

    @Test func notHDF5() throws {
        try Data("weights,bias\n1,2\n".utf8).write(to: URL(fileURLWithPath: path("x.csv")))
        #expect(problem(reading: path("x.csv"))?.hasPrefix("not an HDF5 file") == true)
        try Data().write(to: URL(fileURLWithPath: path("empty.h5")))
        #expect(problem(reading: path("empty.h5"))?.hasPrefix("not an HDF5 file") == true)
    }

    @Test func hdf5ButNotNNProbe() throws {
        try HDF5File.createAtomically(path("other.h5")) { root in try root.setAttribute("creator", "keras") }
        #expect(problem(reading: path("other.h5"))?.contains("not nnprobe's") == true)
        try HDF5File.createAtomically(path("keras.h5")) { root in try root.setAttribute("format", "keras") }
        #expect(problem(reading: path("keras.h5")) == "format is 'keras', expected 'nnprobe.checkpoint' or 'nnprobe.activations'")
    }

    @Test func newerFormatVersion() throws {
        try HDF5File.createAtomically(path("v3.h5")) { root in
            try root.setAttribute("format", "nnprobe.checkpoint")
            try root.setAttribute("format_version", Int64(3))
        }
        #expect(problem(reading: path("v3.h5")) == "format_version 3 is newer than this nnprobe reads (2); upgrade nnprobe")
    }

    @Test func truncatedFile() throws {
        try sampleCheckpoint().write(to: path("full.h5"))
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path("full.h5")))
        for keep in [bytes.count / 2, 600, 5] {
            try bytes.prefix(keep).write(to: URL(fileURLWithPath: path("cut.h5")))
            let message = problem(reading: path("cut.h5"))
            #expect(message != nil, "truncated to \(keep) bytes was accepted")
        }
    }

    @Test func corruptedFile() throws {
        try sampleCheckpoint().write(to: path("full.h5"))
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path("full.h5")))
        // Overwrite everything after the superblock: object headers and data become garbage.
        for i in stride(from: 200, to: bytes.count, by: 1) { bytes[i] = UInt8(truncatingIfNeeded: i &* 131) }
        try bytes.write(to: URL(fileURLWithPath: path("bad.h5")))
        #expect(problem(reading: path("bad.h5")) != nil)
    }

    @Test func wrongShapes() throws {
        try HDF5File.createAtomically(path("shape.h5")) { root in
            try root.setAttribute("format", "nnprobe.checkpoint")
            try root.setAttribute("format_version", Int64(1))
            for (key, value) in [("nnprobe_version", "test"), ("created", "now"), ("task", "mult"), ("config", "{}")] {
                try root.setAttribute(key, value)
            }
            try root.setAttribute("seed", Int64(0))
            let model = try root.createGroup("model")
            try model.setAttribute("n_layers", Int64(2))
            for (index, (out, inp)) in [(16, 2), (1, 8)].enumerated() {
                let g = try model.createGroup("layer_\(index)")
                try g.setAttribute("activation", "relu")
                try g.writeDataset("weight", [Float](repeating: 0, count: out * inp), shape: [out, inp])
                try g.writeDataset("bias", [Float](repeating: 0, count: out), shape: [out])
            }
        }
        #expect(problem(reading: path("shape.h5")) == "model/layer_1: weight takes 8 inputs but layer_0 gives 16")
        // The weights-only read checks the chain too, on both its paths (issue 19).
        for read in [Checkpoint.readWeights(from:), { try Checkpoint.readWeightsWithLibrary(from: $0) }] {
            let error = #expect(throws: FileFormatError.self) { try read(path("shape.h5")) }
            #expect(error?.problem == "model/layer_1: weight takes 8 inputs but layer_0 gives 16")
        }
    }

    /// A head that reads a width its source layer does not give, for the weights-only read.
    @Test func headWidthMustMatchItsSourceLayer() throws {
        var checkpoint = sampleCheckpoint(multiHead: true)
        checkpoint.model.heads[1].weight = Matrix(rows: 2, cols: 4, storage: pattern(8))
        try checkpoint.write(to: path("head.h5"))
        for read in [Checkpoint.readWeights(from:), { try Checkpoint.readWeightsWithLibrary(from: $0) }] {
            let error = #expect(throws: FileFormatError.self) { try read(path("head.h5")) }
            #expect(error?.problem == "model/head_1: weight takes 4 inputs but layer_1 gives 16")
        }
    }

    /// A negative layer count is one error naming it, for the full read and the weights-only one.
    @Test func negativeLayerCount() throws {
        try HDF5File.createAtomically(path("negative.h5")) { root in
            try root.setAttribute("format", "nnprobe.checkpoint")
            try root.setAttribute("format_version", Int64(1))
            try root.createGroup("model").setAttribute("n_layers", Int64(-2))
        }
        #expect(problem(reading: path("negative.h5")) == "/model: n_layers is -2, not a count")
        let error = #expect(throws: FileFormatError.self) { try Checkpoint.readWeights(from: path("negative.h5")) }
        #expect(error?.problem == "/model: n_layers is -2, not a count")
    }

    @Test func missingObjectIsNamed() throws {
        try HDF5File.createAtomically(path("nomodel.h5")) { root in
            try root.setAttribute("format", "nnprobe.checkpoint")
            try root.setAttribute("format_version", Int64(1))
        }
        let message = problem(reading: path("nomodel.h5"))
        #expect(message?.contains("/model") == true)
    }
}
