import Foundation
import NNModel
import NNTasks
import NNTrain

/// The document `train` prints (schema `nnprobe.train/1`, see docs/json.md).
struct TrainReport: Encodable {
    struct Metrics: Encodable {
        let loss: Double
        let accuracy: Double
    }

    let schema = "nnprobe.train/1"
    let task: String
    let status: RunStatus
    let divergence: String?
    let files: [String]
    let config: JSONValue
    let parameterCount: Int
    let stepsPerEpoch: Int
    let steps: Int
    let seconds: Double
    let train: Metrics
    let validation: Metrics
    let test: Metrics
    let deadUnits: [Double]
    /// Distillation: the teacher's parameters and teacher/student ratio.
    var teacherParameterCount: Int?
    var parameterReduction: Double?

    enum CodingKeys: String, CodingKey {
        case schema, task, status, divergence, files, config, steps, seconds, train, validation, test
        case parameterCount = "parameter_count", stepsPerEpoch = "steps_per_epoch", deadUnits = "dead_units"
        case teacherParameterCount = "teacher_parameter_count", parameterReduction = "parameter_reduction"
    }

    /// - Parameter configJSON: the resolved configuration as stored in the checkpoint.
    init(config: TrainingConfig, configJSON: String, result: TrainingResult, files: [String]) {
        let h = result.history
        task = config.task
        status = result.status
        divergence = result.divergence
        self.files = files
        self.config = JSONValue.parse(configJSON) ?? .null
        parameterCount = result.model.parameterCount
        stepsPerEpoch = result.stepsPerEpoch
        steps = result.steps
        seconds = result.seconds
        train = Metrics(loss: h.trainLoss.last ?? .nan, accuracy: h.trainAccuracy.last ?? .nan)
        validation = Metrics(loss: h.valLoss.last ?? .nan, accuracy: h.valAccuracy.last ?? .nan)
        test = Metrics(loss: h.testLoss, accuracy: h.testAccuracy)
        deadUnits = result.deadUnits
    }

    func text() -> String {
        var table = TextTable("split", "loss", "accuracy")
        table.add("train (last epoch)", formatNumber(train.loss), formatNumber(train.accuracy))
        table.add("validation", formatNumber(validation.loss), formatNumber(validation.accuracy))
        table.add("test", formatNumber(test.loss), formatNumber(test.accuracy))
        var lines = [
            "\(task): \(parameterCount) parameters, \(steps) steps (\(stepsPerEpoch) per epoch) in \(String(format: "%.2f", seconds)) s"
                + (status == .ok ? "" : "  [\(status.rawValue)]"),
            table.render(),
        ]
        if !deadUnits.isEmpty {
            lines.append("dead units per hidden layer: " + deadUnits.map { formatNumber($0 * 100, digits: 3) + "%" }.joined(separator: " "))
        }
        if let teacherParameterCount, let parameterReduction {
            lines.append("distilled from a teacher of \(teacherParameterCount) parameters: the student is \(formatNumber(parameterReduction, digits: 3))× smaller")
        }
        for file in files { lines.append("wrote \(file)") }
        return lines.joined(separator: "\n")
    }
}
