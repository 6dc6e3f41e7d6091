"""Reads an exported feature matrix with pandas, as a user would, and prints what it sees as JSON.

usage: pandas_read.py check            -> {"pandas": version, "engines": {"arrow": bool, "parquet": name or null}}
       pandas_read.py FORMAT FILE N    -> {"columns": [...], "strings": {...}, "label": [...], "x_sha256": hex, "dtypes": {...}}

FORMAT is arrow (pandas.read_feather), parquet (pandas.read_parquet, pyarrow or fastparquet
engine) or csv (pandas.read_csv with float_precision='round_trip'). N = number of feature
columns (the last N). x_sha256 is the sha256 of the features as float32, little-endian, row-major.
"""
import hashlib
import importlib.util
import json
import sys

import numpy as np
import pandas as pd


def engines():
    has = lambda m: importlib.util.find_spec(m) is not None
    parquet = 'pyarrow' if has('pyarrow') else 'fastparquet' if has('fastparquet') else None
    return {'arrow': has('pyarrow'), 'parquet': parquet}


def main():
    if sys.argv[1] == 'check':
        print(json.dumps({'pandas': pd.__version__, 'engines': engines()}))
        return
    fmt, file, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    if fmt == 'arrow':
        df = pd.read_feather(file)
    elif fmt == 'parquet':
        df = pd.read_parquet(file, engine=engines()['parquet'])
    else:
        df = pd.read_csv(file, float_precision='round_trip', keep_default_na=False, na_values=[],
                         dtype={c: str for c in ['clip_id', 'source_clip_id', 'kind', 'emotion', 'speaker', 'corpus', 'sha256']})
    feats = list(df.columns[-n:])
    x = df[feats].to_numpy(dtype=np.float64).astype('<f4')
    out = {
        'columns': [str(c) for c in df.columns],
        'dtypes': {str(c): str(df[c].dtype) for c in df.columns[:9]},
        'strings': {c: [str(v) for v in df[c]] for c in ['clip_id', 'source_clip_id', 'kind', 'emotion', 'speaker', 'corpus', 'sha256']},
        'label': [int(v) for v in df['label']],
        'feature_dtype': str(df[feats[0]].dtype),
        'x_sha256': hashlib.sha256(np.ascontiguousarray(x).tobytes()).hexdigest(),
    }
    print(json.dumps(out))


main()
