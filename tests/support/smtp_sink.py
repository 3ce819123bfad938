"""An aiosmtpd handler for the email notifier tests: a real SMTP server that
records every message it accepts as one JSON file.

Run by the tests as

    /usr/bin/python3 -m aiosmtpd -n -l 127.0.0.1:PORT \
        -c smtp_sink.Sink OUT_DIR [reject=ADDRESS]... [defer=ADDRESS]... \
        [auth=USER:PASSWORD]

with this folder on PYTHONPATH. For each message it writes OUT_DIR/N.json
(N = 1, 2, ...; written to a temporary name and renamed, so a reader never
sees half a file):

    mail_from, rcpt_tos          the SMTP envelope
    tls                          the session was encrypted (STARTTLS or SMTPS)
    starttls                     it was encrypted by STARTTLS
    authenticated, auth_login    AUTH succeeded, and as whom
    raw                          the message as received (after dot-unstuffing)
    max_line_length              longest line, in bytes, without CRLF
    bare_newlines                CR or LF bytes not part of a CRLF pair
    headers                      [name, decoded value] pairs in order, parsed
                                 by email.message_from_bytes with
                                 policy=email.policy.default
    content_type                 the top-level content type
    parts                        for each non-multipart part: content_type,
                                 charset, transfer_encoding, text (decoded)
    defects                      defects Python's parser found, anywhere

reject=ADDRESS answers RCPT TO:<ADDRESS> with 550, defer=ADDRESS with 451.
auth=USER:PASSWORD accepts AUTH PLAIN and LOGIN with exactly those
credentials (aiosmtpd offers AUTH only after STARTTLS); others get 535.
"""

import base64
import binascii
import email
import email.policy
import json
import os

from aiosmtpd.smtp import AuthResult, LoginPassword


class Sink:
    def __init__(self, out_dir, reject=(), defer=(), credentials=None):
        self.out_dir = out_dir
        self.reject = {address.lower() for address in reject}
        self.defer = {address.lower() for address in defer}
        self.credentials = credentials  # (login bytes, password bytes) or None
        self.count = 0

    @classmethod
    def from_cli(cls, parser, *args):
        # Plain words, not --options: aiosmtpd's own parser sees these first.
        if not args:
            parser.error("smtp_sink.Sink needs OUT_DIR")
        out_dir, reject, defer, credentials = args[0], [], [], None
        for arg in args[1:]:
            key, _, value = arg.partition("=")
            if key == "reject":
                reject.append(value)
            elif key == "defer":
                defer.append(value)
            elif key == "auth":
                login, _, password = value.partition(":")
                credentials = (login.encode(), password.encode())
            else:
                parser.error("smtp_sink.Sink: unknown argument %r" % arg)
        return cls(out_dir, reject, defer, credentials)

    # --- SMTP hooks --------------------------------------------------------

    async def handle_RCPT(self, server, session, envelope, address,
                          rcpt_options):
        if address.lower() in self.reject:
            return "550 5.1.1 <%s>: Recipient address rejected" % address
        if address.lower() in self.defer:
            return "451 4.3.0 <%s>: Try again later" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        data = envelope.original_content or envelope.content
        if isinstance(data, str):
            data = data.encode("utf-8", "surrogateescape")
        ssl_object = server.transport.get_extra_info("ssl_object")
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": list(envelope.rcpt_tos),
            "tls": ssl_object is not None,
            "starttls": session.ssl is not None,
            "authenticated": bool(session.authenticated),
            "auth_login": (session.auth_data.login.decode("utf-8", "replace")
                           if isinstance(session.auth_data, LoginPassword)
                           else None),
            "raw": data.decode("utf-8", "replace"),
        }
        record.update(self._parse(data))
        self.count += 1
        path = os.path.join(self.out_dir, "%d.json" % self.count)
        with open(path + ".tmp", "w", encoding="utf-8") as out:
            json.dump(record, out, ensure_ascii=False, indent=1)
        os.rename(path + ".tmp", path)
        return "250 2.0.0 Message accepted for delivery"

    # --- AUTH mechanisms (handler-level, replacing aiosmtpd's built-ins) ---

    async def auth_PLAIN(self, server, args):
        if len(args) == 1:
            response = await server.challenge_auth("")
            if not isinstance(response, bytes):
                return AuthResult(success=False, handled=False)
        else:
            try:
                response = base64.b64decode(args[1], validate=True)
            except binascii.Error:
                return AuthResult(success=False, handled=False)
        parts = response.split(b"\0")
        if len(parts) != 3:
            return AuthResult(success=False, handled=False)
        return self._check(parts[1], parts[2])

    async def auth_LOGIN(self, server, args):
        if len(args) == 1:
            login = await server.challenge_auth("Username:")
        else:
            try:
                login = base64.b64decode(args[1], validate=True)
            except binascii.Error:
                return AuthResult(success=False, handled=False)
        if not isinstance(login, bytes):
            return AuthResult(success=False, handled=False)
        password = await server.challenge_auth("Password:")
        if not isinstance(password, bytes):
            return AuthResult(success=False, handled=False)
        return self._check(login, password)

    def _check(self, login, password):
        if self.credentials is not None and (login, password) == self.credentials:
            return AuthResult(success=True,
                              auth_data=LoginPassword(login, password))
        return AuthResult(success=False, handled=False)

    # --- Parsing -----------------------------------------------------------

    @staticmethod
    def _parse(data):
        lines = data.split(b"\r\n")
        if lines and lines[-1] == b"":
            lines.pop()
        bare = sum(line.count(b"\r") + line.count(b"\n") for line in lines)
        message = email.message_from_bytes(data, policy=email.policy.default)
        defects = [repr(defect) for defect in message.defects]
        parts = []
        for part in message.walk():
            defects += [repr(defect) for defect in part.defects
                        if part is not message]
            if part.is_multipart():
                continue
            parts.append({
                "content_type": part.get_content_type(),
                "charset": part.get_content_charset(),
                "transfer_encoding": part.get("Content-Transfer-Encoding"),
                "text": part.get_content(),
            })
        return {
            "max_line_length": max((len(line) for line in lines), default=0),
            "bare_newlines": bare,
            "headers": [[name, str(value)] for name, value in message.items()],
            "content_type": message.get_content_type(),
            "parts": parts,
            "defects": defects,
        }
