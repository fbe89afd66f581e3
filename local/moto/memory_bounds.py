"""Bounds on what the local emulator (moto) keeps in memory under sustained traffic (issue 14).

moto keeps everything it is given, as Python objects, for ever; under `replay load` at 60 events/s its resident
memory grew by about 83 KB per event (docs/benchmarks.md, "Load under sustained traffic"). What this module
changes, emulator side only (nothing the functions do on AWS changes, and no answer hides a fault):

- moto's objects are no longer also appended to a list per class that only its dashboard (/moto-api/data.json,
  unused here) reads: that list kept every item version, every table copied for a transaction, every stream
  record and iterator ever created, so nothing below could be freed. The dashboard shows no models.
- DynamoDB items keep their attributes packed (pickled and zlib-compressed against a dictionary learned from the
  items packed lately, see Packer) between requests instead of as trees of DynamoType objects: unpacked on the
  first read in a request, packed again when it ends (a new customer's profile about 5 KB as objects, under 1 KB
  packed). The answers are moto's own (EmulatorFastPathsIT compares them with an emulator started with
  MOTO_MEMORY_BOUNDS=0).
- DynamoDB stream records are kept packed (pickled and compressed the same way, inflated on every read) instead
  of as nested dicts holding both item images. They are still kept MOTO_STREAM_RETENTION_SECONDS (default 300; AWS:
  24 hours), and a reader that falls behind that horizon is answered as AWS answers it: GetRecords and
  GetShardIterator (AT_/AFTER_SEQUENCE_NUMBER) with TrimmedDataAccessException, never the oldest record kept
  (which silently skipped records before).
- Kinesis records (kept 24 hours, as on AWS) are kept compressed (the same way) in objects without a dict of their
  own.
- DynamoDB Streams shard iterators expire after 15 minutes, as on AWS (ExpiredIteratorException); moto kept every
  iterator it handed out (two per GetRecords call) for ever. Expired ones are forgotten.
- What AWS does not keep at all is capped to the latest MOTO_SENT_LIMIT (default 10,000) entries each: SMS
  (SNS Publish to a phone number) and emails (SES) behind GET /_local/outbox, whose answer then says how many
  older ones were dropped ("dropped"), so a count over the outbox cannot silently miss messages; and the messages
  moto records per SNS topic for its own inspection API.
- X-Ray keeps the latest MOTO_XRAY_TRACE_LIMIT traces (default 1,000; AWS keeps 30 days): the local runtime's
  relay sends about one trace per event and nothing in the pipeline reads them back. A segment keeps its document
  compressed and not also parsed into dicts nothing reads (moto's summaries need only its times and flags): 16 MB
  for 1,000 traces before.
- CloudWatch metric data with the same dimensions share one list of them, and their namespace, name and unit
  strings are interned (moto gave each datum its own copies; the local API puts two data points a request).
- glibc: large allocations (moto serialises whole profiles and batches) are always mmapped and returned on free,
  and free memory is handed back to the system every 10 s (malloc_trim): before, 107 of the emulator's 376 MB
  resident after a load run were free memory glibc kept.
- POST /_local/clock {"advanceSeconds": N} moves this module's clock forward (tests: a reader 6 minutes behind,
  an iterator older than its limit); moto's reset (/moto-api/reset) sets it back.
- GET /_local/memory/holdings: what each of the stores above holds (counts and bytes), to measure.

MOTO_MEMORY_BOUNDS=0 turns all of it off (the runner then keeps stream records 5 minutes as objects and gives a
reader further behind the oldest one kept, as before), to measure side by side.
"""

import base64
import collections
import ctypes
import ctypes.util
import datetime
import json
import os
import pickle
import sys
import threading
import time
import zlib

STREAM_ITERATOR_LIFETIME_SECONDS = 15 * 60  # DynamoDB Streams: "A shard iterator expires 15 minutes after..."

_clock_offset = [0.0]
_lock = threading.RLock()
_dropped = {"sms": 0, "email": 0}
_trimmed = {"records": 0}


def now():
    """Seconds since the epoch, as this module sees them (the wall clock plus what /_local/clock added)."""
    return time.time() + _clock_offset[0]


def enabled():
    """False when MOTO_MEMORY_BOUNDS=0: moto_runner.py then trims stream records as before this module."""
    return os.environ.get("MOTO_MEMORY_BOUNDS", "1") != "0"


