import NNTasks
import NNTrain

/// The command-line flag of each training setting, so that problems the libraries report by
/// setting key (`batch_size`, `data.classes`) reach the user as the flag to change.
enum SettingFlags {
    /// Keys whose flag is not the key itself with `-` for `_` (and without `data.`).
    private static let exceptions = ["initialization": "--init", "data.data": "--data"]

    /// `batch_size` → `--batch-size`, `data.classes` → `--classes`, `initialization` → `--init`.
    static func flag(for key: String) -> String {
        if let flag = exceptions[key] { return flag }
        let name = key.hasPrefix("data.") ? String(key.dropFirst(5)) : key
        return "--" + name.replacingOccurrences(of: "_", with: "-")
    }

    /// The setting a flag (without `--`) sets, e.g. `batch-size` → `batch_size`, `seeds` → `seed`.
    static func key(forFlag flag: String) -> String? {
        let name = flag == "seeds" ? "seed" : flag
        return TrainingConfig.settingKeys.first { self.flag(for: $0) == "--" + name }
    }

    /// A swept setting's name in sweep indexes: its flag without `--` (`batch-size`, `train-size`).
    static func label(for key: String) -> String { String(flag(for: key).dropFirst(2)) }

    /// The problem worded with flags, e.g. `--batch-size 1: --batch-norm needs batches of at least 2 rows`.
    static func describe(_ problem: SettingProblem) -> String {
        problem.described(naming: flag)
    }
}
