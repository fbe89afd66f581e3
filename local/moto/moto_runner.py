"""Runs moto server for the local runtime and the tests.

Differences from `moto_server`:
- binds the port given (0 = any free one) and prints "MOTO_READY <port>" once it listens, so the caller
  never races for a port;
- exits as soon as its standard input closes, so it never outlives the Java process that started it, whatever
  way that process ends (Ctrl-C, SIGTERM, SIGKILL, a crashed test JVM);
- serves GET /_local/outbox: the SMS (SNS Publish with PhoneNumber) and email (SES) messages moto recorded, which
  the local runtime's outbox shows. moto keeps them in memory only and has no API to read them back;
- speaks the Smithy RPC v2 CBOR protocol that current AWS SDKs use for CloudWatch: moto understands only the
  Query and JSON protocols for it (getmoto/moto#9195), so such requests are translated to the JSON protocol and
  the answers back to CBOR, a gzip-compressed body (Content-Encoding: gzip, as the SDKs send a PutMetricData of
  10 KB or more) decompressed first, as CloudWatch does;
- serialises DynamoDB requests and Kinesis writes: moto's in-memory tables are not safe under concurrent
  writers (a cancelled TransactWriteItems restores a deep copy of the table and loses writes other requests made
  meanwhile), and two concurrent PutRecords can take the same sequence number so that one overwrites the other;
  real DynamoDB and Kinesis do neither. One lock around those calls gives the guarantees the pipeline relies on.
- writes no access-log line per request (werkzeug's, on standard error): under load the line cost moto about a
  tenth of its CPU (docs/benchmarks.md, "Load"), and it grew the emulator's log without bound. Errors still go
  to the log.
- bounds what moto keeps in memory (memory_bounds.py, issue 14): DynamoDB items and stream records packed between
  requests (packed again at the end of each DynamoDB request, inside the lock below), a reader behind their
  retention answered TrimmedDataAccessException (not the oldest record kept, as below), stream iterators expiring
  after 15 minutes, the outbox and X-Ray capped, glibc's free memory returned; MOTO_MEMORY_BOUNDS=0 turns it off.
- keeps DynamoDB stream records for 5 minutes (MOTO_STREAM_RETENTION_SECONDS), not the 24 hours of AWS: moto
  keeps every record with both item images as Python objects, tens of KB for a profile with its 200 remembered
  events, so the emulator grew by about 50 KB for every event applied and never gave it back. The stream's readers
  (notify, a load run's profile tail) read within seconds; a reader more than 5 minutes behind is given the oldest
  record kept (AWS would answer TrimmedDataAccessException).
- spends less CPU per request with the same answers (fast_paths.py: DynamoDB responses, TransactWriteItems, routing);
  MOTO_FAST_PATHS=0 turns that off, to measure the difference (docs/benchmarks.md).
- with MOTO_TRACEMALLOC=1 in its environment (diagnostics only: it slows moto down), traces Python allocations
  and serves GET /_local/memory: the 30 source lines holding the most memory, to find what grows under load.
Nothing else changes.
"""

import argparse
import datetime
import gzip
import io
import json
import os
import sys
import threading
import zlib

import memory_bounds

from werkzeug.serving import make_server

import fast_paths

from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)


def _outbox():
    from moto.ses.models import ses_backends
    from moto.sns.models import sns_backends

    sms = []
    for account_id, regions in list(sns_backends.items()):
        for region, backend in list(regions.items()):
            for message_id, (phone_number, message) in list(backend.sms_messages.items()):
                sms.append({"messageId": message_id, "phoneNumber": phone_number, "message": message,
                            "region": region})
    email = []
    for account_id, regions in list(ses_backends.items()):
        for region, backend in list(regions.items()):
            for message in list(backend.sent_messages):
                email.append({
                    "messageId": getattr(message, "id", ""),
                    "source": getattr(message, "source", ""),
                    "destinations": getattr(message, "destinations", {}),
                    "subject": getattr(message, "subject", ""),
                    "body": getattr(message, "body", getattr(message, "raw_data", "")),
                    "region": region,
                })
    return {"sms": sms, "email": email, "dropped": memory_bounds.dropped_from_outbox()}


