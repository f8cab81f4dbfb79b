import SqueezeIR
@testable import SqueezeTensorIO
import Testing

@Suite struct MessageTextTests {
    @Test func keepsPlainText() {
        #expect(MessageText.printable("w.npy") == "w.npy")
        #expect(MessageText.printable("poids_é.npy") == "poids_é.npy")
    }

    @Test func escapesControlCharacters() {
        #expect(MessageText.printable("a\nb\u{1B}c") == "a\\nb\\u{1B}c")
    }

    @Test func cutsLongText() {
        #expect(MessageText.printable(String(repeating: "x", count: 10), limit: 4) == "xxxx...")
        #expect(MessageText.printable("xxxx", limit: 4) == "xxxx")
    }

    @Test func unsupportedDtypeMessageHasNoControlCharacters() {
        let bytes = TestSupport.npy(header: "{'descr': '<f\t4', 'fortran_order': False, 'shape': (1,)}")
        let message = TestSupport.decodeError(bytes)?.message ?? ""
        #expect(!message.contains("\t"))
        #expect(message.contains("unsupported dtype '<f\\t4'"))
    }
}
