#!/usr/bin/env python3
"""A tiny web server behind HTTP Basic auth: 401 with WWW-Authenticate on missing or wrong credentials, 200 otherwise.
Usage: authd.py ADDR PORT USER PASSWORD   (one request per connection, HTTP/1.0, like many appliance admin pages)"""
import base64, sys
from http.server import BaseHTTPRequestHandler, HTTPServer

addr, port, user, password = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
GOOD = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()

class Handler(BaseHTTPRequestHandler):
    server_version = "pcaplab-authd/1.0"

    def do_GET(self):
        if self.headers.get("Authorization") == GOOD:
            body = b"<html><body><h1>Admin console</h1><p>Welcome.</p></body></html>\n"
            self.send_response(200)
        else:
            body = b"<html><body><h1>401 Unauthorized</h1></body></html>\n"
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="admin"')
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass

HTTPServer((addr, port), Handler).serve_forever()
