extension ClassicHDF5Image {
    /// Most B-tree nodes visited or queued in one lookup, against loops in a damaged file.
    private static let nodeLimit = 4096

    /// The object header of the root group.
    func root() throws(Unsupported) -> ClassicHDF5Object {
        try ClassicHDF5Object(self, at: rootAddress)
    }

    /// The object header of `path` (`a/b/c`) below `group`.
    func object(_ path: String, in group: ClassicHDF5Object) throws(Unsupported) -> ClassicHDF5Object {
        var object = group
        for name in path.split(separator: "/") { object = try ClassicHDF5Object(self, at: member(name, of: object)) }
        return object
    }

    /// Where the object header of the member `name` of `group` is. A name not found is
    /// unsupported rather than missing: the HDF5 library then says what is wrong with the file.
    private func member(_ name: Substring, of group: ClassicHDF5Object) throws(Unsupported) -> Int {
        guard let table = group.symbolTable else { throw Unsupported() }
        let names = try localHeap(at: table.heap)
        // The group's v1 B-tree (§ III.A.1): keys are name offsets, children are nodes one level
        // down or, at level 0, symbol table nodes. Every child is visited; groups here are small.
        var pending = [table.tree]
        var visited = 0
        while let node = pending.popLast() {
            visited += 1
            try expect("TREE", at: node)
            guard visited + pending.count <= Self.nodeLimit, try integer(at: node + 4, size: 1) == 0 else { throw Unsupported() }
            let level = try integer(at: node + 5, size: 1)
            let used = Int(try integer(at: node + 6, size: 2))
            let children = node + 8 + 2 * offsetSize   // after the left and right sibling addresses
            for index in 0..<used {
                let child = try address(at: children + index * (lengthSize + offsetSize) + lengthSize)
                if level > 0 {
                    pending.append(child)
                } else if let found = try entry(name, inSymbolNode: child, names: names) {
                    return found
                }
            }
        }
        throw Unsupported()
    }

    /// The object header address of `name` in the symbol table node at `node` (§ III.B), if there.
    private func entry(_ name: Substring, inSymbolNode node: Int, names: Range<Int>) throws(Unsupported) -> Int? {
        try expect("SNOD", at: node)
        let count = Int(try integer(at: node + 6, size: 2))
        let entrySize = 2 * offsetSize + 24   // name offset, header address, cache type, reserved, scratch pad
        for index in 0..<count {
            let entry = node + 8 + index * entrySize
            let nameOffset = try integer(at: entry, size: offsetSize)
            guard nameOffset < UInt64(names.count) else { throw Unsupported() }
            let stored = bytes[(names.lowerBound + Int(nameOffset))..<names.upperBound].prefix { $0 != 0 }
            guard stored.endIndex < names.upperBound else { throw Unsupported() }   // not NUL-terminated
            if stored.elementsEqual(name.utf8) { return try address(at: entry + offsetSize) }
        }
        return nil
    }

    /// The data segment of the local heap at `heap` (§ III.D), where a group keeps its member names.
    private func localHeap(at heap: Int) throws(Unsupported) -> Range<Int> {
        try expect("HEAP", at: heap)
        let size = try length(at: heap + 8)
        let start = try address(at: heap + 8 + 2 * lengthSize)
        guard start <= bytes.count - size else { throw Unsupported() }
        return start..<start + size
    }
}
