import Dispatch
import SqueezeIR

/// fp32 2-D convolution (dilation 1, `groups` channel groups), NHWC activations.
///
/// The OHWI weights `[outC][kH][kW][inC/groups]` are rearranged once, at init, to
/// `[kH][kW][inC/groups][outC]`, so that for one output pixel the work is a sequence
/// of "scaled row" additions `acc[0..<outC] += x[ci] * w[kh][kw][ci][0..<outC]`
/// over contiguous memory, which the compiler vectorises across output
/// channels.
///
/// Summation order (fixed, so results are deterministic and independent of
/// threading and vector width): for every output element
/// `y[n][oh][ow][co]` the accumulator starts at `bias[co]` (or +0 without a
/// bias), then adds `x[n][ih][iw][ci] * w[co][kh][kw][ci]` for `kh` ascending,
/// then `kw` ascending, then `ci` ascending (the input channels of the
/// output channel's group), in Float, one rounding per
/// multiply and per add (no fused multiply-add is requested; Swift does not
/// contract `a + b * c`). Positions in the zero padding are skipped rather
/// than added as `0 * w`.
///
/// Output rows `(n, oh)` are computed in parallel with
/// `DispatchQueue.concurrentPerform`; every row is written by exactly one
/// iteration and the order inside a pixel does not depend on the row
/// schedule, so the result is bit-identical to a serial run.
public struct Conv2DKernel: Sendable {
    public let attributes: Conv2DAttributes
    public let inputChannels: Int
    /// Weights rearranged to `[kH][kW][inC][outC]`.
    let packedWeights: [Float]
    /// `[outC]`; zeros when the convolution has no bias.
    let bias: [Float]

    /// - Parameters:
    ///   - weights: OHWI, `outChannels * kernel.h * kernel.w * inputChannels / groups` values.
    ///   - bias: `[outChannels]`, or nil for no bias.
    public init(attributes a: Conv2DAttributes, inputChannels: Int, weights: [Float], bias: [Float]?) {
        let outC = a.outChannels, kH = a.kernel.h, kW = a.kernel.w, inC = a.groupInputChannels(inputChannels)
        precondition(weights.count == outC * kH * kW * inC, "conv weights: expected \(outC)x\(kH)x\(kW)x\(inC) (OHWI), got \(weights.count) values")
        precondition(bias.map { $0.count == outC } ?? true, "conv bias: expected \(outC) values")
        var packed = [Float](repeating: 0, count: weights.count)
        for co in 0..<outC {
            for kh in 0..<kH {
                for kw in 0..<kW {
                    for ci in 0..<inC {
                        packed[((kh * kW + kw) * inC + ci) * outC + co] = weights[((co * kH + kh) * kW + kw) * inC + ci]
                    }
                }
            }
        }
        self.attributes = a
        self.inputChannels = inputChannels
        self.packedWeights = packed
        self.bias = bias ?? [Float](repeating: 0, count: outC)
    }

    /// The NHWC output shape for an NHWC input, or nil if the kernel does not fit.
    public func outputShape(for input: TensorShape) -> TensorShape? {
        let a = attributes
        guard input.isActivation4D, input.c == inputChannels,
              let oh = OutputSize.conv(input: input.h, kernel: a.kernel.h, stride: a.stride.h, padBegin: a.padding.top, padEnd: a.padding.bottom),
              let ow = OutputSize.conv(input: input.w, kernel: a.kernel.w, stride: a.stride.w, padBegin: a.padding.left, padEnd: a.padding.right)
        else { return nil }
        return .nhwc(input.n, oh, ow, a.outChannels)
    }

