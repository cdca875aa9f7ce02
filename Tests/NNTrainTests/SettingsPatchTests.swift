import Foundation
import Testing
import NNTasks
@testable import NNTrain

/// The one home of a setting: `TrainingConfig`'s sections, their synthesised coding, and the
/// patch every source of settings (config files, recipes, flags) becomes.
@Suite struct SettingsPatchTests {
    /// A config with every optional setting given, so that every key appears when encoded.
    var everySettingGiven: TrainingConfig {
        var c = TrainingConfig()
        c.run.initFrom = "a.h5"
        c.run.teacher = "t.h5"
        c.data.trainSize = 1; c.data.valSize = 2; c.data.testSize = 3; c.data.noise = 0.1
        c.data.data = "d"; c.data.labelColumn = "y"; c.data.classSubset = try? ClassSubset([5, 6])
        return c
    }

    @Test func theKeysAreTheFieldsOfTheSections() throws {
        let keys = TrainingConfig.settingKeys
        #expect(Set(keys).count == keys.count, "two sections declare the same setting")
        let tree = try everySettingGiven.settingsTree()
        var encoded = Set(tree.keys.filter { $0 != "data" })
        if case .object(let data) = tree["data"] { encoded.formUnion(data.keys.map { "data." + $0 }) }
        #expect(encoded == Set(keys))
        #expect(keys.contains("batch_norm") && keys.contains("adam_eps") && keys.contains("data.train_size") && keys.contains("init_from"))
    }

