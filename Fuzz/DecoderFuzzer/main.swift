print("decoder fuzzer: not yet written")
