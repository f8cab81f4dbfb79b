import Foundation
import SqueezeIR
import SqueezeTensorIO
import Testing
@testable import SqueezeFrontend

@Suite struct WeightLoaderTests {
    let built: BuiltModel

    init() throws {
        built = try SqueezeNetBuilder.build(SqueezeNetConfig(version: .v1_1, inputSize: 64, classes: 10))
    }

    func temporaryFile(_ name: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("squeezec-w-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.appendingPathComponent(name).path
    }

    /// The model's parameters in PyTorch layout (OIHW), scaled so they differ
    /// from the seeded ones, under torchvision names where asked.
    func pytorchArrays(torchvisionNames: Bool) -> [String: NpyArray] {
        let reverse = Dictionary(uniqueKeysWithValues: built.aliases.map { ($1, $0) })
        var arrays: [String: NpyArray] = [:]
        for (name, tensor) in built.graph.constants {
            let values = tensor.floats!.map { $0 * 2 }
            let key = torchvisionNames ? reverse[name]! : name
            let d = tensor.shape.dims
            if d.count == 4 {
                arrays[key] = NpyArray(shape: [d[0], d[3], d[1], d[2]],
                                       floats: Layout.ohwiToOIHW(values, o: d[0], i: d[3], kh: d[1], kw: d[2]))
            } else {
                arrays[key] = NpyArray(shape: d, floats: values)
            }
        }
        return arrays
    }

    @Test(arguments: [false, true]) func loadsPyTorchLayoutUnderEitherName(torchvision: Bool) throws {
        let path = try temporaryFile("w.npz")
        try NpzArchive.write(pytorchArrays(torchvisionNames: torchvision), to: path)
        let loaded = try WeightLoader.apply(file: path, to: built.graph, aliases: built.aliases)
        for (name, tensor) in built.graph.constants {
            #expect(loaded.constants[name]?.floats == tensor.floats!.map { $0 * 2 }, "\(name)")
        }
        try GraphVerifier.verify(loaded)
    }

    @Test func missingParameterIsNamed() throws {
        var arrays = pytorchArrays(torchvisionNames: false)
        arrays["fire5/expand3x3.bias"] = nil
        let path = try temporaryFile("w.npz")
        try NpzArchive.write(arrays, to: path)
        do {
            _ = try WeightLoader.apply(file: path, to: built.graph, aliases: built.aliases)
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("fire5/expand3x3.bias"))
            #expect(error.description.hasPrefix(path))
        }
    }

    @Test func wrongShapeAndUnknownKey() throws {
        var arrays = pytorchArrays(torchvisionNames: false)
        arrays["conv1.weight"] = NpyArray(shape: [64, 3, 3, 2], floats: Array(repeating: 0, count: 1152))
        let path = try temporaryFile("w.npz")
        try NpzArchive.write(arrays, to: path)
        #expect(throws: Diagnostic.self) { try WeightLoader.apply(file: path, to: built.graph, aliases: built.aliases) }

        arrays = pytorchArrays(torchvisionNames: false)
        arrays["extra.weight"] = NpyArray(shape: [1], floats: [0])
        try NpzArchive.write(arrays, to: path)
        do {
            _ = try WeightLoader.apply(file: path, to: built.graph, aliases: built.aliases)
            Issue.record("expected an error")
        } catch {
            #expect(error.message.contains("extra.weight"))
        }
    }
}
