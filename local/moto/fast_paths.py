"""CPU fast paths for moto 5.2.5 in the local runtime (issue 14): the same answers for less CPU per request.

moto_runner.main() calls install() unless MOTO_FAST_PATHS=0 is in moto's environment (so that the cost can be
measured both ways on one machine, docs/benchmarks.md). Emulator side only: nothing the functions send or receive
changes. Each patch falls back to moto's own code whenever it cannot be sure of giving the same answer.

1. DynamoDB (and DynamoDB Streams) responses: moto's shape-driven JSON serializer walks every AttributeValue
   member by member (ten alias look-ups per attribute and level). An AttributeValue, an item (AttributeMap) or a
   list of items whose every value is already in wire form (one of S, N, SS, NS, M, L, BOOL, NULL, strings where
   the wire has strings, nested to any depth) is what moto's walk would produce unchanged, so it is assigned as it
   is. Anything else (B and BS, which need base64, numbers that are not strings, None, extra keys, a response
   transformer configured) takes moto's walk. check_fast_paths.py compares the two on many items.
2. TransactWriteItems: moto deep-copies every table a transaction touches (items and stream records) to roll a
   cancelled transaction back, a cost that grows with the table. This keeps moto's loop (the same checks, in the
   same order, giving the same errors and CancellationReasons) but keeps an undo log of only the items it writes,
   and holds the stream records of the transaction back until it commits: a cancelled transaction restores those
   items and emits no stream record. (The runner serialises DynamoDB requests, so no other request sees the
   transaction half-applied.) Unlike moto, an item naming two operations also rolls back what came before it.
3. Request routing: moto lists its own package directory (about 150 stat calls) to recognise a service name for
   every request, and tries its URL patterns in turn; both answers depend only on the host name, so they are cached.
   It also lists the handler class's methods (inspect.getmembers) for every request: cached per class.
4. Kinesis shards: moto finds a shard's last sequence number by copying all its keys into a list, for every record
   put, and serves GetRecords by walking every record the shard holds from its start; the shard keeps 24 hours of
   records (as AWS does), so both cost grows with the length of a run (a 10-minute soak at 60 events/s: 9,000
   records a shard, walked on every put and every read). Sequence numbers in a moto shard are consecutive integers
   in insertion order, so the first and last are the ends of the ordered dict and the records after a sequence
   number are found by counting; when the keys are not consecutive (never seen, but moto's own code would not
   care) it falls back to moto's walk. check_fast_paths.py --kinesis compares the two.
5. A table's items in key order (Table.all_items, behind every Scan and every Query of an index): moto sorts all the
   table's items on every call comparing its DynamoType objects, each comparison casting both values again; on a
   ledger of a few thousand entries that was a tenth of moto's CPU late in a 10-minute soak (the Queries of the
   providerMessageId index). The same sort on the keys' cast values, computed once per item: the same order,
   since a key attribute has one type in every item of a table. check_fast_paths.py --sort compares the two.
6. A new item's size check: moto's LimitedSizeDict sums the sizes of every attribute already set each time it sets
   one, so building an item of n attributes measures n(n+1)/2 of them (3 % of moto's CPU in a soak, on PutItem).
   Item.__init__ now keeps the running sum: the same check against the same limit after each attribute, in the
   same order, raising the same error.
7. SQS queue counts: moto's ApproximateNumberOfMessages(Delayed, NotVisible) read the clock twice for every message
   the queue holds, and every SendMessage computes all of a queue's attributes (to read ContentBasedDeduplication).
   The audit queue takes a copy of every notification and nobody reads it (AWS keeps it 14 days), so each
   notification cost more than the one before (4 % of moto's CPU at the end of a 10-minute soak). The counts now
   read the clock once per count: the same comparisons of each message's times with it.
"""

import copy
import os
import threading


def install_unless_disabled():
    if os.environ.get("MOTO_FAST_PATHS", "1") != "0":
        install()


def install():
    _install_serializer()
    _install_transact_write_items()
    _install_routing_cache()
    _install_kinesis_shard_ends()
    _install_sorted_items()
    _install_item_size_check()
    _install_queue_counts()


# --- 1. response serialization -------------------------------------------------------------------------------

_STRING_SCALARS = ("S", "N")
_STRING_SETS = ("SS", "NS")
_BOOLEANS = ("BOOL", "NULL")


