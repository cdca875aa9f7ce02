import Foundation
import NNAnalysis
import NNCheckpoint
import NNLinalg
import NNModel
import Testing
@testable import NNModelAnalyses

/// The nets and values of Fixtures/make_ablation_fixtures.py (numpy and h5py only).
struct AblationFixtures: @unchecked Sendable {   // immutable after loading
    let json: [String: Any]

    static let shared: AblationFixtures = {
        let url = Bundle.module.url(forResource: "Fixtures/ablation_reference", withExtension: "json")!
        return AblationFixtures(json: try! JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any])
    }()

    static func path(_ name: String) -> String { Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil)!.path }

    static func network(_ name: String) throws -> LayerNetwork<Double> {
        try LayerNetwork<Double>(LayerModel(Checkpoint.read(from: path(name)).model))
    }

    subscript(_ key: String) -> [String: Any] { json[key] as! [String: Any] }

    static func numbers(_ any: Any?) -> [Double] { (any as! [Any]).map { ($0 as! NSNumber).doubleValue } }
    static func rows(_ any: Any?) -> [[Double]] { (any as! [Any]).map { numbers($0) } }
    static func ints(_ any: Any?) -> [Int] { (any as! [Any]).map { ($0 as! NSNumber).intValue } }

    /// The planted nets' rows: 512 inputs and the planted net's outputs plus noise.
    var rows: ScoredRows {
        ScoredRows(inputs: Self.rows(json["inputs"]).flatMap { $0 }, inputWidth: 4, targets: Self.rows(json["targets"]).flatMap { $0 })
    }

    var bases: [Matrix<Double>] { (json["bases"] as! [Any]).map { Matrix(Self.rows($0)) } }
}

let twoTasks = [TaskOutputs(name: "task0", outputs: [0]), TaskOutputs(name: "task1", outputs: [1])]

/// Every value of `a` within `tolerance` of `b`, relative to max(1e-3, |b|).
func expectClose(_ a: [Double], _ b: [Double], _ tolerance: Double = 1e-9, _ what: String,
                 sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(a.count == b.count, "\(what): \(a.count) values, numpy \(b.count)", sourceLocation: sourceLocation)
    let worst = zip(a, b).map { abs($0 - $1) / max(1e-3, abs($1)) }.max() ?? 0
    #expect(worst <= tolerance, "\(what): \(a) vs numpy \(b)", sourceLocation: sourceLocation)
}

@Suite struct CausalUnitTests {
    let fixtures = AblationFixtures.shared
    /// The hidden layer's buffer in the planted nets: input, W x + b, its ReLU.
    let hidden = 2

    /// Base losses, every unit alone, two unit sets and a 2-D subspace, zero- and mean-ablated,
    /// against the reference's own forward pass.
    func expectAblationsMatch(_ network: LayerNetwork<Double>, buffer: String, rows: ScoredRows, units: Int,
                              sets: [[Int]], bases: [Matrix<Double>], reference: [String: Any]) throws {
        let extra = sets.map { (CausalUnitAnalysis.label($0), UnitAblation.Target.units($0)) }
            + bases.enumerated().map { ("basis \($0)", UnitAblation.Target.subspace($1)) }
        for mode in UnitAblation.Mode.allCases {
            let ablation = UnitAblation(network, buffer: network.buffer(named: buffer)!, rows: rows, tasks: twoTasks,
                                        loss: .mse, mode: mode, extra: extra)
            let expected = reference[mode.rawValue] as! [String: Any]
            expectClose(ablation.baseLosses, AblationFixtures.numbers(reference["base_losses"]), 1e-12, "base losses")
            expectClose(ablation.means, AblationFixtures.numbers(reference["means"]), 1e-12, "means")
            #expect(ablation.units.count == units)
            for (j, effect) in ablation.units.enumerated() {
                expectClose(effect.losses, AblationFixtures.rows(expected["units"])[j], 1e-9, "\(mode) unit \(j)")
            }
            for (k, effect) in ablation.extra.enumerated() {
                let want = k < sets.count ? AblationFixtures.rows(expected["sets"])[k] : AblationFixtures.rows(expected["subspaces"])[k - sets.count]
                expectClose(effect.losses, want, 1e-9, "\(mode) \(effect.label)")
            }
        }
    }

