import Foundation
import SqueezeCodegen
import SqueezeFrontend
import SqueezeIR
import SqueezeMemory
import SqueezePasses
import SqueezeQuant
import Testing
@testable import SqueezeValidation

/// Mul/Add/Sub/Div by constants that broadcast per column, per row and per
/// value, and a Pad with a non-zero value (scripts/make_family_fixtures.py)
/// as generated C on the host
/// under ASan/UBSan, both schedules: fp32 within the tolerance, int8
/// bit-exact against the Swift int8 reference.
@Suite struct BroadcastAffineHostTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/onnx/broadcast_ops.onnx").path

    static func fused() throws -> Graph {
        try PassPipeline().run(try ONNXImporter.load(path: fixture))
    }

    @Test func theImporterKeepsTheBroadcastShapes() throws {
        let g = try Self.fused()
        let shapes = Dictionary(uniqueKeysWithValues: g.nodes.compactMap { node -> (String, [Int])? in
            guard case .affine = node.op, let s = g.constants[node.parameters[0]]?.shape else { return nil }
            return (node.name, s.dims)
        })
        #expect(shapes["mul_w"] == [1, 5, 4])     // per column, channels expanded
        #expect(shapes["add_full"] == [6, 5, 6])  // per value
        #expect(shapes["sub_h"] == [6, 1, 6])     // per row
        #expect(shapes["div_c"] == [6])           // per channel
        #expect(shapes["mul_h"] == [3, 1, 6])     // per row of the pooled map
        // The Pad with constant_value 0.75 keeps its value (and is not folded into the global average).
        #expect(g.nodes.contains { $0.op == .pad(Padding(top: 1, left: 0, bottom: 0, right: 1), value: 0.75) })
    }

    @Test(arguments: [(ScheduleKind.stream, "gcc", false), (.layer, "clang", false), (.stream, "clang", true), (.layer, "gcc", true)])
    func generatedCodeMatchesTheReference(schedule: ScheduleKind, compiler: String, int8: Bool) throws {
        let float = try Self.fused()
        var graph = float
        if int8 {
            let calibration = HostValidationTests.inputs(float, count: 3).map { Calibrator.Input(name: $0.name, values: $0.values) }
            let ranges = try Calibrator(method: .minMax).ranges(float, inputs: calibration)
            graph = try Quantizer(ranges: ranges, calibration: CalibrationSummary(method: "minmax", inputs: [])).run(float)
            #expect(graph.quantization?.affines.values.filter { !$0.broadcast.perChannel }.count == 4)
        }
        let report = try FamilyOpsHostTests.validate(graph, float: int8 ? float : nil, schedule: schedule, compiler: compiler)
        if int8 {
            #expect(report.passed && report.differingBytes == 0, "\(schedule) \(compiler)")
        } else {
            #expect(report.passed, "\(schedule) \(compiler)")
        }
    }
}
