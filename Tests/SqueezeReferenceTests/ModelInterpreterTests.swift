import Foundation
import SqueezeFrontend
import SqueezeIR
import SqueezePasses
import SqueezeQuant
import Testing
@testable import SqueezeReference

/// The one interface over both references: fp32 and int8.
@Suite struct ModelInterpreterTests {
    static let config = SqueezeNetConfig(version: .v1_1, inputSize: 48, classes: 10)

    static func input(_ graph: Graph, seed: UInt64) -> [Float] {
        var random = SeededRandom(seed: seed, stream: "interpreter-tests")
        return (0..<graph.inputs[0].type.shape.elementCount).map { _ in random.uniform(-2, 2) }
    }

    static func int8Graph() throws -> (int8: Graph, float: Graph) {
        let fused = try PassPipeline().run(try SqueezeNetBuilder.build(config).graph)
        let calibration = (1...3).map { Calibrator.Input(name: "c\($0)", values: input(fused, seed: UInt64($0))) }
        let ranges = try Calibrator().ranges(fused, inputs: calibration)
        return (try Quantizer(ranges: ranges, calibration: CalibrationSummary(method: "minmax", inputs: ["c1", "c2", "c3"])).run(fused), fused)
    }

    @Test func fp32RunsRealValuesUnchanged() throws {
        let graph = try SqueezeNetBuilder.build(Self.config).graph
        let interpreter = try ModelInterpreters.make(graph)
        let direct = try ReferenceInterpreter(graph: graph)
        #expect(interpreter is ReferenceInterpreter)
        #expect(interpreter.elementType == .float32)
        let x = Self.input(graph, seed: 7)
        #expect(try interpreter.encode(x) == x)
        let y = try interpreter.run(encoded: x)
        #expect(y == (try direct.run(x)))
        #expect(try interpreter.decode(y) == y)
        #expect(try interpreter.infer(x) == y)
        #expect(y.count == 10)
    }

    @Test func fp32TraceHasEveryNodeOutput() throws {
        let graph = try SqueezeNetBuilder.build(Self.config).graph
        let interpreter = try ModelInterpreters.make(graph)
        let x = Self.input(graph, seed: 8)
        let trace = try interpreter.trace(encoded: x)
        #expect(trace[graph.inputs[0].name] == x)
        for node in graph.nodes { #expect(trace[node.output] != nil, "\(node.output)") }
        #expect(trace[graph.outputs[0]] == (try interpreter.run(encoded: x)))
    }

    @Test func int8EncodesCodesAndDecodesRealValues() throws {
        let (int8, _) = try Self.int8Graph()
        let interpreter = try ModelInterpreters.make(int8)
        let direct = try Int8ReferenceInterpreter(graph: int8)
        #expect(interpreter is Int8ReferenceInterpreter)
        #expect(interpreter.elementType == .int8)
        let x = Self.input(int8, seed: 9)
        let codes = try interpreter.encode(x)
        #expect(codes == (try direct.quantizeInput(x)).map(Float.init))
        #expect(codes.allSatisfy { $0 == $0.rounded() && $0 >= -128 && $0 <= 127 })
        let y = try interpreter.run(encoded: codes)
        let expected = try direct.run(try direct.quantizeInput(x))
        #expect(y == expected.map(Float.init))
        #expect(try interpreter.decode(y) == (try direct.dequantizeOutput(expected)))
        #expect(try interpreter.infer(x) == (try direct.dequantizeOutput(expected)))
    }

    @Test func int8TraceMatchesItsRun() throws {
        let (int8, _) = try Self.int8Graph()
        let interpreter = try ModelInterpreters.make(int8)
        let codes = try interpreter.encode(Self.input(int8, seed: 10))
        let trace = try interpreter.trace(encoded: codes)
        #expect(trace[int8.inputs[0].name] == codes)
        for node in int8.nodes { #expect(trace[node.output] != nil, "\(node.output)") }
        #expect(trace[int8.outputs[0]] == (try interpreter.run(encoded: codes)))
    }

    @Test func bothPrecisionsAgreeThroughTheProtocol() throws {
        let (int8, float) = try Self.int8Graph()
        let models: [any ModelInterpreter] = [try ModelInterpreters.make(float), try ModelInterpreters.make(int8)]
        let x = Self.input(float, seed: 11)
        let outputs = try models.map { (m: any ModelInterpreter) throws(Diagnostic) -> [Float] in try m.infer(x) }
        var signal = 0.0, noise = 0.0
        for (r, v) in zip(outputs[0], outputs[1]) {
            signal += Double(r * r)
            noise += Double((r - v) * (r - v))
        }
        #expect(noise > 0 && 10 * log10(signal / noise) > 20, "int8 close to fp32")
    }
}
