"""CPU per TransactWriteItems (a condition check plus a conditional put of a 40-event profile) as the profiles table
grows, with fast_paths.py on (1) or off (0), moto in-process through mock_aws and boto3 (so the client's own work is
counted too). docs/benchmarks.md, "The emulator's CPU per request".

  $(local/moto/ensure-venv.sh) local/moto/bench_transactions.py 1
"""
import os, sys, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
os.environ["MOTO_FAST_PATHS"] = sys.argv[1]
os.environ.setdefault("AWS_ACCESS_KEY_ID", "x"); os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "x")
import fast_paths
fast_paths.install_unless_disabled()
import boto3
from moto import mock_aws
with mock_aws():
    d = boto3.client("dynamodb", region_name="us-east-1")
    for t in ("profiles", "erasures"):
        d.create_table(TableName=t, BillingMode="PAY_PER_REQUEST",
                       AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                       KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                       StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"})
    blob = {"L": [{"M": {"t": {"S": "2026-12-06T20:00:00Z"}, "k": {"S": "view"}, "n": {"N": str(i)}}} for i in range(40)]}
    n = 0
    for target in (40, 1040, 4040):
        while n < target:
            d.put_item(TableName="profiles", Item={"pk": {"S": f"c{n}"}, "events": blob}); n += 1
        t0 = time.process_time()
        for i in range(20):
            d.transact_write_items(TransactItems=[
                {"ConditionCheck": {"TableName": "erasures", "Key": {"pk": {"S": f"c{n}-{i}"}},
                                    "ConditionExpression": "attribute_not_exists(pk)"}},
                {"Put": {"TableName": "profiles", "Item": {"pk": {"S": f"t{target}-{i}"}, "events": blob},
                         "ConditionExpression": "attribute_not_exists(pk)"}}])
        tx = (time.process_time() - t0) / 20 * 1000
        t0 = time.process_time()
        for i in range(20):
            d.get_item(TableName="profiles", Key={"pk": {"S": f"c{i}"}})
        gi = (time.process_time() - t0) / 20 * 1000
        print(f"fast_paths={sys.argv[1]} items={n} TransactWriteItems {tx:.1f} ms CPU, GetItem (40-entry list) {gi:.2f} ms CPU")
