/// A Fire module found in a graph: squeeze 1x1 conv + ReLU feeding an expand
/// 1x1 conv + ReLU and an expand 3x3 conv + ReLU, joined by a channel concat.
/// Each ReLU may also be a clip (ReLU6: `Activation.clamp(of:)`).
/// Indices refer to `Graph.nodes`.
public struct FireModule: Sendable, Hashable {
    public var name: String
    public var squeeze: Int
    public var squeezeRelu: Int
    public var expand1x1: Int
    public var expand1x1Relu: Int
    public var expand3x3: Int
    public var expand3x3Relu: Int
    public var concat: Int
    /// True when the concat lists the 1x1 branch first (the usual order).
    public var expand1x1First: Bool

    /// All node indices of the module, in execution order.
    public var nodeIndices: [Int] {
        [squeeze, squeezeRelu, expand1x1, expand1x1Relu, expand3x3, expand3x3Relu, concat].sorted()
    }
}

/// Recognises Fire modules structurally, so built-in and imported graphs are
/// treated the same. Intermediate values must not be read outside the module.
public enum FireModuleMatcher {
    public static func match(_ graph: Graph) -> [FireModule] {
        let producers = graph.producers
        let consumers = graph.consumers
        let outputs = Set(graph.outputs)

        func producer(_ value: String) -> (Int, Node)? {
            guard let index = producers[value] else { return nil }
            return (index, graph.nodes[index])
        }
        /// The value is read only by `readers` and is not a graph output.
        func private_(_ value: String, readers: Set<Int>) -> Bool {
            !outputs.contains(value) && Set(consumers[value] ?? []) == readers && (consumers[value]?.count ?? 0) == readers.count
        }
        func conv(_ node: Node, kernel: Int, pad: Int) -> Bool {
            guard case .conv2d(let a) = node.op else { return false }
            // The Fire kernels have no grouped path: a grouped expand stays a plain convolution.
            return a.kernel == .square(kernel) && a.stride == .square(1) && a.padding == .uniform(pad) && a.groups == 1
        }
        /// relu(conv(x)) branch: returns (convIndex, reluIndex, conv input).
        func reluConv(_ value: String) -> (Int, Int, Node)? {
            guard let (reluIndex, relu) = producer(value), Activation.clamp(of: relu.op) != nil,
                  let (convIndex, convNode) = producer(relu.inputs[0]), case .conv2d = convNode.op,
                  private_(relu.inputs[0], readers: [reluIndex])
            else { return nil }
            return (convIndex, reluIndex, convNode)
        }

        var modules: [FireModule] = []
        for (concatIndex, node) in graph.nodes.enumerated() {
            guard case .concat = node.op, node.inputs.count == 2 else { continue }
            guard let a = reluConv(node.inputs[0]), let b = reluConv(node.inputs[1]) else { continue }
            let oneFirst = conv(a.2, kernel: 1, pad: 0) && conv(b.2, kernel: 3, pad: 1)
            let threeFirst = conv(a.2, kernel: 3, pad: 1) && conv(b.2, kernel: 1, pad: 0)
            guard oneFirst || threeFirst else { continue }
            guard private_(node.inputs[0], readers: [concatIndex]), private_(node.inputs[1], readers: [concatIndex]) else { continue }
            let e1 = oneFirst ? a : b
            let e3 = oneFirst ? b : a
            guard e1.2.inputs[0] == e3.2.inputs[0] else { continue }
            let squeezed = e1.2.inputs[0]
            guard let (sReluIndex, sRelu) = producer(squeezed), Activation.clamp(of: sRelu.op) != nil,
                  private_(squeezed, readers: [e1.0, e3.0]),
                  let (sIndex, sNode) = producer(sRelu.inputs[0]), conv(sNode, kernel: 1, pad: 0),
                  private_(sRelu.inputs[0], readers: [sReluIndex])
            else { continue }
            modules.append(FireModule(
                name: moduleName(squeeze: sNode.name, concat: node.name),
                squeeze: sIndex, squeezeRelu: sReluIndex,
                expand1x1: e1.0, expand1x1Relu: e1.1,
                expand3x3: e3.0, expand3x3Relu: e3.1,
                concat: concatIndex, expand1x1First: oneFirst))
        }
        return modules
    }

    /// The longest common prefix of the squeeze and concat names, cut at a
    /// separator (`fire2/squeeze1x1` + `fire2/concat` -> `fire2`).
    static func moduleName(squeeze: String, concat: String) -> String {
        let common = zip(squeeze, concat).prefix { $0 == $1 }.map(\.0)
        var prefix = String(common)
        while let last = prefix.last, !"/._-:".contains(last) { prefix.removeLast() }
        while let last = prefix.last, "/._-:".contains(last) { prefix.removeLast() }
        while let first = prefix.first, "/._-:".contains(first) { prefix.removeFirst() }
        return prefix.isEmpty ? concat : prefix
    }
}
