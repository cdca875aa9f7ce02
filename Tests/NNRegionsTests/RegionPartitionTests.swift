import Foundation
import NNLinalg
import NNModel
import Testing
@testable import NNRegions

/// A ReLU layer followed by a linear output, from explicit rows (a_u, a_v, c).
func oneLayer(_ lines: [[Double]], outputs: Int = 1) -> MLP {
    let hidden = DenseLayer(weight: Matrix(rows: lines.count, cols: 2, storage: lines.flatMap { [Float($0[0]), Float($0[1])] }),
                            bias: lines.map { Float($0[2]) }, activation: .relu)
    let out = DenseLayer(weight: Matrix(rows: outputs, cols: lines.count, repeating: 1), bias: Array(repeating: 0, count: outputs),
                         activation: .identity)
    return MLP(layers: [hidden, out])
}

func partition(_ model: MLP, box: [Double] = [-1, 1, -1, 1]) throws -> RegionPartition {
    RegionPartition(try PiecewiseLinearNet(model), slice: .axes(0, 1, through: [0, 0], box: box))
}

func binomial2(_ n: Int) -> Int { n * (n - 1) / 2 }

@Suite struct RegionPartitionTests {
    @Test(arguments: [1, 2, 5, 9, 16])
    func linesInGeneralPosition(n: Int) throws {
        // Lines through points near the origin at spread angles: every intersection lies well inside the box.
        var rng = RandomSource(seed: UInt64(n))
        let lines = (0..<n).map { k -> [Double] in
            let angle = Double.pi * (Double(k) + rng.uniform(0.1, 0.9)) / Double(n)
            let (pu, pv) = (rng.uniform(-0.3, 0.3), rng.uniform(-0.3, 0.3))
            return [cos(angle), sin(angle), -(cos(angle) * pu + sin(angle) * pv)]
        }
        let p = try partition(oneLayer(lines), box: [-200, 200, -200, 200])
        #expect(p.regions.count == 1 + n + binomial2(n))
        #expect(Int(RegionBounds.hyperplaneArrangement(inputs: 2, hyperplanes: n)) == 1 + n + binomial2(n))
    }

    @Test func zeroWeightUnitSplitsNothing() throws {
        let lines: [[Double]] = [[1, 0, 0], [0, 1, 0], [0, 0, 0.5], [0, 0, -0.5], [0, 0, 0]]
        #expect(try partition(oneLayer(lines)).regions.count == 4)
    }

    @Test func parallelLinesGiveNPlusOne() throws {
        let lines = (0..<6).map { [1.0, 2.0, -0.2 * Double($0) + 0.5] }
        #expect(try partition(oneLayer(lines), box: [-3, 3, -3, 3]).regions.count == 7)
        // Coincident copies of a line add nothing.
        #expect(try partition(oneLayer([[1, 1, 0], [2, 2, 0], [-1, -1, 0]])).regions.count == 2)
    }

    @Test func linesThroughVerticesAndAlongEdgesMakeNoSlivers() throws {
        // Two diagonals through the corners make 4 triangles; u = 0 through the centre splits two
        // of them (6); the lines along the right and bottom edges add nothing.
        let lines: [[Double]] = [[1, 1, 0], [1, -1, 0], [1, 0, -1], [0, 1, 1], [1, 0, 0]]
        let p = try partition(oneLayer(lines))
        #expect(abs(p.totalArea - 4) < 1e-12)
        #expect(p.regions.allSatisfy { $0.polygon.area > 1e-6 })
        #expect(p.regions.count == 6)
    }

    @Test func handBuiltTwoLayerNet() throws {
        // Layer 1: relu(u), relu(v) — quadrants. Layer 2: relu(h1 + h2 − 1) splits three of them
        // (u + v = 1 in (+,+), u = 1 in (+,−), v = 1 in (−,+)); (−,−) stays whole: 4 + 3 = 7.
        let l1 = DenseLayer(weight: Matrix([[1, 0], [0, 1]]), bias: [0, 0], activation: .relu)
        let l2 = DenseLayer(weight: Matrix([[1, 1]]), bias: [-1], activation: .relu)
        let out = DenseLayer(weight: Matrix([[1]]), bias: [0], activation: .identity)
        let p = try partition(MLP(layers: [l1, l2, out]), box: [-2, 2, -2, 2])
        #expect(p.countsAfterLayer == [4, 7, 7])
    }

