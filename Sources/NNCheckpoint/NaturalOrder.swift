/// Name order with digit runs compared as numbers.
public func naturalOrder(_ a: String, _ b: String) -> Bool {
    func parts(_ s: String) -> [(String, Int?)] {
        var result: [(String, Int?)] = []
        var current = "", digits = false
        for ch in s {
            if ch.isNumber != digits, !current.isEmpty {
                result.append((current, digits ? Int(current) : nil))
                current = ""
            }
            digits = ch.isNumber
            current.append(ch)
        }
        if !current.isEmpty { result.append((current, digits ? Int(current) : nil)) }
        return result
    }
    for (x, y) in zip(parts(a), parts(b)) where x.0 != y.0 {
        if let nx = x.1, let ny = y.1 { return nx < ny }
        return x.0 < y.0
    }
    return a.count < b.count
}
