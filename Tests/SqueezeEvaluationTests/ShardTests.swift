import SqueezeEvaluation
import SqueezeIR
import Testing

@Suite struct ShardTests {
    @Test func parsesKOverN() throws {
        #expect(try Shard(parsing: "0/4") == Shard(index: 0, count: 4))
        #expect(try Shard(parsing: "3/4").description == "3/4")
        for bad in ["4/4", "-1/4", "1/0", "1", "a/b", "1/2/3", ""] {
            #expect(throws: Diagnostic.self, "\(bad)") { try Shard(parsing: bad) }
        }
    }

    @Test func everyItemInExactlyOneShard() {
        let shards = (0..<3).map { Shard(index: $0, count: 3) }
        for item in 0..<20 {
            #expect(shards.filter { $0.contains(item) }.count == 1)
            #expect(shards[item % 3].contains(item))
        }
        #expect(Shard.whole.contains(17))
    }
}
