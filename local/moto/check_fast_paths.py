"""Self-check for fast_paths.py's response serializer: serializes many DynamoDB and DynamoDB Streams results with
moto's own serializer and with the fast one and compares the bodies byte for byte. Exits 1 on the first difference.
With --kinesis, compares moto's Kinesis Shard.get_records walk with the fast path's (fast_paths.py, 4) on shards of
consecutive and of gapped sequence numbers, and times a put and a read both ways on a shard of --records records.

  $(local/moto/ensure-venv.sh) local/moto/check_fast_paths.py [--items 500]
  $(local/moto/ensure-venv.sh) local/moto/check_fast_paths.py --kinesis [--records 9000]
  $(local/moto/ensure-venv.sh) local/moto/check_fast_paths.py --sort [--records 9000]

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


def kinesis(rnd, size):
    import time
    from moto.kinesis.models import Shard

    walk, walk_max = Shard.get_records, Shard.get_max_sequence_number

    def shard(count, gaps):
        s = Shard(0, 0, 2 ** 128)
        for _ in range(count):
            s.put_record("pk", "ZGF0YQ==", None)
        if gaps:
            for n in rnd.sample(list(s.records), min(gaps, count)):
                del s.records[n]
        for i, record in enumerate(s.records.values()):
            record.created_at = 1_700_000_000 + i * 0.013
        return s

    compared = 0
    for count, gaps in ((0, 0), (1, 0), (2, 0), (50, 0), (50, 3), (300, 0), (300, 40)):
        s = shard(count, gaps)
        keys = list(s.records)
        cases = [-1, 0] + keys[:3] + keys[-3:] + [rnd.randrange(-2, count + 3) for _ in range(40)]
        for after in cases:
            for limit in (None, 1, 2, 7, 10000):
                expected = walk(s, str(after), limit)
                actual = fast_paths.kinesis_get_records(s, str(after), limit, walk)
                if (expected[0], expected[1], expected[2]) != (actual[0], actual[1], actual[2]):
                    print(f"DIFFERENT get_records({after}, {limit}) on {count} records, {gaps} gaps\n"
                          f" moto: {[r.sequence_number for r in expected[0]]} {expected[1:]}\n"
                          f" fast: {[r.sequence_number for r in actual[0]]} {actual[1:]}")
                    return 1
                compared += 1
        if count and (walk_max(s) != next(reversed(s.records)) or list(s.records)[0] != next(iter(s.records))):
            print("DIFFERENT shard ends")
            return 1
    print(f"identical: {compared} Kinesis reads both ways")

    s = shard(size, 0)
    tail = str(next(reversed(s.records)) - 10)

    def per_call(fn, n=200):
        started = time.perf_counter()
        for _ in range(n):
            fn()
        return (time.perf_counter() - started) / n * 1e6

    walk_read = per_call(lambda: walk(s, tail, 100))
    fast_read = per_call(lambda: fast_paths.kinesis_get_records(s, tail, 100, walk))
    walk_last = per_call(lambda: walk_max(s))
    fast_last = per_call(lambda: next(reversed(s.records)))
    print(f"shard of {size} records, reading its last 10: moto {walk_read:.0f} us, fast {fast_read:.0f} us a read "
          f"({walk_read / fast_read:.0f}x); finding the last sequence number for a put: moto {walk_last:.1f} us, "
          f"fast {fast_last:.2f} us ({walk_last / fast_last:.0f}x)")
    return 0


def sort(rnd, size):
    import time
    from moto.dynamodb.models.table import Table

    moto_order = Table.all_items  # fast_paths is imported, not installed: this is moto's own

    def table(count, kinds):
        hash_kind, range_kind = kinds
        schema = [{"AttributeName": "pk", "KeyType": "HASH"}]
        attributes = [{"AttributeName": "pk", "AttributeType": hash_kind}]
        if range_kind:
            schema.append({"AttributeName": "sk", "KeyType": "RANGE"})
            attributes.append({"AttributeName": "sk", "AttributeType": range_kind})
        t = Table("t", account_id="123456789012", region="us-east-1", schema=schema, attr=attributes)

        def value(kind, i):
            if kind == "N":
                return {"N": rnd.choice([str(rnd.randrange(-10 ** 6, 10 ** 6)), "%.3f" % rnd.uniform(-5, 5), "1E+3",
                                         "0", "-0.5", "12345678901234567890"])}
            if kind == "B":
                return {"B": "".join(rnd.choice("ABCDabcd0123+/") for _ in range(8)) + "=="}
            return {"S": rnd.choice(["", "a", "A", "z", "ü", "customer-"]) + str(rnd.randrange(10 ** 4))}

        used = []
        for i in range(count):
            # with a range key, a third of the items share a hash key with an earlier one
            pk = rnd.choice(used) if range_kind and used and rnd.random() < 0.3 else value(hash_kind, i)
            used.append(pk)
            item = {"pk": pk}
            if range_kind:
                item["sk"] = value(range_kind, i)
            try:
                t.put_item(item)
            except Exception:  # a key moto refuses (an empty string): moto's order has nothing to say about it
                pass
        return t

    compared = 0
    for kinds in (("S", None), ("N", None), ("B", None), ("S", "N"), ("S", "S"), ("N", "N"), ("N", "S"), ("B", "B")):
        for count in (0, 1, 2, 50, 400):
            t = table(count, kinds)
            expected = [(i.hash_key.value, i.range_key.value if i.range_key else None) for i in moto_order(t)]
            actual = [(i.hash_key.value, i.range_key.value if i.range_key else None)
                      for i in fast_paths.all_items_sorted(t)]
            if expected != actual:
                print(f"DIFFERENT order for keys {kinds}, {count} items\n moto: {expected[:10]}\n fast: {actual[:10]}")
                return 1
            compared += 1
    print(f"identical: {compared} tables ordered both ways")

    t = table(size, ("S", "S"))
    started = time.perf_counter()
    moto_order(t)
    slow = time.perf_counter() - started
    started = time.perf_counter()
    fast_paths.all_items_sorted(t)
    fast = time.perf_counter() - started
    print(f"a table of {len(fast_paths.all_items_sorted(t))} items in key order: moto {slow * 1000:.1f} ms, fast "
          f"{fast * 1000:.1f} ms ({slow / fast:.0f}x)")
    return 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=500)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--kinesis", action="store_true")
    parser.add_argument("--sort", action="store_true")
    parser.add_argument("--records", type=int, default=9000)
    args = parser.parse_args()
    rnd = random.Random(args.seed)
    if args.kinesis:
        return kinesis(rnd, args.records)
    if args.sort:
        return sort(rnd, args.records)
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
