import Foundation
import Testing

/// Settings whose work cannot fit in memory, files nested to overflow the parser's stack, and a
/// recipe that runs itself: each is one line naming the flag or file, and a non-zero exit.
@Suite struct AbsurdInputTests {
    func expectOneLine(_ arguments: [String], _ expected: String) throws {
        let result = try runNNProbe(arguments)
        #expect(result.status != 0 && !result.terminatedBySignal, "\(arguments) exited \(result.status)")
        let first = result.stderr.split(separator: "\n").first.map(String.init) ?? ""
        #expect(first.contains(expected), "\(arguments): \(result.stderr)")
    }

    @Test func workThatCannotFitIsRefusedByItsFlag() throws {
        try expectOneLine(["train", "mult", "--hidden", "100000000000"], "--hidden: the model needs about")
        try expectOneLine(["train", "mult", "--hidden", "1000000,1000000"], "this machine has")
        try expectOneLine(["train", "mult", "--train-size", "100000000000"], "--train-size: the data needs about")
        try expectOneLine(["train", "spirals", "--classes", "100000000"], "--classes: the model needs about")
        try expectOneLine(["train", "mult", "--epochs", "9223372036854775807"], "at most 10,000,000 epochs")
        try expectOneLine(["train", "mult", "--probe-grid", "100000"], "a probe of 50,000,000,000 rows")
        try expectOneLine(["pca", "--grid", "100000"], "a probe of 50,000,000,000 rows")
        try expectOneLine(["regions", "--grid", "100000"], "--grid 100000: 100000² points are too many to sample; at most 4096 per side")
    }

    @Test func deeplyNestedFilesAreRefusedBeforeParsing() throws {
        let dir = try temporaryDirectory()
        let config = dir.appendingPathComponent("deep.yaml")
        try ("task: " + String(repeating: "[", count: 5_000)).write(to: config, atomically: true, encoding: .utf8)
        try expectOneLine(["train", "--config", config.path], "\(config.path): nested more than 64 levels deep")
        try expectOneLine(["run", config.path], "\(config.path): nested more than 64 levels deep")
    }

    @Test func aRecipeThatRunsItselfIsRefused() throws {
        let dir = try temporaryDirectory()
        let recipe = dir.appendingPathComponent("self.yaml")
        try "name: self\nsteps:\n  - nnprobe: \"run '\(recipe.path)' --out '\(dir.path)/out'\"\n"
            .write(to: recipe, atomically: true, encoding: .utf8)
        let result = try runNNProbe(["run", recipe.path, "--out", dir.appendingPathComponent("out").path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("\(recipe.path): runs itself (\(recipe.path) → \(recipe.path))"), "\(result.stderr)")
    }
}
