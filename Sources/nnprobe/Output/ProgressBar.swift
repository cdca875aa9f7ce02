import Foundation

/// A one-line progress bar on stderr, redrawn at most ten times a second, drawn whenever stderr
/// is a terminal (as tqdm, pip and cargo do): `… --json | jq` still shows progress, and output
/// piped to a file or another program stays clean because the bar never touches stdout.
final class ProgressBar {
    private let enabled: Bool
    private var lastDraw = Date.distantPast
    private let started = Date()

    init() {
        enabled = isatty(STDERR_FILENO) == 1
    }

    /// Redraws with `done` of `total` units finished and `detail` after the bar.
    func update(done: Int, total: Int, detail: String, force: Bool = false) {
        guard enabled else { return }
        let now = Date()
        guard force || now.timeIntervalSince(lastDraw) >= 0.1 else { return }
        lastDraw = now
        let fraction = total > 0 ? min(1, Double(done) / Double(total)) : 0
        let width = 24
        let filled = Int(fraction * Double(width))
        let elapsed = now.timeIntervalSince(started)
        let eta = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        let line = "\r\(bar) \(Int(fraction * 100))%  \(detail)  ETA \(Self.clock(eta))\u{1B}[K"
        FileHandle.standardError.write(Data(line.utf8))
    }

    /// Clears the bar's line.
    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }

    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }
}

/// Writes one line to stderr (diagnostics never go to stdout).
func printDiagnostic(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
