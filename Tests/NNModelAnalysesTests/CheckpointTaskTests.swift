import NNCheckpoint
import NNModel
import Testing
@testable import NNModelAnalyses

@Suite struct CheckpointTaskTests {
    @Test func rebuildsTheStoredTaskAndSeed() throws {
        let task = try CheckpointTask(InMemoryModel.checkpoint)
        #expect(task.task.name == "multi-mult" && task.seed == 3 && task.task.inputWidth == 4)
        #expect(task.hasSubtask("task1") && !task.hasSubtask("task2"))
        #expect(try task.subtask(named: "task1").inputs == [2, 3])
    }

    @Test func refusesConfigsThatCannotRebuildTheTask() throws {
        let model = InMemoryModel.model
        #expect(throws: AnalysisError.storedConfigUnreadable) {
            try CheckpointTask(Checkpoint(task: "x", seed: 0, config: "not json", model: model))
        }
        #expect(throws: AnalysisError.inputWidthMismatch(modelInputs: 4, task: "spirals", taskInputs: 2)) {
            try CheckpointTask(Checkpoint(task: "spirals", seed: 0, config: #"{"task":"spirals"}"#, model: model))
        }
        #expect(AnalysisError.inputWidthMismatch(modelInputs: 4, task: "spirals", taskInputs: 2).description
                == "the model takes 4 inputs but task spirals has 2")
    }
}

@Suite struct SettingEnumTests {
    @Test func variedInputsAndSplitsReadTheirNames() throws {
        #expect(VariedInputs("all") == .all && VariedInputs("task0") == .subtask("task0"))
        #expect(VariedInputs("task1").subtaskName == "task1" && VariedInputs.all.subtaskName == nil)
        #expect(VariedInputs.subtask("task1").description == "task1" && VariedInputs.all.description == "all")
        let task = try CheckpointTask(InMemoryModel.checkpoint)
        #expect(Split.allCases.map(\.rawValue) == ["test", "val", "train"])
        #expect(Split.allCases.map { $0.rows(of: task.splits).count }
                == [task.splits.test.count, task.splits.validation.count, task.splits.train.count])
        #expect(Split.train.rows(of: task.splits).inputs == task.splits.train.inputs)
    }
}
