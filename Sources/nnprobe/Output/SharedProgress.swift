import Synchronization

/// One progress bar for files analysed side by side, each reporting the share of its own work
/// done: the bar shows the mean share, and the file and layer under way when there is one file.
final class SharedProgress: Sendable {
    private struct State {
        var shares: [Double]
        var finished = 0
    }

    private let bar: Mutex<ProgressBar>
    private let state: Mutex<State>
    private let index: [String: Int]
    private let single: Bool

    init(files: [String]) {
        bar = Mutex(ProgressBar())
        state = Mutex(State(shares: Array(repeating: 0, count: files.count)))
        index = Dictionary(files.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        single = files.count == 1
    }

    /// `file` has done share `done` (0 … 1) of its work; `next` is what it works on now.
    func report(_ file: String, done: Double, next: String = "") {
        guard let i = index[file] else { return }
        let (mean, finished, total) = state.withLock { s in
            if s.shares[i] < 1 && done >= 1 { s.finished += 1 }
            s.shares[i] = min(1, max(s.shares[i], done))
            return (s.shares.reduce(0, +) / Double(s.shares.count), s.finished, s.shares.count)
        }
        let detail = single ? (next.isEmpty ? "" : next) : "\(finished)/\(total) files"
        bar.withLock { $0.update(done: Int(mean * 1000), total: 1000, detail: detail) }
    }

    /// Clears the bar.
    func finish() { bar.withLock { $0.finish() } }
}
