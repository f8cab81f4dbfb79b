import SqueezeIR
@testable import SqueezeTensorIO
import Testing

@Suite struct PyLiteralParserTests {
    private func parse(_ text: String) throws(Diagnostic) -> PyLiteral {
        try PyLiteralParser.parse(Array(text.utf8), file: "h.npy")
    }

    @Test func parsesScalars() throws {
        #expect(try parse("'<f4'") == .string("<f4"))
        #expect(try parse("\"x'y\"") == .string("x'y"))
        #expect(try parse("'a\\'b'") == .string("a'b"))
        #expect(try parse("42") == .integer(42))
        #expect(try parse("-7") == .integer(-7))
        #expect(try parse("3L") == .integer(3))
        #expect(try parse("True") == .bool(true))
        #expect(try parse("False") == .bool(false))
        #expect(try parse("None") == .none)
    }

    @Test func parsesTuplesLikePython() throws {
        #expect(try parse("()") == .tuple([]))
        #expect(try parse("(5,)") == .tuple([.integer(5)]))
        #expect(try parse("(5)") == .integer(5))
        #expect(try parse("(1, 2, 3)") == .tuple([.integer(1), .integer(2), .integer(3)]))
        #expect(try parse("(1, 2, 3,)") == .tuple([.integer(1), .integer(2), .integer(3)]))
        #expect(try parse("[('a', '<f4')]") == .list([.tuple([.string("a"), .string("<f4")])]))
    }

    @Test func parsesDictsWithTrailingCommaAndWhitespace() throws {
        let expected = PyLiteral.dict(["a": .integer(1), "b": .tuple([])])
        #expect(try parse("{'a': 1, 'b': ()}") == expected)
        #expect(try parse("  {'b':(),'a':1,}  \n") == expected)
        #expect(try parse("{}") == .dict([:]))
    }

    @Test func rejectsMalformedText() {
        for text in ["", "(", "(,)", "{'a' 1}", "{'a': 1", "'abc", "1 2", "0x10", "true", "{'a': 1,,}", "(1 2)"] {
            let error = TestSupport.error { _ = try parse(text) }
            #expect(error?.message.hasPrefix("cannot parse header") == true, "\(text)")
            #expect(error?.location.file == "h.npy")
        }
    }

    @Test func capsNestingDepth() {
        let deep = String(repeating: "[", count: 100_000)
        #expect(TestSupport.error { _ = try parse(deep) }?.message.contains("nested too deeply") == true)
        #expect(throws: Never.self) { _ = try parse(String(repeating: "(", count: 20) + String(repeating: ")", count: 20)) }
    }

    @Test func pythonTextRoundTrips() throws {
        for text in ["(2, 3)", "(5,)", "()", "{'descr': '<f4', 'shape': (1,)}", "[True, None]"] {
            #expect(try parse(text).pythonText == text)
        }
    }
}
