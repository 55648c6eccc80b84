/// The answer to a history query: a VIN and the views of its records, in order of work.
public struct VehicleHistory: Sendable {
    public let vin: VIN
    public let records: [RecordView]

    public init(vin: VIN, records: [RecordView]) {
        self.vin = vin
        self.records = records
    }

    /// `{"records":[...],"vin":"..."}`, keys sorted like every other answer, written without an encoder.
    public var json: [UInt8] {
        var out = Array(#"{"records":["#.utf8)
        out.reserveCapacity(records.reduce(64) { $0 + $1.document.body.count + 160 })
        for (offset, view) in records.enumerated() {
            if offset > 0 { out.append(UInt8(ascii: ",")) }
            view.write(into: &out)
        }
        out += #"],"vin":"#.utf8
        CanonicalJSON.write(vin.value, into: &out)
        out.append(UInt8(ascii: "}"))
        return out
    }
}
