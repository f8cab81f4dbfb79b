import Foundation
import SqueezeIR

/// Reads a board description (JSON, Foundation's JSONDecoder: no TOML
/// parser is among the allowed packages, and JSON needs none) into a
/// `Board`, checking every field: a bad file is a one-line error naming the
/// file and the field. The format is in docs/boards.md.
public enum BoardFile {
    /// A JSON value as written (JSONDecoder cannot report unknown keys or
    /// name the field of a wrong type clearly on its own).
    indirect enum Value: Decodable {
        case object([String: Value])
        case array([Value])
        case string(String)
        case integer(Int)
        case number(Double)
        case bool(Bool)
        case null

        struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        init(from decoder: any Decoder) throws {
            if let object = try? decoder.container(keyedBy: Key.self) {
                var values: [String: Value] = [:]
                for key in object.allKeys { values[key.stringValue] = try object.decode(Value.self, forKey: key) }
                self = .object(values)
            } else if var array = try? decoder.unkeyedContainer() {
                var values: [Value] = []
                while !array.isAtEnd { values.append(try array.decode(Value.self)) }
                self = .array(values)
            } else {
                let single = try decoder.singleValueContainer()
                if single.decodeNil() {
                    self = .null
                } else if let bool = try? single.decode(Bool.self) {
                    self = .bool(bool)
                } else if let integer = try? single.decode(Int.self) {
                    self = .integer(integer)
                } else if let number = try? single.decode(Double.self) {
                    self = .number(number)
                } else {
                    self = .string(try single.decode(String.self))
                }
            }
        }

        var text: String {
            switch self {
            case .object: "an object"
            case .array: "a list"
            case .string(let s): "\"\(s)\""
            case .integer(let i): "\(i)"
            case .number(let d): "\(d)"
            case .bool(let b): "\(b)"
            case .null: "null"
            }
        }
    }

