import CHDF5
import Foundation

/// Process-wide HDF5 state: one lock serialising every sequence of calls (HDF5 keeps one lock
/// per call; nnprobe's reads and writes span several) and the error stack, whose automatic
/// printing is switched off on every thread that calls HDF5.
///
/// The library's exit handler is switched off (`H5dont_atexit`): every handle nnprobe opens is
/// closed by its owner, and after a failed write (disk full) that handler would flush the
/// half-written file again at exit and crash inside libhdf5.
enum HDF5Library {
    private static let lock: NSRecursiveLock = {
        let lock = NSRecursiveLock()
        _ = H5dont_atexit()
        _ = H5open()
        return lock
    }()

    /// Runs `body` while holding the HDF5 lock (re-entrant).
    static func serialized<R>(_ body: () throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        // Errors are read from the stack and thrown, never printed by HDF5 itself.
        nnp_quiet_errors_on_this_thread()
        return try body()
    }

    /// Number of HDF5 files and objects open in this process (a leak check for long runs).
    static func openObjectCount() -> Int {
        serialized { Int(H5Fget_obj_count(hid_t(nnp_H5F_OBJ_ALL()), UInt32(nnp_H5F_OBJ_ALL()))) }
    }

    /// Reads and clears the current error stack: "outermost message: innermost message".
    static func takeErrorMessage() -> String {
        final class Collected { var messages: [String] = [] }
        let collected = Collected()
        let box = Unmanaged.passRetained(collected)
        defer { box.release() }
        _ = H5Ewalk2(nnp_H5E_DEFAULT(), H5E_WALK_DOWNWARD, { _, error, data in
            guard let error, let data, let desc = error.pointee.desc else { return 0 }
            let collected = Unmanaged<Collected>.fromOpaque(data).takeUnretainedValue()
            let text = String(cString: desc).trimmingCharacters(in: .whitespaces)
            if !text.isEmpty { collected.messages.append(text) }
            return 0
        }, box.toOpaque())
        _ = H5Eclear2(nnp_H5E_DEFAULT())
        // A failed system write carries the operating system's words (`No space left on
        // device`) inside a long multi-line record: keep those words.
        var messages = collected.messages.map { message -> String in
            guard let start = message.range(of: "error message = '"),
                  let end = message[start.upperBound...].firstIndex(of: "'") else {
                return message.split(whereSeparator: \.isNewline).joined(separator: " ")
            }
            return "file write failed: " + message[start.upperBound..<end]
        }
        guard let first = messages.first else { return "HDF5 reported an error" }
        messages.removeFirst()
        if let last = messages.last, last != first { return "\(first): \(last)" }
        return first
    }

    /// Throws `HDF5Error` when `status` is negative; otherwise returns it.
    @discardableResult
    static func check<T: BinaryInteger>(
        _ status: T, _ operation: @autoclosure () -> String, file: String, object: @autoclosure () -> String
    ) throws -> T {
        if status < 0 {
            throw HDF5Error(operation: operation(), file: file, object: object(), message: takeErrorMessage())
        }
        return status
    }
}