    /// Convolves an NHWC input of `shape`; returns the NHWC output.
    public func apply(_ input: [Float], shape: TensorShape) -> [Float] {
        guard let outShape = outputShape(for: shape) else {
            preconditionFailure("conv input \(shape) does not fit kernel \(attributes.kernel) with \(inputChannels) input channels")
        }
        precondition(input.count == shape.elementCount, "conv input: expected \(shape.elementCount) values, got \(input.count)")
        let geometry = ConvGeometry(input: shape, output: outShape, attributes: attributes)
        let rows = outShape.n * outShape.h
        let macs = outShape.elementCount * attributes.kernel.h * attributes.kernel.w * attributes.groupInputChannels(inputChannels)
        var output = [Float](repeating: 0, count: outShape.elementCount)
        input.withUnsafeBufferPointer { x in
            packedWeights.withUnsafeBufferPointer { w in
                bias.withUnsafeBufferPointer { b in
                    output.withUnsafeMutableBufferPointer { y in
                        let buffers = Buffers(x: x.baseAddress!, w: w.baseAddress!, b: b.baseAddress!, y: y.baseAddress!)
                        // Threads only pay off for real layers; the result is the same either way.
                        if rows > 1 && macs >= 1 << 18 {
                            DispatchQueue.concurrentPerform(iterations: rows) { row in
                                geometry.computeRow(row, buffers)
                            }
                        } else {
                            for row in 0..<rows { geometry.computeRow(row, buffers) }
                        }
                    }
                }
            }
        }
        return output
    }
}

/// Raw pointers handed to the row workers. Each worker reads `x`, `w`, `b`
/// and writes a disjoint row of `y`, so sharing them across threads is safe.
private struct Buffers: @unchecked Sendable {
    let x: UnsafePointer<Float>
    let w: UnsafePointer<Float>
    let b: UnsafePointer<Float>
    let y: UnsafeMutablePointer<Float>
}

/// Sizes of one convolution call (shared with `Int8ConvKernel`).
struct ConvGeometry: Sendable {
    let inH, inW, inC: Int
    let outH, outW, outC: Int
    let kH, kW, strideH, strideW, padTop, padLeft: Int
    /// Channel groups; a weight row holds `inC / groups` input channels.
    let groups: Int

    init(input: TensorShape, output: TensorShape, attributes a: Conv2DAttributes) {
        groups = max(a.groups, 1)
        inH = input.h; inW = input.w; inC = input.c
        outH = output.h; outW = output.w; outC = output.c
        kH = a.kernel.h; kW = a.kernel.w
        strideH = a.stride.h; strideW = a.stride.w
        padTop = a.padding.top; padLeft = a.padding.left
    }
}

extension ConvGeometry {
    /// Computes output row `row = n * outH + oh`, all pixels and channels.
    fileprivate func computeRow(_ row: Int, _ p: Buffers) {
        let n = row / outH, oh = row % outH
        let outC = outC, inC = inC, groups = groups
        let inCg = inC / groups, outCg = outC / groups
        for ow in 0..<outW {
            let acc = p.y + (row * outW + ow) * outC
            for co in 0..<outC { acc[co] = p.b[co] }
            for kh in 0..<kH {
                let ih = oh * strideH - padTop + kh
                if ih < 0 || ih >= inH { continue }
                for kw in 0..<kW {
                    let iw = ow * strideW - padLeft + kw
                    if iw < 0 || iw >= inW { continue }
                    let x = p.x + ((n * inH + ih) * inW + iw) * inC
                    let wTap = p.w + (kh * kW + kw) * inCg * outC
                    if groups == 1 {
                        for ci in 0..<inC {
                            let xv = x[ci]
                            let wRow = wTap + ci * outC
                            for co in 0..<outC { acc[co] += xv * wRow[co] }
                        }
                    } else {
                        for ci in 0..<inCg {
                            let wRow = wTap + ci * outC
                            for g in 0..<groups {
                                let xv = x[g * inCg + ci]
                                for co in (g * outCg)..<((g + 1) * outCg) { acc[co] += xv * wRow[co] }
                            }
                        }
                    }
                }
            }
        }
    }
}
