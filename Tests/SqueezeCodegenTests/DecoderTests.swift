import Foundation
import SqueezeIR
import Testing
@testable import SqueezeCodegen

/// The decoders of Templates/sq_decode.h against the encoder
/// (`CompressedWeightEncoding.encode`), block by block: every format, index
/// widths 2..8, densities from 5% to 95% (the sparse fast path and its
/// slow path for groups whose indices pass 25 bits), odd lengths, blocks
/// that start inside a mask or index byte, for int8 and fp32; compiled with
/// -Werror -pedantic and run under ASan/UBSan.
@Suite struct DecoderTests {
    struct Case {
        var int8: Bool
        var format: CompressedLayout.Format
        var distinct: Int
        var zeros: Double
        var length: Int
        var blockLength: Int
    }

    static let cases: [Case] = {
        var cases: [Case] = []
        for int8 in [true, false] {
            for bits in 2...8 {
                let distinct = 1 << bits
                // int8 blocks are whole pairs of K4 (multiples of 8); fp32 blocks of 4 x odd K are not.
                let block = int8 ? 8 * (3 + bits) : 4 * (9 + 2 * bits)
                let length = block * 3 + (int8 ? 16 : 7)
                cases.append(Case(int8: int8, format: .codebook(bits: bits), distinct: min(distinct, int8 ? 255 : distinct), zeros: 0,
                                  length: length, blockLength: block))
                for zeros in [0.05, 0.66, 0.95] {
                    cases.append(Case(int8: int8, format: .sparse(bits: bits), distinct: min(distinct, int8 ? 255 : distinct),
                                      zeros: zeros, length: length, blockLength: block))
                }
            }
            for zeros in [0.1, 0.66, 1.0] {
                cases.append(Case(int8: int8, format: .sparse(bits: nil), distinct: 100, zeros: zeros, length: 203, blockLength: int8 ? 64 : 44))
            }
        }
        return cases
    }()

    /// `count` values of `distinct` non-zero values (int8 codes or float bits), a fraction `zeros` zero.
    static func values(_ c: Case, seed: UInt64) -> [UInt32] {
        var random = SeededRandom(seed: seed, stream: "decoder")
        var table: [UInt32] = []
        for i in 0..<c.distinct {
            if c.int8 {
                let code = i - c.distinct / 2 == 0 ? 127 : i - c.distinct / 2
                table.append(UInt32(UInt8(bitPattern: Int8(code))))
            } else {
                let x = Double(i) * 0.37 - 3.1
                table.append(Float(x).bitPattern)
            }
        }
        return (0..<c.length).map { _ in
            Double(random.uniform(0, 1)) < c.zeros ? 0 : table[Int(random.uniform(0, Float(c.distinct) - 0.001))]
        }
    }