def install():
    """Applies the bounds; with MOTO_MEMORY_BOUNDS=0 only serves the measurement endpoint."""
    retention = int(os.environ.get("MOTO_STREAM_RETENTION_SECONDS", "300"))
    if not enabled():
        _serve_local_paths(enabled=False)
        return
    _untrack_model_instances()
    _pack_stream_records(retention)
    _pack_table_items()
    _pack_kinesis_records()
    _expire_stream_iterators()
    _serve_local_paths(enabled=True)
    _tune_malloc()
    sent_limit = int(os.environ.get("MOTO_SENT_LIMIT", "10000"))
    trace_limit = int(os.environ.get("MOTO_XRAY_TRACE_LIMIT", "1000"))
    _cap_outbox(sent_limit)
    _cap_traces(trace_limit)
    _share_metric_dimensions()
    janitor = threading.Thread(target=_janitor, args=(sent_limit,), name="memory-bounds",
                               daemon=True)
    janitor.start()


# --- moto's instance tracking ------------------------------------------------------------------------------

def _untrack_model_instances():
    """moto's BaseModel appends every object it ever creates (each item written, each table copied for a
    transaction, each stream record, iterator, Kinesis record, message, trace segment) to a list on its class, for
    its dashboard (/moto-api/data.json), and drops them only on reset: nothing moto stops using is ever freed.
    The local runtime does not use that dashboard."""
    from moto.core.common_models import BaseModel
    from moto.core.model_instances import reset_model_data

    def new(cls, *args, **kwargs):
        return object.__new__(cls)

    BaseModel.__new__ = staticmethod(new)
    reset_model_data()


# --- packing ------------------------------------------------------------------------------------------------

_WBITS = -14  # raw deflate, a 16 KB window
_DICTIONARY_BYTES = 16 * 1024  # as much of the recent values as the window can reach back into
_FIRST_DICTIONARY_AFTER = 64  # values packed


class Dictionary(bytes):
    """A zlib preset dictionary: what a packer learned from the values it packed lately. Every packed value keeps
    a reference to the one it was compressed with, so a dictionary lives as long as something packed with it."""

    __slots__ = ()


class Packer:
    """Compresses one kind of value (items, stream records, Kinesis data) against a preset dictionary made of the
    last 16 KB of raw values it packed, renewed after every 2,000 values (MOTO_PACK_DICTIONARY_EVERY; tests renew it
    often): small values of the same shape share most of their bytes (attribute names, types, ids of the same
    form), which compressing each on its own cannot use. zlib's fastest level, raw deflate (no header or checksum:
    the bytes never leave memory), a 16 KB window and memLevel 4: each value is compressed by a copy of a compressor
    primed with the dictionary, and a smaller compressor state copies in about a quarter of the time (13 against
    50 us a profile here) for 2 % more bytes.

    pack() gives (dictionary, blob); unpack(dictionary, blob) the raw bytes. A value packed before the first
    dictionary has None for it. Thread-safe: Kinesis records are packed outside the DynamoDB lock."""

    def __init__(self):
        self._every = int(os.environ.get("MOTO_PACK_DICTIONARY_EVERY", "2000"))
        self._first = min(_FIRST_DICTIONARY_AFTER, self._every)
        self._recent = collections.deque()
        self._recent_bytes = 0
        self._count = 0
        self._dictionary = None
        self._primed = None
        self._lock = threading.Lock()
        self.dictionaries_made = 0

    def pack(self, raw):
        with self._lock:
            self._remember(raw)
            dictionary, primed = self._dictionary, self._primed
        compressor = primed.copy() if primed is not None else zlib.compressobj(1, zlib.DEFLATED, _WBITS, 4)
        return dictionary, compressor.compress(raw) + compressor.flush()

    @staticmethod
    def unpack(dictionary, blob):
        if dictionary is None:
            return zlib.decompressobj(_WBITS).decompress(blob)
        return zlib.decompressobj(_WBITS, zdict=dictionary).decompress(blob)

    def _remember(self, raw):
        self._count += 1
        if len(raw) < _DICTIONARY_BYTES:
            self._recent.append(raw)
            self._recent_bytes += len(raw)
            while self._recent_bytes - len(self._recent[0]) >= _DICTIONARY_BYTES:
                self._recent_bytes -= len(self._recent.popleft())
        if self._count == self._first or self._count % self._every == 0:
            joined = b"".join(self._recent)[-_DICTIONARY_BYTES:]
            if joined:
                self._dictionary = Dictionary(joined)
                self._primed = zlib.compressobj(1, zlib.DEFLATED, _WBITS, 4, zdict=self._dictionary)
                self.dictionaries_made += 1