    @Test func plantedAndCrosswiredAblationsMatchNumpy() throws {
        for name in ["planted", "crosswired"] {
            let reference = fixtures[name]
            try expectAblationsMatch(AblationFixtures.network("\(name).h5"), buffer: "block0", rows: fixtures.rows, units: 11,
                                     sets: (fixtures.json["sets"] as! [Any]).map(AblationFixtures.ints), bases: fixtures.bases,
                                     reference: reference)
            let relative = UnitAblation(try AblationFixtures.network("\(name).h5"), buffer: hidden, rows: fixtures.rows, tasks: twoTasks,
                                        loss: .mse, mode: .mean).units.map(\.relativeIncrease)
            for (j, r) in relative.enumerated() {
                expectClose(r, AblationFixtures.rows((reference["mean"] as! [String: Any])["units_relative"])[j], 1e-8, "\(name) unit \(j) relative")
            }
        }
    }

    @Test func causalRolesSeparateTheTwinsWhereWeightsCannot() throws {
        func roles(_ name: String, mode: UnitAblation.Mode = .mean) throws -> (causal: [UnitRole], weights: [UnitRole]) {
            let checkpoint = try Checkpoint.read(from: AblationFixtures.path("\(name).h5"))
            let ablation = UnitAblation(try LayerNetwork<Double>(LayerModel(checkpoint.model)), buffer: hidden, rows: fixtures.rows,
                                        tasks: twoTasks, loss: .mse, mode: mode)
            let causal = ablation.units.map { UnitRole.causal(relativeIncrease: $0.relativeIncrease, tasks: ["task0", "task1"],
                                                              threshold: 0.95, floor: 0.01) }
            // ortho's rule: |w| · std(h) per task, std over the same rows (numpy's, population).
            let geometry = ReadoutGeometry(weight: checkpoint.model.layers[1].weight.converted(), tasks: twoTasks.map { ($0.name, $0.outputs) },
                                           unitStd: AblationFixtures.numbers(fixtures[name]["std"]), monoThreshold: 0.95)
            return (causal, geometry.units.map { UnitRole.fromWeights($0, tasks: ["task0", "task1"]) })
        }
        let planted = try roles("planted"), crosswired = try roles("crosswired")
        let designed = Array(repeating: "mono task0", count: 4) + Array(repeating: "mono task1", count: 4) + ["shared", "dead", "dead"]
        // The read-out weights cannot tell the twins apart: the same role for every unit.
        #expect(planted.weights.map(\.label) == designed)
        #expect(crosswired.weights.map(\.label) == designed)
        // Ablation can: the planted net's units do what was planted (all 11 agree with the weights);
        // the twin's cross-wired units serve no task (their removal lowers the loss).
        #expect(planted.causal.map(\.label) == designed)
        #expect(zip(planted.causal, planted.weights).filter { $0.agrees(with: $1) }.count == 11)
        #expect(crosswired.causal.map(\.label) == Array(repeating: "dead", count: 8) + ["shared", "dead", "dead"])
        #expect(zip(crosswired.causal, crosswired.weights).filter { $0.agrees(with: $1) }.count == 3)
        // The same classes as the reference's own rule.
        #expect(planted.causal.map(\.label) == fixtures["planted"]["classes"] as! [String])
        #expect(crosswired.causal.map(\.label) == fixtures["crosswired"]["classes"] as! [String])
        // Zero-ablating the constant unit shifts both outputs: shared, where mean-ablation (and the weights) say dead.
        #expect(try roles("planted", mode: .zero).causal[10].label == "shared")
    }

