import CharterCore
import Foundation
import Testing

/// RFC 6962 / RFC 9162 reference vectors: the eight leaves of the CT reference implementation's tests.
@Suite struct MerkleTreeTests {
    static let leaves: [[UInt8]] = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"].map { hex in
        stride(from: 0, to: hex.count, by: 2).map { UInt8(hex.dropFirst($0).prefix(2), radix: 16)! }
    }
    static let roots = [
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ].map { TreeHash(hex: $0)! }

    static let inclusion: [(index: Int, size: Int, proof: [String])] = [
        (0, 1, []),
        (0, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7", "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
        (5, 8, ["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b", "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0", "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
        (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
        (1, 5, ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d", "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
        (2, 8, ["07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7", "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125", "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
        (5, 7, ["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b", "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f", "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
    ]

    static let consistency: [(old: Int, new: Int, proof: [String])] = [
        (1, 1, []),
        (1, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7", "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
        (6, 8, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a", "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0", "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
        (2, 5, ["5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
        (3, 7, ["0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7", "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7", "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125", "837dbb152e9b079010717e84e865da4ebc0fa198a806d59d31bf15accef22d0e"]),
    ]

    /// An in-memory tree fed through the accumulator, as the store is.
    static func tree(_ count: Int = 8) -> (MerkleTree<Never>, MerkleAccumulator) {
        var accumulator = MerkleAccumulator()
        var nodes: [Int: [Int: TreeHash]] = [:]
        for leaf in leaves.prefix(count) {
            for node in accumulator.append(TreeHash.leaf(leaf)) { nodes[node.level, default: [:]][node.index] = node.hash }
        }
        let frozen = nodes
        return (MerkleTree<Never> { level, index in frozen[level]![index]! }, accumulator)
    }

    @Test func rootsMatchTheReferenceForEverySize() {
        for size in 0...8 {
            let (tree, accumulator) = Self.tree(size)
            #expect(tree.root(size: size) == Self.roots[size], "size \(size)")
            #expect(accumulator.root == Self.roots[size], "accumulator size \(size)")
        }
        let (full, _) = Self.tree()
        for size in 0...8 { #expect(full.root(size: size) == Self.roots[size], "prefix \(size) of 8") }
    }

    @Test func inclusionProofsMatchAndVerify() {
        let (tree, _) = Self.tree()
        for vector in Self.inclusion {
            let proof = tree.inclusionProof(index: vector.index, size: vector.size)
            #expect(proof.map(\.description) == vector.proof, "inclusion \(vector.index) in \(vector.size)")
            let leaf = TreeHash.leaf(Self.leaves[vector.index])
            #expect(MerkleProof.verifyInclusion(leafHash: leaf, index: vector.index, size: vector.size, proof: proof, root: Self.roots[vector.size]))
            #expect(!MerkleProof.verifyInclusion(leafHash: leaf, index: vector.index, size: vector.size, proof: proof, root: Self.roots[vector.size == 8 ? 7 : 8]))
        }
    }

    @Test func consistencyProofsMatchAndVerify() {
        let (tree, _) = Self.tree()
        for vector in Self.consistency {
            let proof = tree.consistencyProof(from: vector.old, to: vector.new)
            #expect(proof.map(\.description) == vector.proof, "consistency \(vector.old) → \(vector.new)")
            #expect(MerkleProof.verifyConsistency(oldSize: vector.old, newSize: vector.new, oldRoot: Self.roots[vector.old], newRoot: Self.roots[vector.new], proof: proof))
            if vector.old != vector.new {
                #expect(!MerkleProof.verifyConsistency(oldSize: vector.old, newSize: vector.new, oldRoot: Self.roots[vector.old], newRoot: Self.roots[vector.new - 1], proof: proof))
            }
        }
    }

    @Test func everyProofOfALargerTreeVerifies() {
        var accumulator = MerkleAccumulator()
        var nodes: [Int: [Int: TreeHash]] = [:]
        var roots: [TreeHash] = [.empty]
        var leaves: [TreeHash] = []
        for value in 0..<70 {
            let leaf = TreeHash.leaf(Array("entry \(value)".utf8))
            leaves.append(leaf)
            for node in accumulator.append(leaf) { nodes[node.level, default: [:]][node.index] = node.hash }
            roots.append(accumulator.root)
        }
        let frozen = nodes
        let tree = MerkleTree<Never> { level, index in frozen[level]![index]! }
        for size in 1...70 {
            #expect(tree.root(size: size) == roots[size])
            for index in stride(from: 0, to: size, by: 7) {
                #expect(MerkleProof.verifyInclusion(leafHash: leaves[index], index: index, size: size, proof: tree.inclusionProof(index: index, size: size), root: roots[size]))
            }
            for old in stride(from: 1, through: size, by: 5) {
                #expect(MerkleProof.verifyConsistency(oldSize: old, newSize: size, oldRoot: roots[old], newRoot: roots[size], proof: tree.consistencyProof(from: old, to: size)))
            }
        }
        let rebuilt = MerkleAccumulator(size: 70, tree: tree)
        #expect(rebuilt.root == roots[70])
    }
}

/// C2SP signed notes and checkpoints, with keys whose base64 holds '+' and '/'.
@Suite struct SignedNoteTests {
    @Test func aSignedCheckpointVerifiesAndAnyChangeBreaksIt() throws {
        for _ in 0..<20 {
            let signer = try NoteSigner.generate(name: "charterhub.local/access-log")
            let verifier = try NoteVerifier(verifierKey: signer.verifier.verifierKey)
            #expect(verifier == signer.verifier)
            let checkpoint = Checkpoint(origin: signer.name, size: 8, root: TreeHash(hex: "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328")!)
            let note = try signer.sign(checkpoint.text)
            #expect(note.hasPrefix("charterhub.local/access-log\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n\n\u{2014} charterhub.local/access-log "))
            #expect(verifier.verify(note).flatMap(Checkpoint.init(text:)) == checkpoint)
            #expect(verifier.verify(note.replacingOccurrences(of: "\n8\n", with: "\n9\n")) == nil)
            let other = try NoteSigner.generate(name: signer.name).verifier
            #expect(other.verify(note) == nil)
        }
    }
}
