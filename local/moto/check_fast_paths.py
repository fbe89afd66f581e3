"""Self-check for fast_paths.py's response serializer: serializes many DynamoDB and DynamoDB Streams results with
moto's own serializer and with the fast one and compares the bodies byte for byte. Exits 1 on the first difference.

  $(local/moto/ensure-venv.sh) local/moto/check_fast_paths.py [--items 500]

(The Java ITs in local/emulator, FastPathsIT, check the same through the real SDK against the running emulator.)
"""

import argparse
import datetime
import random
import sys

from moto.core.responses import ActionResult  # noqa: F401  (loads moto's serializer module as the runner does)
from moto.core.serialize import JSONSerializer, XFormedAttributePicker
from moto.core.utils import get_service_model

import fast_paths

UNICODE = ["", "a", "ü", "日本語", "emoji \U0001F600", "quote \" backslash \\ newline \n tab \t", "\u0000nul",
           "x" * 5000]


def random_value(rnd, depth=0):
    kinds = ["S", "N", "B", "SS", "NS", "BS", "BOOL", "NULL"] + (["M", "L"] * 2 if depth < 4 else [])
    kind = rnd.choice(kinds)
    if kind == "S":
        return {"S": rnd.choice(UNICODE) + str(rnd.random())}
    if kind == "N":
        return {"N": rnd.choice(["0", "-1", "3.14", "1E+38", "12345678901234567890123456789012345678"])}
    if kind == "B":
        return {"B": bytes(rnd.randrange(256) for _ in range(rnd.randrange(0, 40)))}
    if kind == "SS":
        return {"SS": sorted({rnd.choice(UNICODE) + str(i) for i in range(1, rnd.randrange(2, 6))})}
    if kind == "NS":
        return {"NS": [str(i) for i in range(1, rnd.randrange(2, 6))]}
    if kind == "BS":
        return {"BS": [bytes([i, rnd.randrange(256)]) for i in range(1, rnd.randrange(2, 4))]}
    if kind == "BOOL":
        return {"BOOL": rnd.random() < 0.5}
    if kind == "NULL":
        return {"NULL": True}
    if kind == "M":
        return {"M": {f"m{i}{rnd.choice(UNICODE)[:3]}": random_value(rnd, depth + 1) for i in range(rnd.randrange(0, 5))}}
    return {"L": [random_value(rnd, depth + 1) for _ in range(rnd.randrange(0, 5))]}


def random_item(rnd):
    item = {"pk": {"S": "customer-" + str(rnd.randrange(10 ** 6))}}
    for i in range(rnd.randrange(0, 12)):
        item[f"a{i}"] = random_value(rnd)
    return item


ODD_VALUES = [
    {"N": 5}, {"S": None}, {"S": "a", "N": "1"}, {}, {"X": "unknown"}, {"L": [None]}, {"M": {"k": None}},
    {"SS": ["a", 1]}, {"BOOL": 1},
]


def results(rnd, count):
    for _ in range(count):
        item = random_item(rnd)
        yield "GetItem", {"Item": item}
        yield "PutItem", {"Attributes": item}
        yield "Query", {"Items": [item, random_item(rnd)], "Count": 2, "ScannedCount": 2,
                        "LastEvaluatedKey": {"pk": item["pk"]}}
        yield "BatchGetItem", {"Responses": {"t": [item]}, "UnprocessedKeys": {}}
        yield "TransactGetItems", {"Responses": [{"Item": item}, {}]}
    for odd in ODD_VALUES:
        yield "GetItem", {"Item": {"pk": {"S": "k"}, "odd": odd}}
        yield "Query", {"Items": [{"pk": {"S": "k"}, "odd": odd}], "Count": 1, "ScannedCount": 1}
    yield "Scan", {"Items": [], "Count": 0, "ScannedCount": 0}


def stream_results(rnd, count):
    for i in range(count):
        new, old = random_item(rnd), random_item(rnd)
        yield "GetRecords", {"Records": [{
            "eventID": str(i), "eventName": "MODIFY", "eventVersion": "1.0", "eventSource": "aws:dynamodb",
            "awsRegion": "us-east-1",
            "dynamodb": {"ApproximateCreationDateTime": datetime.datetime(2026, 12, 6, 20, 0, i % 60),
                         "Keys": {"pk": new["pk"]}, "NewImage": new, "OldImage": old, "SequenceNumber": str(i),
                         "SizeBytes": 10, "StreamViewType": "NEW_AND_OLD_IMAGES"}}], "NextShardIterator": "it"}


def serialize(cls, operation_model, result):
    serializer = cls(operation_model=operation_model, value_picker=XFormedAttributePicker(response_transformers={}))
    try:
        response = serializer.serialize(result)
    except Exception as e:  # moto's walk fails on some malformed values: the fast path must fail alike
        return type(e).__name__
    return response["status_code"], response["headers"], response["body"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=500)
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args()
    rnd = random.Random(args.seed)
    fast = fast_paths.fast_serializer_class()
    compared = 0
    for service, cases in (("dynamodb", results(rnd, args.items)), ("dynamodbstreams", stream_results(rnd, args.items))):
        model = get_service_model(service)
        for operation, result in cases:
            operation_model = model.operation_model(operation)
            expected = serialize(JSONSerializer, operation_model, result)
            actual = serialize(fast, operation_model, result)
            if expected != actual:
                print(f"DIFFERENT {service}.{operation}\n moto: {expected}\n fast: {actual}")
                return 1
            compared += 1
    print(f"identical: {compared} responses serialized both ways")
    return 0


if __name__ == "__main__":
    sys.exit(main())
