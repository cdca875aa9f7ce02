import ArgumentParser
import Foundation

/// `nnprobe rank`: nets and probes of one task in one table, by test accuracy (study 001's summary).
struct Rank: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Rank sweeps' runs and probes' fits by test accuracy: the best few per method, the worst overall, the full ranking.",
        discussion: """
            Each source is a sweep directory (its index.json: one model per run, labelled by its \
            swept flags, e.g. lr=0.001) or the --json output of `nnprobe probe` scored on the test \
            split (one model per probed layer and baseline, e.g. logistic on block2). NAME=SOURCE \
            names the method its models belong to; a sweep's default name is its directory's, a \
            probe's each fit's method (logistic, xgboost). Ties keep the order of the sources.
            """)

    @Argument(help: "Sweep directories and probe reports, each optionally as NAME=SOURCE.", completion: .file())
    var sources: [String]
    @Option(help: "Models shown per method.")
    var best = 2
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if best < 1 { throw ValidationError("--best \(best): need at least 1") }
        if sources.isEmpty { throw ValidationError("give at least one sweep directory or probe report") }
    }

    func run() throws {
        var models: [RankReport.Model] = []
        for source in sources {
            let (name, path) = Self.split(source)
            models += try RankReport.models(from: path, method: name)
        }
        let report = RankReport(models, best: best)
        if output.json { try printJSON(report) } else { print(report.text()) }
    }

    /// `NAME=PATH` → (NAME, PATH); a bare path → (nil, PATH). A path with `=` in it stays whole when it exists.
    static func split(_ source: String) -> (String?, String) {
        guard let eq = source.firstIndex(of: "="), !FileManager.default.fileExists(atPath: source) else { return (nil, source) }
        return (String(source[..<eq]), String(source[source.index(after: eq)...]))
    }
}
