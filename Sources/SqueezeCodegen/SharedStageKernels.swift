/// Streamed stages whose kernel calls are identical but for the const arrays
/// they read and the arena rows they use (e.g. the expand convolutions of
/// two Fire modules of one size) share one `static SQ_NOINLINE` function, so
/// the always-inline kernels are specialised once per shape rather than once
/// per layer: code is part of the flash budget (issue 13).
///
/// The shared function takes each stage's parameter structs by pointer but
/// reads only their const-array fields from them: everything else (sizes,
/// rings, zero points, clamps, compressed formats) is identical across the
/// stages and stays a compile-time constant in a local copy, so the kernels
/// specialise exactly as before and every output is bit-identical. Arena
/// pointers (`s->a + N`, `s->in`, `s->out`) are passed too.
///
/// Stages are compared on their kernel calls as C text (`KernelLibrary`
/// renders them), with the row variable, the parameter structs that hold
/// const arrays, and the arena pointers lifted into parameters.
struct SharedStageKernels {
    /// One stage's kernel calls with what may differ between stages lifted out.
    struct Lifted {
        /// The calls written against the shared function's parameters
        /// (row `r`, struct copies `c0`..., pointers `x0`...).
        var body: [String]
        /// Parameter declarations after `s` (when used) and `r`.
        var parameters: [String]
        /// This stage's arguments for them.
        var arguments: [String]
        /// The local copies: type, name, the stage's fields with const arrays read from the parameter.
        var locals: [(type: String, name: String, fields: [String])]
        /// Whether the calls read the stream state (`s->im2col`, `s->wdec`).
        var usesState: Bool
        /// Equal for stages that can share one function.
        var signature: String
    }

    /// Stages sharing one function, in stage order; `lifted` is the first one's.
    struct Group {
        var name: String
        var stages: [Int]
        var lifted: Lifted
    }

    private(set) var groups: [Group] = []
    private var lifted: [Int: Lifted] = [:]
    private var groupOfStage: [Int: Int] = [:]

