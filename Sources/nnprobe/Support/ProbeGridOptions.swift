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
    }
}
