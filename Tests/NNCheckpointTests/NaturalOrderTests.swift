import Testing
import NNCheckpoint

@Suite struct NaturalOrderTests {
    @Test func digitRunsCompareAsNumbers() {
        let names = ["seed10.h5", "seed9.h5", "seed0100.h5", "seed2.h5", "a", "seed09.h5", "Seed1.h5", "seed2b.h5", "seed2.h5.bak"]
        #expect(names.sortedNaturally { $0 } == ["Seed1.h5", "a", "seed2.h5", "seed2.h5.bak", "seed2b.h5", "seed9.h5", "seed09.h5", "seed10.h5", "seed0100.h5"])
    }

    /// Learning rates in run names order by value: the digits after a decimal point are a fraction.
    @Test func decimalFractionsOrderByValue() {
        let names = ["h16-lr0.01-s0", "h16-lr0.001-s0", "h16-lr0.1-s0", "h16-lr0.003-s1", "h16-lr0.003-s0", "h16-lr1-s0", "h16-lr0.5-s0",
                     "h16-lr0.05-s0", "h16-lr0.10-s0", "h16-lr2.5-s0"]
        #expect(names.sortedNaturally { $0 } == ["h16-lr0.001-s0", "h16-lr0.003-s0", "h16-lr0.003-s1", "h16-lr0.01-s0", "h16-lr0.05-s0",
                                                 "h16-lr0.1-s0", "h16-lr0.10-s0", "h16-lr0.5-s0", "h16-lr1-s0", "h16-lr2.5-s0"])
        #expect(NaturalSortKey("lr0.001") < NaturalSortKey("lr0.01") && !(NaturalSortKey("lr0.01") < NaturalSortKey("lr0.001")))
    }

    @Test func digitsLongerThanAnIntegerStillOrder() {
        let big = "run" + String(repeating: "9", count: 30)
        let bigger = "run1" + String(repeating: "0", count: 30)
        #expect(NaturalSortKey(big) < NaturalSortKey(bigger))
        #expect(!(NaturalSortKey(bigger) < NaturalSortKey(big)))
    }
}
