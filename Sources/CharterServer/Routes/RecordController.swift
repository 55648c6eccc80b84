import CharterCore
import Foundation
import Hummingbird
import NIOCore

/// Record ingest, corrections and reads: `POST /v1/records`, `POST /v1/records/batch`, `PUT /v1/records/{id}`,
/// `GET /v1/records/{id}` and `GET /v1/vehicles/{vin}/history`. Every record that leaves goes through the `FieldFilter`.
struct RecordController: Sendable {
    let store: any HubStore
    let decoder: RecordDecoder
    let filter: FieldFilter
    let gate: PurposeGate
    let registry: MemberRegistry
    let accessLog: AccessLogger

    func register(on table: RouteTable) {
        table.add(.post, "/v1/records", action: "record.create", create)
        table.add(.post, "/v1/records/batch", action: "record.batch", batch)
        table.add(.put, "/v1/records/{id}", action: "record.correct", correct)
        table.add(.get, "/v1/records/{id}", action: "record.read", read)
        table.add(.get, "/v1/vehicles/{vin}/history", action: "vehicle.history", history)
    }

    @Sendable func create(_ request: Request, context: HubRequestContext) async throws -> Response {
        let member = try requireDealer(context)
        let body = try await JSONBody.collect(request, limit: HubLimits.recordBytes, mediaType: "application/json")
        let input = try decoder.decode(body.readableBytesView)
        let ownFields = ownFields(input.customer?.consent).fields.map(\.rawValue)
        let accessLog = self.accessLog
        let outcome = try await store.insert([StoredRecord.make(enteredBy: member.id, input: input)]) { outcomes in
            outcomes.map { outcome in
                switch outcome {
                case .created(let record), .replayed(let record):
                    let action = if case .created = outcome { "record.create" } else { "record.replay" }
                    return accessLog.entry(
                        context, action: action, decision: .allow, clause: "C1",
                        target: .init(vin: record.input.vin.value, recordIds: [record.id], dealer: member.id), fields: ["own": ownFields]
                    )
                case .conflict(let existingID):
                    return accessLog.entry(
                        context, action: "record.create", decision: .deny, target: .init(vin: input.vin.value, recordIds: [existingID], dealer: member.id),
                        code: CharterError.Code.duplicateConflict.rawValue
                    )
                }
            }
        }[0]
        switch outcome {
        case .created(let record), .replayed(let record):
            let status: HTTPResponse.Status = if case .created = outcome { .created } else { .ok }
            var response = JSONBody.response(status, json: try ownView(record).json)
            response.headers[.eTag] = Self.etag(record)
            return response
        case .conflict(let existingID):
            var error = HubError(Self.conflict(input.sourceRef, existingID))
            error.logged = true
            throw error
        }
    }

    /// The result of one line of a batch.
    struct LineResult: Encodable {
        let line: Int
        let status: String
        let id: String?
        let error: HubError.Body?
    }

    struct BatchResult: Encodable {
        let accepted: Int
        let rejected: Int
        let results: [LineResult]

        /// The bytes `JSONBody.encode` would give, written by hand: `JSONEncoder` over 10,000 line results
        /// was a sixth of the batch handler's time. A rejected line's error, the rare case, still goes
        /// through the encoder.
        func json() throws -> [UInt8] {
            var out = Array(#"{"accepted":\#(accepted),"rejected":\#(rejected),"results":["#.utf8)
            out.reserveCapacity(out.count + 64 * results.count)
            for (offset, result) in results.enumerated() {
                if offset > 0 { out.append(UInt8(ascii: ",")) }
                out.append(UInt8(ascii: "{"))
                if let error = result.error {
                    out += #""error":"#.utf8
                    out += try JSONBody.encode(error)
                    out.append(UInt8(ascii: ","))
                }
                if let id = result.id {
                    out += #""id":"#.utf8
                    CanonicalJSON.write(id, into: &out)
                    out.append(UInt8(ascii: ","))
                }
                out += #""line":\#(result.line),"status":"#.utf8
                CanonicalJSON.write(result.status, into: &out)
                out.append(UInt8(ascii: "}"))
            }
            out += "]}".utf8
            return out
        }
    }

