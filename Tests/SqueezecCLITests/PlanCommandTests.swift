import Foundation
import Testing

/// `squeezec plan`: the buffer names users see in the table, the JSON and
/// the SVG (typed buffer identities print as before), and the arena figures.
@Suite struct PlanCommandTests {
    struct Buffer: Decodable {
        var name: String
        var offset: Int
        var bytes: Int
    }

    struct Report: Decodable {
        var arena_bytes: Int
        var lower_bound_bytes: Int
        var steps: [String]
        var buffers: [Buffer]
    }

    func plan(_ arguments: [String]) throws -> Report {
        let r = try CLIRunner.run(["plan"] + arguments + ["--json"])
        #expect(r.status == 0, "\(r.stderr)")
        return try JSONDecoder().decode(Report.self, from: Data(r.stdout.utf8))
    }

    @Test func streamPlanNamesRingsAndHandOffBuffers() throws {
        let report = try plan(["squeezenet1.1"])
        // Recorded before the buffer identities were typed (commit 0d49ad6).
        #expect(report.arena_bytes == 187_648)
        #expect(report.steps == ["stream", "flatten"])
        let names = Set(report.buffers.map(\.name))
        #expect(names.contains("fire2.squeeze") && names.contains("pool1") && names.contains("stream.handoff0"))
        #expect(!names.contains { $0.hasSuffix(".prepool_row") })  // members of the hand-off buffers, not buffers
    }

    @Test func layerPlanNamesTheFusedStepsRings() throws {
        let report = try plan(["squeezenet1.1", "--schedule", "layer", "--input-size", "64"])
        #expect(report.arena_bytes == 141_120)
        let names = Set(report.buffers.map(\.name))
        #expect(names.isSuperset(of: ["conv1.prepool_rows", "fire2.squeeze_rows", "fire3.prepool_rows", "fire2/concat"]))
    }

    @Test func int8PlansHoldTheKernelsScratch() throws {
        for schedule in ["stream", "layer"] {
            let report = try plan(["squeezenet1.1", "--precision", "int8", "--schedule", schedule, "--input-size", "64"])
            #expect(report.arena_bytes == (schedule == "stream" ? 18_336 : 41_584))
            let im2col = try #require(report.buffers.first { $0.name == "int8.im2col" })
            #expect(im2col.bytes == 576 * 4)
            #expect(report.buffers.contains { $0.name == "int8.gap.conv10" && $0.bytes == 4000 })
        }
    }

    @Test func textAndSVGNameTheBuffers() throws {
        let folder = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let svg = folder.appendingPathComponent("plan.svg")
        let r = try CLIRunner.run(["plan", "squeezenet1.1", "--input-size", "64", "--svg", svg.path])
        #expect(r.status == 0)
        #expect(r.stdout.contains("stream.handoff0") && r.stdout.contains("fire9.squeeze"))
        let picture = try String(contentsOf: svg, encoding: .utf8)
        #expect(picture.contains("stream.handoff0") && picture.contains("fire2.squeeze"))
    }
}
