import Foundation
import Testing
@testable import NNTasks

@Suite struct TaskRegistryTests {
    func options(_ configure: (inout TaskOptions) -> Void = { _ in }) -> TaskOptions {
        var o = TaskOptions()
        o.trainSize = 200
        o.valSize = 50
        o.testSize = 50
        configure(&o)
        return o
    }

    @Test func multiMultTargetsAreTheTwoProducts() throws {
        let (task, splits) = try TaskRegistry.load("multi-mult", options: options(), seed: 1)
        #expect(task.subtasks.map(\.inputs) == [[0, 1], [2, 3]])
        #expect(task.subtasks.map(\.outputs) == [[0], [1]])
        let d = splits.train
        #expect(d.count == 200)
        for r in 0..<d.count {
            let x = Array(d.inputs[(r * 4)..<(r * 4 + 4)]).map(Double.init)
            #expect(x.allSatisfy { (-1...1).contains($0) })
            #expect(abs(Double(d.targets![r * 2]) - x[0] * x[1]) < 1e-6)
            #expect(abs(Double(d.targets![r * 2 + 1]) - x[2] * x[3]) < 1e-6)
        }
    }

    @Test func seedFixesTheDataAndSplitsDiffer() throws {
        let a = try TaskRegistry.load("spirals", options: options(), seed: 3).1
        let b = try TaskRegistry.load("spirals", options: options(), seed: 3).1
        let c = try TaskRegistry.load("spirals", options: options(), seed: 4).1
        #expect(a.train.inputs == b.train.inputs && a.train.labels == b.train.labels)
        #expect(a.train.inputs != c.train.inputs)
        #expect(a.train.inputs.prefix(100) != a.test.inputs.prefix(100))
    }

    @Test(arguments: ["spirals", "moons", "circles", "blobs"])
    func planeSetsAreBalancedClassification(name: String) throws {
        let (task, splits) = try TaskRegistry.load(name, options: options { $0.classes = 3 }, seed: 0)
        #expect(task.isClassification && task.inputWidth == 2)
        let labels = splits.train.labels!
        let k = task.outputWidth
        for c in 0..<k { #expect(labels.filter { $0 == c }.count == 200 / k + (c < 200 % k ? 1 : 0)) }
    }

    @Test func randomLabelsPermuteTrainingLabelsOnly() throws {
        let plain = try TaskRegistry.load("spirals", options: options(), seed: 2).1
        let shuffled = try TaskRegistry.load("spirals", options: options { $0.randomLabels = true }, seed: 2).1
        #expect(plain.train.inputs == shuffled.train.inputs)
        #expect(plain.train.labels != shuffled.train.labels)
        #expect(plain.train.labels!.sorted() == shuffled.train.labels!.sorted())
        #expect(plain.test.labels == shuffled.test.labels)
    }

    @Test func unknownTaskListsTheKnownOnes() {
        let error = #expect(throws: TaskError.self) { try TaskRegistry.load("mnist", options: options(), seed: 0) }
        #expect(error?.description.hasPrefix("unknown task 'mnist'; known tasks: multi-mult, mult,") == true)
    }

    @Test func probeGridSweepsOneTaskAndHoldsTheRest() throws {
        let (task, _) = try TaskRegistry.load("multi-mult", options: options(), seed: 0)
        let grid = ProbeGrid(task: task, subtask: task.subtasks[1], gridSize: 5, contexts: 3, seed: 9)
        #expect(grid.count == 3 * 25)
        let targets = grid.targets(for: task)
        for r in 0..<grid.count {
            let row = Array(grid.inputs[(r * 4)..<(r * 4 + 4)])
            let context = Int(grid.contextIndex[r])
            #expect(row[0] == grid.contexts[context * 4] && row[1] == grid.contexts[context * 4 + 1])
            #expect(row[2] == Float(-1 + 0.5 * Double(r % 25 / 5)) && row[3] == Float(-1 + 0.5 * Double(r % 5)))
            #expect(targets[r * 2 + 1] == row[2] * row[3])
        }
    }
}
