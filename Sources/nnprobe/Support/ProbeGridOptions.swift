import ArgumentParser

/// The probe-grid flags of `pca` and `dump`: one sub-task's inputs on a grid, the others held.
struct ProbeGridOptions: ParsableArguments {
    @Option(help: "Grid points per varied input (default 21).")
    var grid = 21
    @Option(help: "Held contexts (default 5).")
    var contexts = 5

    func validate() throws {
        if grid < 2 { throw ValidationError("--grid \(grid): need at least 2 points") }
        if contexts < 1 { throw ValidationError("--contexts \(contexts): need at least 1") }
        if let problem = Self.sizeProblem(grid: grid, contexts: contexts) { throw ValidationError("--grid \(grid) --contexts \(contexts): \(problem)") }
    }

    /// Most probe rows (grid points² × contexts, for a sub-task of two inputs) a probe may have.
    static let maxRows = 10_000_000.0

    /// Why a grid is too large to run; nil when it is not.
    static func sizeProblem(grid: Int, contexts: Int) -> String? {
        let rows = Double(grid) * Double(grid) * Double(contexts)
        return rows > maxRows ? "a probe of \(Int(rows).formatted()) rows; at most \(Int(maxRows).formatted())" : nil
    }
}
