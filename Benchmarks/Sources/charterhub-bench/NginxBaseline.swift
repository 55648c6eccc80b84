import CharterPKI
import CharterTestSupport
import Foundation

/// nginx answering a small static JSON over mutual TLS with the hub's own server certificate, key and CA
/// (`ssl_verify_client on`): the practical limit of one TLS request on this machine. Its own config,
/// loopback only, stopped when `body` returns.
enum NginxBaseline {
    static let body = #"{"status":"ok"}"#

    static func with<T>(pki: PKIDirectory, port: Int, _ body: (Int) async throws -> T) async throws -> T {
        let directory = try TemporaryDirectory("charterhub-nginx")
        defer { directory.remove() }
        let config = directory.appending("nginx.conf")
        try """
            worker_processes \(ProcessInfo.processInfo.activeProcessorCount);
            daemon off;
            pid \(directory.appending("nginx.pid"));
            error_log \(directory.appending("error.log")) warn;
            events { worker_connections 1024; }
            http {
              access_log off;
              keepalive_requests 10000000;
              keepalive_timeout 120s;
              client_body_temp_path \(directory.path);
              server {
                listen 127.0.0.1:\(port) ssl;
                ssl_protocols TLSv1.2 TLSv1.3;
                ssl_certificate \(pki.serverCertificatePath);
                ssl_certificate_key \(pki.serverKeyPath);
                ssl_client_certificate \(pki.caCertificatePath);
                ssl_verify_client on;
                location / { default_type application/json; return 200 '\(Self.body)'; }
              }
            }
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try executable())
        process.arguments = ["-p", directory.path, "-c", config, "-e", directory.appending("error.log")]
        try process.run()
        defer {
            process.terminate()
            process.waitUntilExit()
        }
        // Wait (at most 5 s) until it answers.
        let deadline = ContinuousClock.now + .seconds(5)
        while true {
            guard process.isRunning else {
                throw HubClient.Failure("nginx exited: \((try? String(contentsOfFile: directory.appending("error.log"), encoding: .utf8)) ?? "")")
            }
            if (try? Self.accepts(port)) == true { break }
            guard ContinuousClock.now < deadline else { throw HubClient.Failure("nginx did not listen on 127.0.0.1:\(port) within 5 s") }
            try await Task.sleep(for: .milliseconds(50))
        }
        return try await body(port)
    }

    static func executable() throws -> String {
        for path in ["/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx"] where FileManager.default.isExecutableFile(atPath: path) {
            return path
        }
        throw HubClient.Failure("nginx is not installed: Benchmarks/run.sh installs it (apt-get install nginx)")
    }

    /// Whether something accepts TCP connections on 127.0.0.1:`port`.
    static func accepts(_ port: Int) throws -> Bool {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { return false }
        defer { close(socket) }
        var address = loopback(port: port)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    /// 127.0.0.1:`port` as the socket calls take it.
    static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    /// A loopback port nothing listens on now (the kernel's pick, released at once).
    static func freePort() throws -> Int {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0 }
        }
        guard bound else { throw HubClient.Failure("cannot find a free loopback port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
