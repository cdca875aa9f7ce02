import Testing
@testable import NNTasks

/// `Dataset.gather`, the copy behind every training batch, against `subset` (row slices
/// appended one by one): every row width it copies a different way (one vector per row for
/// 1, 2, 4, 8 and 16 values, value by value for other narrow rows, memmove for wide ones),
/// repeated and unordered rows, a slice that does not start at 0, and buffers reused across
/// batches of different sizes.
@Suite struct DatasetGatherTests {
    @Test(arguments: [1, 2, 3, 4, 5, 8, 12, 16, 17, 40])
    func gatherCopiesTheSameRowsAsSubset(width: Int) {
        let rows = 37
        let inputs = (0..<(rows * width)).map { Float($0) * 0.25 - 3 }
        let targets = (0..<(rows * 2)).map { Float($0) + 0.5 }
        let labels = (0..<rows).map { Int32(($0 * 7) % 5) }
        let order = [0, 36, 5, 5, 17, 2, 36, 9, 0, 30, 11, 23]
        var x: [Float] = [], t: [Float] = [], l: [Int32] = []
        for data in [Dataset(inputs: inputs, targets: targets, inputWidth: width, outputWidth: 2),
                     Dataset(inputs: inputs, labels: labels, inputWidth: width, outputWidth: 5)] {
            for indices in [order[...], order[3..<10], order[11...]] {
                data.gather(indices, inputs: &x, targets: &t, labels: &l)
                let expected = data.subset(indices)
                #expect(x == expected.inputs, "width \(width), rows \(Array(indices))")
                #expect(t == (expected.targets ?? []) && l == (expected.labels ?? []), "width \(width), rows \(Array(indices))")
            }
        }
    }
}
