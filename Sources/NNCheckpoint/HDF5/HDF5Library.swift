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

    /// Creation properties of datasets and groups without modification times (the same content
    /// always gives the same bytes), made once per process and never closed: a property list made,
    /// set and closed for each of a checkpoint's ~55 datasets and groups was a tenth of the time
    /// HDF5 took to write it. Used under the lock, like every HDF5 call.
    static let untimedDatasetCreation = untimedCreation(nnp_H5P_DATASET_CREATE())
    static let untimedGroupCreation = untimedCreation(nnp_H5P_GROUP_CREATE())

    /// A property list of `kind` (dataset or group creation) that tracks no times; H5P_DEFAULT
    /// (which tracks them) if HDF5 cannot make one, which happens only when it is out of memory.
    private static func untimedCreation(_ kind: hid_t) -> hid_t {
        serialized {
            let list = H5Pcreate(kind)
            guard list >= 0, H5Pset_obj_track_times(list, false) >= 0 else { return nnp_H5P_DEFAULT() }
            return list
        }
    }

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
