import SqueezeIR

/// The fused ops of the IR, computed by composing the plain kernels in the
/// order the fusion passes promise (conv -> activation -> pool; Fire: squeeze
/// -> expands -> concat -> pool), so a fused graph gives bit-identical results
/// to the graph it came from.
enum FusedKernels {
    static func activation(_ x: [Float], _ activation: Activation) -> [Float] {
        switch activation {
        case .none: x
        case .relu: ElementwiseKernels.relu(x)
        case .clip, .leakyRelu, .sigmoid: x.map(activation.apply)
        }
    }

    static func pool(_ x: [Float], shape: TensorShape, _ pool: FusedPool?) -> [Float] {
        switch pool {
        case nil: x
        case .max(let a): PoolKernels.maxPool(x, shape: shape, a)
        case .globalAverage: GlobalAvgPoolKernel.apply(x, shape: shape)
        }
    }

    static func poolShape(_ shape: TensorShape?, _ pool: FusedPool?) -> TensorShape? {
        guard let shape else { return nil }
        switch pool {
        case nil: return shape
        case .max(let a): return PoolKernels.outputShape(input: shape, a)
        case .globalAverage: return .nhwc(shape.n, 1, 1, shape.c)
        }
    }

    /// Receives the internal values of fused ops: `(point, values)` with the
    /// point names of `Quantization` (`<node>.squeeze`, `<node>.conv`).
    typealias Observer = (String, [Float]) -> Void

    /// conv -> activation -> pool. With a fused pool, the pre-pool map is
    /// reported as `<node>.conv`.
    static func conv(_ x: [Float], shape: TensorShape, kernel: Conv2DKernel, _ a: Conv2DAttributes,
                     node: String = "", observe: Observer? = nil) -> [Float] {
        let raw = kernel.apply(x, shape: shape)
        if !a.activation.isClamp { observe?(Quantization.activationPoint(node), raw) }
        let y = activation(raw, a.activation)
        if a.pool != nil { observe?(Quantization.convPoint(node), y) }
        return pool(y, shape: kernel.outputShape(for: shape)!, a.pool)
    }

    /// The three convolutions of a Fire module, kernels in parameter order.
    /// Reports the squeeze output as `<node>.squeeze` and, with a fused pool,
    /// the pre-pool concat as `<node>.conv`.
    static func fire(_ x: [Float], shape: TensorShape, kernels: [Conv2DKernel], _ a: FireAttributes,
                     node: String = "", observe: Observer? = nil) -> [Float] {
        let squeezeShape = kernels[0].outputShape(for: shape)!
        let squeezed = activation(kernels[0].apply(x, shape: shape), a.squeeze.activation)
        observe?(Quantization.squeezePoint(node), squeezed)
        let e1 = activation(kernels[1].apply(squeezed, shape: squeezeShape), a.expand1x1.activation)
        let e3 = activation(kernels[2].apply(squeezed, shape: squeezeShape), a.expand3x3.activation)
        let e1Shape = kernels[1].outputShape(for: squeezeShape)!
        let e3Shape = kernels[2].outputShape(for: squeezeShape)!
        let parts = a.expand1x1First ? ([e1, e3], [e1Shape, e3Shape]) : ([e3, e1], [e3Shape, e1Shape])
        let concat = ConcatKernel.apply(parts.0, shapes: parts.1)
        if a.pool != nil { observe?(Quantization.convPoint(node), concat) }
        return pool(concat, shape: .nhwc(shape.n, e1Shape.h, e1Shape.w, a.outChannels), a.pool)
    }

    static func fireShape(_ shape: TensorShape, kernels: [Conv2DKernel], _ a: FireAttributes) -> TensorShape? {
        guard let s = kernels[0].outputShape(for: shape), let e = kernels[1].outputShape(for: s) else { return nil }
        return poolShape(.nhwc(shape.n, e.h, e.w, a.outChannels), a.pool)
    }
}