def is_wire_value(value):
    """True when value is an AttributeValue that moto's serializer would emit unchanged."""
    if type(value) is not dict or len(value) != 1:
        return False
    for kind, inner in value.items():
        if kind in _STRING_SCALARS:
            return type(inner) is str
        if kind == "M":
            return is_wire_map(inner)
        if kind == "L":
            return type(inner) is list and all(is_wire_value(v) for v in inner)
        if kind in _STRING_SETS:
            return type(inner) is list and all(type(v) is str for v in inner)
        if kind in _BOOLEANS:
            return type(inner) is bool
    return False


def is_wire_map(value):
    return type(value) is dict and all(type(k) is str and is_wire_value(v) for k, v in value.items())


def _is_attribute_map(shape):
    return shape.type_name == "map" and getattr(shape.value, "name", None) == "AttributeValue"


def _fast_serializer(base):
    class FastDynamoDBSerializer(base):
        def _fast_allowed(self):
            return not getattr(self._value_picker, "response_transformers", None)

        def _serialize_type_structure(self, serialized, value, shape, key):
            if key and shape.name == "AttributeValue" and is_wire_value(value) and self._fast_allowed():
                serialized[self.get_serialized_name(shape, key)] = value
                return
            super()._serialize_type_structure(serialized, value, shape, key)

        def _serialize_type_map(self, serialized, value, shape, key):
            if _is_attribute_map(shape) and is_wire_map(value) and self._fast_allowed():
                serialized[self.get_serialized_name(shape, key)] = value
                return
            super()._serialize_type_map(serialized, value, shape, key)

        def _serialize_type_list(self, serialized, value, shape, key):
            member = shape.member
            if type(value) is list and self._fast_allowed():
                if member.name == "AttributeValue" and all(is_wire_value(v) for v in value):
                    serialized[self.get_serialized_name(shape, key)] = value
                    return
                if _is_attribute_map(member) and all(is_wire_map(v) for v in value):
                    serialized[self.get_serialized_name(shape, key)] = value
                    return
            super()._serialize_type_list(serialized, value, shape, key)

    FastDynamoDBSerializer.__name__ = "Fast" + base.__name__
    return FastDynamoDBSerializer


def fast_serializer_class():
    from moto.core.serialize import JSONSerializer
    return _fast_serializer(JSONSerializer)


def _install_serializer():
    from moto.core import serialize

    fast = fast_serializer_class()
    for service in ("dynamodb", "dynamodbstreams"):
        serialize.SERVICE_SPECIFIC_SERIALIZERS.setdefault(service, {})["json"] = fast


# --- 2. TransactWriteItems without copying tables ------------------------------------------------------------

_held = threading.local()


def _hold_stream_records():
    """Makes StreamShard.add, on the transaction's thread, queue its record until the transaction commits."""
    from moto.dynamodb.models.table import StreamShard

    emit = StreamShard.add

    def add(self, old, new):
        queue = getattr(_held, "queue", None)
        if queue is None:
            emit(self, old, new)
        else:
            # the item written may still change within the transaction (an Update that creates its item puts the
            # keys first, then updates that object): keep the image as it is now, as moto's record would
            queue.append((self, old, copy.deepcopy(new)))

    StreamShard.add = add
    return emit


