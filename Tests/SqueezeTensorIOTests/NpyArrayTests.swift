import SqueezeIR
import SqueezeTensorIO
import Testing

@Suite struct NpyArrayTests {
    @Test func floatsInitializerMakesFloat32Storage() {
        let array = NpyArray(shape: [2], floats: [1, 2])
        #expect(array.storage == .float32([1, 2]))
        #expect(array.floats == [1, 2])
        #expect(array.elementType == .float32)
    }

    @Test func floatsIsNilForIntegerStorage() {
        #expect(NpyArray(shape: [1], storage: .int8([3])).floats == nil)
        #expect(NpyArray(shape: [1], storage: .int32([3])).floats == nil)
    }

    @Test func shapeElementCount() {
        #expect(NpyArray(shape: [], floats: [1]).shapeElementCount == 1)
        #expect(NpyArray(shape: [2, 0, 3], floats: []).shapeElementCount == 0)
        #expect(NpyArray(shape: [2, 3, 4], floats: []).shapeElementCount == 24)
        #expect(NpyArray(shape: [2, -3], floats: []).shapeElementCount == nil)
        #expect(NpyArray(shape: [Int.max, 2], floats: []).shapeElementCount == nil)
    }

    @Test func shapeMatchesStorage() {
        #expect(NpyArray(shape: [], floats: [1]).shapeMatchesStorage)
        #expect(NpyArray(shape: [2, 2], storage: .int32([1, 2, 3, 4])).shapeMatchesStorage)
        #expect(!NpyArray(shape: [2, 2], floats: [1, 2, 3]).shapeMatchesStorage)
        #expect(!NpyArray(shape: [-1], floats: []).shapeMatchesStorage)
    }

    @Test func equality() {
        #expect(NpyArray(shape: [2], floats: [1, 2]) == NpyArray(shape: [2], floats: [1, 2]))
        #expect(NpyArray(shape: [2], floats: [1, 2]) != NpyArray(shape: [1, 2], floats: [1, 2]))
        #expect(NpyArray(shape: [1], storage: .int8([1])) != NpyArray(shape: [1], storage: .int32([1])))
    }
}
