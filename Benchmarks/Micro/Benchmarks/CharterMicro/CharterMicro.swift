import Benchmark
import CharterCore
import Foundation

/// The repository's `policies/`, found from this file's location.
let policiesDirectory: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<5 { url.deleteLastPathComponent() }
    return url.appendingPathComponent("policies").path
}()

/// A service record with every optional member, as a DMS sends it.
let recordJSON = Data("""
    {"sourceRef":"DMS-000123","vin":"VF3ABCDEF12345678","kind":"service","operationType":"maintenance",\
    "performedOn":"2026-10-02","mileageKm":48210,"customer":{"ref":"C-1","name":"Camille Martin","email":"c@example.org",\
    "phone":"+33 1 23 45 67 89","consent":{"shareWithinGroup":true,"marketing":false}},\
    "amount":{"cents":34900,"currency":"EUR"},"lines":[{"code":"OIL","label":"Engine oil","quantity":4,"amountCents":1200}],\
    "financing":{"mode":"loan","months":36,"endsOn":"2029-10-01"},"notes":"Customer asked for the old parts."}
    """.utf8)

/// The leaf hashes and every level above them of an in-memory tree of `size` leaves.
func merkleLevels(size: Int) -> [[TreeHash]] {
    var levels = [(0..<size).map { TreeHash.leaf(Data("entry \($0)".utf8)) }]
    while levels[levels.count - 1].count > 1 {
        let below = levels[levels.count - 1]
        levels.append(stride(from: 0, to: below.count - 1, by: 2).map { TreeHash.node(below[$0], below[$0 + 1]) })
    }
    return levels
}

