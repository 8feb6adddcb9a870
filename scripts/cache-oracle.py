#!/usr/bin/env python3
"""Hit counts of libCacheSim's policies on a trace: the test-time oracle of arsenal-cache.

Usage: cache-oracle.py TRACE CAPACITY [CAPACITY ...]
TRACE is a text file with one unsigned integer key per line. Prints one line per policy
and capacity: "<policy> <capacity> <hits> <requests>". libCacheSim comes from PyPI
(`pip install libcachesim`, a manylinux wheel); every object has size 1, so a capacity is
a number of entries.
"""
import sys

import libcachesim as lcs

POLICIES = {
    "lru": lambda c: lcs.LRU(cache_size=c),
    "arc": lambda c: lcs.ARC(cache_size=c),
    "s3-fifo": lambda c: lcs.S3FIFO(cache_size=c),
    "w-tinylfu": lambda c: lcs.WTinyLFU(cache_size=c),
    "clock-pro": lambda c: lcs.ClockPro(cache_size=c),
}


def main():
    path, capacities = sys.argv[1], [int(c) for c in sys.argv[2:]]
    with open(path) as f:
        keys = [int(line) for line in f if line.strip()]
    for name, make in POLICIES.items():
        for cap in capacities:
            cache = make(cap)
            hits = 0
            req = lcs.Request()
            req.obj_size = 1
            for k in keys:
                req.obj_id = k
                if cache.get(req):
                    hits += 1
            print(name, cap, hits, len(keys))


if __name__ == "__main__":
    main()
