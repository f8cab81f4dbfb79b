import Testing
@testable import SqueezeIR

/// The one int8 support table, the pre-flight built on it, and the short
/// report (`UnsupportedNode`).
@Suite struct Int8SupportTests {
    @Test func tableCoversEveryKindAndMatchesTheKernels() {
        let supported = OpKind.allCases.filter { Int8Support.supports($0) }
        // Every op of the IR has int8 kernels today (the pre-flight below is for the next op that has not).
        #expect(supported == OpKind.allCases)
        #expect(Int8Support.supports(.conv2d(Conv2DAttributes(outChannels: 2, kernel: .square(1)))))
        #expect(Int8Support.supports(Op.softmax))
        for kind in OpKind.allCases { #expect(!kind.streams.isEmpty) }
    }

    @Test func preflightListsEveryNodeWithoutInt8Support() throws {
        let graph = Graph(name: "g", inputs: [ValueInfo(name: "x", type: TensorType(.float32, .nhwc(1, 4, 4, 2)))], outputs: ["s"],
                          nodes: [Node(name: "c", op: .concat, inputs: ["x", "x"], output: "c"),
                                  Node(name: "r", op: .relu, inputs: ["c"], output: "r"),
                                  Node(name: "f", op: .flatten, inputs: ["r"], output: "f"),
                                  Node(name: "s", op: .softmax, inputs: ["f"], output: "s")],
                          constants: [:])
        // A table without concat and softmax (as before they had int8 kernels).
        let older: (OpKind) -> Bool = { $0 != .concat && $0 != .softmax }
        #expect(Int8Support.unsupportedNodes(graph).isEmpty)
        #expect(Int8Support.unsupportedNodes(graph, supported: older).map(\.name) == ["c", "s"])
        do {
            try Int8Support.check(graph, supported: older)
            Issue.record("the pre-flight accepted a softmax")
        } catch {
            #expect(error.kind == .unsupported)
            #expect(error.message.hasPrefix("2 nodes without int8 support (1 concat, 1 softmax): 'c', 's'; no int8 kernel; int8 supports "))
            #expect(error.details == ["'c' (concat): no int8 kernel", "'s' (softmax): no int8 kernel"])
        }
    }

    /// A limit of a kernel on shapes alone is a pre-flight refusal too (before
    /// calibration): the int8 softmax's rows of at most 65,535 values.
    @Test func preflightRefusesAnInt8SoftmaxRowTooWide() throws {
        func graph(width: Int) throws -> Graph {
            try ShapeInference.run(Graph(name: "g", inputs: [ValueInfo(name: "x", type: TensorType(.float32, .nhwc(1, 1, 1, width)))],
                                         outputs: ["s"], nodes: [Node(name: "prob", op: .softmax, inputs: ["x"], output: "s")], constants: [:]))
        }
        #expect(Int8Support.unsupportedNodes(try graph(width: SoftmaxQuantization.maximumWidth)).isEmpty)
        let wide = Int8Support.unsupportedNodes(try graph(width: 70_000))
        #expect(wide == [UnsupportedNode(name: "prob", op: "softmax",
                                         reason: "the int8 softmax takes rows of at most 65535 values, not 70000")])
    }

    @Test func reportShowsCountsAndTheFirstNamesOnly() {
        let nodes = (0..<5).map { UnsupportedNode(name: "n\($0)", op: $0 < 3 ? "Erf" : "Sin", reason: "operator not supported") }
        let many = UnsupportedNode.report(nodes, what: "", hint: "try X", file: "m.onnx")
        #expect(many.description == "m.onnx: 5 unsupported nodes (3 Erf, 2 Sin): 'n0', 'n1', 'n2', ... (--verbose lists all 5); "
            + "operator not supported; try X")
        #expect(many.details.count == 5)
        let one = UnsupportedNode.report([nodes[0]], what: "", hint: nil, file: "m.onnx")
        #expect(one.description == "m.onnx: layer 'n0': 1 unsupported node: 'n0' (Erf): operator not supported")
        #expect(one.details.isEmpty)
    }
}
