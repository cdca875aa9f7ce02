import NNLinalg

/// An array that `JSONTextEncoder` encodes element by element on all cores at once (any other
/// encoder sees a plain array). For documents with thousands of independent entries, such as
/// `svd` over a directory of checkpoints: its JSON then takes half the time on two cores.
struct ConcurrentlyEncoded<Element: Encodable & Sendable>: Encodable, Sendable {
    let elements: [Element]

    init(_ elements: [Element]) { self.elements = elements }

    func encode(to encoder: any Encoder) throws {
        guard let tree = encoder as? TreeEncoder else { return try elements.encode(to: encoder) }
        tree.node.items = []
        tree.node.concurrentItems = { [elements] indent in
            try elements.concurrentMap { element in
                var text: [UInt8] = []
                try item(element, codingPath: []).write(to: &text, indent: indent)
                return text
            }
        }
    }
}
