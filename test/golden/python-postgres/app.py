"""A minimal HTTP service using only the standard library, started by ``python -m app``.

Replace the handler with your own, or move to a framework and a production server pinned in
requirements.txt. It listens on all interfaces inside the container; compose publishes it on
127.0.0.1 only (C04).
"""
import json
import signal
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

PORT = 8000
HEALTH_PATH = "/healthz"
SERVICE = "orders"


class Handler(BaseHTTPRequestHandler):
    # A client that stops sending is dropped, so it cannot hold a thread (or shutdown) for long.
    timeout = 5

    def version_string(self):
        # The Server header names the service, not the Python version.
        return SERVICE

    def do_GET(self):
        if urlsplit(self.path).path == HEALTH_PATH:
            self.send_body(200, "text/plain; charset=utf-8", b"ok\n")
        else:
            body = json.dumps({"service": SERVICE}) + "\n"
            self.send_body(200, "application/json", body.encode())

    def send_body(self, status, content_type, body):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        # The health check runs every few seconds: keep it out of the access log.
        if urlsplit(getattr(self, "path", "")).path != HEALTH_PATH:
            super().log_message(format, *args)


class Server(ThreadingHTTPServer):
    # On shutdown, wait for requests in flight instead of cutting them off.
    daemon_threads = False
    block_on_close = True


def main():
    server = Server(("0.0.0.0", PORT), Handler)
    stopping = threading.Event()

    # Stop accepting connections and exit when the orchestrator asks (docker stop, nomad stop).
    def stop(signum, frame):
        stopping.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    worker = threading.Thread(target=server.serve_forever, name="http")
    worker.start()
    print(f"listening on {PORT}")
    stopping.wait()
    server.shutdown()
    worker.join()
    server.server_close()


if __name__ == "__main__":
    main()
