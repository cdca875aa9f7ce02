import Foundation
import Testing
@testable import NNTasks

/// Class subsets: the written forms, refused ones named by their setting, and a CIFAR-10 task
/// keeping four classes in a chosen order (the synthetic files of `CIFARReaderTests`, where
/// training record r has label r and test record 10 + k label k).
@Suite struct ClassSubsetTests {
    @Test func writtenFormsGiveTheClassesInOrder() throws {
        #expect(try ClassSubset(parsing: "0-4").classes == [0, 1, 2, 3, 4])
        #expect(try ClassSubset(parsing: "5,6,7,8,9").classes == [5, 6, 7, 8, 9])
        #expect(try ClassSubset(parsing: "9,0-2, 7").classes == [9, 0, 1, 2, 7])
        #expect(try ClassSubset(parsing: "5,6,7,8,9").description == "5-9")
        #expect(try ClassSubset(parsing: "7,2,5").description == "7,2,5")
        let decoded = try JSONDecoder().decode([ClassSubset].self, from: Data(#"["3-5", [8, 1]]"#.utf8))
        #expect(decoded.map(\.classes) == [[3, 4, 5], [8, 1]])
        #expect(String(decoding: try JSONEncoder().encode(decoded[0]), as: UTF8.self) == "[3,4,5]")
    }

    @Test func badSubsetsAreOneSentenceNamingTheSetting() {
        let cases = [("4-2", "range 4-2 runs backwards"), ("3,3", "class 3 is named twice"), ("1", "keep at least 2 classes"),
                     ("", "expected classes and ranges such as 0-4 or 5,6,7,8,9"), ("a,b", "expected classes and ranges such as 0-4 or 5,6,7,8,9"),
                     ("0-99999999", "at most 10000 classes"), ("1,-2", "expected classes and ranges such as 0-4 or 5,6,7,8,9")]
        for (text, problem) in cases {
            let error = #expect(throws: SettingProblem.self) { try ClassSubset(parsing: text) }
            #expect(error?.key == "data.class_subset" && error?.problem == problem, "\(text)")
        }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(ClassSubset.self, from: Data("[2, 2]".utf8)) }
    }

    @Test func cifar10KeepsTheClassesRelabelledInTheGivenOrder() throws {
        let files = try CIFARReaderTests()
        try files.writeCIFAR10()
        let subset = [7, 2, 5, 1]
        let (task, splits) = try files.load("cifar10") { $0.classSubset = try? ClassSubset(subset) }
        #expect(task.outputWidth == 4)
        // Four training records kept: one validation row (at least 1), three training rows.
        #expect(splits.train.count == 3 && splits.validation.count == 1)
        #expect(Set(splits.train.labels! + splits.validation.labels!) == Set(0..<4))
        #expect(splits.test.labels! == [3, 1])   // test records 11 (class 1) and 12 (class 2), in file order
        let n = try #require(task.channelNormalisation)
        files.expectRows(splits.train, record: { subset[Int($0)] }, n)
        files.expectRows(splits.validation, record: { subset[Int($0)] }, n)
        files.expectRows(splits.test, record: { subset[Int($0)] + 10 }, n)

        let missing = #expect(throws: SettingProblem.self) { try files.load("cifar10") { $0.classSubset = try? ClassSubset([3, 12]) } }
        #expect(missing?.problem == "class 12 is not in the data, whose labels are 0…9")
        let empty = #expect(throws: SettingProblem.self) { try files.load("cifar10") { $0.classSubset = try? ClassSubset([8, 9]) } }
        #expect(empty?.problem == "leaves 2 training and 0 test images; need at least 2 and 1")
        let synthetic = #expect(throws: SettingProblem.self) {
            var options = TaskOptions()
            options.classSubset = try ClassSubset([0, 1])
            _ = try TaskRegistry.load("blobs", options: options, seed: 0)
        }
        #expect(synthetic?.problem.hasPrefix("only the image classification tasks") == true)
    }
}
