import SqueezeIR

/// Fuses pooling into its producer so the pre-pool map is never stored whole:
/// a max pool into a convolution or Fire module, and a global average pool
/// into a 1x1 convolution + ReLU (SqueezeNet's conv10 + pool10).
public struct PoolFusion: GraphPass {
    public let name = "pool-fusion"

    public init() {}

    public func run(_ graph: Graph) throws(Diagnostic) -> Graph {
        var result = graph
        var index = 0
        while index < result.nodes.count {
            let pool = result.nodes[index]
            guard let producerIndex = result.nodes.firstIndex(where: { $0.output == pool.inputs.first }),
                  result.isPrivate(pool.inputs[0], to: index),
                  let op = Self.fused(result.nodes[producerIndex].op, with: pool.op)
            else {
                index += 1
                continue
            }
            var producer = result.nodes[producerIndex]
            producer.op = op
            producer.output = pool.output
            producer.fusedFrom = producer.sourceNames + pool.sourceNames
            result.nodes[producerIndex] = producer
            result.nodes.remove(at: index)
        }
        return try result.reinferred()
    }

    /// The producer's op with the pool fused in, or nil if they do not fuse.
    static func fused(_ producer: Op, with pool: Op) -> Op? {
        switch (producer, pool) {
        case (.conv2d(var a), .maxPool(let p)) where a.pool == nil:
            a.pool = .max(p)
            return .conv2d(a)
        case (.fire(var a), .maxPool(let p)) where a.pool == nil:
            a.pool = .max(p)
            return .fire(a)
        case (.conv2d(var a), .globalAvgPool)
            where a.pool == nil && a.activation == .relu && a.kernel == .square(1) && a.stride == .square(1) && a.padding.isZero && a.groups == 1:
            a.pool = .globalAverage
            return .conv2d(a)
        default:
            return nil
        }
    }
}