def _install_transact_write_items():
    from moto.dynamodb.exceptions import (
        ConditionalCheckFailed,
        MockValidationException,
        MultipleTransactionsException,
        TooManyTransactionsException,
        TransactionCanceledException,
        TransactWriteSingleOpException,
    )
    from moto.dynamodb.comparisons import get_filter_expression
    from moto.dynamodb.models import DynamoDBBackend

    emit = _hold_stream_records()

    def transact_write_items(self, transact_items):
        # moto 5.2.5's DynamoDBBackend.transact_write_items, with an undo log instead of deep copies of the tables
        if len(transact_items) > 100:
            raise TooManyTransactionsException()
        undo = []
        _held.queue = []
        try:
            _run(self, transact_items, undo)
        except BaseException:
            _held.queue = None
            _rollback(undo)
            raise
        queue, _held.queue = _held.queue, None
        for shard, old, new in queue:
            emit(shard, old, new)

    def _run(self, transact_items, undo):
        target_items = set()

        def check_unicity(table_name, key):
            item = (str(table_name), str(dict(sorted(key.items()))))
            if item in target_items:
                raise MultipleTransactionsException()
            target_items.add(item)

        errors = []
        for item in transact_items:
            original_item = None
            if len(list(item.keys())) > 1:
                raise TransactWriteSingleOpException
            try:
                op_type, op = next(iter(item.items()))
                if op_type not in {"ConditionCheck", "Put", "Delete", "Update"}:
                    raise ValueError("Unsupported transaction operation")

                table_name = op["TableName"]
                condition_expression = op.get("ConditionExpression")
                expression_attribute_names = op.get("ExpressionAttributeNames")
                expression_attribute_values = op.get("ExpressionAttributeValues")
                return_values_on_condition_check_failure = op.get("ReturnValuesOnConditionCheckFailure")

                if op_type == "Put":
                    attrs = op["Item"]
                    table = self.get_table(table_name)
                    key = {table.hash_key_attr: attrs[table.hash_key_attr]}
                    if table.range_key_attr is not None:
                        key[table.range_key_attr] = attrs[table.range_key_attr]
                else:
                    key = op["Key"]

                check_unicity(table_name, key)

                current = self.get_item(table_name, key)
                if condition_expression is not None:
                    condition_op = get_filter_expression(
                        condition_expression, expression_attribute_names, expression_attribute_values)
                    if not condition_op.expr(current):
                        if return_values_on_condition_check_failure == "ALL_OLD" and current:
                            original_item = current.to_json()["Attributes"]
                        raise ConditionalCheckFailed(item=original_item)

                if op_type != "ConditionCheck":
                    _remember(self, table_name, key, op_type, undo)
                if op_type == "Put":
                    self.put_item(
                        table_name, op["Item"],
                        condition_expression=condition_expression,
                        expression_attribute_names=expression_attribute_names,
                        expression_attribute_values=expression_attribute_values,
                    )
                elif op_type == "Delete":
                    self.delete_item(
                        table_name, key,
                        condition_expression=condition_expression,
                        expression_attribute_names=expression_attribute_names,
                        expression_attribute_values=expression_attribute_values,
                    )
                elif op_type == "Update":
                    self.update_item(
                        table_name, key,
                        update_expression=op["UpdateExpression"],
                        condition_expression=condition_expression,
                        expression_attribute_names=expression_attribute_names,
                        expression_attribute_values=expression_attribute_values,
                    )
                errors.append((None, None, None))
            except (MultipleTransactionsException, MockValidationException):
                raise
            except ConditionalCheckFailed as e:
                errors.append(("ConditionalCheckFailed", str(e.message), original_item))
            except Exception as e:  # noqa: E722 as moto: any other failure is this item's cancellation reason
                errors.append((type(e).__name__, str(e), original_item))

        if any(code is not None for code, _, _ in errors):
            raise TransactionCanceledException(errors)

    DynamoDBBackend.transact_write_items = transact_write_items


def _remember(backend, table_name, key, op_type, undo):
    """Records the item as it is before this write; an Update changes the item object in place, so it is given a
    copy to change and the original object is kept for the undo."""
    table = backend.get_table(table_name)
    hash_key, range_key = backend.get_keys_value(table, key)
    before = table.get_item(hash_key, range_key)
    if op_type == "Update" and before is not None:
        _place(table, hash_key, range_key, copy.deepcopy(before))
    undo.append((table, hash_key, range_key, before))


def _place(table, hash_key, range_key, item):
    if range_key is not None:
        table.items[hash_key][range_key] = item
    else:
        table.items[hash_key] = item


def _rollback(undo):
    for table, hash_key, range_key, before in reversed(undo):
        if before is not None:
            _place(table, hash_key, range_key, before)
        elif range_key is not None:
            rows = table.items.get(hash_key)
            if rows is not None:
                rows.pop(range_key, None)
                if not rows:
                    del table.items[hash_key]
        else:
            table.items.pop(hash_key, None)


# --- 3. request routing ---------------------------------------------------------------------------------------

def _install_routing_cache():
    from moto import backends
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication

    modules = tuple(backends.list_of_moto_modules())
    backends.list_of_moto_modules = lambda: iter(modules)

    lookup = DomainDispatcherApplication.get_backend_for_host

    def get_backend_for_host(self, host):
        cache = self.__dict__.setdefault("_fast_backend_for_host", {})
        backend = cache.get(host)
        if backend is None:
            backend = lookup(self, host)
            if backend is not None:
                cache[host] = backend
        return backend

    DomainDispatcherApplication.get_backend_for_host = get_backend_for_host

    # every request lists its handler class's methods (inspect.getmembers) to find the action's: once per class
    from moto.core import responses

    names_of = responses.method_names_from_class
    known = {}

    def method_names_from_class(clazz):
        names = known.get(clazz)
        if names is None:
            names = known[clazz] = tuple(names_of(clazz))
        return names

    responses.method_names_from_class = method_names_from_class