    @Sendable func batch(_ request: Request, context: HubRequestContext) async throws -> Response {
        let member = try requireDealer(context)
        let body = try await JSONBody.collect(request, limit: HubLimits.batchBytes, mediaType: "application/x-ndjson")
        let lines = NDJSONLines.nonBlank(in: Array(body.readableBytesView), limit: HubLimits.batchLines)
        guard lines.count <= HubLimits.batchLines else {
            throw HubError.payloadTooLarge("the batch has more than \(HubLimits.batchLines) records; send at most \(HubLimits.batchLines) per request")
        }
        var results: [LineResult?] = Array(repeating: nil, count: lines.count)
        var accepted: [(slot: Int, input: RecordInput)] = []
        for (slot, read) in await Self.read(lines, with: decoder, today: .latestToday()).enumerated() {
            switch read {
            case .success(let input): accepted.append((slot, input))
            case .failure(let error): results[slot] = LineResult(line: lines[slot].number, status: "rejected", id: nil, error: HubError(error).body)
            }
        }
        let records = StoredRecord.make(enteredBy: member.id, inputs: accepted.map(\.input))
        let pending = zip(accepted.map(\.slot), records).map { (slot: $0, record: $1) }
        let accessLog = self.accessLog
        let ownFields = filter.policy.rule(for: .own).fields.fields.map(\.rawValue)
        let rejectedEntries = results.compactMap { result -> AccessLogEntry? in
            guard let result, let error = result.error else { return nil }
            return accessLog.entry(context, action: "record.batch", decision: .deny, clause: error.clause, target: .init(dealer: member.id), code: error.code)
        }
        let outcomes = try await store.insert(pending.map(\.record)) { outcomes in
            var ids: [String] = [], vins = Set<String>()
            var entries = rejectedEntries
            for outcome in outcomes {
                switch outcome {
                case .created(let record), .replayed(let record):
                    ids.append(record.id)
                    vins.insert(record.input.vin.value)
                case .conflict(let existingID):
                    entries.append(accessLog.entry(
                        context, action: "record.batch", decision: .deny, target: .init(recordIds: [existingID], dealer: member.id),
                        code: CharterError.Code.duplicateConflict.rawValue
                    ))
                }
            }
            if !ids.isEmpty {
                entries.append(accessLog.entry(
                    context, action: "record.batch", decision: .allow, clause: "C1",
                    target: .init(vin: vins.count == 1 ? vins.first : nil, recordIds: ids, dealer: member.id), fields: ["own": ownFields]
                ))
            }
            return entries
        }
        for ((slot, record), outcome) in zip(pending, outcomes) {
            let number = lines[slot].number
            switch outcome {
            case .created(let stored):
                results[slot] = LineResult(line: number, status: "created", id: stored.id, error: nil)
            case .replayed(let stored):
                results[slot] = LineResult(line: number, status: "replayed", id: stored.id, error: nil)
            case .conflict(let existingID):
                results[slot] = LineResult(
                    line: number, status: "rejected", id: nil,
                    error: HubError(Self.conflict(record.input.sourceRef, existingID)).body
                )
            }
        }
        let final = results.compactMap { $0 }
        let rejected = final.filter { $0.status == "rejected" }.count
        return JSONBody.response(.ok, json: try BatchResult(accepted: final.count - rejected, rejected: rejected, results: final).json())
    }

    /// How many lines one task reads: a 10,000-line batch is read in eight slices.
    static let linesPerSlice = 1_250

    /// Reads and validates every line of a batch, in order. Reading is most of a batch's handler time; in
    /// slices on the cooperative pool, one large batch uses every core instead of one.
    static func read(
        _ lines: [(number: Int, bytes: ArraySlice<UInt8>)], with decoder: RecordDecoder, today: CalendarDate
    ) async -> [Result<RecordInput, any Error>] {
        await ParallelMap.map(lines, sliceSize: linesPerSlice) { line in
            Result { () throws -> RecordInput in
                guard line.bytes.count <= HubLimits.recordBytes else {
                    throw HubError.payloadTooLarge("line \(line.number) is \(line.bytes.count) bytes; one record is at most \(HubLimits.recordBytes)")
                }
                return try decoder.decode(line.bytes, today: today)
            }
        }
    }

