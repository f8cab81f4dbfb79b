import Foundation
import SqueezeTensorIO
import Testing

@Suite struct RunCommandTests {
    @Test func runsTheBundledSampleAndWritesTheOutput() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let output = dir.appendingPathComponent("y.npy").path
        let r = try CLIRunner.run(["run", "squeezenet1.1", "--input", "Samples/sample224.npy", "--output", output])
        #expect(r.status == 0, "\(r.stderr)")
        let array = try NpyFormat.read(path: output)
        #expect(array.shape == [1, 1000])
        let values = try #require(array.floats)
        // The printed top-1 is the argmax of the written output.
        let best = values.indices.max { values[$0] < values[$1] }!
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.count == 6)
        #expect(lines[1].contains("class \(String(format: "%4d", best))"))
        #expect(Set(values).count > 100, "outputs should be non-trivial")
    }

    @Test func sameInputSameOutput() throws {
        let a = try CLIRunner.run(["run", "squeezenet1.0", "--input-size", "96", "--input-seed", "3"])
        let b = try CLIRunner.run(["run", "squeezenet1.0", "--input-size", "96", "--input-seed", "3"])
        let c = try CLIRunner.run(["run", "squeezenet1.0", "--input-size", "96", "--input-seed", "4"])
        func ranking(_ r: CLIRunner.Result) -> [Substring] { Array(r.stdout.split(separator: "\n").dropFirst()) }
        #expect(a.status == 0 && ranking(a) == ranking(b))
        #expect(ranking(a) != ranking(c))
    }

    @Test func wrongInputShapeIsAnInputError() throws {
        let r = try CLIRunner.run(["run", "squeezenet1.1", "--input-size", "128", "--input", "Samples/sample224.npy"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("Samples/sample224.npy"))
        #expect(r.stderr.contains("[1, 3, 128, 128]"))
    }

    @Test func missingAndCorruptInputFiles() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let missing = try CLIRunner.run(["run", "squeezenet1.1", "--input", dir.appendingPathComponent("nope.npy").path])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("nope.npy"))
        let corrupt = dir.appendingPathComponent("bad.npy")
        try Data("not numpy at all".utf8).write(to: corrupt)
        let bad = try CLIRunner.run(["run", "squeezenet1.1", "--input", corrupt.path])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("bad.npy"))
        #expect(bad.stderr.split(separator: "\n").count == 1)
    }
}