_item_packer = Packer()
_stream_packer = Packer()
_kinesis_packer = Packer()


def _packed(packer, value):
    """Plain Python values (dicts, lists, tuples, strings, numbers) pickled and compressed: (dictionary, blob)."""
    return packer.pack(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


def _unpacked(dictionary, blob):
    return pickle.loads(Packer.unpack(dictionary, blob))


# --- DynamoDB stream records --------------------------------------------------------------------------------

class PackedStreamRecord:
    """A moto StreamRecord kept as compressed bytes; `record` and `to_json()` give a fresh copy of the original."""

    __slots__ = ("_dictionary", "_blob", "created_at")

    def __init__(self, record):
        self._dictionary, self._blob = _packed(_stream_packer, record)
        self.created_at = now()

    @property
    def record(self):
        return _unpacked(self._dictionary, self._blob)

    def to_json(self):
        return self.record

    def packed_size(self):
        return len(self._blob)


def _trimmed_error(message):
    from moto.core.exceptions import JsonRESTError
    return JsonRESTError("com.amazonaws.dynamodb.v20120810#TrimmedDataAccessException", message)


def _expired_error(message):
    from moto.core.exceptions import JsonRESTError
    return JsonRESTError("com.amazonaws.dynamodb.v20120810#ExpiredIteratorException", message)


def _trim(shard, retention):
    """Drops the records older than the retention from the front of the shard; sequence numbers do not move."""
    cutoff = now() - retention
    items = shard.items
    expired = 0
    while expired < len(items) and getattr(items[expired], "created_at", cutoff) < cutoff:
        expired += 1
    if expired:
        del items[:expired]
        shard.starting_sequence_number += expired  # the first record kept is now the shard's start
        _trimmed["records"] += expired


def _pack_stream_records(retention):
    from moto.dynamodb.models.table import StreamRecord, StreamShard
    from moto.dynamodbstreams.models import DynamoDBStreamsBackend

    original_add = StreamShard.add
    original_get = StreamShard.get
    original_iterator = DynamoDBStreamsBackend.get_shard_iterator

    def add(self, old, new):
        with _lock:
            original_add(self, old, new)
            if self.items and isinstance(self.items[-1], StreamRecord):
                self.items[-1] = PackedStreamRecord(self.items[-1].record)
            _trim(self, retention)

    def get(self, start, quantity):
        with _lock:
            _trim(self, retention)
            if start < self.starting_sequence_number:
                raise _trimmed_error("The operation attempted to read past the oldest stream record in a shard "
                                     "(sequence number %d; the oldest kept is %d; records are kept %d s)"
                                     % (start, self.starting_sequence_number, retention))
            return original_get(self, start, quantity)

    def get_shard_iterator(self, arn, shard_id, shard_iterator_type, sequence_number=None):
        table = self._get_table_from_arn(arn)
        with _lock:
            if table.stream_shard is not None:
                _trim(table.stream_shard, retention)
                if sequence_number is not None and shard_iterator_type in (
                        "AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER"):
                    first_wanted = int(sequence_number) + (1 if shard_iterator_type == "AFTER_SEQUENCE_NUMBER" else 0)
                    if first_wanted < table.stream_shard.starting_sequence_number:
                        raise _trimmed_error("Sequence number %s is past the trim horizon of the shard (records are "
                                             "kept %d s)" % (sequence_number, retention))
            return original_iterator(self, arn, shard_id, shard_iterator_type, sequence_number)

    StreamShard.add = add
    StreamShard.get = get
    DynamoDBStreamsBackend.get_shard_iterator = get_shard_iterator


# --- DynamoDB items ----------------------------------------------------------------------------------------

_materialised = {}  # id -> Item whose attributes were unpacked or replaced during the current DynamoDB request

# DynamoDB operations that read items and never change them (moto's code for these builds new objects to answer)
READ_ONLY_OPERATIONS = frozenset({"GetItem", "BatchGetItem", "Query", "Scan", "TransactGetItems"})


def _pack_table_items():
    """Every DynamoDB item keeps its attributes packed between requests (pickled, zlib-compressed) instead of as a
    tree of DynamoType objects: a new customer's profile took about 5 KB as objects and about 0.9 KB packed.

    `Item.attrs` becomes a property: the first read in a request unpacks the attributes into the same DynamoType
    tree moto built (the same types and values, nothing converted), and moto's code reads and changes them in place
    as before. after_dynamodb_request() packs them again; moto_runner.py calls it at the end of every DynamoDB
    request, inside the lock that already serialises them, so no request sees an item half packed."""
    from moto.dynamodb.models.dynamo_type import Item

    def get_attrs(self):
        attrs = self._attrs
        if attrs is None:
            attrs = _unpack_attrs(self._packed_with, self._packed_attrs)  # kept: a read-only request drops attrs
            self._attrs = attrs
            _materialised[id(self)] = self
        return attrs

    def set_attrs(self, value):
        self._attrs = value
        self._packed_attrs = None
        self._packed_with = None
        _materialised[id(self)] = self

    Item._attrs = None
    Item._packed_attrs = None
    Item._packed_with = None  # the Dictionary _packed_attrs was compressed with
    Item._index_names = None
    Item._index_values = None
    Item.attrs = property(get_attrs, set_attrs)
    _prefilter_index_queries()


def _prefilter_index_queries():
    """moto answers a Query of an index by reading every item of the table (item.attrs.get(key) for each), which
    would unpack them all. A packed item keeps a copy of the attributes that key some table's index (the names
    known when it was packed), and during such a Query the table's items are first narrowed to those whose copy
    equals the hash key condition, or that have no copy of that attribute to judge by. moto's own loop then checks
    the rest exactly as before: the answer is the same, only items moto's loop would skip are left out."""
    from moto.dynamodb.models.table import Table

    original_query = Table.query

    def query(self, hash_key, range_comparison, range_objs, limit, exclusive_start_key, scan_index_forward,
              projection_expressions, index_name=None, *args, hash_key_conditions=None, **kwargs):
        if not index_name or not hash_key_conditions:
            return original_query(self, hash_key, range_comparison, range_objs, limit, exclusive_start_key,
                                  scan_index_forward, projection_expressions, index_name, *args,
                                  hash_key_conditions=hash_key_conditions, **kwargs)
        every_item = type(self).all_items

        def narrowed():
            return [item for item in every_item(self) if _may_match(item, hash_key_conditions)]

        self.all_items = narrowed  # only for this call, which runs under the DynamoDB request lock
        try:
            return original_query(self, hash_key, range_comparison, range_objs, limit, exclusive_start_key,
                                  scan_index_forward, projection_expressions, index_name, *args,
                                  hash_key_conditions=hash_key_conditions, **kwargs)
        finally:
            del self.all_items

    Table.query = query


def _may_match(item, hash_key_conditions):
    """False only when the item's copy of a condition's attribute shows moto's loop would skip it."""
    names = item._index_names
    if names is None or item._attrs is not None:
        return True
    values = item._index_values or {}
    for name, expected in hash_key_conditions:
        if name in names:
            value = values.get(name)
            if not value or value != expected:  # moto's own test, on the same kind of values
                return False
    return True


_index_key_names = [None]  # the attribute names that key some table's index, or None until computed


def _index_names_now():
    names = _index_key_names[0]
    if names is None:
        from moto.dynamodb.models import dynamodb_backends

        found = set()
        for backend in each_backend(dynamodb_backends):
            for table in list(backend.tables.values()):
                for index in table.all_indexes():
                    found.update(key["AttributeName"] for key in index.schema)
        names = _index_key_names[0] = frozenset(found)
    return names


def after_dynamodb_request(operation):
    """Packs the attributes of every item unpacked or written during the request that ends (see _pack_table_items).

    After an operation in READ_ONLY_OPERATIONS the unpacked trees are dropped and the packed copies they came from
    kept; items such a request created (its answer's projections) are left to be freed with it. After any other
    operation each tree is packed anew, since moto changes items in place."""
    if operation in ("CreateTable", "UpdateTable", "DeleteTable"):
        _index_key_names[0] = None  # an index may have come or gone
    if not _materialised:
        return
    items = list(_materialised.values())
    _materialised.clear()
    read_only = operation in READ_ONLY_OPERATIONS
    names = None if read_only else _index_names_now()
    for item in items:
        attrs = item._attrs
        if attrs is None:
            continue
        if not read_only:
            item._packed_with, item._packed_attrs = _pack_attrs(attrs)
            item._index_names = names
            item._index_values = {name: _cooked(_raw(attrs[name])) for name in names if name in attrs} or None
            item._attrs = None
        elif item._packed_attrs is not None:
            item._attrs = None


def _raw(value):
    """A DynamoType as plain (type, value) tuples, maps and lists: what pickle stores fast and small."""
    inner = value.value
    if type(inner) is dict:
        return value.type, {key: _raw(nested) for key, nested in inner.items()}
    if value.type == "L":
        return value.type, [_raw(nested) for nested in inner]
    return value.type, inner


def _cooked(raw):
    from moto.dynamodb.models.dynamo_type import DynamoType

    kind, inner = raw
    value = DynamoType.__new__(DynamoType)
    value.type = kind
    if type(inner) is dict:
        inner = {key: _cooked(nested) for key, nested in inner.items()}
    elif kind == "L":
        inner = [_cooked(nested) for nested in inner]
    value.value = inner
    return value


def _pack_attrs(attrs):
    return _packed(_item_packer, {key: _raw(value) for key, value in attrs.items()})


def _unpack_attrs(dictionary, blob):
    from moto.dynamodb.models.dynamo_type import LimitedSizeDict

    attrs = LimitedSizeDict.__new__(LimitedSizeDict)
    dict.__init__(attrs)
    for key, raw in _unpacked(dictionary, blob).items():
        dict.__setitem__(attrs, key, _cooked(raw))  # the item passed moto's size check when it was written
    return attrs


class PackedKinesisRecord:
    """moto's Kinesis Record with its data kept compressed, its time as one float, and no per-object dict."""

    __slots__ = ("partition_key", "_dictionary", "_blob", "sequence_number", "explicit_hash_key", "created_at")

    def __init__(self, partition_key, data, sequence_number, explicit_hash_key):
        from moto.core.utils import unix_time, utcnow

        self.partition_key = partition_key
        self._dictionary, self._blob = _kinesis_packer.pack(base64.b64decode(data))
        self.sequence_number = sequence_number
        self.explicit_hash_key = explicit_hash_key
        self.created_at = unix_time(utcnow())

    @property
    def data(self):
        return base64.b64encode(Packer.unpack(self._dictionary, self._blob)).decode("ascii")

    @property
    def created_at_datetime(self):
        return datetime.datetime.fromtimestamp(self.created_at, tz=datetime.timezone.utc).replace(tzinfo=None)

    def to_json(self):
        return {
            "Data": Packer.unpack(self._dictionary, self._blob),
            "PartitionKey": self.partition_key,
            "SequenceNumber": str(self.sequence_number),
            "ApproximateArrivalTimestamp": self.created_at_datetime,
        }


def _pack_kinesis_records():
    """Kinesis keeps records 24 hours on AWS too, so they are all kept: about 1.2 KB each as moto's objects."""
    from moto.kinesis import models

    models.Record = PackedKinesisRecord


def _expire_stream_iterators():
    from moto.dynamodbstreams.models import DynamoDBStreamsBackend, ShardIterator

    original_init = ShardIterator.__init__
    original_get_records = DynamoDBStreamsBackend.get_records

    def init(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        self.issued_at = now()
        # moto's id is 472 random bytes; the issue time in it tells an expired iterator from an unknown one
        self.id = "%x.%s" % (int(self.issued_at * 1000), base64.urlsafe_b64encode(os.urandom(24)).decode("ascii"))

    def get_records(self, iterator_arn, limit):
        _forget_expired(self.shard_iterators)
        iterator = self.shard_iterators.get(iterator_arn)
        issued = getattr(iterator, "issued_at", None) if iterator is not None else _issued_at(iterator_arn)
        if issued is not None and now() - issued >= STREAM_ITERATOR_LIFETIME_SECONDS:
            raise _expired_error("Iterator expired: issued %d s ago, the limit is %d s"
                                 % (now() - issued, STREAM_ITERATOR_LIFETIME_SECONDS))
        return original_get_records(self, iterator_arn, limit)

    ShardIterator.__init__ = init
    DynamoDBStreamsBackend.get_records = get_records


def _issued_at(iterator_arn):
    try:
        return int(iterator_arn.rsplit("|", 1)[1].split(".", 1)[0], 16) / 1000.0
    except (IndexError, ValueError):
        return None


def _forget_expired(iterators):
    cutoff = now() - STREAM_ITERATOR_LIFETIME_SECONDS
    try:
        while iterators:
            first = next(iter(iterators))
            if getattr(iterators[first], "issued_at", cutoff) >= cutoff:
                return
            iterators.pop(first, None)
    except (RuntimeError, KeyError):
        return  # another request changed the dict meanwhile: the next call goes on


# --- CloudWatch metric data ----------------------------------------------------------------------------------

_dimension_lists = {}  # (name, value) pairs -> the one list of moto Dimensions every datum with them shares


def _share_metric_dimensions():
    """moto keeps every metric datum put (AWS keeps them too, for 15 months), each with its own list of Dimension
    objects and its own copies of the namespace, name and unit: under load the local API's two data points a
    request were most of what CloudWatch grew by. Data with the same dimensions now share one list (moto never
    changes a datum's dimensions in place), and the strings are interned."""
    from moto.cloudwatch.models import MetricDatumBase

    original_init = MetricDatumBase.__init__

    def init(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        for field in ("namespace", "name", "unit"):  # each request's JSON gave each datum its own copies
            value = getattr(self, field, None)
            if type(value) is str:
                setattr(self, field, sys.intern(value))
        key = tuple((dimension.name, dimension.value) for dimension in self.dimensions)
        with _lock:
            shared = _dimension_lists.get(key)
            if shared is None and len(_dimension_lists) < 10000:  # a bound, in case every datum has its own
                shared = _dimension_lists[key] = self.dimensions
        if shared is not None:
            self.dimensions = shared

    MetricDatumBase.__init__ = init


# --- what AWS does not keep ---------------------------------------------------------------------------------

def _cap_outbox(limit):
    """Caps at the moment of sending, so that GET /_local/outbox never holds more than the limit."""
    from moto.ses.models import SESBackend
    from moto.sns.models import SNSBackend

    original_publish = SNSBackend.publish

    def publish(self, *args, **kwargs):
        result = original_publish(self, *args, **kwargs)
        with _lock:
            while len(self.sms_messages) > limit:
                self.sms_messages.popitem(last=False)
                _dropped["sms"] += 1
        return result

    SNSBackend.publish = publish
    for name in ("send_email", "send_raw_email", "send_templated_email", "send_bulk_templated_email"):
        original = getattr(SESBackend, name, None)
        if original is not None:
            setattr(SESBackend, name, _capped_ses(original, limit))


def _capped_ses(original, limit):
    def send(self, *args, **kwargs):
        result = original(self, *args, **kwargs)
        with _lock:
            excess = len(self.sent_messages) - limit
            if excess > 0:
                del self.sent_messages[:excess]
                _dropped["email"] += excess
        return result

    return send


def _cap_traces(limit):
    from moto.xray.models import XRayBackend

    original_process = XRayBackend.process_segment

    def process_segment(self, doc):
        result = original_process(self, doc)
        traces = self._segment_collection._traces
        with _lock:
            while len(traces) > limit:
                traces.pop(next(iter(traces)), None)
        return result

    XRayBackend.process_segment = process_segment
    _slim_trace_segments()


# what moto's trace summaries read of a segment's other fields: whether they are there
_SUMMARISED_FLAGS = ("error", "fault", "throttle")


def _slim_trace_segments():
    """moto keeps each trace segment twice: the document as sent (`raw`, all that BatchGetTraces returns) and every
    field parsed into dicts (http, aws, metadata, annotations, subsegments) that nothing reads back. A stored segment
    keeps its document compressed and, of the parsed fields, only those its summaries read (times, ids, and
    whether error, fault or throttle is set)."""
    from moto.xray.models import SegmentCollection, TraceSegment

    def get_raw(self):
        packed = self._packed_raw
        if packed is None:
            return None
        blob, was_text = packed
        raw = zlib.decompress(blob)
        return raw.decode("utf-8") if was_text else raw

    def set_raw(self, value):
        if value is None:
            self._packed_raw = None
        elif isinstance(value, str):
            self._packed_raw = (zlib.compress(value.encode("utf-8"), 1), True)
        else:
            self._packed_raw = (zlib.compress(bytes(value), 1), False)

    TraceSegment._packed_raw = None
    TraceSegment.raw = property(get_raw, set_raw)
    original_put = SegmentCollection.put_segment

    def put_segment(self, segment):
        segment.http = segment.aws = segment.metadata = segment.annotations = segment.subsegments = None
        segment.misc = {flag: segment.misc[flag] for flag in _SUMMARISED_FLAGS if flag in segment.misc}
        original_put(self, segment)

    SegmentCollection.put_segment = put_segment


def _janitor(sent_limit):
    libc = _libc()
    interval = float(os.environ.get("MOTO_JANITOR_SECONDS", "10"))  # tests shorten it
    while True:
        time.sleep(interval)
        try:
            _cap_topics(sent_limit)
        except Exception as e:  # noqa: BLE001 - a failed round must not stop the next ones
            print("memory_bounds: janitor round failed: %r" % (e,), file=sys.stderr, flush=True)
        if libc is not None:
            libc.malloc_trim(0)


def _cap_topics(sent_limit):
    from moto.sns.models import sns_backends

    for backend in each_backend(sns_backends):
        for topic in list(backend.topics.values()):
            excess = len(topic.sent_notifications) - sent_limit
            if excess > 0:
                del topic.sent_notifications[:excess]


# --- glibc --------------------------------------------------------------------------------------------------

def _libc():
    name = ctypes.util.find_library("c")
    if not name:
        return None
    try:
        libc = ctypes.CDLL(name)
        libc.malloc_trim  # noqa: B018 - glibc only
        return libc
    except (OSError, AttributeError):
        return None


def _tune_malloc():
    libc = _libc()
    if libc is None or not hasattr(libc, "mallopt"):
        return
    m_trim_threshold, m_mmap_threshold = -1, -3
    # a fixed threshold: glibc otherwise raises it after each large free, and large buffers then come from the
    # heap, where the free space between long-lived objects is never given back
    libc.mallopt(m_mmap_threshold, 128 * 1024)
    libc.mallopt(m_trim_threshold, 1024 * 1024)


# --- local endpoints ----------------------------------------------------------------------------------------

def _serve_local_paths(enabled):
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication

    original_call = DomainDispatcherApplication.__call__

    def call(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path == "/moto-api/reset":
            _clock_offset[0] = 0.0
            _dropped["sms"] = _dropped["email"] = 0
        elif path == "/_local/clock" and not enabled:
            return _answer(start_response, "404 Not Found", {"error": "no clock: MOTO_MEMORY_BOUNDS=0"})
        elif path == "/_local/clock" and environ.get("REQUEST_METHOD") == "POST":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            try:
                advance = float(json.loads(environ["wsgi.input"].read(length) or b"{}")["advanceSeconds"])
            except (ValueError, KeyError, TypeError):
                return _answer(start_response, "400 Bad Request",
                               {"error": 'expected {"advanceSeconds": <seconds, not negative>}'})
            if advance < 0:
                return _answer(start_response, "400 Bad Request", {"error": "advanceSeconds must not be negative"})
            _clock_offset[0] += advance
            return _answer(start_response, "200 OK", {"offsetSeconds": _clock_offset[0]})
        elif path == "/_local/memory/holdings":
            query = environ.get("QUERY_STRING", "")
            body = holdings(enabled, "sizes" in query)
            if "collect" in query:
                body["collect"] = _collect()
            return _answer(start_response, "200 OK", body)
        return original_call(self, environ, start_response)

    DomainDispatcherApplication.__call__ = call


def _answer(start_response, status, body):
    data = json.dumps(body).encode("utf-8")
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
    return [data]


def _rss_kb():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def _collect():
    """Measurement only: what a full garbage collection and a malloc_trim give back, and what Python holds."""
    import gc

    before = _rss_kb()
    unreachable = gc.collect()
    after_gc = _rss_kb()
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)
    objects = gc.get_objects()
    sizes = collections.Counter()
    for o in objects:
        sizes[type(o).__name__] += sys.getsizeof(o)
    held_by = _holders_of_items(objects)
    return {"dynamodb": held_by, "rssKbBefore": before, "unreachableCollected": unreachable, "rssKbAfterGc": after_gc,
            "rssKbAfterTrim": _rss_kb(), "trackedObjects": len(objects), "threads": threading.active_count(),
            "largestTypesShallowBytes": sizes.most_common(15)}


def _holders_of_items(objects):
    """Measurement only: DynamoDB items and tables alive, beside those the tables hold."""
    from moto.dynamodb.models import dynamodb_backends
    from moto.dynamodb.models.dynamo_type import Item

    in_tables = 0
    tables = 0
    for backend in each_backend(dynamodb_backends):
        for table in list(backend.tables.values()):
            tables += 1
            in_tables += len(table)
    return {"itemsAlive": sum(1 for o in objects if isinstance(o, Item)), "itemsInTables": in_tables,
            "tablesAlive": sum(1 for o in objects if type(o).__name__ == "Table"), "tablesInBackends": tables}


def each_backend(backends):
    """Every backend of a moto service, over its accounts and regions (lists copied: a request may add one)."""
    for regions in list(backends.values()):
        yield from list(regions.values())


def dropped_from_outbox():
    """How many SMS and emails the outbox no longer holds because of the cap."""
    return dict(_dropped)


def _deep_size(value, seen=None):
    seen = set() if seen is None else seen
    if id(value) in seen or isinstance(value, Dictionary):
        return 0  # shared by up to 2,000 values each, 16 KB: a few hundred KB in all, left out of the estimates
    seen.add(id(value))
    size = sys.getsizeof(value)
    if isinstance(value, dict):
        size += sum(_deep_size(k, seen) + _deep_size(v, seen) for k, v in value.items())
    elif isinstance(value, (list, tuple, set, frozenset)):
        size += sum(_deep_size(v, seen) for v in value)
    elif hasattr(value, "__dict__") and not isinstance(value, type):
        size += _deep_size(vars(value), seen)
    elif isinstance(value, (PackedStreamRecord, PackedKinesisRecord)):
        size += sum(_deep_size(getattr(value, name), seen) for name in type(value).__slots__)
    return size


def _estimate(values, sample=50):
    """Python-object bytes of a list of values, estimated from up to `sample` of them spread over it."""
    if not values:
        return 0
    step = max(1, len(values) // sample)
    picked = values[::step][:sample]
    seen = set()  # what the values share (the index names every packed item points at): once in the sample
    return int(sum(_deep_size(v, seen) for v in picked) / len(picked) * len(values))


def holdings(enabled=True, sizes=False):
    """Counts (and bytes) of what the stores bounded here hold, for measurements; `sizes` estimates object bytes."""
    from moto.cloudwatch.models import cloudwatch_backends
    from moto.dynamodb.models import dynamodb_backends
    from moto.dynamodbstreams.models import dynamodbstreams_backends
    from moto.kinesis.models import kinesis_backends
    from moto.sns.models import sns_backends
    from moto.xray.models import xray_backends

    out = {"boundsEnabled": enabled, "streamRecords": 0, "streamRecordsPackedBytes": 0,
           "streamRecordsTrimmed": _trimmed["records"], "tableItems": 0, "tableItemsPacked": 0, "streamIterators": 0,
           "kinesisRecords": 0, "xrayTraces": 0, "sms": 0, "topicNotifications": 0,
           "droppedFromOutbox": dropped_from_outbox()}
    for backend in each_backend(dynamodb_backends):
        for table in list(backend.tables.values()):
            out["tableItems"] += len(table)
            values = list(table.items.values())
            if table.range_key_attr:
                values = [item for items in values for item in list(items.values())]
            # getattr, not vars(item), which would give each item a dict of its own
            out["tableItemsPacked"] += sum(1 for item in values if getattr(item, "_attrs", 0) is None
                                           and getattr(item, "_packed_attrs", None))
            if sizes:
                out.setdefault("tableItemBytes", {})[table.name] = _estimate(values)
            if table.stream_shard is not None:
                items = list(table.stream_shard.items)
                if sizes:
                    out["streamRecordBytes"] = out.get("streamRecordBytes", 0) + sum(
                        i.packed_size() if isinstance(i, PackedStreamRecord) else 0 for i in items) + (
                        _estimate([i for i in items if not isinstance(i, PackedStreamRecord)]))
                out["streamRecords"] += len(items)
                out["streamRecordsPackedBytes"] += sum(i.packed_size() for i in items
                                                       if isinstance(i, PackedStreamRecord))
    for backend in each_backend(dynamodbstreams_backends):
        out["streamIterators"] += len(backend.shard_iterators)
        if sizes:
            out["streamIteratorBytes"] = out.get("streamIteratorBytes", 0) + sum(
                sys.getsizeof(k) + sys.getsizeof(v) + sys.getsizeof(vars(v)) + sys.getsizeof(v.id) + 100
                for k, v in list(backend.shard_iterators.items()))
    for backend in each_backend(kinesis_backends):
        for stream in list(backend.streams.values()):
            for shard in list(stream.shards.values()):
                out["kinesisRecords"] += len(shard.records)
                if sizes:
                    out["kinesisRecordBytes"] = out.get("kinesisRecordBytes", 0) + _estimate(
                        list(shard.records.values()))
    for backend in each_backend(xray_backends):
        out["xrayTraces"] += len(backend._segment_collection._traces)
        if sizes:
            out["xrayTraceBytes"] = out.get("xrayTraceBytes", 0) + _estimate(
                list(backend._segment_collection._traces.values()))
    out["packDictionaries"] = {"items": _item_packer.dictionaries_made, "streamRecords":
                               _stream_packer.dictionaries_made, "kinesisRecords": _kinesis_packer.dictionaries_made}
    out["metricData"] = sum(len(backend.metric_data) for backend in each_backend(cloudwatch_backends))
    for backend in each_backend(sns_backends):
        out["sms"] += len(backend.sms_messages)
        out["topicNotifications"] += sum(len(t.sent_notifications) for t in list(backend.topics.values()))
    return out
