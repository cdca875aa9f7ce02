/// c (m × n) += aᵀ · b, summed over the rows: a is rows × m, b is rows × n, c is m × n, all
/// row-major and contiguous; n is a multiple of 8.
///
/// Each value of c: the fused products of the even rows in order, those of the odd rows in
/// order, then c + (even + odd) — two chains of additions per value, so a tile of four values of
/// m keeps eight in flight. The same sums whatever the tile, so a value depends on the rows alone.
/// Where n is a multiple of 16, tiles of two values of m by two vectors of n load each value of a
/// once per tile instead of once per vector (a broadcast per value of a and row is what a tile
/// of four by one mostly waits on).
@inline(__always)
func addTransposedProducts(_ c: UnsafeMutablePointer<Float>, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                           rows: Int, m: Int, n: Int) {
    let pairs = rows / 2, last = rows % 2 == 1 ? rows - 1 : nil
    @inline(__always) func finish(_ even: Vector8, _ odd: Vector8, _ i: Int, _ v: Int) {
        let out = c + i * n + v
        out.store(out.vector() + (even + odd))
    }
    var i = 0
    while n % 16 == 0 && i + 2 <= m {   // two values of m, two vectors of n
        for v in stride(from: 0, to: n, by: 16) {
            var e00 = Vector8(), e01 = Vector8(), e10 = Vector8(), e11 = Vector8()
            var o00 = Vector8(), o01 = Vector8(), o10 = Vector8(), o11 = Vector8()
            for pair in 0..<pairs {
                let r = 2 * pair
                let be0 = (b + r * n + v).vector(), be1 = (b + r * n + v + 8).vector()
                let bo0 = (b + (r + 1) * n + v).vector(), bo1 = (b + (r + 1) * n + v + 8).vector()
                let ae = a + r * m + i, ao = ae + m
                let ae0 = Vector8(repeating: ae[0]), ae1 = Vector8(repeating: ae[1])
                let ao0 = Vector8(repeating: ao[0]), ao1 = Vector8(repeating: ao[1])
                e00 = e00.addingProduct(ae0, be0); e01 = e01.addingProduct(ae0, be1)
                e10 = e10.addingProduct(ae1, be0); e11 = e11.addingProduct(ae1, be1)
                o00 = o00.addingProduct(ao0, bo0); o01 = o01.addingProduct(ao0, bo1)
                o10 = o10.addingProduct(ao1, bo0); o11 = o11.addingProduct(ao1, bo1)
            }
            if let r = last {
                let be0 = (b + r * n + v).vector(), be1 = (b + r * n + v + 8).vector()
                let ae0 = Vector8(repeating: a[r * m + i]), ae1 = Vector8(repeating: a[r * m + i + 1])
                e00 = e00.addingProduct(ae0, be0); e01 = e01.addingProduct(ae0, be1)
                e10 = e10.addingProduct(ae1, be0); e11 = e11.addingProduct(ae1, be1)
            }
            finish(e00, o00, i, v); finish(e01, o01, i, v + 8); finish(e10, o10, i + 1, v); finish(e11, o11, i + 1, v + 8)
        }
        i += 2
    }
    while i + 4 <= m {   // four values of m, one vector of n
        for v in stride(from: 0, to: n, by: 8) {
            var e0 = Vector8(), e1 = Vector8(), e2 = Vector8(), e3 = Vector8()
            var o0 = Vector8(), o1 = Vector8(), o2 = Vector8(), o3 = Vector8()
            for pair in 0..<pairs {
                let r = 2 * pair
                let be = (b + r * n + v).vector(), bo = (b + (r + 1) * n + v).vector()
                let ae = a + r * m + i, ao = ae + m
                e0 = e0.addingProduct(Vector8(repeating: ae[0]), be); o0 = o0.addingProduct(Vector8(repeating: ao[0]), bo)
                e1 = e1.addingProduct(Vector8(repeating: ae[1]), be); o1 = o1.addingProduct(Vector8(repeating: ao[1]), bo)
                e2 = e2.addingProduct(Vector8(repeating: ae[2]), be); o2 = o2.addingProduct(Vector8(repeating: ao[2]), bo)
                e3 = e3.addingProduct(Vector8(repeating: ae[3]), be); o3 = o3.addingProduct(Vector8(repeating: ao[3]), bo)
            }
            if let r = last {
                let be = (b + r * n + v).vector(), ae = a + r * m + i
                e0 = e0.addingProduct(Vector8(repeating: ae[0]), be); e1 = e1.addingProduct(Vector8(repeating: ae[1]), be)
                e2 = e2.addingProduct(Vector8(repeating: ae[2]), be); e3 = e3.addingProduct(Vector8(repeating: ae[3]), be)
            }
            finish(e0, o0, i, v); finish(e1, o1, i + 1, v); finish(e2, o2, i + 2, v); finish(e3, o3, i + 3, v)
        }
        i += 4
    }
    while i < m {   // the values of m left over: one at a time, two vectors of n
        var v = 0
        while v < n {
            let two = v + 16 <= n
            var e0 = Vector8(), e1 = Vector8(), o0 = Vector8(), o1 = Vector8()
            for pair in 0..<pairs {
                let r = 2 * pair
                let ae = Vector8(repeating: a[r * m + i]), ao = Vector8(repeating: a[(r + 1) * m + i])
                e0 = e0.addingProduct(ae, (b + r * n + v).vector()); o0 = o0.addingProduct(ao, (b + (r + 1) * n + v).vector())
                if two {
                    e1 = e1.addingProduct(ae, (b + r * n + v + 8).vector()); o1 = o1.addingProduct(ao, (b + (r + 1) * n + v + 8).vector())
                }
            }
            if let r = last {
                let ae = Vector8(repeating: a[r * m + i])
                e0 = e0.addingProduct(ae, (b + r * n + v).vector())
                if two { e1 = e1.addingProduct(ae, (b + r * n + v + 8).vector()) }
            }
            finish(e0, o0, i, v)
            if two { finish(e1, o1, i, v + 8) }
            v += two ? 16 : 8
        }
        i += 1
    }
}
