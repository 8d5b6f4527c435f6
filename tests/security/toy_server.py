#!/usr/bin/env python3
"""A stand-in for bespoke, to show that scan.sh can fail (and that its sign-in
target works before bespoke has a sign-in page).

    python3 tests/security/toy_server.py PORT [--vulnerable] 2>server.log

It serves the URLs scan.sh attacks, with bespoke's shapes: /healthz, /,
/services?q=&postcode= (HTML), /api/v1/services?q=, /hsds/services?search=,
/hsds/organizations?search= (JSON), and GET/POST /sign-in with an anonymous
cookie and a csrf_token hidden input bound to it (403 without both). Each
request writes one JSON line with "status" to stderr, like bespoke's access log.

Safe by default (bound SQL parameters). --vulnerable pastes the inputs into
the SQL text, and an SQL error becomes a 500, as an unhandled exception would
in bespoke: sqlmap, wapiti and the 500 check must all fail then.
Standard library only.
"""
import hashlib
import hmac
import html
import json
import secrets
import sqlite3
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

VULNERABLE = "--vulnerable" in sys.argv[2:]
SECRET = secrets.token_bytes(32)
COOKIE = "bespoke_anon"  # as bespoke names it, so scan.sh reads it the same way


def database():
    db = sqlite3.connect(":memory:")
    db.executescript(
        """
        CREATE TABLE service (id INTEGER PRIMARY KEY, name TEXT, postcode TEXT);
        INSERT INTO service (name, postcode) VALUES
          ('Debt advice', 'NR1 1AA'), ('Housing advice', 'NR2 2BB'), ('Food bank', 'NR3 3CC');
        CREATE TABLE account (id INTEGER PRIMARY KEY, email TEXT, password TEXT);
        INSERT INTO account (email, password) VALUES ('ann@example.org', 'correct horse');
        """
    )
    return db


def search(q, postcode=""):
    db = database()
    if VULNERABLE:
        sql = f"SELECT name FROM service WHERE name LIKE '%{q}%' AND postcode LIKE '{postcode}%'"
        return [r[0] for r in db.execute(sql)]
    sql = "SELECT name FROM service WHERE name LIKE '%' || ? || '%' AND postcode LIKE ? || '%'"
    return [r[0] for r in db.execute(sql, (q, postcode))]


def sign_in_ok(email, password):
    db = database()
    if VULNERABLE:
        sql = f"SELECT id FROM account WHERE email = '{email}' AND password = '{password}'"
        return db.execute(sql).fetchone() is not None
    sql = "SELECT id FROM account WHERE email = ? AND password = ?"
    return db.execute(sql, (email, password)).fetchone() is not None


def csrf_for(cookie):
    return hmac.new(SECRET, cookie.encode(), hashlib.sha256).hexdigest()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # the JSON line below replaces the default log
        pass

    def answer(self, status, body, content_type="text/html; charset=utf-8", headers=()):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)
        line = {"msg": "request", "method": self.command, "path": urlsplit(self.path).path, "status": status}
        print(json.dumps(line, separators=(",", ":")), file=sys.stderr, flush=True)

    def cookie(self):
        for part in self.headers.get("Cookie", "").split(";"):
            name, _, value = part.strip().partition("=")
            if name == COOKIE and value:
                return value
        return None

    def do_GET(self):
        url = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
        try:
            if url.path == "/healthz":
                return self.answer(200, "ok", "text/plain")
            if url.path == "/":
                return self.answer(200, '<a href="/services?q=advice">Search</a> <a href="/sign-in">Sign in</a>')
            if url.path == "/services":
                names = search(query.get("q", ""), query.get("postcode", ""))
                items = "".join(f"<li>{html.escape(n)}</li>" for n in names)
                form = ('<form method="get" action="/services"><input name="q" value="%s">'
                        '<input name="postcode" value=""></form>' % html.escape(query.get("q", "")))
                return self.answer(200, f"{form}<ul>{items}</ul>")
            if url.path in ("/api/v1/services", "/hsds/services", "/hsds/organizations"):
                text = query.get("q" if url.path.startswith("/api") else "search", "")
                names = search(text)
                return self.answer(200, json.dumps({"total": len(names), "contents": names}), "application/json")
            if url.path == "/sign-in":
                cookie = self.cookie() or secrets.token_hex(16)
                page = ('<form method="post" action="/sign-in">'
                        f'<input type="hidden" name="csrf_token" value="{csrf_for(cookie)}">'
                        '<input name="email"><input name="password" type="password"></form>')
                return self.answer(200, page, headers=[("Set-Cookie", f"{COOKIE}={cookie}; Path=/; HttpOnly")])
            return self.answer(404, "not found", "text/plain")
        except sqlite3.Error:
            return self.answer(500, "Internal Server Error", "text/plain")

    def do_POST(self):
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length", "0"))
        form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode("utf-8", "replace"),
                                             keep_blank_values=True).items()}
        if url.path != "/sign-in":
            return self.answer(404, "not found", "text/plain")
        cookie = self.cookie()
        if not cookie or not hmac.compare_digest(form.get("csrf_token", "").encode(), csrf_for(cookie).encode()):
            return self.answer(403, "bad csrf token", "text/plain")
        try:
            if sign_in_ok(form.get("email", ""), form.get("password", "")):
                return self.answer(303, "", headers=[("Location", "/")])
            return self.answer(422, "<p>Enter a correct email address and password</p>")
        except sqlite3.Error:
            return self.answer(500, "Internal Server Error", "text/plain")


if __name__ == "__main__":
    server = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler)
    print(json.dumps({"msg": "listening", "port": int(sys.argv[1]), "vulnerable": VULNERABLE}), file=sys.stderr, flush=True)
    server.serve_forever()