    public static func load(path: String) throws(Diagnostic) -> Board {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .input("cannot read the board file", file: path)
        }
        return try parse(String(decoding: data, as: UTF8.self), file: path)
    }

    /// The fields of a board file and of each region.
    static let boardKeys: Set<String> = ["name", "description", "cpu", "fpu", "dsp", "coreClockHz", "stackBytes", "qemu", "regions"]
    static let qemuKeys: Set<String> = ["machine", "faultAddress"]
    static let regionKeys: Set<String> = ["name", "origin", "size", "kind", "holds", "qemu"]

    public static func parse(_ text: String, file: String) throws(Diagnostic) -> Board {
        func fail(_ field: String, _ message: String) -> Diagnostic {
            .input("\(field): \(message)", file: file)
        }
        let root: Value
        do {
            root = try JSONDecoder().decode(Value.self, from: Data(text.utf8))
        } catch {
            let detail = (error as? DecodingError).flatMap { error -> String? in
                if case .dataCorrupted(let context) = error {
                    return (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String ?? context.debugDescription
                }
                return nil
            } ?? "\(error)"
            throw .input("not valid JSON: \(detail)", file: file)
        }
        guard case .object(let fields) = root else { throw fail("the file", "expected a JSON object { ... }") }
        try checkKeys(fields, boardKeys, "", fail)

        let name = try string(fields["name"], "name", fail)
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || "._-".contains($0) }) else {
            throw fail("name", "\"\(name)\" must be letters, digits, '.', '_' or '-'")
        }
        let summary = fields["description"] == nil ? "" : try string(fields["description"], "description", fail)
        let cpuName = try string(fields["cpu"], "cpu", fail)
        guard let cpu = CortexMCore(rawValue: cpuName) else {
            throw fail("cpu", "unknown cpu \"\(cpuName)\": expected \(CortexMCore.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let fpu = try fields["fpu"].map { (value) throws(Diagnostic) in try bool(value, "fpu", fail) } ?? false
        if fpu && !cpu.fpuPossible { throw fail("fpu", "\(cpu.rawValue) has no FPU") }
        let dsp = try fields["dsp"].map { (value) throws(Diagnostic) in try bool(value, "dsp", fail) } ?? (cpu.dspFixed ?? false)
        if let fixed = cpu.dspFixed, fixed != dsp {
            throw fail("dsp", fixed ? "\(cpu.rawValue) always has the DSP extension" : "\(cpu.rawValue) has no DSP extension")
        }
        let clock = try fields["coreClockHz"].map { (value) throws(Diagnostic) in try bytes(value, "coreClockHz", fail) }
        if let clock, clock <= 0 { throw fail("coreClockHz", "must be positive") }
        guard let stackField = fields["stackBytes"] else { throw fail("stackBytes", "missing") }
        let stack = try bytes(stackField, "stackBytes", fail)
        guard stack >= 1024, stack % 8 == 0 else { throw fail("stackBytes", "\(stack) must be a multiple of 8, at least 1024") }

        var machine: String?
        var faultAddress: UInt64 = 0xF000_0000
        if let qemu = fields["qemu"] {
            guard case .object(let q) = qemu else { throw fail("qemu", "expected an object {\"machine\": ...}, got \(qemu.text)") }
            try checkKeys(q, qemuKeys, "qemu.", fail)
            machine = try string(q["machine"], "qemu.machine", fail)
            if let fault = q["faultAddress"] { faultAddress = UInt64(try bytes(fault, "qemu.faultAddress", fail)) }
            if clock == nil { throw fail("coreClockHz", "missing: a board with a QEMU machine needs it to count instructions") }
        }

        guard case .array(let list)? = fields["regions"] else {
            throw fail("regions", fields["regions"] == nil ? "missing" : "expected a list of regions")
        }
        var regions: [Board.Region] = []
        for (index, item) in list.enumerated() {
            let at = "regions[\(index)]"
            guard case .object(let r) = item else { throw fail(at, "expected an object, got \(item.text)") }
            try checkKeys(r, regionKeys, at + ".", fail)
            let regionName = try string(r["name"], at + ".name", fail)
            guard let first = regionName.first, first.isLetter || first == "_",
                  regionName.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
                throw fail(at + ".name", "\"\(regionName)\" must be a linker name (letters, digits, '_')")
            }
            let field = "regions[\(index)] (\(regionName))"
            if regions.contains(where: { $0.name == regionName }) { throw fail(field + ".name", "a second region named \(regionName)") }
            guard let originField = r["origin"] else { throw fail(field + ".origin", "missing") }
            guard let sizeField = r["size"] else { throw fail(field + ".size", "missing") }
            let origin = try bytes(originField, field + ".origin", fail)
            let size = try bytes(sizeField, field + ".size", fail)
            guard size > 0 else { throw fail(field + ".size", "must be positive") }
            guard origin + size <= 1 << 32 else { throw fail(field + ".size", "the region ends past 4 GiB") }
            let kindName = try string(r["kind"], field + ".kind", fail)
            guard let kind = Board.Kind(rawValue: kindName) else {
                throw fail(field + ".kind", "unknown kind \"\(kindName)\": expected \(Board.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard case .array(let holdList)? = r["holds"] else {
                throw fail(field + ".holds", r["holds"] == nil ? "missing (a list, [] for none)" : "expected a list")
            }
            var holds: Set<Board.Content> = []
            for value in holdList {
                guard case .string(let text) = value, let content = Board.Content(rawValue: text) else {
                    throw fail(field + ".holds", "unknown content \(value.text): expected \(Board.Content.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                holds.insert(content)
            }
            if kind == .flash, let written = holds.first(where: { [.data, .arena, .stack, .harness].contains($0) }) {
                throw fail(field + ".holds", "a flash region cannot hold \(written.rawValue) (it is written at run time)")
            }
            let emulated = try r["qemu"].map { (value) throws(Diagnostic) in try bool(value, field + ".qemu", fail) } ?? true
            if !emulated, machine != nil, !holds.isEmpty {
                throw fail(field + ".holds", "QEMU does not model \(regionName) (\"qemu\": false): nothing that runs under QEMU may be placed there")
            }
            if let other = regions.first(where: { UInt64(origin) < $0.origin + UInt64($0.bytes) && $0.origin < UInt64(origin + size) }) {
                throw fail(field, "overlaps region \(other.name) (0x\(String(other.origin, radix: 16)), \(other.bytes) bytes)")
            }
            regions.append(Board.Region(name: regionName, origin: UInt64(origin), bytes: size, kind: kind, holds: holds, emulated: emulated))
        }
        guard !regions.isEmpty else { throw fail("regions", "no regions") }
        for content in Board.Content.allCases {
            let holders = regions.filter { $0.holds.contains(content) }
            // The arena alone may span several RAM regions (fastest first): RegionPlanner splits it.
            if holders.count > 1 && content != .arena {
                throw fail("regions", "\(content.rawValue) is held by \(holders.map(\.name).joined(separator: " and ")): one region each")
            }
            if holders.isEmpty {
                // Other const data defaults to the code's region, the harness's buffers to the data's.
                let home: Board.Content? = switch content {
                case .constData: .code
                case .harness: .data
                default: nil
                }
                guard let home, let index = regions.firstIndex(where: { $0.holds.contains(home) }) else {
                    let hint = content == .code ? " (a flash region with \"holds\": [\"code\", ...])" : ""
                    throw fail("regions", "no region holds \(content.rawValue)\(hint)")
                }
                regions[index].holds.insert(content)
            }
        }
        return Board(name: name, summary: summary, cpu: cpu, fpu: fpu, dsp: dsp, coreClockHz: clock, qemuMachine: machine,
                     faultAddress: faultAddress, regions: regions, stackBytes: stack)
    }

    static func checkKeys(_ fields: [String: Value], _ known: Set<String>, _ prefix: String,
                          _ fail: (String, String) -> Diagnostic) throws(Diagnostic) {
        if let unknown = fields.keys.sorted().first(where: { !known.contains($0) }) {
            throw fail(prefix + unknown, "unknown field (expected \(known.sorted().joined(separator: ", ")))")
        }
    }

    static func string(_ value: Value?, _ field: String, _ fail: (String, String) -> Diagnostic) throws(Diagnostic) -> String {
        guard let value else { throw fail(field, "missing") }
        guard case .string(let text) = value else { throw fail(field, "expected a string, got \(value.text)") }
        return text
    }

    static func bool(_ value: Value, _ field: String, _ fail: (String, String) -> Diagnostic) throws(Diagnostic) -> Bool {
        guard case .bool(let flag) = value else { throw fail(field, "expected true or false, got \(value.text)") }
        return flag
    }

    /// A number of bytes (or an address): a JSON integer, or a string with
    /// a decimal or 0x hex number and an optional K or M (KiB, MiB) suffix.
    static func bytes(_ value: Value, _ field: String, _ fail: (String, String) -> Diagnostic) throws(Diagnostic) -> Int {
        let problem = "must be a number (e.g. 131072, \"0x20000\" or \"128K\"), got \(value.text)"
        switch value {
        case .integer(let n):
            guard n >= 0 else { throw fail(field, "must not be negative, got \(n)") }
            return n
        case .string(let text):
            var digits = Substring(text.trimmingCharacters(in: .whitespaces))
            var scale = 1
            for (suffix, factor) in [("KiB", 1 << 10), ("MiB", 1 << 20), ("K", 1 << 10), ("M", 1 << 20)] where digits.hasSuffix(suffix) {
                digits = digits.dropLast(suffix.count)
                scale = factor
                break
            }
            let number = digits.lowercased().hasPrefix("0x") ? Int(digits.dropFirst(2), radix: 16) : Int(digits)
            guard let number, number >= 0, number <= (1 << 40) / scale else { throw fail(field, problem) }
            return number * scale
        default:
            throw fail(field, problem)
        }
    }
}