let benchmarks: @Sendable () -> Void = {
    // Each sample runs an operation a thousand times: the framework's own per-sample work (reading
    // /proc for the CPU metric, about 270 ns and 17 mallocs) would otherwise be counted as the operation's.
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput],
        timeUnits: .nanoseconds,
        scalingFactor: .kilo,
        maxDuration: .seconds(2),
        maxIterations: 1_000_000
    )
    let policy = try! PolicyCompiler.load(directory: policiesDirectory)
    let source = try! String(contentsOfFile: policiesDirectory + "/" + PolicyCompiler.fileName, encoding: .utf8)

    // P3: one field-filter decision per record a query returns: relation from the directory, then fields under the purpose.
    let filter = FieldFilter(policy: policy)
    let dealers = (0..<300).map { Member(id: "d-\($0)", kind: .dealer, group: "g-\($0 % 60)", name: "Dealer \($0)") }
    let directory = MemberDirectory(
        revision: 1, groups: (0..<60).map { DealerGroup(id: "g-\($0)", name: "Group \($0)") }, members: dealers, certificates: []
    )
    let purpose = try! policy.purpose(declared: nil, by: .dealer)
    let consents = [Consent(shareWithinGroup: true, marketing: false), Consent(shareWithinGroup: false, marketing: true)]
    Benchmark("FieldFilter.decide per record (300 dealers, 60 groups)") { benchmark in
        var granted = 0
        for index in benchmark.scaledIterations {
            let decision = filter.decide(
                caller: dealers[index % 300], ownerID: dealers[(index &* 7) % 300].id, in: directory,
                consent: consents[index & 1], purpose: purpose
            )
            if case .allow = decision { granted += 1 }
        }
        blackHole(granted)
    }

    Benchmark("PolicyCompiler.compile policies/charter.yaml", configuration: .init(scalingFactor: .one)) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try PolicyCompiler.compile(source)) }
    }

    let decoder = RecordDecoder(policy: policy)
    let today = CalendarDate.latestToday()
    Benchmark("RecordDecoder.decode + validate, full record") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try decoder.decode(recordJSON, today: today)) }
    }
    // The floor Foundation offers for the same bytes: an untyped parse, with no format, type or charter check.
    Benchmark("JSONSerialization.jsonObject, same record bytes (baseline: parse only)") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try JSONSerialization.jsonObject(with: recordJSON)) }
    }
    let input = try! decoder.decode(recordJSON, today: today)
    Benchmark("StoredRecord.canonicalJSON encode, full record") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(StoredRecord.canonicalJSON(input)) }
    }

    // P1: serving a stored body in a history, spliced (now) against decoded back into a RecordInput (before).
    let body = Array(StoredRecord.canonicalJSON(input))
    let crossGroup = FieldSet([.id, .visibility, .vin, .mileageKm, .operationType])
    Benchmark("stored body → cross-group view: RecordDocument + RecordView.write") { benchmark in
        for _ in benchmark.scaledIterations {
            let document = try RecordDocument(id: "rec_1", enteredBy: "d-1", recordedAt: "2026-11-23T08:00:00.000Z", version: 1, body: body)
            blackHole(RecordView(document: document, relation: .crossGroup, fields: crossGroup).json)
        }
    }
    Benchmark("stored body → RecordInput: RecordDecoder.readStored (a full read, for a correction or replay)") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try RecordDecoder.readStored(body)) }
    }

    // P5: record versions of an extraction, rendered from their stored bodies (the job and every download
    // do this), a page of a thousand versions a sample, so the figure is per version.
    var stored = StoredVersionPage(enteredBy: "d-1", capacity: 1_000)
    for sequence in 1...1_000 {
        stored.append(
            id: "rec_0123456789abcdef0123456789abcdef", version: 2, recordedAt: "2026-11-23T08:00:00.000Z",
            body: String(decoding: body, as: UTF8.self), sequence: Int64(sequence)
        )
    }
    for format in [ExtractionFormat.ndjson, .csv] {
        let encoder = ExtractionEncoder(format: format)
        Benchmark("ExtractionEncoder.page, \(format.rawValue), per full record") { benchmark in
            precondition(benchmark.scaledIterations.count == stored.versions.count)
            blackHole(try encoder.page(stored))
        }
    }

    let leaves = (0..<1_024).map { TreeHash.leaf(Data("entry \($0)".utf8)) }
    Benchmark("MerkleAccumulator.append (leaf already hashed)") { benchmark in
        var accumulator = MerkleAccumulator()
        for index in benchmark.scaledIterations { blackHole(accumulator.append(leaves[index & 1023])) }
    }

    let size = 1_000_000
    nonisolated(unsafe) var levels: [[TreeHash]] = []
    Benchmark(
        "MerkleTree.inclusionProof at 1M leaves (nodes in memory)",
        configuration: .init(setup: { levels = merkleLevels(size: size) }, teardown: { levels = [] })
    ) { benchmark in
        let tree = MerkleTree<Never>(node: { level, index in levels[level][index] })
        for iteration in benchmark.scaledIterations {
            blackHole(tree.inclusionProof(index: (iteration &* 7_919) % size, size: size))
        }
    }

    // `audit verify` per leaf: the canonical-form and schema check, beside hashing the same bytes.
    let entry = AccessLogEntry(
        actor: "d-17", actorKind: "dealer", action: "vehicle.history", decision: .allow, clause: "C2",
        target: .init(vin: "VF3ABCDEF12345678", recordIds: ["rec_1f0c2a9b", "rec_77d1e3aa"]),
        fields: ["cross_group": ["id", "visibility", "vin", "mileageKm", "operationType"]],
        policyHash: String(repeating: "a", count: 64), requestId: "req-0001"
    ).canonicalJSON()
    Benchmark("AccessLogEntry.parseCanonical, one history entry (audit verify's check per leaf)") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try AccessLogEntry.parseCanonical(entry)) }
    }
    Benchmark("TreeHash.leaf, the same entry (baseline: hashing only)") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(TreeHash.leaf(entry)) }
    }

    let signer = try! NoteSigner.generate(name: "charterhub.bench")
    let checkpoint = Checkpoint(origin: "charterhub.bench", size: size, root: leaves[0])
    Benchmark("NoteSigner.sign checkpoint (Ed25519)") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try signer.sign(checkpoint.text)) }
    }
}
