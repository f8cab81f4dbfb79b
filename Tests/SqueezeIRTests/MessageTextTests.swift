import Testing
@testable import SqueezeIR

@Suite struct MessageTextTests {
    @Test func commentTextCannotOpenOrCloseAComment() {
        for name in ["a /* b", "c */ d", "*/*", "/*/", "x//y", "e??/", "line\nbreak", "caf\u{E9} \u{2603}", "tab\there"] {
            let text = MessageText.cComment(name)
            #expect(!text.contains("/*") && !text.contains("*/") && !text.contains("??"), "\(name) -> \(text)")
            #expect(text.unicodeScalars.allSatisfy { $0.isASCII && $0.value >= 0x20 && $0.value < 0x7F }, "\(name) -> \(text)")
        }
        #expect(MessageText.cComment("fire2/squeeze1x1") == "fire2/squeeze1x1")
        #expect(MessageText.cComment("a\nb") == "a\\nb")
        #expect(MessageText.cComment("caf\u{E9}") == "caf\\u{00E9}")
    }

    @Test func stringTextHasNoQuotesBackslashesOrTrigraphs() {
        #expect(MessageText.cString("a\"b\\c") == "a\\\"b\\\\c")
        #expect(MessageText.cString("??(") == "\\?\\?(")
        #expect(MessageText.cString("\u{E9}\n") == "\\?\\?")
    }

    @Test func diagnosticsEscapeNamesFromFiles() {
        let d = Diagnostic.input("bad", file: "m\n.onnx", node: "a\nb")
        #expect(d.description == "m\\n.onnx: layer 'a\\nb': bad")
    }
}
