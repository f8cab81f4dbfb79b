import Foundation
import Testing

/// Issue 14's real-chip target: squeezenet1.1 int8 at 224x224 on
/// netduinoplus2 (an STM32F405 described with its real 1 MiB of flash and
/// 128 KiB of SRAM), with the weights shared to 16 codes per layer and kept
/// compressed in flash, and the input fetched by rows (the 150,528-byte image
/// never in RAM); validated bit-exact under QEMU. The dense build is refused
/// before anything is built.
@Suite(.serialized) struct SmallPartCommandTests {
    @Test func squeezeNetInt8At224FitsAnSTM32F405WithCompressedWeightsAndRowInput() throws {
        let r = try CLIRunner.run(["validate", "squeezenet1.1", "--precision", "int8", "--codebook", "4", "--row-input",
                                   "--target", "netduinoplus2", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(json["passed"] as? Bool == true && json["differing_bytes"] as? Int == 0, "\(r.stdout)")
        let flash = try #require(json["flash_bytes"] as? Int), ram = try #require(json["ram_bytes"] as? Int)
        #expect(flash <= 1 << 20, "flash \(flash)")
        #expect(ram <= 128 << 10, "RAM \(ram)")
    }

    @Test func theDenseBuildIsRefusedBeforeBuildingWithTheNumbers() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("fw")
        let r = try CLIRunner.run(["firmware", "squeezenet1.1", "--precision", "int8", "--row-input", "--board", "netduinoplus2", "-o", out.path])
        #expect(r.status == 1)
        #expect(r.stderr.contains("does not fit netduinoplus2: FLASH needs at least 1267") && r.stderr.contains("but has 1048576"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }
}
