import Foundation
import NNCheckpoint
import NNModel

/// What a sweep's index lists of one finished run (`SweepIndex.Entry` but the run's name, file
/// and parameters): taken from its checkpoint, read back from disk or still in memory in the
/// `train-group` child that wrote it. The child sends it on as JSON after the checkpoint's
/// path, which spares the sweep reading every checkpoint back (issue 18). Its keys are the
/// index's own (`final_val_loss`), and an index entry reads its figures through it.
struct RunMetrics: Codable, Equatable {
    var status: String
    var epochs: Int
    var stepsPerEpoch: Int
    var finalTrainLoss, finalValLoss, finalValAccuracy, testLoss, testAccuracy: Double
    /// The run's training time as its checkpoint stores it (nil where it stores none).
    var seconds: Double?
    /// Validation loss after the first epoch.
    var firstValLoss: Double
    /// Mean share of dead hidden units on the validation set.
    var deadUnits: Double

    /// The figures of `checkpoint`; nil (unreadable) gives NaNs and status `unreadable`.
    init(_ checkpoint: Checkpoint?) {
        let h = checkpoint?.history ?? TrainingHistory()
        status = checkpoint?.status.rawValue ?? "unreadable"
        (epochs, stepsPerEpoch) = (h.epochs, h.stepsPerEpoch)
        finalTrainLoss = h.trainLoss.last ?? .nan
        finalValLoss = h.valLoss.last ?? .nan
        finalValAccuracy = h.valAccuracy.last ?? .nan
        (testLoss, testAccuracy, seconds) = (h.testLoss, h.testAccuracy, h.seconds)
        firstValLoss = h.valLoss.first ?? .nan
        deadUnits = checkpoint.map { $0.deadUnits.isEmpty ? .nan : $0.deadUnits.reduce(0, +) / Double($0.deadUnits.count) } ?? .nan
    }

    /// One line of JSON (NaN as `null`).
    func line() throws -> String { try JSONOutput.encode(self, pretty: false) }

    /// Reads a line `line()` wrote; nil when it is not one.
    init?(line: Substring) {
        guard let value = try? JSONDecoder().decode(RunMetrics.self, from: Data(line.utf8)) else { return nil }
        self = value
    }

    enum CodingKeys: String, CodingKey {
        case status, epochs, seconds
        case stepsPerEpoch = "steps_per_epoch", finalTrainLoss = "final_train_loss", finalValLoss = "final_val_loss"
        case finalValAccuracy = "final_val_accuracy", testLoss = "test_loss", testAccuracy = "test_accuracy"
        case firstValLoss = "first_val_loss", deadUnits = "dead_units"
    }

    /// Reads the figures back; a `null` (NaN or ±∞ when written, or not measured) reads as NaN.
    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func number(_ key: CodingKeys) throws -> Double { try c.decodeIfPresent(Double.self, forKey: key) ?? .nan }
        status = try c.decode(String.self, forKey: .status)
        epochs = try c.decode(Int.self, forKey: .epochs)
        stepsPerEpoch = try c.decode(Int.self, forKey: .stepsPerEpoch)
        (finalTrainLoss, finalValLoss, finalValAccuracy) = (try number(.finalTrainLoss), try number(.finalValLoss), try number(.finalValAccuracy))
        (testLoss, testAccuracy) = (try number(.testLoss), try number(.testAccuracy))
        seconds = try c.decodeIfPresent(Double.self, forKey: .seconds)
        (firstValLoss, deadUnits) = (try number(.firstValLoss), try number(.deadUnits))
    }
}
