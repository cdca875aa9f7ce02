import Foundation
import Testing
@testable import nnprobe

/// Which files a directory argument stands for, checked against a tree made for the purpose.
struct CheckpointInputsTests {
    @Test func directoriesListCheckpointsRecursivelyInNaturalOrder() throws {
        let dir = try temporaryDirectory()
        let files = ["seed10.h5", "seed9.h5", "sweep/seed2.h5", "sweep/deeper/seed1.h5", "run.acts-task0.h5",
                     "run.epoch-3.h5", "notes.txt", "sweep.acts-x/seed5.h5"]
        for file in files {
            let url = dir.appendingPathComponent(file)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data().write(to: url)
        }
        // A link back up the tree is listed (as subpathsOfDirectory lists it) but not followed.
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("sweep/loop").path, withDestinationPath: dir.path)
        let found = try CheckpointInputs.checkpoints(in: dir.path).map { String($0.dropFirst(dir.path.count + 1)) }
        #expect(found == ["seed9.h5", "seed10.h5", "sweep/deeper/seed1.h5", "sweep/seed2.h5"])
    }
}