    /// The stored form did not change when the settings moved into sections: one level of
    /// snake_case keys, data options under `data`, keys sorted as checkpoints store them.
    @Test func theStoredFormIsTheFlatLayoutOfFormatOne() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let text = String(decoding: try encoder.encode(TrainingConfig()), as: UTF8.self)
        #expect(text == #"{"activation":"relu","adam_eps":1e-08,"alpha":0.9,"batch_norm":false,"batch_size":128,"beta1":0.9,"#
            + #""beta2":0.999,"data":{"classes":2,"random_labels":false,"tolerance":0.05},"decay":0.1,"dropout":0,"epochs":20,"#
            + #""freeze":[],"gamma":0.1,"grad_steps":5,"hidden":[16],"initialization":"pytorch","lr":0.001,"#
            + #""match_multi_head_parameters":false,"momentum":0,"multi_head":false,"optimizer":"adam","reinit":[],"#
            + #""residual":false,"schedule":"constant","seed":0,"step_size":10,"task":"multi-mult","temperature":4,"#
            + #""weight_decay":0,"zero_init_residual":false}"#)
        let back = try JSONDecoder().decode(TrainingConfig.self, from: try JSONEncoder().encode(everySettingGiven))
        #expect(back == everySettingGiven)
    }

    @Test func aPartialTreeKeepsTheDefaultsAndNamesBadKeys() throws {
        let c = try JSONDecoder().decode(TrainingConfig.self, from: Data(#"{"lr":0.5,"data":{"classes":4},"initialization":"xavier"}"#.utf8))
        var expected = TrainingConfig()
        expected.optimization.lr = 0.5
        expected.data.classes = 4
        expected.model.initialization = .xavier
        #expect(c == expected)
        #expect(c.differences(from: TrainingConfig()).map(\.key) == ["data.classes", "initialization", "lr"])
        func failure(_ json: String) -> DecodingError? {
            do { _ = try JSONDecoder().decode(TrainingConfig.self, from: Data(json.utf8)); return nil } catch { return error as? DecodingError }
        }
        guard case .dataCorrupted(let unknown) = failure(#"{"batchNorm":true}"#) else { Issue.record("camelCase key accepted"); return }
        #expect(unknown.debugDescription.hasPrefix("unknown key 'batchNorm'; valid keys: activation, adam_eps"))
        guard case .typeMismatch(let type, let context) = failure(#"{"data":{"classes":"many"}}"#) else { Issue.record("no type error"); return }
        #expect(type == Int.self && context.codingPath.map(\.stringValue) == ["data", "classes"])
    }

    @Test func listsAndRangesSweepWhereTheSettingIsNotAList() throws {
        var patch = SettingsPatch()
        patch.set("hidden", .array([.integer(8), .integer(8)]))         // a list setting: one value
        patch.set("lr", .array([.number(0.1), .number(0.01)]))          // a sweep
        patch.set("data.train_size", .array([.integer(300)]))             // a list of one: one value
        patch.set("seed", .string("0..2"))                                // a range: a sweep, fastest
        let runs = try patch.runs(from: TrainingConfig())
        #expect(runs.count == 6)
        #expect(runs.map(\.config.optimization.lr) == [0.1, 0.1, 0.1, 0.01, 0.01, 0.01])
        #expect(runs.map(\.config.seed) == [0, 1, 2, 0, 1, 2])
        #expect(runs.allSatisfy { $0.config.model.hidden == [8, 8] && $0.config.data.trainSize == 300 })
        #expect(runs[4].sweep.map(\.key) == ["lr", "seed"] && runs[4].sweep.map(\.value) == [.number(0.01), .integer(1)])
        var shapes = SettingsPatch()
        shapes.set("hidden", .array([.array([.integer(4)]), .array([.integer(8), .integer(8)])]))
        #expect(try shapes.runs(from: TrainingConfig()).map(\.config.model.hidden) == [[4], [8, 8]])
        #expect(throws: DecodingError.self) { try patch.applied(to: TrainingConfig()) }
    }

    /// Strings read as a flag's value would be: recipes written with flag values keep working.
    @Test func stringsReadAsFlagValues() throws {
        var patch = SettingsPatch()
        patch.set("hidden", .string("16,16,16"))
        patch.set("epochs", .string("5"))
        patch.set("batch_norm", .string("true"))
        patch.set("data.label_column", .integer(3))                        // YAML's `label_column: 3`
        patch.set("dropout", .string("0,0.5"))
        patch.set("seed", .string("0..1,5"))
        let runs = try patch.runs(from: TrainingConfig())
        #expect(runs.count == 6 && runs.map(\.config.seed) == [0, 1, 5, 0, 1, 5])
        #expect(runs.map(\.config.model.dropout) == [0, 0, 0, 0.5, 0.5, 0.5])
        let first = runs[0].config
        #expect(first.model.hidden == [16, 16, 16] && first.optimization.epochs == 5 && first.model.batchNorm && first.data.labelColumn == "3")
        var extreme = SettingsPatch()   // a range whose width overflows is not a range
        extreme.set("seed", .string("-9223372036854775808..4"))
        #expect(throws: DecodingError.self) { try extreme.check(on: TrainingConfig()) }
        var bad = SettingsPatch()
        bad.set("epochs", .string("many"))
        #expect(throws: DecodingError.self) { try bad.check(on: TrainingConfig()) }
    }

    @Test func valuesAreReadAsSwiftHoldsThem() {
        var c = TrainingConfig()
        c.optimization.lr = 1
        c.data.trainSize = 300
        #expect(c.value(of: "lr") as? Double == 1.0 && "\(c.value(of: "lr")!)" == "1.0")
        #expect(c.value(of: "data.train_size") as? Int == 300)
        #expect(c.value(of: "data.noise") == nil && c.value(of: "seed") as? UInt64 == 0)
        #expect(c.value(of: "schedule") as? ScheduleKind == .constant)
    }

    /// Later patches win.
    @Test func mergingKeepsTheLaterValue() throws {
        var file = SettingsPatch(), flags = SettingsPatch()
        file.set("lr", .number(0.5)); file.set("epochs", .integer(3))
        flags.set("lr", .number(0.1))
        let merged = file.merging(flags)
        #expect(merged.entries.map(\.key) == ["epochs", "lr"])
        #expect(try merged.applied(to: TrainingConfig()).optimization.lr == 0.1)
        #expect(merged.tree == .object(["epochs": .integer(3), "lr": .number(0.1)]))
    }
}
