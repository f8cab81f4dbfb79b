import Foundation
import Testing

/// The command examples in README.md and docs/*.md: `scripts/check_docs.sh`
/// reruns every ```console block with the squeezec binary under test and
/// compares the output shown there with what it prints now.
@Suite struct DocsExamplesTests {
    static var script: URL { CLIRunner.packageRoot.appendingPathComponent("scripts/check_docs.sh") }

    static func check(_ files: [String]) throws -> CLIRunner.Result {
        try CLIRunner.run(executable: URL(fileURLWithPath: "/bin/bash"),
                          [script.path, "--bin", try CLIRunner.binary.path] + files)
    }

    @Test func everyShownExampleStillMatches() throws {
        let r = try Self.check([])
        #expect(r.status == 0, "a documentation example no longer matches squeezec's output:\n\(r.stderr)")
        guard r.status == 0 else { return }
        // The docs do show examples: an empty run must not pass silently.
        let count = r.stdout.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
        #expect(count >= 20, "check_docs ran only \(count) examples: \(r.stdout)")
    }

    /// A doc whose shown output is wrong fails, naming the file, the line and the
    /// first differing line; the markers (a line `...`, `…` in a line) work.
    @Test func wrongExampleFailsWithFileAndLine() throws {
        let folder = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let doc = folder.appendingPathComponent("page.md")
        try """
            # A page

            ```console
            $ squeezec analyze squeezenet1.1
            model squeezenet1.1: input 1x224x224x3 (NHWC), output 1x1000
            ...
            parameters      1,235,496 (… of weights)
            ...
            ```

            Not run:

            ```text
            $ squeezec analyze no-such-model
            ```

            ```console
            $ squeezec analyze squeezenet1.1 --input-size 64 | head -n 1
            model squeezenet1.1: input 1x64x64x3 (NHWC), output 1x1001
            ```

            """.write(to: doc, atomically: true, encoding: .utf8)
        let r = try Self.check([doc.path])
        #expect(r.status == 1)
        // Only the second console example differs, at its line 19 (the output line).
        #expect(r.stderr.contains("page.md:19: output of `squeezec analyze squeezenet1.1 --input-size 64 | head -n 1` (line 18) differs"))
        #expect(r.stderr.contains("expected: model squeezenet1.1: input 1x64x64x3 (NHWC), output 1x1001"))
        #expect(r.stderr.contains("got:      model squeezenet1.1: input 1x64x64x3 (NHWC), output 1x1000"))
        #expect(r.stderr.contains("1 of 2 examples differ"))
    }

    @Test func failingCommandIsReported() throws {
        let folder = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let doc = folder.appendingPathComponent("errors.md")
        try """
            ```console
            $ squeezec analyze resnet50 2>&1; echo "exit status $?"
            squeezec: error: unknown model 'resnet50': …
            exit status 2
            $ squeezec analyze resnet50
            ```
            """.write(to: doc, atomically: true, encoding: .utf8)
        let r = try Self.check([doc.path])
        #expect(r.status == 1)
        #expect(r.stderr.contains("errors.md:5: command exited with status 2: $ squeezec analyze resnet50"))
        #expect(r.stderr.contains("1 of 2 examples differ"))
    }
}