    @Test func regionsTileTheBoxAndCarryTheirPatterns() throws {
        let model = RegionPartitionTests.batchNormResidualMLP()
        let net = try PiecewiseLinearNet(model)
        let p = RegionPartition(net, slice: .axes(0, 1, through: [0, 0], box: [-2, 2, -2, 2]))
        #expect(p.regions.count > 20)
        #expect(abs(p.totalArea - 16) <= 1e-9 * 16)
        #expect(Set(p.regions.map(\.pattern)).count == p.regions.count)   // a pattern's region is convex: never two
        for region in p.regions {
            let (u, v) = region.polygon.interiorPoint
            let (pattern, output) = net.evaluate([u, v])
            #expect(pattern == region.pattern)
            for o in 0..<3 {
                let affine = region.outputMap[3 * o] * u + region.outputMap[3 * o + 1] * v + region.outputMap[3 * o + 2]
                #expect(abs(affine - output[o]) < 1e-9 * max(1, abs(output[o])))
            }
        }
        // Independent check by sampling: grids never exceed the exact count and approach it.
        let sampler = SampledPatterns(model)
        let coarse = sampler.onGrid(p.slice, size: 32), fine = sampler.onGrid(p.slice, size: 512)
        #expect(coarse <= fine && fine <= p.regions.count)
        #expect(Double(fine) >= 0.9 * Double(p.regions.count))
    }

    @Test func multiHeadOutputsAreSummed() throws {
        var a = Architecture(inputs: 2, hidden: [6, 6], outputs: 2)
        a.multiHead = true
        let model = a.build(seed: 8)
        let net = try PiecewiseLinearNet(model)
        let p = RegionPartition(net, slice: .axes(0, 1, through: [0, 0], box: [-1, 1, -1, 1]))
        let reference = LayerNetwork<Double>(model)
        for region in p.regions {
            let (u, v) = region.polygon.interiorPoint
            var none = RandomSource(seed: 0)
            let out = reference.forward([u, v], batch: 1, training: false, dropout: &none)
            for o in 0..<2 {
                #expect(abs(region.outputMap[3 * o] * u + region.outputMap[3 * o + 1] * v + region.outputMap[3 * o + 2] - out[o]) < 1e-9)
            }
        }
    }

    @Test func segmentCountsTheLinesItCrosses() throws {
        let lines = (0..<5).map { [1.0, 0.0, -0.3 * Double($0)] }   // u = 0, 0.3, …, 1.2
        let net = try PiecewiseLinearNet(oneLayer(lines))
        #expect(regionsAlongSegment(net, from: [-1, 0], to: [1, 0.5]) == 5)    // crosses u = 0, 0.3, 0.6, 0.9
        #expect(regionsAlongSegment(net, from: [-1, 0], to: [-0.5, 0]) == 1)
        var a = Architecture(inputs: 5, hidden: [16, 16], outputs: 1)
        a.initialization = .kaimingNormal
        let deep = try PiecewiseLinearNet(a.build(seed: 1))
        let along = regionsAlongSegment(deep, from: [-1, -1, -1, -1, -1], to: [1, 1, 1, 1, 1])
        let sampled = SampledPatterns(a.build(seed: 1)).count(20_000) { i in
            let t = (Double(i) + 0.5) / 20_000
            return (0..<5).map { _ in -1 + 2 * t }
        }
        #expect(sampled <= along && along <= sampled + 2)
    }

    @Test func nonPiecewiseLinearActivationsAreRefused() {
        var a = Architecture(inputs: 2, hidden: [4], outputs: 1)
        a.activation = .tanh
        #expect(throws: RegionError.self) { try PiecewiseLinearNet(a.build(seed: 0)) }
    }