    @Test func underALeastSquaresReadOutAblationCostsTheAttributionSquared() throws {
        // The planted hidden layer under numpy's least-squares read-out, in Float64 throughout.
        let reference = fixtures["least_squares"]
        let planted = try Checkpoint.read(from: AblationFixtures.path("planted.h5")).model
        let network = try LayerNetwork<Double>(LayerStack(input: FeatureShape(channels: 4), blocks: [
            Block([.linear(outputs: 11), .activation(.relu)]), Block([.linear(outputs: 2)]),
        ]), seed: 0)
        let weight = AblationFixtures.rows(reference["weight"])
        network.parameters = (planted.layers[0].weight.storage + planted.layers[0].bias).map(Double.init)
            + weight.flatMap { $0 } + AblationFixtures.numbers(reference["bias"])
        let ablation = UnitAblation(network, buffer: hidden, rows: fixtures.rows, tasks: twoTasks, loss: .mse, mode: .mean)
        expectClose(ablation.baseLosses, AblationFixtures.numbers(reference["base_losses"]), 1e-12, "least-squares base losses")
        for (j, effect) in ablation.units.enumerated() {
            expectClose(effect.losses, AblationFixtures.rows(reference["units"])[j], 1e-9, "least-squares unit \(j)")
        }
        // ΔL_tj = (w_tj · std h_j)² (population std over the rows): ortho's attribution, squared.
        _ = network.evaluate(fixtures.rows.inputs, batch: fixtures.rows.count)
        let values = Array(network.values(ofBuffer: hidden)), n = Double(fixtures.rows.count)
        var std = [Double](repeating: 0, count: 11)
        for (k, v) in values.enumerated() { std[k % 11] += (v - ablation.means[k % 11]) * (v - ablation.means[k % 11]) / n }
        std = std.map { $0.squareRoot() }
        for (j, effect) in ablation.units.enumerated() {
            let attribution = (0..<2).map { weight[$0][j] * std[j] }
            let increase = zip(effect.losses, ablation.baseLosses).map { $0 - $1 }
            #expect(zip(increase, attribution).allSatisfy { abs($0 - $1 * $1) <= 1e-9 * max(1e-6, $1 * $1) }, "unit \(j): \(increase) vs \(attribution)")
            // So the causal shares are ortho's shares, each task's attribution over the root of its base loss.
            let role = UnitRole.causal(relativeIncrease: effect.relativeIncrease, tasks: ["task0", "task1"], threshold: 0.95, floor: 0)
            let scaled = (0..<2).map { abs(attribution[$0]) / ablation.baseLosses[$0].squareRoot() }
            if scaled.reduce(0, +) > 0 { expectClose(role.shares, scaled.map { $0 / scaled.reduce(0, +) }, 1e-6, "unit \(j) shares") }
        }
    }

    @Test func patchingMatchesNumpy() throws {
        let sets = (fixtures.json["patch_sets"] as! [Any]).map(AblationFixtures.ints)
        let targets = sets.map { (CausalUnitAnalysis.label($0), UnitAblation.Target.units($0)) }
            + fixtures.bases.map { ("basis", UnitAblation.Target.subspace($0)) }
        for name in ["planted", "crosswired"] {
            let reference = fixtures[name]["patching"] as! [String: Any]
            let patching = ActivationPatching(try AblationFixtures.network("\(name).h5"), buffer: hidden, rows: fixtures.rows,
                                              tasks: twoTasks, targets: targets)
            #expect(patching.pairs == 512)
            expectClose(patching.rmsDifference, AblationFixtures.numbers(reference["rms_difference"]), 1e-12, "\(name) A − B")
            for (patch, want) in zip(patching.patches, reference["patches"] as! [[String: Any]]) {
                expectClose(patch.rmsChange, AblationFixtures.numbers(want["rms_change"]), 1e-9, "\(name) \(patch.label) rms")
                expectClose(patch.relativeChange, AblationFixtures.numbers(want["relative_change"]), 1e-9, "\(name) \(patch.label) relative")
                expectClose(patch.taskRelativeChange, AblationFixtures.numbers(want["task_relative_change"]), 1e-9, "\(name) \(patch.label) per task")
            }
            // Patching the units only output 0 reads moves output 0 most of the way and output 1 not at all.
            #expect(patching.patches[0].rmsChange[1] == 0 && patching.patches[0].relativeChange[0] > 0.5)
            #expect(patching.patches[1].rmsChange[0] == 0 && patching.patches[1].relativeChange[1] > 0.5)
        }
    }

    @Test func deeperLayersAndPreActivationsMatchNumpy() throws {
        let deep = fixtures["deep"]
        let rows = ScoredRows(inputs: fixtures.rows.inputs, inputWidth: 4, targets: AblationFixtures.rows(deep["targets"]).flatMap { $0 })
        let bases = (deep["bases"] as! [Any]).map { Matrix(AblationFixtures.rows($0)) }
        for (key, buffer) in [("post0", "block0"), ("pre1", "block1.main.0")] {
            let reference = deep[key] as! [String: Any]
            let network = try AblationFixtures.network("deep.h5")
            try expectAblationsMatch(network, buffer: buffer, rows: rows, units: 6, sets: [[1, 2]], bases: bases, reference: reference)
            let patching = ActivationPatching(network, buffer: network.buffer(named: buffer)!, rows: rows, tasks: twoTasks,
                                              targets: [("units 0,5", .units([0, 5])), ("basis", .subspace(bases[0]))])
            for (patch, want) in zip(patching.patches, (reference["patching"] as! [String: Any])["patches"] as! [[String: Any]]) {
                expectClose(patch.rmsChange, AblationFixtures.numbers(want["rms_change"]), 1e-9, "\(key) \(patch.label) rms")
            }
        }
    }

