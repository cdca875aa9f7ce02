/// Where a sweep keeps a run's files, by the run's name: its checkpoint `DIR/NAME.h5`, the
/// settings its child process reads `DIR/configs/NAME.json`, and `DIR/logs/NAME.stderr`, the
/// stderr of the child process whose first run it is. The sweep (`SweepRunner`) and its
/// `train-group` children both find the files through it.
struct SweepFiles {
    let directory: String

    func checkpoint(_ name: String) -> String { "\(directory)/\(name).h5" }
    func config(_ name: String) -> String { "\(directory)/configs/\(name).json" }
    func log(_ name: String) -> String { "\(directory)/logs/\(name).stderr" }

    /// Whether `name` can name a run's files: one path component, not hidden, no control characters.
    static func isRunName(_ name: String) -> Bool {
        !name.isEmpty && !name.hasPrefix(".") && !name.unicodeScalars.contains { $0 == "/" || $0.value < 0x20 || $0.value == 0x7f }
    }
}
