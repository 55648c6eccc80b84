import Yams

/// A YAML node of a policy file with the helpers the compiler needs: typed access that fails with the
/// file and line of the offending node.
struct PolicyNode {
    let node: Node
    let file: String
    /// Where the node sits, for messages (`relations.cross_group.fields`).
    let path: String

    var line: Int? { node.mark.map { $0.line } }

    func error(_ message: String) -> PolicyError {
        PolicyError(file: file, line: line, message: path.isEmpty ? message : "\(path): \(message)")
    }

    func child(_ node: Node, _ key: String) -> PolicyNode {
        PolicyNode(node: node, file: file, path: path.isEmpty ? key : "\(path).\(key)")
    }

    /// The members of a mapping, in file order; refuses keys outside `allowed` when given.
    func mapping(allowed: Set<String>? = nil) throws(PolicyError) -> [(key: String, value: PolicyNode)] {
        guard case .mapping(let mapping) = node else { throw error("expected a mapping") }
        var members: [(key: String, value: PolicyNode)] = []
        for (keyNode, valueNode) in mapping {
            guard let key = keyNode.string else {
                throw PolicyError(file: file, line: keyNode.mark?.line, message: "\(path): keys must be strings")
            }
            if let allowed, !allowed.contains(key) {
                throw PolicyError(
                    file: file, line: keyNode.mark?.line,
                    message: "\(path.isEmpty ? "" : path + ": ")unknown key '\(key)' (expected one of \(allowed.sorted().joined(separator: ", ")))"
                )
            }
            members.append((key, child(valueNode, key)))
        }
        return members
    }

    /// A member that must be present.
    func required(_ key: String, in members: [(key: String, value: PolicyNode)]) throws(PolicyError) -> PolicyNode {
        guard let member = members.first(where: { $0.key == key }) else { throw error("missing required key '\(key)'") }
        return member.value
    }

    var isSequence: Bool {
        if case .sequence = node { return true }
        return false
    }

    func sequence() throws(PolicyError) -> [PolicyNode] {
        guard case .sequence(let sequence) = node else { throw error("expected a list") }
        return sequence.enumerated().map { child($0.element, "[\($0.offset)]") }
    }

    func string() throws(PolicyError) -> String {
        guard case .scalar(let scalar) = node else { throw error("expected a string") }
        return scalar.string
    }

    func strings() throws(PolicyError) -> [String] {
        var values: [String] = []
        for item in try sequence() { values.append(try item.string()) }
        return values
    }

    /// A string that must name one of `Choice`'s cases; the error lists them (`<what> is one of …`).
    func choice<Choice: RawRepresentable & CaseIterable>(_ type: Choice.Type, _ what: String) throws(PolicyError) -> Choice
    where Choice.RawValue == String {
        guard let value = Choice(rawValue: try string()) else {
            throw error("\(what) is one of \(Choice.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }

    /// The case of `Choice` that the mapping key `name` of this node names; the error, at this node, lists
    /// the known ones (`'x' is not <what> (known: …)`).
    func key<Choice: RawRepresentable & CaseIterable>(_ name: String, _ type: Choice.Type, _ what: String) throws(PolicyError) -> Choice
    where Choice.RawValue == String {
        guard let value = Choice(rawValue: name) else {
            throw error("'\(name)' is not \(what) (known: \(Choice.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        return value
    }

    func bool() throws(PolicyError) -> Bool {
        guard let value = node.bool else { throw error("expected true or false") }
        return value
    }

    func int() throws(PolicyError) -> Int {
        guard let value = node.int else { throw error("expected a whole number") }
        return value
    }
}
