import Dispatch
import SqueezeIR

/// int8 2-D convolution with exactly the integer arithmetic of the generated
/// C (`sq_conv_s8` and friends in Templates/sq_kernels_s8.h):
///
///     acc[co] = bias'[co] + sum_{ky,kx,ci} w[co][ky][kx][ci] * x_tap
///
/// (ci over the input channels of the output channel's group) where `x_tap` is the input code, or the input zero point for a tap in
/// the padding, and `bias'` is the corrected bias of `ConvQuantization`.
/// Integer sums are exact, so the order of the terms does not matter.
/// Then `ConvQuantization.requantize` (single rounding, clamp). A padded tap
/// adds `zp * sum_ci w[co][ky][kx][ci]`, precomputed per tap.
public struct Int8ConvKernel: Sendable {
    public let attributes: Conv2DAttributes
    public let inputChannels: Int
    public let quantization: ConvQuantization
    /// `[kH][kW][inC][outC]` as Int32, so a pixel is a sequence of vector adds.
    let packedWeights: [Int32]
    /// `[kH][kW][outC]`: per tap, `inputZeroPoint * sum_ci w`.
    let paddedTap: [Int32]

    /// - Parameter weights: OHWI int8 codes (`[outC][kH][kW][inC/groups]`).
    public init(attributes a: Conv2DAttributes, inputChannels: Int, weights: [Int8], quantization q: ConvQuantization) {
        let outC = a.outChannels, kH = a.kernel.h, kW = a.kernel.w, inC = a.groupInputChannels(inputChannels)
        precondition(weights.count == outC * kH * kW * inC, "int8 conv weights: expected \(outC)x\(kH)x\(kW)x\(inC) (OHWI)")
        precondition(q.bias.count == outC && q.multipliers.count == outC && q.shifts.count == outC, "int8 conv: per-channel tables must have \(outC) entries")
        var packed = [Int32](repeating: 0, count: weights.count)
        var padded = [Int32](repeating: 0, count: kH * kW * outC)
        for co in 0..<outC {
            for kh in 0..<kH {
                for kw in 0..<kW {
                    var sum: Int32 = 0
                    for ci in 0..<inC {
                        let w = Int32(weights[((co * kH + kh) * kW + kw) * inC + ci])
                        packed[((kh * kW + kw) * inC + ci) * outC + co] = w
                        sum += w
                    }
                    padded[(kh * kW + kw) * outC + co] = sum &* q.input.zeroPoint
                }
            }
        }
        attributes = a
        self.inputChannels = inputChannels
        quantization = q
        packedWeights = packed
        paddedTap = padded
    }

    public func outputShape(for input: TensorShape) -> TensorShape? {
        let a = attributes
        guard input.isActivation4D, input.c == inputChannels,
              let oh = OutputSize.conv(input: input.h, kernel: a.kernel.h, stride: a.stride.h, padBegin: a.padding.top, padEnd: a.padding.bottom),
              let ow = OutputSize.conv(input: input.w, kernel: a.kernel.w, stride: a.stride.w, padBegin: a.padding.left, padEnd: a.padding.right)
        else { return nil }
        return .nhwc(input.n, oh, ow, a.outChannels)
    }

    /// The requantised, clamped output codes, NHWC.
    public func apply(_ input: [Int8], shape: TensorShape) -> [Int8] {
        guard let outShape = outputShape(for: shape) else {
            preconditionFailure("int8 conv input \(shape) does not fit kernel \(attributes.kernel) with \(inputChannels) input channels")
        }
        let geometry = ConvGeometry(input: shape, output: outShape, attributes: attributes)
        let rows = outShape.n * outShape.h
        let macs = outShape.elementCount * attributes.kernel.h * attributes.kernel.w * attributes.groupInputChannels(inputChannels)
        var output = [Int8](repeating: 0, count: outShape.elementCount)
        let q = quantization
        input.withUnsafeBufferPointer { x in
            packedWeights.withUnsafeBufferPointer { w in
                paddedTap.withUnsafeBufferPointer { pad in
                    q.bias.withUnsafeBufferPointer { b in
                        output.withUnsafeMutableBufferPointer { y in
                            let buffers = Int8Buffers(x: x.baseAddress!, w: w.baseAddress!, pad: pad.baseAddress!, b: b.baseAddress!,
                                                      y: y.baseAddress!)
                            if rows > 1 && macs >= 1 << 18 {
                                DispatchQueue.concurrentPerform(iterations: rows) { row in geometry.computeRow(row, buffers, q) }
                            } else {
                                for row in 0..<rows { geometry.computeRow(row, buffers, q) }
                            }
                        }
                    }
                }
            }
        }
        return output
    }
}

private struct Int8Buffers: @unchecked Sendable {
    let x: UnsafePointer<Int8>
    let w: UnsafePointer<Int32>
    let pad: UnsafePointer<Int32>
    let b: UnsafePointer<Int32>
    let y: UnsafeMutablePointer<Int8>
}

extension ConvGeometry {
    fileprivate func computeRow(_ row: Int, _ p: Int8Buffers, _ q: ConvQuantization) {
        let n = row / outH, oh = row % outH
        let outC = outC, inC = inC, groups = groups
        let inCg = inC / groups, outCg = outC / groups
        let acc = UnsafeMutablePointer<Int32>.allocate(capacity: outC)
        defer { acc.deallocate() }
        for ow in 0..<outW {
            for co in 0..<outC { acc[co] = p.b[co] }
            for kh in 0..<kH {
                let ih = oh * strideH - padTop + kh
                for kw in 0..<kW {
                    let iw = ow * strideW - padLeft + kw
                    if ih < 0 || ih >= inH || iw < 0 || iw >= inW {
                        let pad = p.pad + (kh * kW + kw) * outC
                        for co in 0..<outC { acc[co] &+= pad[co] }
                        continue
                    }
                    let x = p.x + ((n * inH + ih) * inW + iw) * inC
                    let wTap = p.w + (kh * kW + kw) * inCg * outC
                    for ci in 0..<inCg {
                        let wRow = wTap + ci * outC
                        for g in 0..<groups {
                            let xv = Int32(x[g * inCg + ci])
                            for co in (g * outCg)..<((g + 1) * outCg) { acc[co] &+= xv &* wRow[co] }
                        }
                    }
                }
            }
            let y = p.y + (row * outW + ow) * outC
            for co in 0..<outC { y[co] = q.requantize(acc[co], channel: co) }
        }
    }
}