    /// A correction: the entering dealer sends the whole record again; it becomes the next version and
    /// every earlier version is kept for extractions (C4). `If-Match: "<version>"` guards against lost updates.
    @Sendable func correct(_ request: Request, context: HubRequestContext) async throws -> Response {
        let member = try requireDealer(context)
        let id = try context.parameters.require("id")
        let expectedVersion = try Self.expectedVersion(request)
        let body = try await JSONBody.collect(request, limit: HubLimits.recordBytes, mediaType: "application/json")
        guard let current = try await store.record(id: id) else { throw HubError.notFound("no record '\(id)'") }
        guard current.enteredBy == member.id else {
            throw HubError.forbidden("only the dealership that entered record \(id) may correct it (C4)", clause: ExtractionRule.clause)
        }
        let input = try decoder.decode(body.readableBytesView)
        guard input.sourceRef == current.input.sourceRef else {
            throw HubError(CharterError.invalid(
                "sourceRef", "sourceRef is the DMS's key for record \(id) and cannot change: it is '\(current.input.sourceRef)'"
            ))
        }
        let accessLog = self.accessLog
        let ownFields = ownFields(input.customer?.consent).fields.map(\.rawValue)
        let outcome = try await store.correct(id: id, input: input, expectedVersion: expectedVersion, at: Date()) { outcome in
            let target = AccessLogEntry.Target(vin: input.vin.value, recordIds: [id], dealer: member.id)
            switch outcome {
            case .corrected:
                return [accessLog.entry(context, action: "record.correct", decision: .allow, clause: ExtractionRule.clause, target: target, fields: ["own": ownFields])]
            case .unchanged:
                return [accessLog.entry(context, action: "record.replay", decision: .allow, clause: ExtractionRule.clause, target: target, fields: ["own": ownFields])]
            case .stale:
                return [accessLog.entry(context, action: "record.correct", decision: .deny, target: target, code: "version_conflict")]
            case .notFound:
                return [accessLog.entry(context, action: "record.correct", decision: .deny, target: target, code: "not_found")]
            }
        }
        switch outcome {
        case .corrected(let record), .unchanged(let record):
            var response = JSONBody.response(.ok, json: try ownView(record).json)
            response.headers[.eTag] = Self.etag(record)
            return response
        case .stale(let record):
            var error = HubError(
                .preconditionFailed, code: "version_conflict",
                message: "record \(id) is at version \(record.version), not \(expectedVersion ?? 0); read it again and resend your correction",
                field: "If-Match"
            )
            error.headers = [.eTag: Self.etag(record)]
            error.logged = true
            throw error
        case .notFound:
            var error = HubError.notFound("no record '\(id)'")
            error.logged = true
            throw error
        }
    }

    /// The entity tag of a record: its version, so `If-Match` names the version a correction builds on.
    private static func etag(_ record: StoredRecord) -> String { "\"\(record.version)\"" }

    /// The version named by `If-Match` (`"3"`), nil when absent or `*`.
    private static func expectedVersion(_ request: Request) throws -> Int? {
        guard let value = request.headers[.ifMatch]?.trimmingCharacters(in: .whitespaces), value != "*" else { return nil }
        let tag = value.hasPrefix("W/") ? value.dropFirst(2) : Substring(value)
        guard tag.count >= 3, tag.first == "\"", tag.last == "\"", let version = Int(tag.dropFirst().dropLast()), version >= 1 else {
            throw HubError(.badRequest, code: "invalid_header", message: "If-Match is a record version in quotes, as in the ETag: \"2\"", field: "If-Match")
        }
        return version
    }

    @Sendable func read(_ request: Request, context: HubRequestContext) async throws -> Response {
        let member = try context.requireMember()
        try requireRecordAccess(member, context)
        let id = try context.parameters.require("id")
        guard let record = try await store.record(id: id) else {
            throw HubError.notFound("no record '\(id)'")
        }
        let directory = registry.directory
        try await accessLog.require(
            gate.decide(.read, by: member, purpose: context.purpose, onBehalfOf: context.onBehalfOf, touching: Self.owners([record.enteredBy], in: directory)),
            context, action: "record.read", target: .init(vin: record.input.vin.value, recordIds: [record.id], dealer: record.enteredBy)
        )
        switch decide(member, owner: record.enteredBy, consent: record.input.customer?.consent, context, in: directory) {
        case .allow(let relation, let fields, let clause):
            let view = RecordView(document: try RecordDocument(record), relation: relation, fields: fields)
            try await accessLog.record(accessLog.entry(
                context, action: "record.read", decision: .allow, clause: clause,
                target: .init(vin: record.input.vin.value, recordIds: [record.id], dealer: record.enteredBy), fields: AccessLogger.fields([view])
            ))
            var response = JSONBody.response(.ok, json: view.json)
            if relation == .own { response.headers[.eTag] = Self.etag(record) }
            return response
        case .deny(_, let clause, let reason):
            throw HubError.forbidden(reason, clause: clause)
        }
    }

