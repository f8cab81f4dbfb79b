import Testing
@testable import SqueezeIR

/// Which parameter of an affine op each value of the map takes.
@Suite struct AffineBroadcastTests {
    static let map = TensorShape.nhwc(1, 6, 5, 4)

    @Test func shapesThatCoverTheMap() throws {
        #expect(AffineBroadcast(parameter: TensorShape([4]), map: Self.map) == .perChannel)
        #expect(AffineBroadcast(parameter: TensorShape([1, 1, 4]), map: Self.map) == .perChannel)
        #expect(AffineBroadcast(parameter: TensorShape([6, 1, 4]), map: Self.map) == AffineBroadcast(byRow: true, byColumn: false))
        #expect(AffineBroadcast(parameter: TensorShape([1, 5, 4]), map: Self.map) == AffineBroadcast(byRow: false, byColumn: true))
        #expect(AffineBroadcast(parameter: TensorShape([6, 5, 4]), map: Self.map) == AffineBroadcast(byRow: true, byColumn: true))
        for wrong in [TensorShape([3]), TensorShape([6, 5, 3]), TensorShape([5, 5, 4]), TensorShape([6, 4]), TensorShape([1, 6, 5, 4])] {
            #expect(AffineBroadcast(parameter: wrong, map: Self.map) == nil, "\(wrong)")
        }
        #expect(AffineBroadcast(parameter: TensorShape([4]), map: TensorShape([1, 4])) == nil)
    }

    /// The index walks the compact `[h, w, C]` parameters, repeating along broadcast axes.
    @Test func indexRepeatsAlongBroadcastAxes() {
        let (w, c) = (5, 4)
        #expect(AffineBroadcast.perChannel.index(y: 3, x: 2, c: 1, width: w, channels: c) == 1)
        let rows = AffineBroadcast(byRow: true, byColumn: false)
        #expect(rows.index(y: 3, x: 2, c: 1, width: w, channels: c) == 3 * c + 1)
        let columns = AffineBroadcast(byRow: false, byColumn: true)
        #expect(columns.index(y: 3, x: 2, c: 1, width: w, channels: c) == 2 * c + 1)
        let values = AffineBroadcast(byRow: true, byColumn: true)
        #expect(values.index(y: 3, x: 2, c: 1, width: w, channels: c) == (3 * w + 2) * c + 1)
        #expect(values.index(y: 5, x: 4, c: 3, width: w, channels: c) == 6 * 5 * 4 - 1)
    }

    /// Shape inference takes broadcast parameters and refuses ones that do not cover the input.
    @Test func shapeInferenceChecksTheParameters() throws {
        func graph(_ parameter: TensorShape) -> Graph {
            let count = parameter.elementCount
            return Graph(name: "g", inputs: [ValueInfo(name: "x", type: TensorType(.float32, Self.map))], outputs: ["y"],
                         nodes: [Node(name: "a", op: .affine(channels: 4), inputs: ["x"], parameters: ["s", "t"], output: "y")],
                         constants: ["s": Tensor(shape: parameter, floats: [Float](repeating: 1, count: count)),
                                     "t": Tensor(shape: parameter, floats: [Float](repeating: 0, count: count))])
        }
        _ = try ShapeInference.run(graph(TensorShape([6, 1, 4])))
        #expect(throws: Diagnostic.self) { try ShapeInference.run(graph(TensorShape([5, 1, 4]))) }
    }
}
