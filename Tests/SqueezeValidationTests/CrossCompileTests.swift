import Foundation
import SqueezeCodegen
import SqueezeFrontend
import Testing
@testable import SqueezeValidation

/// The generated C compiles warning-free for Cortex-M with arm-none-eabi-gcc
/// (installed by scripts/install-deps.sh --firmware, which CI runs).
@Suite struct CrossCompileTests {
    @Test(arguments: [["-mcpu=cortex-m4", "-mfpu=fpv4-sp-d16", "-mfloat-abi=hard"], ["-mcpu=cortex-m55", "-mfloat-abi=hard"]])
    func armGccCompilesTheGeneratedSources(cpu: [String]) throws {
        let graph = try SqueezeNetBuilder.build(SqueezeNetConfig(version: .v1_0, inputSize: 64, classes: 10, bypass: .complex, softmax: true)).graph
        let model = try CodeGenerator.generate(graph, options: CodegenOptions(prefix: "net"))
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("squeezec-arm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for file in model.files { try Data(file.contents.utf8).write(to: dir.appendingPathComponent(file.name)) }
        for source in model.files.map(\.name).filter({ $0.hasSuffix(".c") }) {
            for defines in [[], ["-DSQ_TRACE", "-DSQ_PROFILE"]] {
                let result = try ProcessRunner.run("arm-none-eabi-gcc", HostRunner.strictFlags + ["-O2", "-mthumb"] + cpu + defines
                                                   + ["-c", source, "-o", "/dev/null"], directory: dir)
                #expect(result.status == 0, "\(source) \(defines): \(result.stderr.prefix(600))")
            }
        }
    }
}
