import Foundation

extension OptimizationSettings {
    /// The learning rate of epoch `epoch` (0-based), following PyTorch's schedulers stepped once per epoch:
    /// constant lr0; step lr0·γ^⌊epoch/step_size⌋; exponential lr0·γ^epoch; inverse-time
    /// lr0/(1 + decay·epoch); cosine lr0·(1 + cos(π·epoch/epochs))/2.
    public func learningRate(epoch: Int) -> Double {
        switch schedule {
        case .constant: lr
        case .step: lr * pow(gamma, Double(epoch / max(1, stepSize)))
        case .exponential: lr * pow(gamma, Double(epoch))
        case .inverseTime: lr / (1 + decay * Double(epoch))
        case .cosine: lr * (1 + cos(Double.pi * Double(epoch) / Double(max(1, epochs)))) / 2
        }
    }
}
