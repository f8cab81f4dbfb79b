/// Rearranges OHWI int8 convolution weights for the int8 kernels
/// (Templates/sq_kernels_s8.h): pairs of output channels, groups of four
/// taps of the flattened OHWI reduction axis k = (ky * kw + kx) * cin + ci
/// (K = kh * kw * cin, padded with zeros to K4, a multiple of 4). For pair
/// p and group g, 8 bytes at ((p * K4/4) + g) * 8:
///
///     w[2p][4g]  w[2p+1][4g]  w[2p][4g+2]  w[2p+1][4g+2]
///     w[2p][4g+1]  w[2p+1][4g+1]  w[2p][4g+3]  w[2p+1][4g+3]
///
/// so one 32-bit load and SXTB16 / SXTB16 ROR #8 give the (k, k+2) halfword
/// pairs of both channels, ready for SMLAD. Missing channels are zero.
public enum Int8WeightPacker {
    public static func paddedK(kh: Int, kw: Int, cin: Int) -> Int { (kh * kw * cin + 3) / 4 * 4 }

    public static func packedCount(cout: Int, kh: Int, kw: Int, cin: Int) -> Int {
        (cout + 1) / 2 * paddedK(kh: kh, kw: kw, cin: cin) * 2
    }

    public static func pack(_ ohwi: [Int8], cout: Int, kh: Int, kw: Int, cin: Int) -> [Int8] {
        let k = kh * kw * cin
        precondition(ohwi.count == cout * k, "weights do not match their shape")
        let groups = paddedK(kh: kh, kw: kw, cin: cin) / 4
        var out = [Int8](repeating: 0, count: packedCount(cout: cout, kh: kh, kw: kw, cin: cin))
        // Byte position inside a group's 8 bytes of tap offset t (0...3) and lane (0: even channel, 1: odd).
        let position = [0, 4, 2, 6]
        for co in 0..<cout {
            let pair = co / 2, lane = co % 2
            for i in 0..<k {
                let g = i / 4, t = i % 4
                out[(pair * groups + g) * 8 + position[t] + lane] = ohwi[co * k + i]
            }
        }
        return out
    }
}
