#!/usr/bin/env python3
"""fastavro as an independent oracle for the Swift Avro module.

Usage:
  avro_to_jsonl.py dump FILE               print FILE's records as JSON lines, after the type
                                           mapping of docs/AVRO.md, in the project's conventions
  avro_to_jsonl.py compare FILE OURS.jsonl exit 0 if OURS.jsonl (Swift's JSONRowRenderer output)
                                           equals the dump line by line (compared as parsed JSON
                                           values), 1 with the first difference otherwise
  avro_to_jsonl.py write OUT CODEC VARIANT write a fastavro test file (VARIANT: full | writable)

fastavro decodes the binary data; the mapping (timestamps to microseconds, decimals to exact text,
unions with several branches to {"member0": ...}) is applied here, independently of the Swift code.
fastavro is given the writer schema with every logicalType removed, so it returns raw ints/bytes.

Conventions: integers as numbers; float as the shortest decimal that round-trips in binary32;
NaN/Infinity as strings; decimals as strings with exactly `scale` fraction digits; bytes/fixed as
base64; dates "YYYY-MM-DD"; timestamps "YYYY-MM-DDTHH:MM:SS.ffffff" plus "Z" unless local;
time-millis/time-micros as integer microseconds; maps as [{"key","value"}]; a recursive reference
as a string holding the compact JSON of the nested value.
"""
import base64
import copy
import io
import json
import math
import random
import struct
import sys

import fastavro

PRIMITIVES = {"null", "boolean", "int", "long", "float", "double", "bytes", "string"}
FLOAT32 = struct.Struct("<f")


# ---------------------------------------------------------------------------
# Schema normalisation: full names, references, logical types
# ---------------------------------------------------------------------------

class Named:
    def __init__(self):
        self.types = {}


def normalise(schema, namespace, named):
    """Returns a tree of dicts {"kind": ...}; named types registered in `named` by full name."""
    if isinstance(schema, str):
        if schema in PRIMITIVES:
            return {"kind": schema}
        full = schema if "." in schema else (namespace + "." + schema if namespace else schema)
        if full not in named.types and schema in named.types:
            full = schema
        return {"kind": "ref", "name": full}
    if isinstance(schema, list):
        return {"kind": "union", "branches": [normalise(b, namespace, named) for b in schema]}
    t = schema["type"]
    if t in ("record", "error", "enum", "fixed"):
        name = schema["name"]
        if "." in name:
            full = name
            ns = name.rsplit(".", 1)[0]
        else:
            ns = schema.get("namespace", namespace)
            full = ns + "." + name if ns else name
        if t in ("record", "error"):
            node = {"kind": "record", "name": full, "fields": []}
            named.types[full] = node
            for f in schema["fields"]:
                node["fields"].append((f["name"], normalise(f["type"], ns, named)))
        elif t == "enum":
            node = {"kind": "enum", "name": full, "symbols": schema["symbols"]}
            named.types[full] = node
        else:
            node = {"kind": "fixed", "name": full, "size": schema["size"]}
            named.types[full] = node
    elif t == "array":
        node = {"kind": "array", "items": normalise(schema["items"], namespace, named)}
    elif t == "map":
        node = {"kind": "map", "values": normalise(schema["values"], namespace, named)}
    else:
        node = normalise(t, namespace, named)
    lt = schema.get("logicalType")
    if lt is not None and node["kind"] not in ("record", "enum", "array", "map", "union", "null", "ref"):
        node = {"kind": "logical", "base": node, "name": lt,
                "attrs": {k: v for k, v in schema.items() if k not in ("type", "logicalType", "name", "namespace", "size", "aliases", "doc")}}
    return node


def strip_logical(schema):
    """The writer schema without logicalType annotations (fastavro then returns raw values)."""
    if isinstance(schema, list):
        return [strip_logical(b) for b in schema]
    if isinstance(schema, dict):
        out = {}
        for k, v in schema.items():
            if k == "logicalType":
                continue
            if k in ("type", "items", "values"):
                out[k] = strip_logical(v)
            elif k == "fields":
                out[k] = [dict(f, type=strip_logical(f["type"])) for f in v]
            else:
                out[k] = v
        return out
    return schema


# ---------------------------------------------------------------------------
# Values -> mapped JSON values
# ---------------------------------------------------------------------------

def civil_from_days(z):
    z += 719468
    era = (z if z >= 0 else z - 146096) // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    y = yoe + era * 400 + (1 if m <= 2 else 0)
    return y, m, d


