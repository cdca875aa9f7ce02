/// A key that accepts any name, to find keys a config file misspelt.
public struct AnyKey: CodingKey {
    public let stringValue: String
    public init(stringValue: String) { self.stringValue = stringValue }
    public var intValue: Int? { nil }
    public init?(intValue: Int) { nil }
}

/// Rejects keys not in `known`, naming them and listing the valid ones.
public func rejectUnknownKeys(_ decoder: Decoder, known: [String], section: String) throws {
    let container = try decoder.container(keyedBy: AnyKey.self)
    let unknown = container.allKeys.map(\.stringValue).filter { !known.contains($0) }
    if let first = unknown.first {
        throw DecodingError.dataCorrupted(.init(
            codingPath: decoder.codingPath,
            debugDescription: "unknown \(section)key '\(first)'; valid keys: \(known.sorted().joined(separator: ", "))"))
    }
}
