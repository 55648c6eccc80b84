/// Reads a record as a DMS sends it (any member order, any whitespace) into a `RecordInput`, holding it
/// to the closed format, the types and the ranges on the way, and naming the field of the first problem.
///
/// Written by hand on `JSONScanner` because Foundation's `Codable` decoding was most of ingest's cost
/// (~40 µs a record). The whole body is checked against RFC 8259 once; then each object's members are
/// located before any is read, so that an unknown member, and above all a special-category one (D2), is
/// refused before any type error in a known one.
struct RecordReader {
    private var scanner: JSONScanner
    /// The policy's special-category screen, applied to unknown member names and to what they hold.
    private let screen: ForbiddenDataScreen?

    /// The record in `bytes`, or the one error that says what to fix.
    static func read(_ bytes: some Collection<UInt8>, screen: ForbiddenDataScreen?) throws(CharterError) -> RecordInput {
        // The reader throws untyped (its closures infer `any Error`); every error it raises is a CharterError.
        do {
            // A batch's lines are slices of its body: read in place, not copied out first.
            func document(in raw: UnsafeRawBufferPointer) throws -> RecordInput {
                var reader = RecordReader(scanner: JSONScanner(raw, task: "the body is not valid JSON", code: .invalidJSON), screen: screen)
                return try reader.document()
            }
            return try bytes.withContiguousStorageIfAvailable { try document(in: UnsafeRawBufferPointer($0)) }
                ?? Array(bytes).withUnsafeBytes(document(in:))
        } catch let error as CharterError {
            throw error
        } catch {
            throw CharterError(.invalidJSON, "the body could not be read as a record")
        }
    }

    private mutating func document() throws -> RecordInput {
        if scanner.bytes.starts(with: Self.byteOrderMark) { scanner.position = Self.byteOrderMark.count }
        scanner.skipWhitespace()
        let start = scanner.position
        try scanner.validateValue()
        try scanner.requireEnd()
        scanner.position = start
        guard scanner.peek() == UInt8(ascii: "{") else { throw CharterError(.invalidJSON, "the body must be a JSON object") }
        return try record()
    }

    private static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    // MARK: The record's types

    private mutating func record() throws -> RecordInput {
        let object = try members(at: "", allowed: Self.recordNames)
        let sourceRef = try require(object, "sourceRef") { try $0.scanner.text(at: $1) }
        try TextRule.check(sourceRef, "sourceRef", length: 1...128)
        let vin = try VIN(validating: require(object, "vin") { try $0.scanner.text(at: $1) })
        let kind = try require(object, "kind") { try $0.choice(RecordKind.self, at: $1) }
        let operationType = try require(object, "operationType") { try $0.scanner.text(at: $1) }
        let performedOn = try require(object, "performedOn") { try $0.date(at: $1) }
        let mileageKm = try require(object, "mileageKm") { try $0.scanner.integer(at: $1) }
        guard RecordInput.mileageRange.contains(mileageKm) else {
            throw CharterError.invalid("mileageKm", "mileageKm must be a whole number of kilometres from 0 to 2000000")
        }
        let customer = try optional(object, "customer") { try $0.customer(at: $1) }
        let amount = try optional(object, "amount") { try $0.amount(at: $1) }
        let lines = try optional(object, "lines") { try $0.array(at: $1) { try $0.serviceLine(at: $1) } }
        if let lines, lines.count > RecordInput.linesLimit {
            throw CharterError.invalid("lines", "a record may carry at most \(RecordInput.linesLimit) lines, got \(lines.count)")
        }
        let financing = try optional(object, "financing") { try $0.financing(at: $1) }
        let notes = try optional(object, "notes") { try $0.scanner.text(at: $1) }
        if let notes { try TextRule.check(notes, "notes", length: 1...RecordInput.notesLimit, multiline: true) }
        return RecordInput(
            sourceRef: sourceRef, vin: vin, kind: kind, operationType: operationType, performedOn: performedOn, mileageKm: mileageKm,
            customer: customer, amount: amount, lines: lines, financing: financing, notes: notes
        )
    }

