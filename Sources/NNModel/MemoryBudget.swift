import Foundation

/// How much memory work may plan to use: this machine's physical memory. Sizes that come from
/// flags or files are estimated (in Float64, which cannot overflow) and checked against it
/// before anything is allocated, so absurd settings fail in one line instead of aborting.
public enum MemoryBudget {
    /// Physical memory in bytes, or the container's limit (cgroup v2 `memory.max`) when lower.
    /// Looked up once per process (`sysinfo` and a file read: 0.1 ms, which each run of a sweep's
    /// worker paid twice).
    public static let bytes: Double = {
        let physical = Double(ProcessInfo.processInfo.physicalMemory)
        guard let text = try? String(contentsOfFile: "/sys/fs/cgroup/memory.max", encoding: .utf8),
              let limit = Double(text.trimmingCharacters(in: .whitespacesAndNewlines)) else { return physical }
        return min(physical, limit)
    }()

    /// Nil when `bytes` fit the budget; else why not, e.g. "needs about 80.0 GB; this machine has 7.8 GB".
    public static func problem(needing bytes: Double) -> String? {
        guard !(bytes <= self.bytes) else { return nil }
        return "needs about \(describe(bytes)); this machine has \(describe(self.bytes))"
    }

    /// `1.2 GB`, `340 MB`, `4.0e+12 GB`.
    public static func describe(_ bytes: Double) -> String {
        let gb = bytes / 1e9
        if gb >= 1e6 { return String(format: "%.1e GB", gb) }
        return gb >= 1 ? String(format: "%.1f GB", gb) : String(format: "%.0f MB", bytes / 1e6)
    }
}

extension Architecture {
    /// Bytes training needs for the model at `batch` rows (Float32): parameters with their
    /// gradients and two optimiser moments, and the workspace (about six values per unit per row).
    public func trainingBytes(batch: Int) -> Double {
        if settings.arch != .mlp {
            // Conv nets: every layer's output and its gradient, plus what backward keeps (about as much again).
            let placed = (try? stack().layers().get()) ?? []
            let values = placed.reduce(Double(inputShape.count)) { $0 + Double($1.output.count) }
            return 4 * (4 * Double(stack().parameterCount) + 3 * Double(max(1, batch)) * values)
        }
        let units = Double(inputs + outputs) + settings.hidden.reduce(0.0) { $0 + Double($1) }
        return 4 * (4 * parameters(counting: Double.init) + 6 * Double(max(1, batch)) * units)
    }
}
