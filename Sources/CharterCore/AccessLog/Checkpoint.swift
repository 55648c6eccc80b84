import Foundation

/// A C2SP `tlog-checkpoint` (https://c2sp.org/tlog-checkpoint): the log's origin, size and root hash,
/// the body of a signed note.
public struct Checkpoint: Sendable, Hashable {
    public let origin: String
    public let size: Int
    public let root: TreeHash

    public init(origin: String, size: Int, root: TreeHash) {
        self.origin = origin
        self.size = size
        self.root = root
    }

    /// The note text: origin, size and base64 root, one per line.
    public var text: String { "\(origin)\n\(size)\n\(root.base64)\n" }

    /// Parses the note text of a checkpoint (extension lines are ignored).
    public init?(text: String) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count >= 4, !lines[0].isEmpty, let size = Int(lines[1]), size >= 0, let root = TreeHash(base64: String(lines[2])) else {
            return nil
        }
        self.init(origin: String(lines[0]), size: size, root: root)
    }
}
