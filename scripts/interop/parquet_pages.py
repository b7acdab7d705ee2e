#!/usr/bin/env python3
"""Summarise the pages of every column chunk of a Parquet file.

pyarrow does not expose page headers, so this module walks each column
chunk's byte range and decodes the Thrift-compact ``PageHeader`` structs
itself (only what is needed: page type, sizes, value counts, encoding, CRC
presence).  Used by make_fixtures.py to record in ``X.meta.json`` how many
pages / which page encodings a fixture really contains.

Usage:
    parquet_pages.py FILE     # prints one JSON line per column (aggregated
                              # over row groups)
"""

from __future__ import annotations

import json
import sys
from typing import Any, Dict, List

import pyarrow.parquet as pq

PAGE_TYPES = {0: "DATA_PAGE", 1: "INDEX_PAGE", 2: "DICTIONARY_PAGE", 3: "DATA_PAGE_V2"}
ENCODINGS = {0: "PLAIN", 2: "PLAIN_DICTIONARY", 3: "RLE", 4: "BIT_PACKED",
             5: "DELTA_BINARY_PACKED", 6: "DELTA_LENGTH_BYTE_ARRAY",
             7: "DELTA_BYTE_ARRAY", 8: "RLE_DICTIONARY", 9: "BYTE_STREAM_SPLIT"}


class CompactReader:
    """Minimal Thrift compact-protocol decoder producing {field_id: value}."""

    def __init__(self, buf: bytes, pos: int = 0) -> None:
        self.buf = buf
        self.pos = pos

    def _byte(self) -> int:
        b = self.buf[self.pos]
        self.pos += 1
        return b

    def varint(self) -> int:
        shift = result = 0
        while True:
            b = self._byte()
            result |= (b & 0x7F) << shift
            if not b & 0x80:
                return result
            shift += 7

    def zigzag(self) -> int:
        n = self.varint()
        return (n >> 1) ^ -(n & 1)

    def value(self, ctype: int) -> Any:
        if ctype in (1, 2):                 # bool inside a struct field header
            return ctype == 1
        if ctype == 3:                      # byte
            return self._byte()
        if ctype in (4, 5, 6):              # i16 / i32 / i64
            return self.zigzag()
        if ctype == 7:                      # double
            self.pos += 8
            return None
        if ctype == 8:                      # binary
            n = self.varint()
            data = self.buf[self.pos:self.pos + n]
            self.pos += n
            return bytes(data)
        if ctype in (9, 10):                # list / set
            head = self._byte()
            size, etype = head >> 4, head & 0x0F
            if size == 15:
                size = self.varint()
            if etype in (1, 2):             # bools in containers: one byte each
                return [self._byte() == 1 for _ in range(size)]
            return [self.value(etype) for _ in range(size)]
        if ctype == 11:                     # map
            size = self.varint()
            if size == 0:
                return {}
            kv = self._byte()
            return {self.value(kv >> 4): self.value(kv & 0x0F) for _ in range(size)}
        if ctype == 12:
            return self.struct()
        raise ValueError("unknown compact type %d at %d" % (ctype, self.pos))

    def struct(self) -> Dict[int, Any]:
        out: Dict[int, Any] = {}
        last = 0
        while True:
            head = self._byte()
            if head == 0:
                return out
            delta, ctype = head >> 4, head & 0x0F
            fid = last + delta if delta else self.zigzag()
            out[fid] = self.value(ctype)
            last = fid


def chunk_pages(buf: bytes, start: int, length: int) -> List[Dict[str, Any]]:
    """Decode the page headers in ``buf[start:start+length]``."""
    pages = []
    pos, end = start, start + length
    while pos < end:
        rd = CompactReader(buf, pos)
        hdr = rd.struct()
        ptype = PAGE_TYPES.get(hdr.get(1), str(hdr.get(1)))
        page: Dict[str, Any] = {"type": ptype, "uncompressed_size": hdr.get(2),
                                "compressed_size": hdr.get(3), "crc": 4 in hdr}
        sub = hdr.get(5) or hdr.get(7) or hdr.get(8) or {}
        page["num_values"] = sub.get(1)
        enc = sub.get(4) if ptype == "DATA_PAGE_V2" else sub.get(2)
        page["encoding"] = ENCODINGS.get(enc, str(enc))
        if ptype == "DATA_PAGE_V2":
            page["num_rows"] = sub.get(3)
            page["is_compressed"] = sub.get(7, True)
        pages.append(page)
        pos = rd.pos + hdr[3]
    return pages


def file_page_summary(path: str) -> List[Dict[str, Any]]:
    """Per leaf column, aggregated over row groups: page counts by type,
    data-page encodings, whether CRCs are present, max values per page."""
    md = pq.ParquetFile(path).metadata
    with open(path, "rb") as f:
        buf = f.read()
    summary: List[Dict[str, Any]] = []
    for ci in range(md.num_columns):
        agg: Dict[str, Any] = {"path": md.schema.column(ci).path, "page_counts": {},
                               "data_page_encodings": [], "crc": None,
                               "max_values_per_data_page": 0}
        encs = set()
        for rg in range(md.num_row_groups):
            col = md.row_group(rg).column(ci)
            # The chunk starts at its first page.  Offsets < 4 are bogus: pyarrow
            # writes data_page_offset=0 for an empty chunk that only holds a
            # dictionary page (0-row tables).
            offsets = [col.data_page_offset]
            if col.has_dictionary_page:
                offsets.append(col.dictionary_page_offset)
            offsets = [o for o in offsets if o is not None and o >= 4]
            if not offsets:
                continue
            for p in chunk_pages(buf, min(offsets), col.total_compressed_size):
                agg["page_counts"][p["type"]] = agg["page_counts"].get(p["type"], 0) + 1
                agg["crc"] = p["crc"] if agg["crc"] is None else (agg["crc"] and p["crc"])
                if p["type"] in ("DATA_PAGE", "DATA_PAGE_V2"):
                    encs.add(p["encoding"])
                    agg["max_values_per_data_page"] = max(
                        agg["max_values_per_data_page"], p["num_values"] or 0)
        agg["data_page_encodings"] = sorted(encs)
        summary.append(agg)
    return summary


def main(argv: List[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    for rec in file_page_summary(argv[0]):
        print(json.dumps(rec, separators=(",", ":")))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
