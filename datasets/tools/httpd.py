#!/usr/bin/env python3
"""Throwaway HTTP/1.1 server for the PcapLab dataset recordings.

Python's http.server file handler, threaded, plus a POST handler (the stock one answers 501),
so benign form/JSON posts and attack bodies get a realistic 200/404 answer.
Usage: httpd.py BIND_ADDR PORT DOCROOT
"""
import http.server
import json
import sys
from functools import partial


class Handler(http.server.SimpleHTTPRequestHandler):
    # HTTP/1.1 so curl can keep connections alive across several requests, as browsers do.
    protocol_version = "HTTP/1.1"
    server_version = "PcapLabDataset/1.0"

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(min(length, 1 << 20))
        if self.path.split("?", 1)[0] not in ("/login", "/api/items", "/search", "/upload"):
            self.send_error(404, "Not Found")
            return
        reply = json.dumps({"ok": True, "path": self.path, "received": len(body)}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, fmt, *args):
        sys.stderr.write("%s %s\n" % (self.client_address[0], fmt % args))


def main():
    bind, port, root = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    server = http.server.ThreadingHTTPServer((bind, port), partial(Handler, directory=root))
    server.daemon_threads = True
    server.serve_forever()


if __name__ == "__main__":
    main()
