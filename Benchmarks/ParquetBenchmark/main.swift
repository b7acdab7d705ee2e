print("parquet benchmark: not yet written")
