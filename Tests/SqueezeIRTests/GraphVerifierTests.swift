import Testing
@testable import SqueezeIR

@Suite struct GraphVerifierTests {
    @Test func acceptsAWellFormedGraph() throws {
        try GraphVerifier.verify(TestGraphs.fire())
        try GraphVerifier.verify(try ShapeInference.run(TestGraphs.fire()))
    }

    @Test func rejectsOutOfOrderNodes() {
        var g = TestGraphs.fire()
        g.nodes.swapAt(0, 1)
        #expect(throws: Diagnostic.self) { try GraphVerifier.verify(g) }
    }

    @Test func rejectsDuplicateNamesAndDoubleWrites() {
        var g = TestGraphs.fire()
        g.nodes[1].name = "f/squeeze"
        #expect(throws: Diagnostic.self) { try GraphVerifier.verify(g) }
        g = TestGraphs.fire()
        g.nodes[1].output = "f/squeeze"
        #expect(throws: Diagnostic.self) { try GraphVerifier.verify(g) }
    }

    @Test func rejectsStaleTypes() throws {
        var g = try ShapeInference.run(TestGraphs.fire())
        g.valueTypes["pool"] = TensorType(.float32, .nhwc(1, 3, 3, 6))
        do {
            try GraphVerifier.verify(g)
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .internal)
        }
    }

    @Test func rejectsMissingOutput() {
        var g = TestGraphs.fire()
        g.outputs = ["nothing"]
        #expect(throws: Diagnostic.self) { try GraphVerifier.verify(g) }
    }
}