# --- 4. Kinesis shards ----------------------------------------------------------------------------------------

def _consecutive(records):
    """(first, last) sequence numbers when the shard's keys are the consecutive integers first..last, else None."""
    if not records:
        return None
    first = next(iter(records))
    last = next(reversed(records))
    if type(first) is not int or type(last) is not int or last - first + 1 != len(records):
        return None
    return first, last


def kinesis_get_records(shard, last_sequence_id, limit, fallback):
    """moto's Shard.get_records (records after last_sequence_id, at most limit, the last one returned, and how far
    behind the shard's newest record the last one returned is), by index instead of a walk from the start."""
    ends = _consecutive(shard.records)
    if ends is None or (limit is not None and (type(limit) is not int or limit < 1)):
        return fallback(shard, last_sequence_id, limit)
    first, last = ends
    after = int(last_sequence_id)
    start = max(after + 1, first)
    if start > last:
        return [], after, 0
    end = last if limit is None else min(last, start + limit - 1)
    records = shard.records
    results = [records[n] for n in range(start, end + 1)]
    millis_behind_latest = int((records[last].created_at - results[-1].created_at) * 1000)
    return results, end, millis_behind_latest


def _install_kinesis_shard_ends():
    from moto.kinesis.models import Shard

    walk = Shard.get_records

    def get_max_sequence_number(self):
        return next(reversed(self.records)) if self.records else 0

    def get_min_sequence_number(self):
        return next(iter(self.records)) if self.records else 0

    def get_records(self, last_sequence_id, limit):
        return kinesis_get_records(self, last_sequence_id, limit, walk)

    Shard.get_max_sequence_number = get_max_sequence_number
    Shard.get_min_sequence_number = get_min_sequence_number
    Shard.get_records = get_records


# --- 5. a table's items in key order --------------------------------------------------------------------------

def _key_order(item):
    if item.range_key is not None:
        return item.hash_key.cast_value, item.range_key.cast_value
    return item.hash_key.cast_value


def all_items_sorted(table):
    """moto's Table.all_items: every item, ordered by hash key then range key."""
    items = []
    if table.range_key_attr:
        for hash_set in table.items.values():
            items.extend(hash_set.values())
    else:
        items.extend(table.items.values())
    return sorted(items, key=_key_order)


def _install_sorted_items():
    from moto.dynamodb.models.table import Table

    Table.all_items = all_items_sorted


# --- 6. a new item's size check -------------------------------------------------------------------------------

ITEM_SIZE_LIMIT = 405000  # moto's: "the actual limit is between 409 and 410KB"


def _install_item_size_check():
    from moto.dynamodb.exceptions import ItemSizeTooLarge
    from moto.dynamodb.models.dynamo_type import DynamoType, Item, LimitedSizeDict
    from moto.dynamodb.models.utilities import bytesize

    def init(self, hash_key, range_key, attrs):
        self.hash_key = hash_key
        self.range_key = range_key
        checked = self.attrs = LimitedSizeDict()
        total = 0
        for key, value in attrs.items():
            value = DynamoType(value)
            size = bytesize(key) + value.size()
            if total + size > ITEM_SIZE_LIMIT:
                raise ItemSizeTooLarge
            dict.__setitem__(checked, key, value)
            total += size

    Item.__init__ = init


# --- 7. SQS queue counts --------------------------------------------------------------------------------------

def _install_queue_counts():
    from moto.sqs import models

    def messages(self):
        now = models.unix_time_millis()
        return [m for m in self._messages if now > m.visible_at and not now < m.delayed_until]

    def delayed(self):
        now = models.unix_time_millis()
        return sum(1 for m in self._messages if now < m.delayed_until)

    def not_visible(self):
        now = models.unix_time_millis()
        return sum(1 for m in self._messages if not now > m.visible_at)

    models.Queue.messages = property(messages)
    models.Queue.approximate_number_of_messages_delayed = property(delayed)
    models.Queue.approximate_number_of_messages_not_visible = property(not_visible)
