/// How a training run ended, as stored in its checkpoint (`/@status`).
public enum RunStatus: String, Codable, Equatable, Sendable {
    /// Every epoch completed with a finite loss.
    case ok
    /// A non-finite loss stopped the run; the checkpoint holds the last finite weights.
    case diverged
}
