#!/usr/bin/env python3
"""avro_speed.py FILE: time fastavro reading every record of FILE (records/s), for comparison."""
import sys
import time

import fastavro

start = time.perf_counter()
count = 0
with open(sys.argv[1], "rb") as fh:
    for _ in fastavro.reader(fh):
        count += 1
elapsed = time.perf_counter() - start
print("%d records in %.3f s = %d records/s" % (count, elapsed, count / elapsed))