    @Test func boundsMatchTheirFormulas() {
        #expect(RegionBounds.hyperplaneArrangement(inputs: 2, hyperplanes: 16) == 137)
        #expect(RegionBounds.serra(inputs: 2, widths: [16]) == 137)
        // Serra et al.'s bound for n0 = 1 is Π (n_l + 1) (each layer adds at most n_l breakpoints per piece).
        #expect(RegionBounds.serra(inputs: 1, widths: [3, 4]) == 20)
        // Montúfar: ⌊4/2⌋² · (1 + 4 + 6) = 44 for n0 = 2, widths [4, 4].
        #expect(RegionBounds.montufar(inputs: 2, widths: [4, 4]) == 44)
        #expect(RegionBounds.serra(inputs: 2, widths: [4, 4]) >= 44)
        // A layer narrower than the input (2-1-16): the construction in a 1-dimensional subspace,
        // ⌊1/1⌋¹ · (1 + 16) = 17, not 0; and never above Serra's upper bound (18 here).
        #expect(RegionBounds.montufar(inputs: 2, widths: [1, 16]) == 17)
        #expect(RegionBounds.serra(inputs: 2, widths: [1, 16]) == 18)
        for widths in [[1, 16], [3, 2, 8], [2, 5, 5], [6, 1, 6]] {
            #expect(RegionBounds.montufar(inputs: 3, widths: widths) >= 1)
            #expect(RegionBounds.montufar(inputs: 3, widths: widths) <= RegionBounds.serra(inputs: 3, widths: widths))
        }
    }
}

@Suite struct DecisionBoundaryTests {
    @Test func twoClassBoundaryIsTheLineWhereLogitsMeet() throws {
        // Linear classifier: logits (u, −u) → boundary u = 0 across the box, length 2.
        let hidden = DenseLayer(weight: Matrix([[1, 0], [-1, 0]]), bias: [0, 0], activation: .identity)
        let out = DenseLayer(weight: Matrix([[1, 0], [0, 1]]), bias: [0, 0], activation: .identity)
        let p = try partition(MLP(layers: [hidden, out]))
        let boundary = DecisionBoundary(p)
        #expect(abs(boundary.length - 2) < 1e-9)
        #expect(boundary.cells[0].count == 2)
    }

    @Test func boundaryOfAReluClassifierIsConsistentWithArgMax() throws {
        let model = Architecture(inputs: 2, hidden: [10, 10], outputs: 3).build(seed: 2)
        let net = try PiecewiseLinearNet(model)
        let p = RegionPartition(net, slice: .axes(0, 1, through: [0, 0], box: [-3, 3, -3, 3]))
        let boundary = DecisionBoundary(p)
        let cellArea = boundary.cells.flatMap { $0 }.reduce(0) { $0 + $1.polygon.area }
        #expect(abs(cellArea - 36) < 1e-9 * 36)
        for cells in boundary.cells {
            for (cell, label) in cells {
                let (u, v) = cell.interiorPoint
                let output = net.evaluate([u, v]).output
                #expect(output.indices.max { output[$0] < output[$1] } == label)
            }
        }
        // Each boundary segment's midpoint has two logits tied for the maximum.
        for s in boundary.segments {
            let out = net.evaluate([(s[0] + s[2]) / 2, (s[1] + s[3]) / 2]).output.sorted(by: >)
            #expect(abs(out[0] - out[1]) < 1e-7 * max(1, abs(out[0])))
        }
    }
}

extension RegionPartitionTests {
    /// A 2-12-12-12-3 MLP with batch norm (running statistics away from 0 and 1) and residual
    /// layers, seed 4: the net both partitions are checked on.
    static func batchNormResidualMLP() -> MLP {
        var a = Architecture(inputs: 2, hidden: [12, 12, 12], outputs: 3)
        a.batchNorm = true
        a.residual = true
        var model = a.build(seed: 4)
        for i in model.layers.indices where model.layers[i].batchNorm != nil {
            model.layers[i].batchNorm!.runningMean = (0..<12).map { Float($0) * 0.01 }
            model.layers[i].batchNorm!.runningVar = (0..<12).map { 0.5 + Float($0) * 0.1 }
        }
        return model
    }
}
