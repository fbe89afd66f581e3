"""Runs moto server for the local runtime and the tests.

Differences from `moto_server`:
- binds the port given (0 = any free one) and prints "MOTO_READY <port>" once it listens, so the caller
  never races for a port;
- exits as soon as its standard input closes, so it never outlives the Java process that started it, whatever
  way that process ends (Ctrl-C, SIGTERM, SIGKILL, a crashed test JVM);
- serves GET /_local/outbox: the SMS (SNS Publish with PhoneNumber) and email (SES) messages moto recorded, which
  the local runtime's outbox shows. moto keeps them in memory only and has no API to read them back.
"""

import argparse
import json
import os
import sys
import threading

from werkzeug.serving import make_server

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
    return {"sms": sms, "email": email}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()

    moto_app = DomainDispatcherApplication(create_backend_app)

    def app(environ, start_response):
        if environ.get("PATH_INFO") == "/_local/outbox" and environ.get("REQUEST_METHOD") == "GET":
            body = json.dumps(_outbox()).encode("utf-8")
            start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
            return [body]
        return moto_app(environ, start_response)

    server = make_server(args.host, args.port, app, threaded=True, request_handler=MotoRequestHandler)

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
