#!/usr/bin/python3
"""A real webhook receiver for newswatch's tests, on 127.0.0.1.

It checks Standard Webhooks signatures with Python's own hmac, hashlib and
base64 (an implementation independent of newswatch's OpenSSL one), answers
as told, and appends one JSON line per request to a log file, so a test can
assert on what actually arrived.

Usage (always with Debian's /usr/bin/python3; only the standard library):

  webhook_receiver.py --port-file FILE --log FILE [--secret whsec_...]
                      [--tolerance SECONDS] [--fail-first N]
                      [--retry-after VALUE] [--status CODE] [--location URL]
                      [--body TEXT] [--delay SECONDS]

  --port-file FILE   bind 127.0.0.1 on a free port; once listening, write the
                     port number (decimal, then a newline) to FILE, atomically.
  --log FILE         append one JSON object per request received, a line each:
                       method, path, webhook_id, webhook_timestamp,
                       webhook_signature, signature_valid (true/false, or null
                       without --secret), status (what it answered),
                       body (UTF-8 text, invalid bytes replaced), body_bytes,
                       headers (lower-cased name -> value, repeats joined by
                       ", "), header_list ([name, value] pairs as received),
                       received_at (Unix seconds, float).
  --secret whsec_... verify webhook-signature (any "v1,<base64>" entry of the
                     space-separated list) and answer 401 when none matches.
  --tolerance S      with --secret, also answer 401 when webhook-timestamp is
                     more than S seconds from the receiver's clock (default:
                     no check, as tests often sign with a fixed time).
  --fail-first N     answer 503 with Retry-After to the first N attempts of
                     each webhook-id, then answer normally.
  --retry-after V    the Retry-After value sent with those 503s (default "1").
  --status CODE      the normal answer (default 200).
  --location URL     a Location header for the normal answer (e.g. with
                     --status 302).
  --body TEXT        the normal answer's body (default "ok").
  --delay S          wait S seconds (float) before answering each request
                     (after logging it).

It runs until killed. stderr gets "listening on 127.0.0.1:<port>" at start.
"""

import argparse
import base64
import hashlib
import hmac
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--log", required=True)
    parser.add_argument("--secret", default="")
    parser.add_argument("--tolerance", type=float, default=None)
    parser.add_argument("--fail-first", type=int, default=0)
    parser.add_argument("--retry-after", default="1")
    parser.add_argument("--status", type=int, default=200)
    parser.add_argument("--location", default="")
    parser.add_argument("--body", default="ok")
    parser.add_argument("--delay", type=float, default=0.0)
    return parser.parse_args(argv)


def signature_valid(secret, webhook_id, timestamp, body, header):
    """Standard Webhooks v1: base64(HMAC-SHA256(key, id.timestamp.body))."""
    if not secret.startswith("whsec_"):
        raise SystemExit("--secret must start with whsec_")
    key = base64.b64decode(secret[len("whsec_"):], validate=True)
    signed = webhook_id.encode() + b"." + timestamp.encode() + b"." + body
    expected = base64.b64encode(
        hmac.new(key, signed, hashlib.sha256).digest()).decode()
    for entry in header.split(" "):
        version, _, signature = entry.partition(",")
        if version == "v1" and hmac.compare_digest(signature, expected):
            return True
    return False


class Receiver:
    def __init__(self, options):
        self.options = options
        self.lock = threading.Lock()
        self.attempts = {}  # webhook-id -> attempts so far

    def decide(self, webhook_id, valid):
        """The status and extra headers to answer with."""
        if valid is False:
            return 401, {}, "bad signature"
        with self.lock:
            attempt = self.attempts.get(webhook_id, 0) + 1
            self.attempts[webhook_id] = attempt
        if attempt <= self.options.fail_first:
            return 503, {"Retry-After": self.options.retry_after}, "busy"
        headers = {}
        if self.options.location:
            headers["Location"] = self.options.location
        return self.options.status, headers, self.options.body

    def log(self, entry):
        line = json.dumps(entry, ensure_ascii=True) + "\n"
        with self.lock:
            with open(self.options.log, "a", encoding="ascii") as log:
                log.write(line)
                log.flush()


def make_handler(receiver):
    options = receiver.options

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            self.handle_request()

        def do_PUT(self):
            self.handle_request()

        def do_GET(self):
            self.handle_request()

        def handle_request(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length > 0 else b""
            webhook_id = self.headers.get("webhook-id", "")
            timestamp = self.headers.get("webhook-timestamp", "")
            signature = self.headers.get("webhook-signature", "")
            valid = None
            if options.secret:
                valid = signature_valid(options.secret, webhook_id, timestamp,
                                        body, signature)
                if valid and options.tolerance is not None:
                    try:
                        skew = abs(time.time() - int(timestamp))
                        valid = skew <= options.tolerance
                    except ValueError:
                        valid = False
            status, extra_headers, answer = receiver.decide(webhook_id, valid)
            headers = {}
            for name, value in self.headers.items():
                name = name.lower()
                headers[name] = (headers[name] + ", " + value
                                 if name in headers else value)
            receiver.log({
                "method": self.command,
                "path": self.path,
                "webhook_id": webhook_id,
                "webhook_timestamp": timestamp,
                "webhook_signature": signature,
                "signature_valid": valid,
                "status": status,
                "body": body.decode("utf-8", errors="replace"),
                "body_bytes": len(body),
                "headers": headers,
                "header_list": [[n, v] for n, v in self.headers.items()],
                "received_at": time.time(),
            })
            if options.delay > 0:
                time.sleep(options.delay)
            payload = answer.encode()
            try:
                self.send_response(status)
                for name, value in extra_headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "text/plain; charset=utf-8")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass  # The sender gave up (a timeout test).

        def log_message(self, format, *args):  # noqa: A002 (base signature)
            pass  # The JSON log is the record; keep stderr for start-up.

    return Handler


def main(argv):
    options = parse_args(argv)
    if options.secret:  # Fail at start, not on the first request.
        signature_valid(options.secret, "", "", b"", "")
    receiver = Receiver(options)
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(receiver))
    server.daemon_threads = True
    port = server.server_address[1]
    temporary = options.port_file + ".tmp"
    with open(temporary, "w", encoding="ascii") as port_file:
        port_file.write(f"{port}\n")
    os.replace(temporary, options.port_file)
    print(f"listening on 127.0.0.1:{port}", file=sys.stderr, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main(sys.argv[1:])