def format_date(days):
    y, m, d = civil_from_days(days)
    ys = "%04d" % y if 0 <= y <= 9999 else str(y)
    return "%s-%02d-%02d" % (ys, m, d)


def format_timestamp(micros, utc):
    days, rem = divmod(micros, 86400000000)
    secs, frac = divmod(rem, 1000000)
    text = "%sT%02d:%02d:%02d.%06d" % (format_date(days), secs // 3600, secs // 60 % 60, secs % 60, frac)
    return text + "Z" if utc else text


def format_unscaled(unscaled, scale):
    negative = unscaled < 0
    digits = str(abs(unscaled))
    if scale < 0:
        digits += "0" * (-scale)
    elif scale > 0:
        digits = digits.rjust(scale + 1, "0")
        digits = digits[:-scale] + "." + digits[-scale:]
    return ("-" if negative else "") + digits


def float_json(v):
    if v != v:
        return "NaN"
    if v == math.inf:
        return "Infinity"
    if v == -math.inf:
        return "-Infinity"
    return v


def shortest_float32(x):
    for p in range(1, 10):
        y = float("%.*g" % (p, x))
        try:
            if FLOAT32.unpack(FLOAT32.pack(y))[0] == x:
                return y
        except OverflowError:
            continue
    return x


def matches(value, node, named):
    k = node["kind"]
    if k == "ref":
        node = named.types[node["name"]]
        k = node["kind"]
    if k == "logical":
        return matches(value, node["base"], named)
    if value is None:
        return k == "null"
    if isinstance(value, bool):
        return k == "boolean"
    if isinstance(value, int):
        return k in ("int", "long")
    if isinstance(value, float):
        return k in ("float", "double")
    if isinstance(value, str):
        return k == "string" or (k == "enum" and value in node["symbols"])
    if isinstance(value, bytes):
        return k == "bytes" or (k == "fixed" and len(value) == node["size"])
    if isinstance(value, list):
        return k == "array"
    if isinstance(value, tuple):
        return k == "record" and node["name"] == value[0]
    if isinstance(value, dict):
        return k in ("map", "record")
    return False


def convert(value, node, named, stack):
    """Python value from fastavro -> JSON-able value after the mapping."""
    k = node["kind"]
    if k == "ref":
        name = node["name"]
        target = named.types[name]
        if stack is not None and name in stack:
            # Inside the JSON text of a recursive value everything is expanded (stack None).
            nested = convert(value, target, named, None)
            return json.dumps(nested, separators=(",", ":"), ensure_ascii=False)
        return convert(value, target, named, stack)
    if k == "union":
        branches = node["branches"]
        non_null = [b for b in branches if b["kind"] != "null"]
        if value is None:
            return None
        if len(non_null) == 1:
            return convert(value, non_null[0], named, stack)
        for i, b in enumerate(non_null):
            if matches(value, b, named):
                out = {"member%d" % j: None for j in range(len(non_null))}
                inner = value[1] if isinstance(value, tuple) else value
                out["member%d" % i] = convert(inner, b, named, stack)
                return out
        raise ValueError("no union branch for %r" % (value,))
    if isinstance(value, tuple):
        value = value[1]
    if value is None:
        return None
    if k == "null":
        return None
    if k in ("boolean", "int", "long", "string", "enum"):
        return value
    if k == "float":
        return float_json(shortest_float32(value)) if value == value and abs(value) != math.inf else float_json(value)
    if k == "double":
        return float_json(value)
    if k in ("bytes", "fixed"):
        return base64.b64encode(value).decode("ascii")
    if k == "array":
        return [convert(v, node["items"], named, stack) for v in value]
    if k == "map":
        return [{"key": key, "value": convert(v, node["values"], named, stack)} for key, v in value.items()]
    if k == "record":
        stack = None if stack is None else stack + [node["name"]]
        return {name: convert(value.get(name), t, named, stack) for name, t in node["fields"]}
    if k == "logical":
        return convert_logical(value, node, named, stack)
    raise ValueError("unknown kind " + k)


def convert_logical(value, node, named, stack):
    base = node["base"]
    if base["kind"] == "ref":
        base = named.types[base["name"]]
    bk = base["kind"]
    name = node["name"]
    attrs = node["attrs"]
    if name == "date" and bk == "int":
        return format_date(value)
    if name in ("timestamp-millis", "local-timestamp-millis") and bk == "long":
        return format_timestamp(value * 1000, name == "timestamp-millis")
    if name in ("timestamp-micros", "local-timestamp-micros") and bk == "long":
        return format_timestamp(value, name == "timestamp-micros")
    if name in ("timestamp-nanos", "local-timestamp-nanos") and bk == "long":
        return format_timestamp(value // 1000, name == "timestamp-nanos")
    if name == "time-millis" and bk == "int":
        return value * 1000
    if name == "time-micros" and bk == "long":
        return value
    if name == "decimal" and bk in ("bytes", "fixed"):
        precision = attrs.get("precision")
        scale = attrs.get("scale", 0)
        if isinstance(precision, int) and precision >= 1 and 0 <= scale <= precision:
            return format_unscaled(int.from_bytes(value, "big", signed=True), scale)
    return convert(value, base, named, stack)


def records(path):
    with open(path, "rb") as fh:
        header_reader = fastavro.reader(fh)
        schema_json = json.loads(header_reader.metadata["avro.schema"])
    named = Named()
    root = normalise(schema_json, None, named)
    with open(path, "rb") as fh:
        data = fh.read()
    # fastavro reads a copy whose header schema has no logical types, so it returns raw values.
    stripped = io.BytesIO(replace_schema(data, strip_logical(schema_json)))
    reader = fastavro.reader(stripped, return_record_name=True, return_record_name_override=True)
    if True:
        for rec in reader:
            if root["kind"] == "record":
                yield {name: convert(rec.get(name), t, named, [root["name"]]) for name, t in root["fields"]}
            else:
                yield {"value": convert(rec, root, named, [])}


def dumps(row):
    return json.dumps(row, separators=(",", ":"), ensure_ascii=False)


# ---------------------------------------------------------------------------
# Test files written by fastavro
# ---------------------------------------------------------------------------

def test_schema(variant):
    inner = {"type": "record", "name": "Inner", "namespace": "com.example.inner", "fields": [
        {"name": "x", "type": "int"},
        {"name": "label", "type": ["null", "string"]},
        {"name": "tags", "type": {"type": "array", "items": "string"}},
    ]}
    fields = [
        {"name": "b", "type": "boolean"},
        {"name": "i", "type": "int"},
        {"name": "l", "type": "long"},
        {"name": "f", "type": "float"},
        {"name": "d", "type": "double"},
        {"name": "s", "type": "string"},
        {"name": "by", "type": "bytes"},
        {"name": "e", "type": {"type": "enum", "name": "Color", "symbols": ["RED", "GREEN", "BLUE"]}},
        {"name": "fx", "type": {"type": "fixed", "name": "Four", "size": 4}},
        {"name": "fx2", "type": "Four"},
        {"name": "day", "type": {"type": "int", "logicalType": "date"}},
        {"name": "ts_ms", "type": {"type": "long", "logicalType": "timestamp-millis"}},
        {"name": "ts_us", "type": {"type": "long", "logicalType": "timestamp-micros"}},
        {"name": "ts_ns", "type": {"type": "long", "logicalType": "timestamp-nanos"}},
        {"name": "lts_ms", "type": {"type": "long", "logicalType": "local-timestamp-millis"}},
        {"name": "lts_us", "type": {"type": "long", "logicalType": "local-timestamp-micros"}},
        {"name": "t_ms", "type": {"type": "int", "logicalType": "time-millis"}},
        {"name": "t_us", "type": {"type": "long", "logicalType": "time-micros"}},
        {"name": "dec", "type": {"type": "bytes", "logicalType": "decimal", "precision": 10, "scale": 2}},
        {"name": "dec38", "type": ["null", {"type": "bytes", "logicalType": "decimal", "precision": 38, "scale": 9}]},
        {"name": "decfx", "type": {"type": "fixed", "name": "Dec9", "size": 9, "logicalType": "decimal", "precision": 20, "scale": 4}},
        {"name": "wide", "type": ["null", {"type": "bytes", "logicalType": "decimal", "precision": 65, "scale": 30}]},
        {"name": "uuid", "type": {"type": "string", "logicalType": "uuid"}},
        {"name": "vc", "type": ["null", {"type": "string", "logicalType": "varchar", "length": 10}]},
        {"name": "num", "type": ["null", {"type": "string", "logicalType": "number"}]},
        {"name": "opt_i", "type": ["null", "int"]},
        {"name": "opt_rev", "type": ["string", "null"]},
        {"name": "single", "type": ["long"]},
        {"name": "multi", "type": ["null", "string", "long"]},
        {"name": "multi3", "type": ["string", "double", "boolean"]},
        {"name": "arr", "type": {"type": "array", "items": "int"}},
        {"name": "sort_keys", "type": {"type": "array", "items": ["string", "long"]}},
        {"name": "m", "type": {"type": "map", "values": ["null", "double"]}},
        {"name": "rec", "type": ["null", inner]},
        {"name": "rec_again", "type": "com.example.inner.Inner"},
        {"name": "recs", "type": {"type": "array", "items": "com.example.inner.Inner"}},
        {"name": "grid", "type": {"type": "array", "items": {"type": "array", "items": ["null", "string"]}}},
        {"name": "map_arr", "type": ["null", {"type": "map", "values": {"type": "array", "items": "long"}}]},
    ]
    if variant == "full":
        fields.append({"name": "pg_array", "type": ["null", {"type": "record", "name": "multidimensionalArray_ints", "fields": [
            {"name": "nestedArray", "type": ["null", {"type": "array", "items": "multidimensionalArray_ints"}]},
            {"name": "elementValue", "type": ["null", "long"]},
        ]}]})
    return {"type": "record", "name": "AllTypes", "namespace": "com.example", "fields": fields}


def decimal_bytes(unscaled, size=None):
    if size is not None:
        return unscaled.to_bytes(size, "big", signed=True)
    n = 1
    while True:
        try:
            return unscaled.to_bytes(n, "big", signed=True)
        except OverflowError:
            n += 1


def test_rows(variant, count=300, seed=7):
    rng = random.Random(seed)
    texts = ["", "a", "héllo", "日本語", "emoji 🎉", "quote\"back\\slash", "tab\tnl\n", "ctl\x01"]
    floats32 = [0.0, -0.0, 1.5, -2.25, 45.67, 0.1, 3.4028234663852886e38, 1e-30, math.nan, math.inf, -math.inf]
    doubles = [0.0, -0.0, 0.1, 123.789, -1e300, 5e-324, math.nan, math.inf, 2.5]
    rows = []
    for n in range(count):
        def maybe(v, every=5):
            return None if rng.randrange(every) == 0 else v

        def inner():
            return {"x": rng.randrange(-2**31, 2**31), "label": maybe(rng.choice(texts)),
                    "tags": [rng.choice(texts) for _ in range(rng.randrange(3))]}

        def node(depth):
            if depth >= 3 or rng.randrange(3) == 0:
                return {"nestedArray": None, "elementValue": maybe(rng.randrange(-1000, 1000))}
            return {"nestedArray": [node(depth + 1) for _ in range(rng.randrange(3))], "elementValue": None}

        sort_keys = [rng.choice([rng.choice(texts), rng.randrange(-2**63, 2**63)]) for _ in range(rng.randrange(4))]
        multi3 = rng.choice([rng.choice(texts), rng.choice(doubles), rng.choice([True, False])])
        row = {
            "b": rng.choice([True, False]),
            "i": rng.choice([0, 1, -1, 2**31 - 1, -2**31, rng.randrange(-2**31, 2**31)]),
            "l": rng.choice([0, -1, 2**63 - 1, -2**63, rng.randrange(-2**63, 2**63)]),
            "f": rng.choice(floats32),
            "d": rng.choice(doubles),
            "s": rng.choice(texts) + str(n),
            "by": bytes(rng.randrange(256) for _ in range(rng.randrange(20))),
            "e": rng.choice(["RED", "GREEN", "BLUE"]),
            "fx": bytes(rng.randrange(256) for _ in range(4)),
            "fx2": b"\x00\xff\x10\x80",
            "day": rng.randrange(-719162, 2932896),
            "ts_ms": rng.randrange(-62135596800000, 253402300799999),
            "ts_us": rng.randrange(-62135596800000000, 253402300799999999),
            "ts_ns": rng.randrange(-2**63, 2**63),
            "lts_ms": rng.randrange(-62135596800000, 253402300799999),
            "lts_us": rng.randrange(-62135596800000000, 253402300799999999),
            "t_ms": rng.randrange(0, 86400000),
            "t_us": rng.randrange(0, 86400000000),
            "dec": decimal_bytes(rng.choice([0, 45612, -1, -9999999999, 9999999999, rng.randrange(-10**10 + 1, 10**10)])),
            "dec38": maybe(decimal_bytes(rng.choice([10**38 - 1, -(10**38 - 1), 0, rng.randrange(-10**38 + 1, 10**38)]))),
            "decfx": decimal_bytes(rng.choice([0, -1, 10**20 - 1, -(10**20 - 1), rng.randrange(-10**20 + 1, 10**20)]), 9),
            "wide": maybe(decimal_bytes(rng.choice([10**65 - 1, -(10**65 - 1), 0, -5, rng.randrange(-10**65 + 1, 10**65)]))),
            "uuid": "%032x" % rng.getrandbits(128),
            "vc": maybe(rng.choice(texts)),
            "num": maybe(str(rng.randrange(0, 2**64))),
            "opt_i": maybe(rng.randrange(-2**31, 2**31)),
            "opt_rev": maybe(rng.choice(texts)),
            "single": rng.randrange(-2**63, 2**63),
            "multi": rng.choice([None, rng.choice(texts), rng.randrange(-2**63, 2**63)]),
            "multi3": multi3,
            "arr": [rng.randrange(-2**31, 2**31) for _ in range(rng.randrange(5))],
            "sort_keys": sort_keys,
            "m": {"k%d" % j: maybe(rng.choice(doubles)) for j in range(rng.randrange(4))},
            "rec": maybe(inner()),
            "rec_again": inner(),
            "recs": [inner() for _ in range(rng.randrange(3))],
            "grid": [[maybe(rng.choice(texts)) for _ in range(rng.randrange(3))] for _ in range(rng.randrange(3))],
            "map_arr": maybe({"a%d" % j: [rng.randrange(-5, 5) for _ in range(rng.randrange(3))] for j in range(rng.randrange(3))}),
        }
        if variant == "full":
            row["pg_array"] = maybe(node(0))
        rows.append(row)
    return rows


def write(out, codec, variant):
    schema = test_schema(variant)
    parsed = fastavro.parse_schema(strip_logical(schema))
    with open(out, "wb") as fh:
        # Raw values (ints, bytes) are written against the stripped schema; the real schema
        # (with logical types) goes into the header.
        fastavro.writer(fh, parsed, test_rows(variant), codec=codec, sync_interval=4000)
    # The header gets the real schema (with logical types).
    with open(out, "rb") as fh:
        data = fh.read()
    with open(out, "wb") as fh:
        fh.write(replace_schema(data, schema))


def replace_schema(data, schema):
    """The container file `data` with `schema` as its avro.schema, blocks unchanged."""
    buf = io.BytesIO(data)
    assert buf.read(4) == b"Obj\x01"

    def read_long():
        shift = 0
        result = 0
        while True:
            b = buf.read(1)[0]
            result |= (b & 0x7F) << shift
            shift += 7
            if b < 0x80:
                break
        return (result >> 1) ^ -(result & 1)

    meta = {}
    while True:
        n = read_long()
        if n == 0:
            break
        if n < 0:
            n = -n
            read_long()
        for _ in range(n):
            k = buf.read(read_long()).decode()
            meta[k] = buf.read(read_long())
    rest = buf.read()

    def write_long(v):
        v = (v << 1) ^ (v >> 63)
        out_bytes = bytearray()
        while v >= 0x80:
            out_bytes.append((v & 0x7F) | 0x80)
            v >>= 7
        out_bytes.append(v)
        return bytes(out_bytes)

    meta["avro.schema"] = json.dumps(schema).encode()
    header = bytearray(b"Obj\x01")
    header += write_long(len(meta))
    for k, v in meta.items():
        kb = k.encode()
        header += write_long(len(kb)) + kb + write_long(len(v)) + v
    header += write_long(0)
    return bytes(header) + rest


def main(argv):
    if len(argv) >= 2 and argv[0] == "dump":
        for row in records(argv[1]):
            sys.stdout.write(dumps(row) + "\n")
        return 0
    if len(argv) >= 3 and argv[0] == "compare":
        expected = [dumps(r) for r in records(argv[1])]
        with open(argv[2], encoding="utf-8") as fh:
            ours = [line for line in fh.read().split("\n") if line != ""]
        if len(ours) != len(expected):
            print("row count differs: ours %d, fastavro %d" % (len(ours), len(expected)))
            return 1
        for index, (a, b) in enumerate(zip(ours, expected)):
            if json.loads(a) != json.loads(b):
                print("row %d differs\nours:     %s\nfastavro: %s" % (index, a, b))
                return 1
        print("OK %d rows" % len(ours))
        return 0
    if len(argv) >= 4 and argv[0] == "write":
        write(argv[1], argv[2], argv[3])
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
