import SqueezeIR
import Testing
import SqueezeReference

@Suite struct FlattenKernelTests {
    @Test func nhwcFlattensInNCHWOrder() {
        // 1x2x2x3 with in[h][w][c] = 100c + 10h + w, stored NHWC.
        var x: [Float] = []
        for h in 0..<2 { for w in 0..<2 { for c in 0..<3 { x.append(Float(100 * c + 10 * h + w)) } } }
        #expect(x.prefix(4) == [0, 100, 200, 1])
        #expect(FlattenKernel.apply(x, shape: .nhwc(1, 2, 2, 3)) == [0, 1, 10, 11, 100, 101, 110, 111, 200, 201, 210, 211])
    }

    @Test func batchOfTwoFlattensEachImage() {
        // 2x1x2x2: image 0 pixels (1,2) (3,4), image 1 pixels (5,6) (7,8).
        #expect(FlattenKernel.apply(floats(Array(1...8)), shape: .nhwc(2, 1, 2, 2)) == [1, 3, 2, 4, 5, 7, 6, 8])
    }

    @Test func oneByOneSpatialIsACopy() {
        let x: [Float] = [3, 1, 4, 1, 5]
        #expect(FlattenKernel.apply(x, shape: .nhwc(1, 1, 1, 5)) == x)
    }
}
