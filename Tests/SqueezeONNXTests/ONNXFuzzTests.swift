import Foundation
import SqueezeIR
import Testing
@testable import SqueezeFrontend

/// Damaged and hostile files: importing must end in a graph or a
/// `Diagnostic`, never a crash, a hang or a huge allocation.
@Suite struct ONNXFuzzTests {
    static let seeds: [[UInt8]] = [
        ONNXImporterTests.tinyModel().encode(),
        ONNXImporterTests.tinyModel(opset: 11).encode(),
        ONNXImporterTests.batchNormModel(bias: false).encode(),
        ONNXImporterTests.headModel().encode(),
        ONNXImporterTests.headModel(constantNode: false, opset: 11).encode(),
        smallFireModel(),
        TensorSpec.floats("t", [1, 2, 3], [1, 2, 3, 4, 5, 6]).encoded,
    ]

    /// A SqueezeNet with narrow Fire modules, so the seed stays small.
    static func smallFireModel() -> [UInt8] {
        let config = SqueezeNetConfig(version: .v1_1, inputSize: 32, classes: 3, baseE: 8, incrE: 8)
        let graph = try! SqueezeNetBuilder.build(config).graph
        return ONNXExport.encode(graph)
    }

    /// Bytes that mean something in the wire format: small keys, lengths,
    /// continuation bytes.
    static let interesting: [UInt8] = [0x00, 0x01, 0x02, 0x05, 0x08, 0x0A, 0x12, 0x1A, 0x22, 0x3A, 0x42, 0x7F, 0x80, 0xFF]

    static func mutate(_ bytes: inout [UInt8], using random: inout SeededRandom) {
        guard !bytes.isEmpty else {
            bytes.append(interesting.randomElement(using: &random) ?? 0)
            return
        }
        let position = Int.random(in: 0..<bytes.count, using: &random)
        switch Int.random(in: 0..<9, using: &random) {
        case 0: bytes[position] = UInt8.random(in: 0...255, using: &random)
        case 1: bytes[position] ^= 1 << UInt8.random(in: 0..<8, using: &random)
        case 2: bytes[position] = interesting.randomElement(using: &random) ?? 0
        case 3: bytes.removeSubrange(position...)
        case 4: bytes.insert(interesting.randomElement(using: &random) ?? 0, at: position)
        case 5: bytes.remove(at: position)
        case 6:
            // A run of continuation bytes: overlong varints and lengths.
            let count = min(Int.random(in: 1...12, using: &random), bytes.count - position)
            for index in position..<(position + count) { bytes[index] = 0xFF }
        case 7:
            // Copy a chunk elsewhere: repeated fields and messages.
            let length = min(Int.random(in: 1...64, using: &random), bytes.count - position)
            let chunk = bytes[position..<(position + length)]
            bytes.insert(contentsOf: chunk, at: Int.random(in: 0...bytes.count, using: &random))
        default:
            bytes[position] = bytes[position] &+ UInt8.random(in: 1...3, using: &random)
        }
    }

