/// The last path component without `.h5`.
func shortName(_ path: String) -> String {
    let last = path.split(separator: "/").last.map(String.init) ?? path
    return last.hasSuffix(".h5") ? String(last.dropLast(3)) : last
}

/// `shortName`, cut to `limit` characters with an ellipsis in the middle (for figure titles).
func shortTitle(_ path: String, limit: Int = 40) -> String {
    let name = shortName(path)
    guard name.count > limit else { return name }
    return String(name.prefix(limit / 2 - 1)) + "…" + String(name.suffix(limit / 2 - 1))
}

/// The run a file holds, as sweeps name runs: its file name without the extension
/// (`sweep/mult-h16-lr0.01-s3.h5` → `mult-h16-lr0.01-s3`), for joining analyses with `index.json`.
func runName(of path: String) -> String {
    let last = path.split(separator: "/").last.map(String.init) ?? path
    guard let dot = last.lastIndex(of: "."), dot != last.startIndex else { return last }
    return String(last[..<dot])
}