    private mutating func customer(at path: String) throws -> Customer {
        let object = try members(at: path, allowed: Self.customerNames)
        let ref = try optional(object, "ref") { try $0.scanner.text(at: $1) }
        let name = try optional(object, "name") { try $0.scanner.text(at: $1) }
        let email = try optional(object, "email") { try $0.scanner.text(at: $1) }
        let phone = try optional(object, "phone") { try $0.scanner.text(at: $1) }
        guard object.start(of: "consent") != nil else {
            throw CharterError.invalid(object.path("consent"), "customer.consent is required whenever customer data is sent (D3)")
        }
        let consent = try require(object, "consent") { try $0.consent(at: $1) }
        if let ref { try TextRule.check(ref, object.path("ref"), length: 1...64) }
        if let name { try TextRule.check(name, object.path("name"), length: 1...200) }
        if let email {
            let path = object.path("email")
            try TextRule.check(email, path, length: 3...254)
            // Byte tests: `contains` with a string argument would go through Foundation's substring search.
            let parts = email.utf8.split(separator: UInt8(ascii: "@"), omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, parts[1].contains(UInt8(ascii: ".")), !email.utf8.contains(UInt8(ascii: " ")) else {
                throw CharterError.invalid(path, "\(path) is not an email address")
            }
        }
        if let phone {
            let path = object.path("phone")
            try TextRule.check(phone, path, length: 3...32)
            guard phone.utf8.allSatisfy(Self.isPhoneByte) || phone.allSatisfy({ $0.isNumber || " +-().".contains($0) }) else {
                throw CharterError.invalid(path, "\(path) may hold only digits, spaces and + - ( ) .")
            }
        }
        return Customer(ref: ref, name: name, email: email, phone: phone, consent: consent)
    }

    /// The ASCII a phone number is usually written in; other digits (`Character.isNumber`) are checked apart.
    private static func isPhoneByte(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: " ") || byte == UInt8(ascii: "+")
            || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "(") || byte == UInt8(ascii: ")") || byte == UInt8(ascii: ".")
    }

    private mutating func consent(at path: String) throws -> Consent {
        let object = try members(at: path, allowed: Self.consentNames)
        let shareWithinGroup = try require(object, "shareWithinGroup") { try $0.scanner.bool(at: $1) }
        let marketing = try require(object, "marketing") { try $0.scanner.bool(at: $1) }
        return Consent(shareWithinGroup: shareWithinGroup, marketing: marketing)
    }

    private mutating func amount(at path: String) throws -> Amount {
        let object = try members(at: path, allowed: Self.amountNames)
        let cents = try require(object, "cents") { try $0.scanner.integer(at: $1) }
        let currency = try require(object, "currency") { try $0.scanner.text(at: $1) }
        guard (0...1_000_000_000_00).contains(cents) else {
            throw CharterError.invalid(object.path("cents"), "amount.cents must be between 0 and 100000000000")
        }
        guard currency.utf8.count == 3, currency.utf8.allSatisfy({ $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }) else {
            throw CharterError.invalid(object.path("currency"), "amount.currency must be a three-letter ISO 4217 code such as EUR")
        }
        return Amount(cents: cents, currency: currency)
    }

    private mutating func serviceLine(at path: String) throws -> ServiceLine {
        let object = try members(at: path, allowed: Self.lineNames)
        let code = try require(object, "code") { try $0.scanner.text(at: $1) }
        let label = try optional(object, "label") { try $0.scanner.text(at: $1) }
        let quantity = try optional(object, "quantity") { try $0.scanner.number(at: $1) }
        let amountCents = try optional(object, "amountCents") { try $0.scanner.integer(at: $1) }
        try TextRule.check(code, object.path("code"), length: 1...64)
        if let label { try TextRule.check(label, object.path("label"), length: 1...200) }
        if let quantity, !(quantity > 0 && quantity <= 1_000_000) {
            throw CharterError.invalid(object.path("quantity"), "quantity must be greater than 0 and at most 1000000")
        }
        if let amountCents, !(-1_000_000_000_00...1_000_000_000_00).contains(amountCents) {
            throw CharterError.invalid(object.path("amountCents"), "amountCents is out of range (±100000000000)")
        }
        return ServiceLine(code: code, label: label, quantity: quantity, amountCents: amountCents)
    }

    private mutating func financing(at path: String) throws -> Financing {
        let object = try members(at: path, allowed: Self.financingNames)
        let mode = try require(object, "mode") { try $0.choice(Financing.Mode.self, at: $1) }
        let months = try optional(object, "months") { try $0.scanner.integer(at: $1) }
        let endsOn = try optional(object, "endsOn") { try $0.date(at: $1) }
        if let months, !(1...120).contains(months) {
            throw CharterError.invalid(object.path("months"), "financing.months must be between 1 and 120")
        }
        return Financing(mode: mode, months: months, endsOn: endsOn)
    }

    // MARK: Objects and their members

    /// One object's members: where the value of each allowed name starts, and the path errors name.
    /// Objects have a handful of members, so a linear search beats hashing.
    private struct Members {
        let path: String
        let names: MemberNames
        var starts: [Int?]

        func start(of key: String) -> Int? { names.names.firstIndex(of: key).flatMap { starts[$0] } }

        /// A member's path: the one written in advance when the object lies where it usually does.
        func path(_ key: String) -> String {
            if path == names.parent, let index = names.names.firstIndex(of: key) { return names.paths[index] }
            return path.isEmpty ? key : path + "." + key
        }
    }

    /// An object's member names, with their UTF-8 for matching keys as they lie in the body, and their
    /// paths under the object's usual place, so that reading a record builds no path it does not report.
    private struct MemberNames {
        let names: [String]
        let utf8: [[UInt8]]
        let parent: String
        let paths: [String]

        init<Keys: CodingKey & CaseIterable>(_ keys: Keys.Type, under parent: String) {
            names = keys.allCases.map(\.stringValue)
            utf8 = names.map { Array($0.utf8) }
            self.parent = parent
            paths = names.map { parent.isEmpty ? $0 : parent + "." + $0 }
        }
    }

    private static let recordNames = MemberNames(RecordInput.CodingKeys.self, under: "")
    private static let customerNames = MemberNames(Customer.CodingKeys.self, under: "customer")
    private static let consentNames = MemberNames(Consent.CodingKeys.self, under: "customer.consent")
    private static let amountNames = MemberNames(Amount.CodingKeys.self, under: "amount")
    private static let lineNames = MemberNames(ServiceLine.CodingKeys.self, under: "lines[0]")
    private static let financingNames = MemberNames(Financing.CodingKeys.self, under: "financing")

    /// Locates the members of the object at the scanner, refusing duplicates and, as `checkKeys` does for
    /// the API's other bodies, any member not in `allowed` (D2 first, then `unknown_field`).
    private mutating func members(at path: String, allowed: MemberNames) throws -> Members {
        guard scanner.peek() == UInt8(ascii: "{") else { throw JSONScanner.mismatch(at: path, "an object") }
        var object = Members(path: path, names: allowed, starts: Array(repeating: nil, count: allowed.names.count))
        var unknown: [(key: String, start: Int)] = []
        // `document()` checked the whole body, so skimming finds the members and their ends.
        try scanner.forEachMember { scanner, keyRange throws(CharterError) in
            let start = scanner.position
            // A key without escapes is matched as its bytes; any other becomes a `String`, compared as before.
            var slot = scanner.bytes[keyRange].contains(UInt8(ascii: "\\")) ? nil : allowed.utf8.firstIndex { scanner.bytes(in: keyRange, equal: $0) }
            var key: String?
            if slot == nil {
                key = try scanner.text(of: keyRange)
                slot = allowed.names.firstIndex(of: key!)
            }
            if let slot {
                guard object.starts[slot] == nil else {
                    let path = object.path(allowed.names[slot])
                    throw CharterError.invalid(path, "\(path) appears more than once")
                }
                object.starts[slot] = start
            } else if let key {
                unknown.append((key, start))
            }
            try scanner.skipValue()
        }
        guard let first = unknown.map(\.key).min() else { return object }
        if let screen {
            for (key, start) in unknown {
                let member = object.path(key)
                if let error = screen.check(name: key, path: member) { throw error }
                scanner.position = start
                if let error = screen.check(value: try scanner.value(), path: member) { throw error }
            }
        }
        throw CharterError(.unknownField, "'\(first)' is not a field of a vehicle record; the format is closed", field: object.path(first))
    }

    /// A required member, read by `read`; absent and null are refused with the member's path.
    private mutating func require<Value>(
        _ object: Members, _ key: String, _ read: (inout RecordReader, String) throws -> Value
    ) throws -> Value {
        guard let value = try optional(object, key, read) else {
            let path = object.path(key)
            if object.start(of: key) == nil { throw CharterError.invalid(path, "\(path) is required") }
            throw CharterError.invalid(path, "\(path) must not be null")
        }
        return value
    }

    /// An optional member: nil when absent or null.
    private mutating func optional<Value>(
        _ object: Members, _ key: String, _ read: (inout RecordReader, String) throws -> Value
    ) throws -> Value? {
        guard let start = object.start(of: key) else { return nil }
        scanner.position = start
        if scanner.null() { return nil }
        return try read(&self, object.path(key))
    }

    // MARK: Values

    private mutating func array<Element>(
        at path: String, _ element: (inout RecordReader, String) throws -> Element
    ) throws -> [Element] {
        guard scanner.next() == UInt8(ascii: "[") else { throw JSONScanner.mismatch(at: path, "an array") }
        var elements: [Element] = []
        scanner.skipWhitespace()
        if scanner.peek() == UInt8(ascii: "]") { return elements }
        while true {
            scanner.skipWhitespace()
            let start = scanner.position
            let elementPath = "\(path)[\(elements.count)]"
            if scanner.null() { throw CharterError.invalid(elementPath, "\(elementPath) must not be null") }
            // Element readers jump between members; the end of the element is where the next one starts.
            try scanner.skipValue()
            let end = scanner.position
            scanner.position = start
            elements.append(try element(&self, elementPath))
            scanner.position = end
            scanner.skipWhitespace()
            if scanner.next() == UInt8(ascii: "]") { return elements }
        }
    }

    private mutating func date(at path: String) throws -> CalendarDate {
        guard let date = CalendarDate(try scanner.text(at: path)) else { throw CharterError.invalid(path, "\(path) must be a date as YYYY-MM-DD") }
        return date
    }

    private mutating func choice<Choice: RawRepresentable & CaseIterable>(_ type: Choice.Type, at path: String) throws -> Choice
    where Choice.RawValue == String {
        guard let choice = Choice(rawValue: try scanner.text(at: path)) else {
            throw CharterError.invalid(path, "\(path) must be one of \(Choice.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return choice
    }
}
