import Foundation
import Testing
@testable import NNCheckpoint

@Suite struct HDF5AttributeTests {
    @Test func everyAttributeKindRoundTrips() throws {
        let dir = try temporaryDirectory()
        let path = dir.appendingPathComponent("attrs.h5").path
        try HDF5File.createAtomically(path) { root in
            try root.setAttribute("name", "ünïcode ✓")
            try root.setAttribute("count", Int64(-3))
            try root.setAttribute("rate", 0.125)
            try root.setAttribute("widths", [Int64(16), 32])
            try root.setAttribute("gains", [1.5, -2.5])
            try root.setAttribute("small", Int32(9))
            try root.setAttribute("count", Int64(4))   // overwriting replaces
            let g = try root.createGroup("g")
            try g.writeDataset("bytes", [UInt8(1), 2, 3], shape: [3])
            try g.writeDataset("ints", [Int32(-1), 5], shape: [2, 1])
            try g.writeDataset("longs", [Int64.max], shape: [1])
            try g.writeDataset("doubles", [Double.pi], shape: [])
        }
        let root = try HDF5File.openForReading(path)
        #expect(try root.stringAttribute("name") == "ünïcode ✓")
        #expect(try root.integerAttribute("count") == 4)
        #expect(try root.doubleAttribute("rate") == 0.125)
        #expect(try root.attribute("widths") == .integers([16, 32]))
        #expect(try root.attribute("gains") == .floats([1.5, -2.5]))
        #expect(try root.integerAttribute("small") == 9)
        #expect(try root.attributeNames() == ["name", "rate", "widths", "gains", "small", "count"])
        let g = try root.group("g")
        #expect(try g.members() == ["bytes", "doubles", "ints", "longs"])
        #expect(try g.dataset("bytes").read(as: UInt8.self) == [1, 2, 3])
        #expect(try g.dataset("ints").shape() == [2, 1])
        #expect(try g.dataset("ints").read(as: Int32.self) == [-1, 5])
        #expect(try g.dataset("longs").read(as: Int64.self) == [Int64.max])
        #expect(try g.dataset("doubles").read(as: Double.self) == [Double.pi])
        #expect(try g.dataset("doubles").shape() == [])
        #expect(try g.dataset("ints").elementTypeName() == "int32")
        let wrongType = #expect(throws: HDF5Error.self) { try g.dataset("ints").read(as: Float.self) }
        #expect(wrongType?.description.contains("/g/ints") == true)
        let missing = #expect(throws: HDF5Error.self) { try g.dataset("nope") }
        #expect(missing?.description == "\(path): cannot open dataset /g/nope: no such dataset")
    }

    @Test func readsGzipChunkedData() throws {
        let dir = try temporaryDirectory()
        let path = dir.appendingPathComponent("gz.h5").path
        let values = (0..<3000).map { Float($0) / 7 }
        try HDF5File.createAtomically(path) { root in
            try root.writeDataset("x", values, shape: [1000, 3], chunkRows: 128, gzip: 4)
        }
        let dataset = try HDF5File.openForReading(path).dataset("x")
        #expect(try dataset.read(as: Float.self) == values)
        #expect(try dataset.readRows(990..<1000, as: Float.self) == Array(values[2970...]))
    }

    @Test func smallFilesOpenFromMemoryAndLargeOnesFromDisk() throws {
        let dir = try temporaryDirectory()
        // Below and above the size read whole (16 MiB), each file opened twice at once.
        for (name, count) in [("small.h5", 1000), ("large.h5", 5_000_000)] {
            let path = dir.appendingPathComponent(name).path
            let values = (0..<count).map { Float($0 % 977) - 0.5 }
            try HDF5File.createAtomically(path) { root in
                try root.setAttribute("count", Int64(count))
                try root.writeDataset("x", values, shape: [count])
            }
            let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int
            #expect((size > Int(HDF5File.wholeFileReadLimit)) == (count > 1000))
            let (first, second) = (try HDF5File.openForReading(path), try HDF5File.openForReading(path))
            #expect(try first.integerAttribute("count") == Int64(count))
            #expect(try first.dataset("x").read(as: Float.self) == values)
            #expect(try second.dataset("x").read(as: Float.self) == values)
        }
    }

    @Test func pathsBelowAGroupOpenAndMissingStepsAreNamed() throws {
        let dir = try temporaryDirectory()
        let path = dir.appendingPathComponent("paths.h5").path
        try HDF5File.createAtomically(path) { root in
            try root.createGroup("a").createGroup("b").writeDataset("x", [Float(1), 2], shape: [2])
        }
        let root = try HDF5File.openForReading(path)
        #expect(try root.dataset("a/b/x").read(as: Float.self) == [1, 2])
        #expect(try root.group("a/b").path == "/a/b")
        for missing in ["a/b/y", "a/c/x", "z/b/x", "a//x", "a/b/x/"] {
            do {
                _ = try root.dataset(missing)
                Issue.record("\(missing) opened")
            } catch let error as HDF5Error {
                #expect(error.message == "no such dataset" && error.object == "/\(missing)")
            }
        }
    }

    @Test func aFileWithoutTheSignatureIsNotHDF5() throws {
        let dir = try temporaryDirectory()
        let path = dir.appendingPathComponent("text.h5").path
        try Data("just text, long enough to hold a signature".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: HDF5File.OpenFailure.self) { try HDF5File.openForReading(path) }
    }
}
