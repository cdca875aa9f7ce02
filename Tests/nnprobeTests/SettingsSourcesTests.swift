import Foundation
import Testing
import NNTasks
import NNTrain
@testable import nnprobe

/// Config files, recipes and flags are three ways of writing one `SettingsPatch`: the same
/// settings written any of these ways plan the same runs.
@Suite struct SettingsSourcesTests {
    func planned(_ arguments: [String]) throws -> [(config: TrainingConfig, labels: [String])] {
        try Train.parse(arguments).plannedRuns().runs.map { ($0.config, $0.labels.map { "\($0.0)=\($0.1)" }) }
    }

    @Test func aConfigFileSweepsLikeFlags() throws {
        let yaml = try temporaryDirectory().appendingPathComponent("sweep.yaml")
        try "task: mult\nlr: [1, 0.01]\nseed: 0..1\nepochs: 1\nbatch_size: 50\ndata: {train_size: [200, 400]}\n"
            .write(to: yaml, atomically: true, encoding: .utf8)
        let fromFile = try planned(["--config", yaml.path])
        let fromFlags = try planned(["mult", "--lr", "1,0.01", "--seeds", "0..1", "--epochs", "1", "--batch-size", "50", "--train-size", "200,400"])
        #expect(fromFile.count == 8)
        #expect(fromFile.map(\.config) == fromFlags.map(\.config))
        #expect(fromFlags[0].labels == ["lr=1.0", "train-size=200", "seed=0"])
        #expect(fromFile.map(\.labels) == fromFlags.map(\.labels))
        // A flag overrides the file's list, and a file's seeds still vary fastest.
        let overridden = try planned(["--config", yaml.path, "--lr", "0.1"])
        #expect(overridden.count == 4 && overridden.allSatisfy { $0.config.optimization.lr == 0.1 })
        #expect(overridden.map(\.labels.last!) == ["seed=0", "seed=1", "seed=0", "seed=1"])
    }

    @Test func depthByWidthNestsOutsideTheOtherSweeps() throws {
        let runs = try planned(["mult", "--depth", "1,2", "--width", "8", "--seeds", "0..1"])
        #expect(runs.map(\.config.model.hidden) == [[8], [8], [8, 8], [8, 8]])
        #expect(runs.map(\.labels) == [["depth=1", "seed=0"], ["depth=1", "seed=1"], ["depth=2", "seed=0"], ["depth=2", "seed=1"]])
    }

    @Test func badConfigValuesNameTheFileAndTheKey() throws {
        let yaml = try temporaryDirectory().appendingPathComponent("bad.yaml")
        try "lr: [0.1, fast]\n".write(to: yaml, atomically: true, encoding: .utf8)
        let result = try runNNProbe(["train", "--config", yaml.path])
        #expect(result.status == 1 && result.stderr.contains("\(yaml.path): 'lr': expected a number"), "\(result.stderr)")
    }

    @Test func commandStepsSplitIntoWordsBeforePlaceholdersAreFilled() {
        #expect(Recipe.words(#"summary {s} --by "batch size" --plot '{out}/a b.svg'"#)
                == ["summary", "{s}", "--by", "batch size", "--plot", "{out}/a b.svg"])
        #expect(Recipe.words(#"svd "unclosed"#) == nil)
    }

    /// A recipe in an output directory whose path has a space, with settings written both as
    /// train's flags (the original recipe form) and as config keys (some from a `config:` file):
    /// both train the same runs.
    @Test func aRecipeRunsWithSpacesInItsPaths() throws {
        let dir = try temporaryDirectory().appendingPathComponent("with space")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let recipe = dir.appendingPathComponent("r.yaml"), base = dir.appendingPathComponent("base settings.yaml")
        try "task: mult\nhidden: [4]\nepochs: 1\n".write(to: base, atomically: true, encoding: .utf8)
        try """
            name: spaces
            steps:
              - train: {task: mult, hidden: "4", epochs: 1, batch-size: 50, train-size: 200, seeds: "0..1", jobs: 1}
                as: flags
              - train: {config: "\(base.path)", batch_size: 50, data: {train_size: 200}, seed: [0, 1], jobs: 1}
                as: keys
              - nnprobe: "summary {flags} --json"
              - nnprobe: "svd {keys.last} --json"
            """.write(to: recipe, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("out put")
        let result = try runNNProbe(["run", recipe.path, "--out", out.path])
        #expect(result.status == 0, "\(result.stderr)")
        let names = { (sweep: String) in
            try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent(sweep).path).filter { $0.hasSuffix(".h5") }.sorted()
        }
        #expect(try names("flags").count == 2 && names("flags") == names("keys"))
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("step-3.txt"))) as! [String: Any]
        #expect((summary["groups"] as! [[String: Any]]).first?["runs"] as? Int == 2)
        let svd = try String(contentsOf: out.appendingPathComponent("step-4.txt"), encoding: .utf8)
        #expect(svd.contains("out put/keys/") && svd.contains("-s1-"))
        let settings = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("step-2.settings.json"))) as! [String: Any]
        #expect(settings["batch_size"] as? Int == 50 && (settings["data"] as? [String: Any])?["train_size"] as? Int == 200)
    }
}
