import Foundation
import SqueezeCodegen
import SqueezeFrontend
import SqueezeIR
import SqueezeMemory
import Testing
@testable import SqueezeValidation

/// A 1x1 convolution with a fused max pool streams its pre-pool rows one at
/// a time through a one-row ring: gcc -O2 once warned (as an error) that the
/// fp32 1x1 kernel's `p * stride` could overflow in its pixel loop. Built and
/// checked against the reference with the host harness (strict flags, -O2)
/// on both schedules, and for the Cortex-M4.
@Suite struct Conv1x1PoolTests {
    static func graph() throws -> Graph {
        let initializer = WeightInitializer(seed: 5)
        let constants = ["c.weight": initializer.convWeight(name: "c.weight", outChannels: 8, kernel: .square(1), inChannels: 3),
                         "c.bias": initializer.bias(name: "c.bias", count: 8)]
        let nodes = [
            Node(name: "c", op: .conv2d(Conv2DAttributes(outChannels: 8, kernel: .square(1))), inputs: ["x"],
                 parameters: ["c.weight", "c.bias"], output: "c"),
            Node(name: "r", op: .relu, inputs: ["c"], output: "r"),
            Node(name: "p", op: .maxPool(PoolAttributes(kernel: .square(3), stride: .square(2))), inputs: ["r"], output: "p"),
        ]
        return try ShapeInference.run(Graph(name: "conv1x1_pool", inputs: [ValueInfo(name: "x", type: TensorType(.float32, .nhwc(1, 16, 16, 3)))],
                                            outputs: ["p"], nodes: nodes, constants: constants))
    }

    @Test(arguments: [ScheduleKind.stream, .layer])
    func buildsWarningFreeAndMatchesTheReference(schedule: ScheduleKind) throws {
        let graph = try Self.graph()
        var validator = Validator(runner: HostRunner())
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("squeezec-c1p-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: work) }
        let inputs = HostValidationTests.inputs(graph, count: 1).map { Validator<HostRunner>.Input(name: $0.name, values: $0.values) }
        let report = try validator.validate(graph, inputs: inputs, options: CodegenOptions(prefix: "model", schedule: schedule),
                                            workDirectory: work).report
        #expect(report.passed, "\(schedule): relative error \(report.maxRelativeError)")
        let model = try CodeGenerator.generate(graph, options: CodegenOptions(prefix: "model", schedule: schedule))
        try model.write(to: work)
        let result = try ProcessRunner.run("arm-none-eabi-gcc", HostRunner.strictFlags + ["-O2", "-mthumb", "-mcpu=cortex-m4", "-mfloat-abi=hard",
                                                                                          "-mfpu=fpv4-sp-d16", "-c", "model.c", "-o", "/dev/null"],
                                           directory: work)
        #expect(result.status == 0, "\(result.stderr.prefix(600))")
    }
}
