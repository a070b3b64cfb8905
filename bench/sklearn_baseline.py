"""Baseline for `npm run bench -- check`: char n-gram TF-IDF + logistic regression, scoring the same texts.

Trained on a small labelled slice so that only scoring is timed; run with Debian's python3-sklearn.
"""
import json
import sys
import time

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

start = time.perf_counter()
texts = [json.loads(line)["text"] for line in open(sys.argv[1], encoding="utf-8")]
labels = [i % 2 for i in range(2000)]
vec = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), max_features=2**18)
clf = LogisticRegression(max_iter=200).fit(vec.fit_transform(texts[:2000]), labels)
t0 = time.perf_counter()
scores = clf.predict_proba(vec.transform(texts))[:, 1]
t1 = time.perf_counter()
print(f"{len(texts) / (t1 - t0):.0f} texts/s scoring, {len(texts) / (t1 - start):.0f} texts/s whole process")
