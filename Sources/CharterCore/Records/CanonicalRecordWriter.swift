/// Writes a record's canonical JSON (the stored body, and what content hashes and replays compare):
/// members in sorted key order, absent optionals left out, no whitespace, strings escaped as
/// `CanonicalJSON` escapes them. Byte for byte what `JSONEncoder` with `.sortedKeys` and
/// `.withoutEscapingSlashes` wrote before (bodies stored then must hash the same now); a test holds the two
/// together. Written by hand because the encoder cost ingest ~17 µs a record.
enum CanonicalRecordWriter {
    static func json(_ input: RecordInput) -> [UInt8] {
        var writer = ObjectWriter(capacity: 256 + (input.notes?.utf8.count ?? 0) + 96 * (input.lines?.count ?? 0))
        writer.open()
        if let amount = input.amount {
            writer.object("amount") { writer in
                writer.member("cents", amount.cents)
                writer.member("currency", amount.currency)
            }
        }
        if let customer = input.customer {
            writer.object("customer") { writer in
                writer.object("consent") { writer in
                    writer.member("marketing", customer.consent.marketing)
                    writer.member("shareWithinGroup", customer.consent.shareWithinGroup)
                }
                writer.member("email", customer.email)
                writer.member("name", customer.name)
                writer.member("phone", customer.phone)
                writer.member("ref", customer.ref)
            }
        }
        if let financing = input.financing {
            writer.object("financing") { writer in
                writer.member("endsOn", financing.endsOn?.description)
                writer.member("mode", financing.mode.rawValue)
                writer.member("months", financing.months)
            }
        }
        writer.member("kind", input.kind.rawValue)
        if let lines = input.lines {
            writer.key("lines")
            writer.bytes.append(UInt8(ascii: "["))
            for (offset, line) in lines.enumerated() {
                if offset > 0 { writer.bytes.append(UInt8(ascii: ",")) }
                writer.open()
                writer.member("amountCents", line.amountCents)
                writer.member("code", line.code)
                writer.member("label", line.label)
                if let quantity = line.quantity { writer.key("quantity"); writer.number(quantity) }
                writer.close()
            }
            writer.bytes.append(UInt8(ascii: "]"))
            writer.needsComma = true
        }
        writer.member("mileageKm", input.mileageKm)
        writer.member("notes", input.notes)
        writer.member("operationType", input.operationType)
        writer.member("performedOn", input.performedOn.description)
        writer.member("sourceRef", input.sourceRef)
        writer.member("vin", input.vin.value)
        writer.close()
        return writer.bytes
    }

    /// The running output and whether the next member needs a comma before it.
    private struct ObjectWriter {
        var bytes: [UInt8] = []
        var needsComma = false

        init(capacity: Int) {
            bytes.reserveCapacity(capacity)
        }

        mutating func open() {
            bytes.append(UInt8(ascii: "{"))
            needsComma = false
        }

        mutating func close() {
            bytes.append(UInt8(ascii: "}"))
            needsComma = true
        }

        /// The member `name` holding an object whose members `members` writes.
        mutating func object(_ name: StaticString, _ members: (inout ObjectWriter) -> Void) {
            key(name)
            open()
            members(&self)
            close()
        }

        mutating func key(_ name: StaticString) {
            if needsComma { bytes.append(UInt8(ascii: ",")) }
            bytes.append(UInt8(ascii: "\""))
            name.withUTF8Buffer { bytes.append(contentsOf: $0) }
            bytes.append(UInt8(ascii: "\""))
            bytes.append(UInt8(ascii: ":"))
            needsComma = true
        }

        mutating func member(_ name: StaticString, _ value: String?) {
            guard let value else { return }
            key(name)
            CanonicalJSON.write(value, into: &bytes)
        }

        mutating func member(_ name: StaticString, _ value: Int?) {
            guard let value else { return }
            key(name)
            bytes.append(contentsOf: String(value).utf8)
        }

        mutating func member(_ name: StaticString, _ value: Bool) {
            key(name)
            bytes.append(contentsOf: (value ? "true" : "false").utf8)
        }

        /// A finite double as `JSONEncoder` writes it: Swift's shortest round-trip form, without a trailing `.0`.
        mutating func number(_ value: Double) {
            var text = value.description
            if text.hasSuffix(".0") { text.removeLast(2) }
            bytes.append(contentsOf: text.utf8)
        }
    }
}