    static func program() throws -> String {
        var arrays = ""
        var checks = ""
        for (n, c) in cases.enumerated() {
            let packed = values(c, seed: UInt64(n + 1))
            let layout = CompressedLayout(format: c.format, block: 4, blockLength: c.blockLength, length: c.length,
                                          decodedBytes: 0, bytes: 0, denseBytes: 0)
            let (type, sfx) = c.int8 ? ("int8_t", "s8") : ("float", "f32")
            func literal(_ v: UInt32) -> String {
                c.int8 ? String(Int8(bitPattern: UInt8(truncatingIfNeeded: v))) : FloatLiteral.c(Float(bitPattern: v))!
            }
            func bytes(_ name: String, _ b: [UInt8]) {
                arrays += "static const uint8_t \(name)[\(max(b.count, 1))] = {\(b.isEmpty ? "0" : b.map(String.init).joined(separator: ","))};\n"
            }
            let parts: CompressedWeightEncoding.Parts<UInt32>
            if c.int8 {
                let p = CompressedWeightEncoding.encode(real: packed.map { Int8(bitPattern: UInt8(truncatingIfNeeded: $0)) },
                                                        packed: packed.map { Int8(bitPattern: UInt8(truncatingIfNeeded: $0)) }, layout: layout)
                parts = .init(table: p.table.map { UInt32(UInt8(bitPattern: $0)) }, indices: p.indices, mask: p.mask,
                              values: p.values.map { UInt32(UInt8(bitPattern: $0)) }, first: p.first)
            } else {
                parts = CompressedWeightEncoding.encode(real: packed, packed: packed, layout: layout)
            }
            arrays += "static const \(type) expect_\(n)[\(c.length)] = {\(packed.map(literal).joined(separator: ","))};\n"
            arrays += "static const \(type) table_\(n)[\(max(parts.table.count, 1))] = {\(parts.table.isEmpty ? "0" : parts.table.map(literal).joined(separator: ","))};\n"
            arrays += "static const \(type) values_\(n)[\(max(parts.values.count, 1))] = {\(parts.values.isEmpty ? "0" : parts.values.map(literal).joined(separator: ","))};\n"
            bytes("idx_\(n)", parts.indices)
            bytes("mask_\(n)", parts.mask)
            arrays += "static const uint32_t first_\(n)[\(max(parts.first.count, 1))] = {\(parts.first.isEmpty ? "0" : parts.first.map(String.init).joined(separator: ","))};\n"
            arrays += "static const sq_cw_\(sfx) cw_\(n) = {\(c.format.cName), \(c.format.bits ?? 0), 4, \(c.blockLength), \(c.length), 1024, 1536, "
                + "table_\(n), idx_\(n), mask_\(n), values_\(n), first_\(n)};\n"
            checks += "    failed += check_\(sfx)(&cw_\(n), expect_\(n), \(n));\n"
        }
        return """
        #include <stdio.h>
        #include <string.h>
        #include "sq_decode.h"

        static uint8_t work[1536 + 4 * 4096] SQ_ALIGN(16);

        \(arrays)
        static int check_s8(const sq_cw_s8 *cw, const int8_t *expect, int n)
        {
            int b, bad = 0;
            sq_cw_positions(work);
            sq_cw_prepare_s8(cw, work);
            for (b = 0; b * cw->block_len < cw->len; ++b) {
                const int count = sq_decode_s8(cw, b, work);
                if (memcmp(work + cw->data, expect + b * cw->block_len, (size_t)count) != 0) bad = 1;
            }
            if (bad) printf("case %d: mismatch\\n", n);
            return bad;
        }

        static int check_f32(const sq_cw_f32 *cw, const float *expect, int n)
        {
            int b, bad = 0;
            sq_cw_positions(work);
            sq_cw_prepare_f32(cw, work);
            for (b = 0; b * cw->block_len < cw->len; ++b) {
                const int count = sq_decode_f32(cw, b, work);
                if (memcmp(work + cw->data, expect + b * cw->block_len, (size_t)count * 4) != 0) bad = 1;
            }
            if (bad) printf("case %d: mismatch\\n", n);
            return bad;
        }

        int main(void)
        {
            int failed = 0;
        \(checks)
            printf("%d cases, %d failed\\n", \(cases.count), failed);
            return failed != 0;
        }

        """
    }

    @Test(arguments: ["gcc", "clang"])
    func everyFormatDecodesToTheEncodedValues(compiler: String) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("squeezec-decode-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for name in ["sq_common.h", "sq_decode.h", "sq_decode_body.h"] {
            try Data(try #require(Templates.file(name)).utf8).write(to: dir.appendingPathComponent(name))
        }
        try Data(try Self.program().utf8).write(to: dir.appendingPathComponent("decode.c"))
        func run(_ tool: String, _ arguments: [String]) throws -> (Int32, String) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [tool] + arguments
            process.currentDirectoryURL = dir
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            try process.run()
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: data, as: UTF8.self))
        }
        let (built, log) = try run(compiler, ["-std=c99", "-O2", "-Wall", "-Wextra", "-Werror", "-pedantic", "-g",
                                              "-fsanitize=address,undefined", "-fno-sanitize-recover=all", "decode.c", "-o", "decode"])
        #expect(built == 0, "\(log.suffix(2000))")
        guard built == 0 else { return }
        let (status, output) = try run("./decode", [])
        #expect(status == 0, "\(output.suffix(2000))")
        #expect(output.contains("\(Self.cases.count) cases, 0 failed"), "\(output.suffix(2000))")
    }
}
