import Testing
@testable import SqueezeValidation

@Suite struct RegionUsageTests {
    @Test func partsAddUpAgainstTheCapacity() {
        let sram = RegionUsage(region: "SRAM", capacity: 1000, parts: [.init(name: "arena", bytes: 600), .init(name: "stack", bytes: 400)])
        #expect(sram.bytes == 1000 && sram.fits)
        #expect(sram.summary == "SRAM 1000 of 1000 bytes (arena 600 + stack 400)")
        let over = RegionUsage(region: "DTCM", capacity: 999, parts: sram.parts)
        #expect(!over.fits)
    }

    /// A board's RAM regions from a linked image: each holds what its
    /// description says, the stack as reserved; flash-only regions left out.
    @Test func aBoardSplitsALinkedImageByRegion() throws {
        var sizes = FirmwareSizes(code: 100, weights: 5000, otherFlash: 10, data: 4, bss: 60, arena: 3000, io: 700)
        sizes.arenaParts = [:]
        let usage = Board.netduinoplus2.ramUsage(sizes)
        #expect(usage.map(\.region) == ["SRAM"])
        let sram = try #require(usage.first)
        #expect(sram.parts.map(\.name) == ["arena", "data + bss", "stack", "harness buffers"])
        #expect(sram.bytes == 3000 + 64 + Board.netduinoplus2.stackBytes + 700)
        #expect(sram.capacity == 128 << 10)
    }
}
