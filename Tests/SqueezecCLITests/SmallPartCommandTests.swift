import Foundation
import Testing

/// Issue 14's real-chip targets: squeezenet1.1 int8 at 224x224 and fp32 at
/// 128x128 on netduinoplus2 (an STM32F405 described with its real 1 MiB of
/// flash and 128 KiB of SRAM), with the weights shared to 16 values per layer
/// and kept compressed in flash, and the input fetched by rows (the image
/// never in RAM); validated under QEMU. The dense build is refused before
/// anything is built.
@Suite(.serialized) struct SmallPartCommandTests {
    /// int8 at 224x224 and fp32 at 128x128, both with 16 shared values per
    /// layer and the input by rows: bit-exact (int8) or within tolerance
    /// (fp32) under QEMU, and every byte in RAM (arena, data + bss, the
    /// harness's row and output buffers, the reserved stack) in 128 KiB.
    @Test(arguments: [["--precision", "int8"], ["--input-size", "128"]])
    func squeezeNetFitsAnSTM32F405WithCompressedWeightsAndRowInput(options: [String]) throws {
        let r = try CLIRunner.run(["validate", "squeezenet1.1", "--codebook", "4", "--row-input", "--target", "netduinoplus2", "--json"] + options)
        #expect(r.status == 0, "\(r.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(json["passed"] as? Bool == true, "\(r.stdout)")
        if options.contains("int8") { #expect(json["differing_bytes"] as? Int == 0) }
        let flash = try #require(json["flash_bytes"] as? Int), ram = try #require(json["ram_bytes"] as? Int)
        #expect(flash <= 1 << 20, "flash \(flash)")
        #expect(ram <= 128 << 10, "RAM \(ram)")
        let regions = try #require(json["ram_regions"] as? [[String: Any]])
        let sram = try #require(regions.first { $0["region"] as? String == "SRAM" })
        let parts = try #require(sram["parts"] as? [[String: Any]])
        let used = parts.compactMap { $0["bytes"] as? Int }.reduce(0, +)
        #expect(sram["capacity"] as? Int == 128 << 10 && used <= 128 << 10, "SRAM \(used)")
        #expect(parts.contains { $0["name"] as? String == "stack" } && parts.contains { $0["name"] as? String == "harness buffers" })
    }

    /// Dense weights: int8 1,267,120 bytes, fp32 at 128 4,941,984 bytes.
    @Test(arguments: [(["--precision", "int8"], "FLASH needs at least 1267"), (["--input-size", "128"], "FLASH needs at least 4941")])
    func theDenseBuildIsRefusedBeforeBuildingWithTheNumbers(options: [String], numbers: String) throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("fw")
        let r = try CLIRunner.run(["firmware", "squeezenet1.1", "--row-input", "--board", "netduinoplus2", "-o", out.path] + options)
        #expect(r.status == 1)
        #expect(r.stderr.contains("does not fit netduinoplus2: \(numbers)") && r.stderr.contains("but has 1048576"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }
}