_TIMESTAMP_KEYS = {"Timestamp", "Timestamps", "StateUpdatedTimestamp", "StateTransitionedTimestamp",
                   "AlarmConfigurationUpdatedTimestamp", "LastModified", "StartTime", "EndTime"}


def _to_json(value):
    if isinstance(value, dict):
        return {k: _to_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_to_json(v) for v in value]
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=datetime.timezone.utc)
        return value.timestamp()
    if isinstance(value, (bytes, bytearray)):
        import base64
        return base64.b64encode(value).decode("ascii")
    return value


def _from_json(value, key=None):
    if isinstance(value, dict):
        return {k: _from_json(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_from_json(v, key) for v in value]
    if key in _TIMESTAMP_KEYS:
        if isinstance(value, (int, float)):
            return datetime.datetime.fromtimestamp(value, tz=datetime.timezone.utc)
        if isinstance(value, str):
            try:
                return datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
            except ValueError:
                return value
    return value


def _rpc_v2_cbor(app):
    import cbor2

    def answer(start_response, status, payload, extra_headers=()):
        out = cbor2.dumps(payload, datetime_as_timestamp=True)
        start_response(status, [("Content-Type", "application/cbor"), ("smithy-protocol", "rpc-v2-cbor"),
                                ("Content-Length", str(len(out))), *extra_headers])
        return [out]

    def wrapped(environ, start_response):
        path = environ.get("PATH_INFO", "")
        if environ.get("HTTP_SMITHY_PROTOCOL") != "rpc-v2-cbor" or not path.startswith("/service/"):
            return app(environ, start_response)
        parts = path.split("/")
        service, operation = parts[2], parts[4]
        length = int(environ.get("CONTENT_LENGTH") or 0)
        raw = environ["wsgi.input"].read(length) if length else b""
        encoding = environ.get("HTTP_CONTENT_ENCODING", "").strip().lower()
        try:
            if encoding == "gzip":
                # the SDKs compress a PutMetricData body of 10 KB or more (CloudWatch's requestCompression trait);
                # read as CBOR it failed with a 500, and every flush of 500 data points was lost
                raw = gzip.decompress(raw)
            elif encoding not in ("", "identity"):
                return answer(start_response, "415 Unsupported Media Type", {
                    "__type": "UnsupportedMediaType", "message": f"Content-Encoding {encoding} is not supported"})
            payload = cbor2.loads(raw) if raw else {}
            problem = None if isinstance(payload, dict) else "a " + type(payload).__name__ + ", not a map"
        except (OSError, EOFError, zlib.error, cbor2.CBORDecodeError) as e:  # not gzip, cut short, corrupt, not CBOR
            problem = type(e).__name__
        if problem is not None:
            return answer(start_response, "400 Bad Request", {
                "__type": "SerializationException", "message": "the request body is not "
                + ("gzip-compressed " if encoding == "gzip" else "") + "CBOR input: " + problem})
        body = json.dumps(_to_json(payload)).encode("utf-8")
        inner = dict(environ)
        inner.pop("HTTP_CONTENT_ENCODING", None)
        inner["PATH_INFO"] = "/"
        inner["CONTENT_TYPE"] = "application/x-amz-json-1.0"
        inner["HTTP_X_AMZ_TARGET"] = f"{service}.{operation}"
        inner["CONTENT_LENGTH"] = str(len(body))
        inner["wsgi.input"] = io.BytesIO(body)
        inner.pop("HTTP_SMITHY_PROTOCOL", None)
        captured = {}

        def capture(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, headers
            return lambda data: None

        text = b"".join(app(inner, capture)).decode("utf-8", "replace")
        try:
            answer_json = json.loads(text) if text.strip() else {}
        except ValueError:
            answer_json = {"__type": "InternalFailure", "message": text[:500]}
        return answer(start_response, captured.get("status", "500 Internal Server Error"), _from_json(answer_json),
                      [h for h in captured.get("headers", []) if h[0].lower() == "x-amzn-requestid"])

    return wrapped


def _serialise_dynamodb(app):
    lock = threading.Lock()

    def wrapped(environ, start_response):
        target = environ.get("HTTP_X_AMZ_TARGET", "")
        if target.startswith(("DynamoDB_", "Kinesis_20131202.PutRecord")):
            with lock:
                try:
                    return list(app(environ, start_response))
                finally:
                    memory_bounds.after_dynamodb_request(target.partition(".")[2])
        return app(environ, start_response)

    return wrapped


class _QuietRequestHandler(MotoRequestHandler):
    """moto's request handler without the access-log line per request (error responses are still logged)."""

    def log_request(self, code="-", size="-"):
        try:
            failed = int(getattr(code, "value", code)) >= 500
        except (TypeError, ValueError):
            failed = True
        if failed:
            super().log_request(code, size)


def _trim_dynamodb_streams(retention_seconds):
    if memory_bounds.enabled():
        return  # memory_bounds.py keeps the records packed and trims them as AWS would
    from moto.dynamodb.models.table import StreamShard

    original_add = StreamShard.add
    original_get = StreamShard.get

    def add(self, old, new):
        original_add(self, old, new)
        cutoff = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(seconds=retention_seconds)
        items = self.items
        expired = 0
        while expired < len(items) and _created(items[expired]) < cutoff:
            expired += 1
        if expired:
            del items[:expired]
            # sequence numbers stay as they were: the first kept record is now the shard's start
            self.starting_sequence_number += expired

    def get(self, start, quantity):
        return original_get(self, max(start, self.starting_sequence_number), quantity)

    StreamShard.add = add
    StreamShard.get = get


def _created(stream_record):
    created = stream_record.record["dynamodb"]["ApproximateCreationDateTime"]
    if isinstance(created, datetime.datetime):
        return created if created.tzinfo else created.replace(tzinfo=datetime.timezone.utc)
    return datetime.datetime.fromtimestamp(float(created), tz=datetime.timezone.utc)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()

    memory_bounds.install()
    _trim_dynamodb_streams(int(os.environ.get("MOTO_STREAM_RETENTION_SECONDS", "300")))
    fast_paths.install_unless_disabled()
    moto_app = _serialise_dynamodb(_rpc_v2_cbor(DomainDispatcherApplication(create_backend_app)))

    tracing = os.environ.get("MOTO_TRACEMALLOC") == "1"
    if tracing:
        import tracemalloc
        tracemalloc.start(1)

    def app(environ, start_response):
        if tracing and environ.get("PATH_INFO") == "/_local/memory":
            import tracemalloc
            stats = tracemalloc.take_snapshot().statistics("lineno")
            lines = ["%10.1f KB %8d blocks  %s" % (s.size / 1024, s.count, s.traceback) for s in stats[:30]]
            total = sum(s.size for s in stats)
            body = ("traced %.1f MB\n" % (total / 1048576) + "\n".join(lines) + "\n").encode("utf-8")
            start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
            return [body]
        if environ.get("PATH_INFO") == "/_local/outbox" and environ.get("REQUEST_METHOD") == "GET":
            body = json.dumps(_outbox()).encode("utf-8")
            start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
            return [body]
        return moto_app(environ, start_response)

    server = make_server(args.host, args.port, app, threaded=True, request_handler=_QuietRequestHandler)

    def watch_parent():
        try:
            while sys.stdin.buffer.read(4096):
                pass
        finally:
            os._exit(0)

    threading.Thread(target=watch_parent, name="parent-watch", daemon=True).start()
    print(f"MOTO_READY {server.server_port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
