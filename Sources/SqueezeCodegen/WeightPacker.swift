/// Rearranges OHWI convolution weights into the kernels' blocked layout:
/// `[ceil(cout/4)][kh][kw][cin][4]`, output channel innermost in blocks of
/// four, the tail block zero-padded. One 16-byte load then feeds four output
/// channels.
public enum WeightPacker {
    public static let block = 4

    public static func packedCount(cout: Int, kh: Int, kw: Int, cin: Int) -> Int {
        (cout + block - 1) / block * block * kh * kw * cin
    }

    public static func pack(_ ohwi: [Float], cout: Int, kh: Int, kw: Int, cin: Int) -> [Float] {
        precondition(ohwi.count == cout * kh * kw * cin, "weights do not match their shape")
        var out = [Float](repeating: 0, count: packedCount(cout: cout, kh: kh, kw: kw, cin: cin))
        let taps = kh * kw
        for co in 0..<cout {
            let blockIndex = co / block
            let lane = co % block
            for tap in 0..<taps {
                for ci in 0..<cin {
                    let source = (co * taps + tap) * cin + ci
                    let target = ((blockIndex * taps + tap) * cin + ci) * block + lane
                    out[target] = ohwi[source]
                }
            }
        }
        return out
    }
}
