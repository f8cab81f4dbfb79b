import Testing
@testable import SqueezeIR

@Suite struct OutputSizeTests {
    @Test func convolution() {
        #expect(OutputSize.conv(input: 224, kernel: 7, stride: 2, padBegin: 0, padEnd: 0) == 109)
        #expect(OutputSize.conv(input: 224, kernel: 3, stride: 2, padBegin: 0, padEnd: 0) == 111)
        #expect(OutputSize.conv(input: 13, kernel: 3, stride: 1, padBegin: 1, padEnd: 1) == 13)
        #expect(OutputSize.conv(input: 2, kernel: 3, stride: 1, padBegin: 0, padEnd: 0) == nil)
    }

    @Test func poolingCeilModeRoundsUp() {
        #expect(OutputSize.pool(input: 109, kernel: 3, stride: 2, padBegin: 0, padEnd: 0, ceilMode: true) == 54)
        #expect(OutputSize.pool(input: 109, kernel: 3, stride: 2, padBegin: 0, padEnd: 0, ceilMode: false) == 54)
        #expect(OutputSize.pool(input: 54, kernel: 3, stride: 2, padBegin: 0, padEnd: 0, ceilMode: true) == 27)
        #expect(OutputSize.pool(input: 54, kernel: 3, stride: 2, padBegin: 0, padEnd: 0, ceilMode: false) == 26)
        #expect(OutputSize.pool(input: 6, kernel: 3, stride: 2, padBegin: 0, padEnd: 0, ceilMode: true) == 3)
    }

    @Test func ceilModeDropsAWindowStartingInThePadding() {
        // 3 + 1 + 1 - 2 = 3 -> ceil(3/2) + 1 = 3, but window 2 would start at 4 = in + padBegin: dropped.
        #expect(OutputSize.pool(input: 3, kernel: 2, stride: 2, padBegin: 1, padEnd: 1, ceilMode: true) == 2)
        #expect(OutputSize.pool(input: 3, kernel: 2, stride: 2, padBegin: 1, padEnd: 1, ceilMode: false) == 2)
    }
}