    @Test func randomMutationsEndInAGraphOrADiagnostic() {
        var random = SeededRandom(seed: 0x0_4E58_F022)
        let iterations = 3000
        var imported = 0
        var rejected = 0
        var tensors = 0
        let start = Date()
        for iteration in 0..<iterations {
            var bytes = Self.seeds[iteration % Self.seeds.count]
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                Self.mutate(&bytes, using: &random)
            }
            do {
                let graph = try ONNXImporter.load(bytes: bytes, file: "fuzz.onnx")
                #expect(!graph.valueTypes.isEmpty)
                imported += 1
            } catch {
                #expect(error.location.file == "fuzz.onnx")
                #expect(!error.message.contains("\n"))
                rejected += 1
            }
            // The same bytes as a TensorProto file.
            if let array = try? TensorProtoFile.decode(bytes, file: "fuzz.pb") {
                #expect(array.shapeMatchesStorage)
                tensors += 1
            }
        }
        #expect(imported + rejected == iterations)
        #expect(imported > 0 && rejected > 0)
        #expect(Date().timeIntervalSince(start) < 30)
        print("ONNX fuzz: \(iterations) mutations, \(imported) imported, \(rejected) rejected, \(tensors) read as tensors, \(String(format: "%.2f", Date().timeIntervalSince(start))) s")
    }

    // MARK: Hostile files

    static func modelWithGraph(_ graph: [UInt8]) -> [UInt8] {
        ProtoWriter.encode { m in
            m.int(1, 8)
            m.message(8) { $0.int(2, 13) }
            m.bytes(7, graph)
        }
    }

    func importResult(_ bytes: [UInt8]) -> Diagnostic? {
        TestSupport.error { () throws(Diagnostic) in try ONNXImporter.load(bytes: bytes, file: "hostile.onnx") }
    }

    @Test func hugeDeclaredLengths() {
        var w = ProtoWriter()
        w.int(1, 8)
        w.key(7, 2)
        w.varint(UInt64.max >> 1)
        w.bytes += [1, 2, 3]
        #expect(importResult(w.bytes)?.message.contains("exceeds the 3 bytes that remain") == true)

        // Inside an initializer: raw_data claims 2^40 bytes.
        var b = ONNXImporterTests.tinyModel()
        var tensor = ProtoWriter()
        tensor.int(1, 1 << 40)
        tensor.int(2, 1)
        tensor.string(8, "W")
        tensor.key(9, 2)
        tensor.varint(1 << 40)
        b.extraGraphBytes = ProtoWriter.encode { $0.bytes(5, tensor.bytes) }
        #expect(importResult(b.encode()) != nil)
    }

    @Test func wrongWireTypes() {
        var w = ProtoWriter()
        w.int(1, 8)
        w.int(7, 42)   // graph as a varint
        #expect(importResult(w.bytes)?.message.contains("should be a GraphProto message") == true)
        let nodes = ProtoWriter.encode { $0.float(1, 1) }   // a node as fixed32
        #expect(importResult(Self.modelWithGraph(nodes))?.message.contains("GraphProto: field 1 should be a NodeProto message") == true)
        let version = ProtoWriter.encode { m in
            m.string(1, "8")   // ir_version as a string
        }
        #expect(importResult(version)?.message.contains("ModelProto: field 1 should be an integer") == true)
    }

    @Test func deepNesting() {
        // 20 000 levels of an unknown field: skipped in one step.
        var nested: [UInt8] = []
        for _ in 0..<20_000 {
            var w = ProtoWriter()
            w.bytes(1, nested)
            nested = w.bytes
        }
        var b = ONNXImporterTests.tinyModel()
        b.extraGraphBytes = ProtoWriter.encode { $0.bytes(99, nested) }
        #expect(importResult(b.encode()) == nil)
        // The same nesting where a NodeProto is expected: each level is a node
        // whose field 1 (input) is a string, so this decodes shallowly.
        #expect(importResult(Self.modelWithGraph(ProtoWriter.encode { $0.bytes(1, nested) })) != nil)
    }

    @Test func cyclesAndMissingValues() {
        var cycle = ONNXModelBuilder()
        cycle.node("Relu", ["b"], ["a"], name: "A")
        cycle.node("Relu", ["a"], ["b"], name: "B")
        cycle.output("b")
        #expect(importResult(cycle.encode())?.message == "nodes 'A' -> 'B' -> 'A' form a cycle")

        var identities = ONNXModelBuilder()
        identities.node("Identity", ["q"], ["p"], name: "P")
        identities.node("Identity", ["p"], ["q"], name: "Q")
        identities.output("q")
        #expect(importResult(identities.encode())?.message.contains("form a cycle") == true)

        var missing = ONNXImporterTests.tinyModel()
        missing.initializers.remove(at: 1)   // B
        let e = importResult(missing.encode())
        #expect(e?.location.node == "c")
        #expect(e?.message.contains("'B'") == true)

        var noOutputName = ONNXModelBuilder()
        noOutputName.node("Relu", ["x"], [""], name: "r")
        noOutputName.output("x")
        #expect(importResult(noOutputName.encode())?.message == "Relu has no output")
    }

    @Test func hugeShapesAndAttributes() {
        // Weights declaring 2^62 values with none given, then more than Int holds.
        var weights = ONNXImporterTests.tinyModel()
        weights.initializers[0] = TensorSpec(name: "W", dims: [1 << 60, 4, 1, 1], data: .floats([], raw: true))
        #expect(importResult(weights.encode())?.message.contains("but 0 bytes of raw_data") == true)
        weights.initializers[0] = TensorSpec(name: "W", dims: [1 << 62, 4, 4, 4], data: .floats([], raw: true))
        #expect(importResult(weights.encode())?.message.contains("overflows") == true)

        // An unused broken initializer is never decoded.
        var unused = ONNXImporterTests.tinyModel()
        unused.initializer(TensorSpec(name: "junk", dims: [1 << 62, 1 << 62], data: .floats([], raw: false)))
        #expect(importResult(unused.encode()) == nil)

        // The largest kernel and pads allowed: a 131078 x 131078 map is too large.
        var pads = ONNXImporterTests.tinyModel()
        pads.node("MaxPool", ["r"], ["z"], name: "pool", [.ints("kernel_shape", [1 << 16, 1 << 16]), .ints("pads", [65535, 65535, 65535, 65535])])
        #expect(importResult(pads.encode())?.location.node == "pool")
        // Pads not smaller than the kernel.
        var padding = ONNXImporterTests.tinyModel()
        padding.node("MaxPool", ["r"], ["z"], name: "pool2", [.ints("kernel_shape", [2, 2]), .ints("pads", [65536, 0, 0, 0])])
        #expect(importResult(padding.encode())?.message.contains("must be smaller than kernel") == true)
    }

    @Test func sizesThatWouldOverflowAreRejectedFirst() {
        // Concat(v, v) 70 times: channels double until they would overflow Int.
        var doubling = ONNXModelBuilder()
        var last = "x"
        for index in 0..<70 {
            doubling.node("Concat", [last, last], ["v\(index)"], [.int("axis", 1)])
            last = "v\(index)"
        }
        doubling.node("Flatten", [last], ["y"])
        doubling.output("y")
        let e = importResult(doubling.encode())
        #expect(e?.kind == .unsupported)
        // 64 pixels x 3 * 2^23 channels > 2^30.
        #expect(e?.message == "value 'v22' would have more than 1073741824 elements")
        #expect(e?.location.node == "v22")

        // Pools with the largest pads allowed grow the map by 2^17 a side each.
        var growing = ONNXModelBuilder()
        last = "x"
        for index in 0..<40 {
            growing.node("MaxPool", [last], ["p\(index)"], [.ints("kernel_shape", [65536, 65536]), .ints("pads", [65535, 65535, 65535, 65535])])
            last = "p\(index)"
        }
        growing.output(last)
        #expect(importResult(growing.encode())?.message.contains("would have more than") == true)
    }

    @Test func longChainsAndWideNodes() {
        // 20 000 Relus listed in reverse order: sorted without recursion.
        var chain = ONNXModelBuilder()
        let count = 20_000
        for index in (0..<count).reversed() {
            chain.node("Relu", [index == 0 ? "x" : "v\(index - 1)"], ["v\(index)"])
        }
        chain.output("v\(count - 1)")
        #expect(importResult(chain.encode()) == nil)

        // 20 000 nodes with one name, and 2 000 outputs through Identities.
        var same = ONNXModelBuilder()
        for index in 0..<count {
            same.node("Relu", [index == 0 ? "x" : "v\(index - 1)"], ["v\(index)"], name: "same")
        }
        for index in 0..<2000 {
            same.node("Identity", ["v\(index * 10)"], ["out\(index)"], name: "same")
            same.output("out\(index)")
        }
        let start = Date()
        let graph = try? ONNXImporter.load(bytes: same.encode(), file: "same.onnx")
        #expect(graph?.nodes.last?.name == "same_\(count)")
        #expect(graph?.outputs.count == 2000 && graph?.outputs.last == "out1999")
        #expect(Date().timeIntervalSince(start) < 10)

        // A Concat of 5 000 inputs.
        var wide = ONNXModelBuilder()
        wide.node("Concat", [String](repeating: "x", count: 5000), ["y"], [.int("axis", 1)])
        wide.output("y")
        #expect(importResult(wide.encode()) == nil)
    }

    @Test func garbageAndOddNames() {
        #expect(importResult([])?.message == "not an ONNX model: ir_version is missing")
        #expect(importResult([UInt8](repeating: 0xFF, count: 64)) != nil)
        #expect(importResult(Array("not a protobuf file at all\n".utf8)) != nil)
        // Names with control characters and invalid UTF-8 are shown escaped.
        var b = ONNXModelBuilder()
        b.nodes.append(ProtoWriter.encode { w in
            w.string(1, "x")
            w.string(2, "y")
            w.bytes(3, Array("bad\nname".utf8) + [0xFF])
            w.string(4, "Gather")
        })
        b.output("y")
        let e = importResult(b.encode())
        #expect(e?.message.contains("\n") == false)
        #expect(e?.message.contains("'bad\\nname\u{FFFD}' (Gather)") == true)
    }
}