    @Test func convChannelsAreAblatedAtEveryPosition() throws {
        let conv = fixtures["conv"]
        let stack = LayerStack(input: FeatureShape(channels: 1, height: 5, width: 5), blocks: [
            Block([.conv2d(channels: 3, kernel: 3, padding: 1), .activation(.relu), .globalAvgPool, .linear(outputs: 2)]),
        ])
        let network = try LayerNetwork<Double>(stack, seed: 0)
        let parameters = conv["parameters"] as! [String: Any]
        network.parameters = ["conv_w", "conv_b", "lin_w", "lin_b"].flatMap { AblationFixtures.numbers(parameters[$0]) }
        #expect(network.tensors.map(\.name) == ["block0.main.0.weight", "block0.main.0.bias", "block0.main.3.weight", "block0.main.3.bias"])
        let rows = ScoredRows(inputs: AblationFixtures.rows(conv["inputs"]).flatMap { $0 }, inputWidth: 25,
                              targets: AblationFixtures.rows(conv["targets"]).flatMap { $0 })
        let basis = Matrix(AblationFixtures.rows(conv["basis"]))
        let buffer = network.buffer(named: "block0.main.1")!
        for mode in UnitAblation.Mode.allCases {
            let ablation = UnitAblation(network, buffer: buffer, rows: rows, tasks: twoTasks, loss: .mse, mode: mode,
                                        eachUnit: false, extra: [("channel 1", .units([1])), ("basis", .subspace(basis))])
            let want = conv[mode.rawValue] as! [String: Any]
            expectClose(ablation.baseLosses, AblationFixtures.numbers(conv["base_losses"]), 1e-12, "conv base")
            expectClose(ablation.extra[0].losses, AblationFixtures.numbers(want["channel1"]), 1e-9, "conv \(mode) channel 1")
            expectClose(ablation.extra[1].losses, AblationFixtures.numbers(want["subspace"]), 1e-9, "conv \(mode) subspace")
        }
        let patching = ActivationPatching(network, buffer: buffer, rows: rows, tasks: twoTasks,
                                          targets: [("channel 0", .units([0])), ("basis", .subspace(basis))])
        for (patch, key) in zip(patching.patches, ["patch_channel0", "patch_subspace"]) {
            let want = conv[key] as! [String: Any]
            expectClose(patch.rmsChange, AblationFixtures.numbers(want["rms_change"]), 1e-9, "conv \(key) rms")
            expectClose(patch.relativeChange, AblationFixtures.numbers(want["relative_change"]), 1e-9, "conv \(key) relative")
        }
    }

    @Test func principalDirectionsMatchNumpy() throws {
        let subspace = fixtures["subspace"]
        let contexts = AblationFixtures.ints(subspace["contexts"]).map(Int32.init)
        let network = try AblationFixtures.network("planted.h5")
        let basis = try LayerSubspace.principalDirections(network, buffer: hidden, inputs: fixtures.rows.inputs, contexts: contexts, k: 3)
        let projector = basis.transposed * basis
        expectClose(projector.storage, AblationFixtures.rows(subspace["projector"]).flatMap { $0 }, 1e-8, "projector onto the top 3")
        // Orthonormal rows.
        let gram = basis * basis.transposed
        expectClose(gram.storage, Matrix<Double>.identity(3).storage, 1e-12, "VVᵀ")
    }

