import Testing
@testable import SqueezeIR

@Suite struct GraphPrinterTests {
    @Test func printsAStableText() throws {
        let g = try ShapeInference.run(TestGraphs.fire())
        let text = GraphPrinter.print(g, fingerprints: false)
        let expected = """
            graph tiny
            input %x : float32[1x8x8x4]
            const f/e1.bias : float32[3]
            const f/e1.weight : float32[3x1x1x2]
            const f/e3.bias : float32[3]
            const f/e3.weight : float32[3x3x3x2]
            const f/squeeze.bias : float32[2]
            const f/squeeze.weight : float32[2x1x1x4]
            %f/squeeze = conv2d(%x; f/squeeze.weight, f/squeeze.bias) out=2 kernel=1 stride=1 pad=0 : float32[1x8x8x2]
            %f/relu_s = relu(%f/squeeze) : float32[1x8x8x2]
            %f/e1 = conv2d(%f/relu_s; f/e1.weight, f/e1.bias) out=3 kernel=1 stride=1 pad=0 : float32[1x8x8x3]
            %f/relu_e1 = relu(%f/e1) : float32[1x8x8x3]
            %f/e3 = conv2d(%f/relu_s; f/e3.weight, f/e3.bias) out=3 kernel=3 stride=1 pad=1 : float32[1x8x8x3]
            %f/relu_e3 = relu(%f/e3) : float32[1x8x8x3]
            %f/concat = concat(%f/relu_e1, %f/relu_e3) : float32[1x8x8x6]
            %pool = maxpool(%f/concat) kernel=3 stride=2 pad=0 ceil : float32[1x4x4x6]
            output %pool

            """
        #expect(text == expected)
    }

    @Test func fingerprintsChangeWithTheData() {
        let a = GraphPrinter.fingerprint(.float32([1, 2, 3]))
        let b = GraphPrinter.fingerprint(.float32([1, 2, 3.0001]))
        #expect(a != b)
        #expect(GraphPrinter.fingerprint(.float32([])) == 0x811C_9DC5)
    }
}
