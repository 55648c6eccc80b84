/// The error `body` throws, or nil when it returns: tests assert on a refusal's code and field rather than
/// only that something was thrown.
public func thrownError<Failure: Error, Value>(_ body: () throws(Failure) -> Value) -> Failure? {
    do {
        _ = try body()
        return nil
    } catch {
        return error
    }
}