    /// `calls`: per stage index, its kernel calls and the row variable they use;
    /// `arrays`: the C names of the model's const arrays; `element`: the activation type.
    init(calls: [(stage: Int, lines: [String], row: String)], parameters: KernelParameterTable, arrays: Set<String>, element: String) {
        let entries = Dictionary(parameters.entries.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var bySignature: [String: Int] = [:]
        for call in calls {
            guard let lifted = Self.lift(call.lines, row: call.row, entries: entries, arrays: arrays, element: element) else { continue }
            self.lifted[call.stage] = lifted
            if let group = bySignature[lifted.signature] {
                groups[group].stages.append(call.stage)
            } else {
                bySignature[lifted.signature] = groups.count
                groups.append(Group(name: "", stages: [call.stage], lifted: lifted))
            }
        }
        groups = groups.filter { $0.stages.count > 1 }
        for index in groups.indices {
            groups[index].name = "shared_kernels_\(index)"
            for stage in groups[index].stages { groupOfStage[stage] = index }
        }
    }

    /// The group whose function `stage` calls, if it shares one.
    func group(of stage: Int) -> Group? {
        groupOfStage[stage].map { groups[$0] }
    }

    /// The call of the shared function computing `stage`'s row `row`, if it shares one.
    func call(stage: Int, row: String) -> String? {
        guard let group = group(of: stage), let lifted = lifted[stage] else { return nil }
        let arguments = (lifted.usesState ? ["s"] : []) + [row] + lifted.arguments
        return "\(group.name)(\(arguments.joined(separator: ", ")));"
    }

    /// The shared function of `group`; `names` describe the stages for its comment.
    func emit(_ group: Group, names: [Int: String], _ p: inout CPrinter) {
        let lifted = group.lifted
        let members = group.stages.map { "\($0) (\(names[$0] ?? "?"))" }.joined(separator: ", ")
        p.comment(["Kernels shared by stages \(members):",
                   "their calls are identical but for the const arrays (read from the",
                   "stage's parameter structs p0...) and the arena pointers (x0...);",
                   "sizes, zero points and clamps stay compile-time constants."])
        let parameters = (lifted.usesState ? ["sq_stream *s"] : []) + ["const int r"] + lifted.parameters
        p.scope("static SQ_NOINLINE void \(group.name)(\(parameters.joined(separator: ", ")))") { p in
            for local in lifted.locals {
                p.scope("const \(local.type) \(local.name) =", trailer: ";") { p in
                    for (index, field) in local.fields.enumerated() {
                        p.line(field + (index == local.fields.count - 1 ? "" : ","))
                    }
                }
            }
            p.lines(lifted.body)
        }
    }

    // MARK: - Lifting

    /// A C token of a kernel call: identifier, number, `->`, white space or one character.
    struct Token {
        var text: String
        var isIdentifier: Bool { text.first.map { $0 == "_" || $0.isLetter } ?? false }
        var isNumber: Bool { text.first?.isNumber ?? false }
    }

    static func tokens(_ line: String) -> [Token] {
        var result: [Token] = []
        let chars = Array(line)
        var i = 0
        func run(_ keep: (Character) -> Bool) -> String {
            let start = i
            while i < chars.count && keep(chars[i]) { i += 1 }
            return String(chars[start..<i])
        }
        while i < chars.count {
            let c = chars[i]
            if c == "_" || c.isLetter || c.isNumber {
                result.append(Token(text: run { $0 == "_" || $0.isLetter || $0.isNumber || (c.isNumber && $0 == ".") }))
            } else if c == " " {
                result.append(Token(text: run { $0 == " " }))
            } else if c == "-" && i + 1 < chars.count && chars[i + 1] == ">" {
                result.append(Token(text: "->"))
                i += 2
            } else {
                result.append(Token(text: String(c)))
                i += 1
            }
        }
        return result
    }

    /// `lines` with the row, the array-holding structs and the arena pointers
    /// lifted into parameters; nil when the calls read no const arrays (nothing
    /// worth sharing).
    static func lift(_ lines: [String], row: String, entries: [String: KernelParameterTable.Entry], arrays: Set<String>,
                     element: String) -> Lifted? {
        var result = Lifted(body: [], parameters: [], arguments: [], locals: [], usesState: false, signature: "")
        var structs: [String: String] = [:]
        var pointers: [String: String] = [:]
        var pointerParameters: [String] = []
        var pointerArguments: [String] = []
        var descriptions: [String] = []
        var usesRow = false
        for line in lines {
            let t = tokens(line)
            var out = ""
            var i = 0
            func previous() -> String? {
                var j = i - 1
                while j >= 0 && t[j].text.allSatisfy({ $0 == " " }) { j -= 1 }
                return j >= 0 ? t[j].text : nil
            }
            while i < t.count {
                let token = t[i]
                let member = previous() == "->" || previous() == "."
                if token.text == "&", i + 1 < t.count, let entry = entries[t[i + 1].text], entry.hasArrays(arrays) {
                    let name = structs[entry.name] ?? {
                        let name = "c\(structs.count)"
                        structs[entry.name] = name
                        let parameter = "p\(result.locals.count)"
                        result.parameters.append("const \(entry.type) *\(parameter)")
                        result.arguments.append("&" + entry.name)
                        let fields = entry.fields.map { field in
                            guard let (key, value) = KernelParameterTable.Entry.split(field), arrays.contains(value) else { return field }
                            return "\(key) = \(parameter)->\(key.dropFirst())"
                        }
                        result.locals.append((entry.type, name, fields))
                        descriptions.append(entry.type + "{" + fields.joined(separator: ",") + "}")
                        return name
                    }()
                    out += "&" + name
                    i += 2
                } else if token.text == "s", !member, i + 2 < t.count, t[i + 1].text == "->",
                          ["a", "in", "out"].contains(t[i + 2].text) {
                    var end = i + 3
                    if end + 3 < t.count, t[end].text == " ", t[end + 1].text == "+", t[end + 2].text == " ",
                       t[end + 3].isNumber {
                        end += 4
                    }
                    let expression = t[i..<end].map(\.text).joined()
                    let name = pointers[expression] ?? {
                        let name = "x\(pointers.count)"
                        pointers[expression] = name
                        let constant = t[i + 2].text == "in" ? "const " : ""
                        pointerParameters.append("\(constant)\(element) *\(name)")
                        pointerArguments.append(expression)
                        descriptions.append(constant + "*")
                        return name
                    }()
                    out += name
                    i = end
                } else if token.text == row, !member {
                    out += "r"
                    usesRow = true
                    i += 1
                } else {
                    if token.text == "s", !member { result.usesState = true }
                    out += token.text
                    i += 1
                }
            }
            result.body.append(out)
        }
        guard !structs.isEmpty else { return nil }
        if !usesRow { result.body.insert("(void)r;", at: 0) }
        result.parameters += pointerParameters
        result.arguments += pointerArguments
        result.signature = (result.body + descriptions).joined(separator: "\n")
        return result
    }
}

extension KernelParameterTable.Entry {
    /// `.name = value` of a designated initialiser.
    static func split(_ field: String) -> (String, String)? {
        guard let range = field.range(of: " = ") else { return nil }
        return (String(field[..<range.lowerBound]), String(field[range.upperBound...]))
    }

    /// Whether a field points to one of `arrays` (the model's const arrays).
    func hasArrays(_ arrays: Set<String>) -> Bool {
        fields.contains { field in Self.split(field).map { arrays.contains($0.1) } ?? false }
    }
}