    @Sendable func history(_ request: Request, context: HubRequestContext) async throws -> Response {
        let member = try context.requireMember()
        try requireRecordAccess(member, context)
        let vin = try VIN(validating: try context.parameters.require("vin"))
        var records = try await store.history(vin: vin)
        // In a dealership's name, only that dealership's records (C5).
        if let dealer = context.onBehalfOf { records.removeAll { $0.enteredBy != dealer } }
        let directory = registry.directory
        try await accessLog.require(
            gate.decide(.read, by: member, purpose: context.purpose, onBehalfOf: context.onBehalfOf, touching: Self.owners(records.map(\.enteredBy), in: directory)),
            context, action: "vehicle.history", target: .init(vin: vin.value)
        )
        let views = records.compactMap { document -> RecordView? in
            guard case .allow(let relation, let fields, _) = decide(member, owner: document.enteredBy, consent: document.consent, context, in: directory) else {
                return nil
            }
            return RecordView(document: document, relation: relation, fields: fields)
        }
        try await accessLog.record(accessLog.entry(
            context, action: "vehicle.history", decision: .allow, target: .init(vin: vin.value, recordIds: views.map(\.document.id), dealer: context.onBehalfOf),
            fields: AccessLogger.fields(views)
        ))
        return JSONBody.response(.ok, json: VehicleHistory(vin: vin, records: views).json)
    }

    /// The charter's decision for `member` reading a record of `owner` with `consent` under the request's
    /// purpose, with the owner's group and custodian as `directory` has them now (so a takeover changes the
    /// very next read).
    private func decide(_ member: Member, owner: String, consent: Consent?, _ context: HubRequestContext, in directory: MemberDirectory) -> AccessDecision {
        filter.decide(caller: member, ownerID: owner, in: directory, consent: consent, purpose: context.purpose)
    }

    /// The dealerships that entered the records, as the purpose gate weighs them (C8 looks at their sale status).
    private static func owners(_ ids: [String], in directory: MemberDirectory) -> [Member] {
        var seen = Set<String>()
        return ids.compactMap { id in
            guard seen.insert(id).inserted else { return nil }
            return directory.members[id] ?? Member(id: id, kind: .dealer, name: id)
        }
    }

    /// The fields the entering dealer gets back for a record with `consent` (a denied `own` rule leaves id and visibility).
    private func ownFields(_ consent: Consent?) -> FieldSet {
        guard case .allow(_, let fields, _) = filter.decide(.own, consent: consent) else { return [.id, .visibility] }
        return fields
    }

    private func ownView(_ record: StoredRecord) throws -> RecordView {
        RecordView(document: try RecordDocument(record), relation: .own, fields: ownFields(record.input.customer?.consent))
    }

    /// Only dealerships enter records (C1), and only while they are in the network (C6).
    private func requireDealer(_ context: HubRequestContext) throws -> Member {
        let member = try context.requireMember()
        guard member.kind == .dealer else {
            throw HubError.forbidden("only dealerships enter vehicle records; '\(member.id)' is of kind \(member.kind.rawValue)", clause: "C1")
        }
        try HubError.check(gate.decide(.write, by: member, purpose: context.purpose, onBehalfOf: nil, touching: [member]))
        return member
    }

    /// A caller whose purpose, or whose relation under it, the policy denies outright (a brand without
    /// purpose, auditors, the operator, a dealership sold outside the network) is refused before any
    /// lookup, so that not even a record's existence is revealed. A purpose refused only once the records
    /// are known (the pending-sale lock, C8) is decided after the lookup.
    private func requireRecordAccess(_ member: Member, _ context: HubRequestContext) throws {
        try HubError.check(gate.decide(.read, by: member, purpose: context.purpose, onBehalfOf: context.onBehalfOf, touching: nil))
        guard member.kind != .dealer, context.purpose?.denial == nil else { return }
        let relation = FieldFilter.relation(of: member, toOwner: "", ownerGroup: nil)
        if case .deny(_, let clause, let reason) = filter.decide(relation, consent: nil, purpose: context.purpose) {
            throw HubError.forbidden(reason, clause: clause)
        }
    }

    private static func conflict(_ sourceRef: String, _ existingID: String) -> CharterError {
        CharterError(
            .duplicateConflict,
            "sourceRef '\(sourceRef)' already names a different record (\(existingID)) of this dealer; a new record needs a new sourceRef",
            field: "sourceRef"
        )
    }
}
