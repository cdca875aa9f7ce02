import Testing
@testable import nnprobe

/// `--freeze` names blocks by number, name or range, or the whole backbone.
@Suite struct FreezeListTests {
    @Test func freezeTakesNumbersNamesRangesAndTheBackbone() {
        #expect(FreezeList(argument: "0,2-4")?.blocks == [0, 2, 3, 4])
        #expect(FreezeList(argument: "block1,block3-block4")?.blocks == [1, 3, 4])
        #expect(FreezeList(argument: "backbone")?.backbone == true)
        #expect(FreezeList(argument: "4-2") == nil && FreezeList(argument: "layer1") == nil && FreezeList(argument: "") == nil)
    }
}
