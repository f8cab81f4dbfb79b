@testable import SqueezeTensorIO
import Testing

@Suite struct LayoutTests {
    @Test func nchwToNHWCKnownValues() {
        // n=1, c=2, h=2, w=3: channel 0 holds 0...5, channel 1 holds 6...11.
        let nchw = (0..<12).map(Float.init)
        let nhwc = Layout.nchwToNHWC(nchw, n: 1, c: 2, h: 2, w: 3)
        #expect(nhwc == [0, 6, 1, 7, 2, 8, 3, 9, 4, 10, 5, 11])
        #expect(Layout.nhwcToNCHW(nhwc, n: 1, c: 2, h: 2, w: 3) == nchw)
    }

    @Test(arguments: [(1, 1, 1, 1), (2, 3, 4, 5), (1, 64, 1, 1), (3, 1, 7, 2), (0, 3, 2, 2)])
    func nchwRoundTrips(sizes: (Int, Int, Int, Int)) {
        let (n, c, h, w) = sizes
        let x = (0..<(n * c * h * w)).map(Float.init)
        let nhwc = Layout.nchwToNHWC(x, n: n, c: c, h: h, w: w)
        #expect(Layout.nhwcToNCHW(nhwc, n: n, c: c, h: h, w: w) == x)
        // Spot check: element (b, ch, y, col) lands at NHWC offset.
        if n > 1 && c > 2 && h > 3 && w > 4 {
            let (b, ch, y, col) = (1, 2, 3, 4)
            #expect(nhwc[((b * h + y) * w + col) * c + ch] == x[((b * c + ch) * h + y) * w + col])
        }
    }

    @Test func oihwToOHWIKnownValues() {
        // o=2, i=3, kh=1, kw=2.
        let oihw = (0..<12).map(Float.init)
        let ohwi = Layout.oihwToOHWI(oihw, o: 2, i: 3, kh: 1, kw: 2)
        #expect(ohwi == [0, 2, 4, 1, 3, 5, 6, 8, 10, 7, 9, 11])
        #expect(Layout.ohwiToOIHW(ohwi, o: 2, i: 3, kh: 1, kw: 2) == oihw)
    }

    @Test func oihwRoundTripsForSqueezeNetShapes() {
        for (o, i, kh, kw) in [(64, 3, 3, 3), (16, 64, 1, 1), (1000, 512, 1, 1), (2, 2, 3, 1)] {
            let w = (0..<(o * i * kh * kw)).map(Float.init)
            #expect(Layout.ohwiToOIHW(Layout.oihwToOHWI(w, o: o, i: i, kh: kh, kw: kw), o: o, i: i, kh: kh, kw: kw) == w)
        }
    }

    @Test func worksForIntegerElements() {
        let nchw: [Int8] = [1, 2, 3, 4]
        #expect(Layout.nchwToNHWC(nchw, n: 1, c: 2, h: 1, w: 2) == [1, 3, 2, 4])
    }

    @Test func columnMajorToRowMajor() {
        // Fortran order of [[0, 1, 2], [3, 4, 5]] is 0, 3, 1, 4, 2, 5.
        #expect(Layout.columnMajorToRowMajor([0, 3, 1, 4, 2, 5], shape: [2, 3]) == [0, 1, 2, 3, 4, 5])
        #expect(Layout.columnMajorToRowMajor([7, 8], shape: [2]) == [7, 8])
        #expect(Layout.columnMajorToRowMajor([Int](), shape: [0, 4]) == [])
        // A 3-D array: value at (a, b, c) in C order is a*12 + b*4 + c.
        var fortran = [Int](repeating: 0, count: 24)
        for a in 0..<2 { for b in 0..<3 { for c in 0..<4 { fortran[a + 2 * (b + 3 * c)] = a * 12 + b * 4 + c } } }
        #expect(Layout.columnMajorToRowMajor(fortran, shape: [2, 3, 4]) == Array(0..<24))
    }
}
