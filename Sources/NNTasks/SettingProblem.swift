/// A setting that cannot be used, named by its key in configuration files and the stored config
/// (`lr`, `batch_size`, `data.classes`), not by a command-line flag: the command line words it
/// with the flag that sets it (`described(naming:)`).
public struct SettingProblem: Error, Equatable, Sendable, CustomStringConvertible {
    /// The setting's key path, e.g. `lr` or `data.classes`.
    public let key: String
    /// The value given, as written; nil when the problem is its absence or a combination.
    public let value: String?
    /// What is wrong; other settings appear as `{key}`, e.g. "needs {init_from}".
    public let problem: String

    public init(_ key: String, _ value: String? = nil, _ problem: String) {
        self.key = key
        self.value = value
        self.problem = problem
    }

    /// `key value: problem`, settings named as configuration files name them.
    public var description: String { described { $0 } }

    /// The sentence with every setting named by `name` (e.g. its flag).
    public func described(naming name: (String) -> String) -> String {
        var text = problem
        while let open = text.firstIndex(of: "{"), let close = text[open...].firstIndex(of: "}") {
            text.replaceSubrange(open...close, with: name(String(text[text.index(after: open)..<close])))
        }
        return name(key) + (value.map { " \($0)" } ?? "") + ": " + text
    }
}
