import Foundation
import Testing
@testable import NNTasks

@Suite struct FileTaskTests {
    let dir: URL
    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("nnprobe-tasks-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    func idx(_ dims: [Int], _ bytes: [UInt8], magicType: UInt8 = 0x08) -> Data {
        var data = Data([0, 0, magicType, UInt8(dims.count)])
        for d in dims { data += [UInt8(d >> 24 & 255), UInt8(d >> 16 & 255), UInt8(d >> 8 & 255), UInt8(d & 255)] }
        return data + bytes
    }

    func writeMNIST(train: Int, test: Int) throws {
        let pixels = { (n: Int) in (0..<(n * 4)).map { UInt8($0 % 256) } }
        try idx([train, 2, 2], pixels(train)).write(to: dir.appendingPathComponent("train-images-idx3-ubyte"))
        try idx([train], (0..<train).map { UInt8($0 % 10) }).write(to: dir.appendingPathComponent("train-labels-idx1-ubyte"))
        try idx([test, 2, 2], pixels(test)).write(to: dir.appendingPathComponent("t10k-images-idx3-ubyte"))
        try idx([test], (0..<test).map { UInt8($0 % 10) }).write(to: dir.appendingPathComponent("t10k-labels-idx1-ubyte"))
    }

    func load(_ name: String, _ configure: (inout TaskOptions) -> Void) throws -> (TaskDefinition, DataSplits) {
        var o = TaskOptions()
        configure(&o)
        return try TaskRegistry.load(name, options: o, seed: 0)
    }

    @Test func idxLoadsNormalisedImages() throws {
        try writeMNIST(train: 50, test: 20)
        let (task, splits) = try load("idx") { $0.data = dir.path }
        #expect(task.inputWidth == 4 && task.outputWidth == 10)
        #expect(splits.train.count == 45 && splits.validation.count == 5 && splits.test.count == 20)
        #expect(Array(splits.test.inputs.prefix(4)) == [0, 1, 2, 3].map { Float($0) / 255 })
        #expect(Array(splits.test.labels!.prefix(3)) == [0, 1, 2])
    }

    @Test func idxErrorsNameTheFile() throws {
        try writeMNIST(train: 10, test: 5)
        let labels = dir.appendingPathComponent("train-labels-idx1-ubyte")
        try idx([9], Array(repeating: 1, count: 9)).write(to: labels)
        var error = #expect(throws: TaskError.self) { try load("idx") { $0.data = dir.path } }
        #expect(error?.description.contains("has 10 images but") == true)
        try Data([1, 2, 3, 4, 5]).write(to: labels)
        error = #expect(throws: TaskError.self) { try load("idx") { $0.data = dir.path } }
        #expect(error?.description == "\(labels.path): not an IDX file (bad magic number)")
        try idx([10], Array(repeating: 1, count: 4)).write(to: labels)
        error = #expect(throws: TaskError.self) { try load("idx") { $0.data = dir.path } }
        #expect(error?.description.contains("truncated") == true)
        error = #expect(throws: TaskError.self) { try load("idx") { $0.data = dir.appendingPathComponent("none").path } }
        #expect(error?.description.contains("no such file") == true)
    }

    @Test func csvWithHeaderAndNamedLabel() throws {
        let file = dir.appendingPathComponent("d.csv")
        var text = "a,label,b\n"
        for i in 0..<40 { text += "\(i),\(i % 2 == 0 ? 7 : 3),\(Double(i) * 0.5)\n" }
        try text.write(to: file, atomically: true, encoding: .utf8)
        let (task, splits) = try load("csv") { $0.data = file.path; $0.labelColumn = "label" }
        #expect(task.inputWidth == 2 && task.outputWidth == 2)
        #expect(splits.train.count + splits.validation.count + splits.test.count == 40)
        #expect(Set(splits.train.labels!) == [0, 1])   // 3 → 0, 7 → 1
        // Standardised with the training split's statistics.
        let firstFeature = stride(from: 0, to: splits.train.inputs.count, by: 2).map { Double(splits.train.inputs[$0]) }
        #expect(abs(firstFeature.reduce(0, +) / Double(firstFeature.count)) < 1e-5)
    }

    @Test func csvErrorsNameTheLine() throws {
        let file = dir.appendingPathComponent("bad.csv")
        try "1,2,0\n3,x,1\n".write(to: file, atomically: true, encoding: .utf8)
        var error = #expect(throws: TaskError.self) { try load("csv") { $0.data = file.path } }
        #expect(error?.description == "\(file.path):2: 'x' is not a number")
        try "1,2,0\n3,4\n".write(to: file, atomically: true, encoding: .utf8)
        error = #expect(throws: TaskError.self) { try load("csv") { $0.data = file.path } }
        #expect(error?.description == "\(file.path):2: expected 3 fields, found 2")
        try "1,2,0.5\n".write(to: file, atomically: true, encoding: .utf8)
        error = #expect(throws: TaskError.self) { try load("csv") { $0.data = file.path } }
        #expect(error?.description == "\(file.path):1: label '0.5' is not an integer")
    }
}
