@testable import SqueezeTensorIO
import Testing

@Suite struct NpyHeaderTests {
    @Test func dictionaryTextMatchesNumPy() {
        let header = NpyHeader(descr: "<f4", fortranOrder: false, shape: [1, 1000])
        #expect(header.dictionaryText == "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1000), }")
    }

    @Test func pythonTupleFormatting() {
        #expect(NpyHeader.pythonTuple([]) == "()")
        #expect(NpyHeader.pythonTuple([5]) == "(5,)")
        #expect(NpyHeader.pythonTuple([1, 3, 4, 4]) == "(1, 3, 4, 4)")
    }

    @Test func parseReadsAllThreeKeys() throws {
        let text = Array("{'shape': (), 'descr': '>i4', 'fortran_order': True}   \n".utf8)
        let header = try NpyHeader.parse(text, file: "h.npy")
        #expect(header == NpyHeader(descr: ">i4", fortranOrder: true, shape: []))
    }
}