    @Test func checkpointAnalysisOnTheRebuiltTask() throws {
        let checkpoint = try Checkpoint.read(from: AblationFixtures.path("planted.h5"))
        let task = try CheckpointTask(checkpoint)
        var settings = CausalUnitAnalysis.Settings()
        settings.units = [0, 4]
        settings.topK = 2
        settings.patch = true
        let analysis = try CausalUnitAnalysis(checkpoint, task: task, settings: settings)
        #expect(analysis.layer == "layer_0" && analysis.width == 11 && analysis.readout == "layer_1")
        #expect(analysis.rowsDescription == "test split" && analysis.rowCount == task.splits.test.count)
        #expect(analysis.groups.map(\.label) == ["units 0,4", "task0 top-2", "task1 top-2"])
        // Units that output 1 does not read leave task1's loss exactly as it was, whatever the data.
        for j in 0..<4 { #expect(analysis.units[j].losses[1] == analysis.baseLosses[1]) }
        #expect(analysis.units[9].causal.kind == .dead && analysis.units[9].weights?.kind == .dead)
        #expect(analysis.units.allSatisfy { $0.weights != nil } && analysis.agreement?.compared == 11)
        let patches = analysis.patching!.patches.map(\.label)
        #expect(patches.suffix(3) == ["units 0,4", "task0 top-2", "task1 top-2"])
        // Probe grids: every sub-task's, scored against x0·x1 and x2·x3.
        settings = CausalUnitAnalysis.Settings()
        settings.rows = .probes
        settings.gridSize = 5
        settings.contexts = 2
        let probes = try CausalUnitAnalysis(checkpoint, task: task, settings: settings)
        #expect(probes.rowCount == 2 * 25 * 2 && probes.rowsDescription == "probe grids of task0, task1")
    }

    @Test func settingsOutOfRangeAreNamed() throws {
        let checkpoint = try Checkpoint.read(from: AblationFixtures.path("deep.h5"))
        let task = try CheckpointTask(checkpoint)
        func problem(_ change: (inout CausalUnitAnalysis.Settings) -> Void) -> AnalysisError? {
            var settings = CausalUnitAnalysis.Settings()
            change(&settings)
            do { _ = try CausalUnitAnalysis(checkpoint, task: task, settings: settings); return nil } catch { return error as? AnalysisError }
        }
        #expect(problem { $0.layer = .index(2) } == .activationLayerOutOfRange(2, count: 2))
        #expect(problem { $0.layer = .name("layer_5") } == .activationLayerOutOfRange(5, count: 2))
        #expect(problem { $0.units = [3, 6] } == .unitOutOfRange(6, layer: "layer_1", width: 6))
        #expect(problem { $0.topK = 7 } == .topKTooLarge(7, layer: "layer_1", width: 6))
        guard case .unknownLayerName("block9", let valid) = problem({ $0.layer = .name("block9") }) else {
            Issue.record("an unknown name is refused with the names there are")
            return
        }
        #expect(valid == ["layer_0", "layer_1", "block0.main.0", "block0.main.1", "block0", "block1.main.0", "block1.main.1",
                          "block1.add", "block1", "block2.main.0", "block2"])
        // Models the analysis cannot run: a single linear map, the wrong output width, another batch-norm ε.
        let config = #"{"task":"multi-mult","seed":0}"#
        func refusal(_ model: MLP) -> AnalysisError? {
            let checkpoint = Checkpoint(task: "multi-mult", seed: 0, config: config, model: model)
            do { _ = try CausalUnitAnalysis(checkpoint, task: CheckpointTask(checkpoint), settings: .init()); return nil } catch { return error as? AnalysisError }
        }
        #expect(refusal(Architecture(inputs: 4, hidden: [], outputs: 2).build(seed: 1)) == .noHiddenLayer)
        #expect(refusal(Architecture(inputs: 4, hidden: [5], outputs: 3).build(seed: 1))
                == .outputWidthMismatch(modelOutputs: 3, task: "multi-mult", taskOutputs: 2))
        var normed = Architecture(inputs: 4, hidden: [5], outputs: 2)
        normed.settings.batchNorm = true
        var model = normed.build(seed: 1)
        model.layers[0].batchNorm!.eps = 1e-3
        #expect(refusal(model) == .modelUnsupported(reason: "its batch norm has ε 0.001, momentum 0.1; causal tests run batch norm with ε 1e-5, momentum 0.1 only"))
        var broken = Architecture(inputs: 4, hidden: [5], outputs: 2).build(seed: 1)
        broken.layers[1].bias[1] = .infinity
        #expect(refusal(broken) == .nonFiniteWeights(tensor: "layer_1.bias"))
        // A named step inside a block: no read-out reads it, so no weight-based roles.
        let named = try CausalUnitAnalysis(checkpoint, task: task, settings: { var s = CausalUnitAnalysis.Settings(); s.layer = .name("block1.main.0"); return s }())
        #expect(named.layer == "block1.main.0" && named.readout == nil && named.agreement == nil)
    }
}
