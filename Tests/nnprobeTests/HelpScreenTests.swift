import Foundation
import Testing

/// Whole `--help` screens (`nnprobe --help` and every subcommand's), 80 columns wide, against
/// the committed Fixtures/help/*.txt. A flag added, renamed or reworded shows up here as a diff.
///
/// After changing a command's options on purpose, regenerate every screen with one command:
///
///     make help-fixtures        # = NNPROBE_UPDATE_HELP=1 swift test --skip-build --filter HelpScreenTests
///
/// and review the change with `git diff Tests/nnprobeTests/Fixtures/help`.
@Suite struct HelpScreenTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/help")
    static let updating = ProcessInfo.processInfo.environment["NNPROBE_UPDATE_HELP"] == "1"

    /// The screen of `nnprobe [command] --help` at a fixed width.
    static func screen(_ command: String?) throws -> String {
        let result = try runNNProbe((command.map { [$0] } ?? []) + ["--help"], environment: ["COLUMNS": "80", "LINES": "24"])
        #expect(result.status == 0, "\(command ?? "nnprobe") --help: \(result.stderr)")
        return result.stdout
    }

    /// Subcommand names from the SUBCOMMANDS section of `nnprobe --help`.
    static func subcommands(in top: String) -> [String] {
        guard let section = top.components(separatedBy: "SUBCOMMANDS:\n").dropFirst().first else { return [] }
        return section.split(separator: "\n").compactMap { line in
            guard line.hasPrefix("  "), !line.hasPrefix("   "), let name = line.split(separator: " ").first,
                  name.allSatisfy({ $0.isLowercase || $0 == "-" }) else { return nil }
            return String(name)
        }
    }

    @Test func everyHelpScreenMatchesItsFixture() throws {
        let top = try Self.screen(nil)
        let commands = Self.subcommands(in: top)
        #expect(commands.count >= 13 && commands.contains("train") && commands.contains("summary"), "\(commands)")
        var screens = [("nnprobe", top)]
        for command in commands { screens.append((command, try Self.screen(command))) }
        if Self.updating {
            try FileManager.default.createDirectory(at: Self.folder, withIntermediateDirectories: true)
            for old in try FileManager.default.contentsOfDirectory(atPath: Self.folder.path) where old.hasSuffix(".txt") {
                try FileManager.default.removeItem(at: Self.folder.appendingPathComponent(old))
            }
            for (name, text) in screens { try text.write(to: Self.folder.appendingPathComponent("\(name).txt"), atomically: true, encoding: .utf8) }
            return
        }
        let committed = Set(try FileManager.default.contentsOfDirectory(atPath: Self.folder.path).filter { $0.hasSuffix(".txt") })
        #expect(committed == Set(screens.map { "\($0.0).txt" }),
                "Fixtures/help holds \(committed.sorted()); the commands are \(screens.map(\.0)). Regenerate with `make help-fixtures`.")
        for (name, text) in screens {
            let file = Self.folder.appendingPathComponent("\(name).txt")
            guard let expected = try? String(contentsOf: file, encoding: .utf8) else { continue }
            guard text != expected else { continue }
            let changes = try diff(expected: file, actual: text)
            Issue.record("\(name) --help differs from Fixtures/help/\(name).txt (regenerate with `make help-fixtures`):\n\(changes)")
        }
    }

    /// `diff -u` of the committed file and the current screen.
    func diff(expected: URL, actual: String) throws -> String {
        let current = try temporaryDirectory().appendingPathComponent("current-\(expected.lastPathComponent)")
        try actual.write(to: current, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/diff")
        process.arguments = ["-u", "--label", "committed", "--label", "current", expected.path, current.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: output, as: UTF8.self)
    }
}

/// Shell completion offers the task names and, for file arguments, the files of the right kind.
@Suite struct CompletionTests {
    @Test(arguments: ["bash", "zsh", "fish"])
    func completionScriptsOfferTasksAndFiles(shell: String) throws {
        let script = try runNNProbe(["--generate-completion-script", shell])
        #expect(script.status == 0)
        #expect(script.stdout.contains("multi-mult") && script.stdout.contains("fashion-mnist"), "task names")
        #expect(script.stdout.contains("h5") && script.stdout.contains("yaml") && script.stdout.contains("svg"), "file kinds")
    }
}
