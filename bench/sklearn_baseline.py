"""The scikit-learn peer: char 1-3-gram TF-IDF + logistic regression. Run with Debian's python3-sklearn.

`sklearn_baseline.py TEXTS.jsonl` (for `npm run bench -- check`): trains on a small labelled slice so that
only scoring is timed, and prints the scoring and whole-process rates.
`sklearn_baseline.py --report TRAIN.jsonl TEST.jsonl OUT` (for `npm run train:check -- --report`): trains on
TRAIN's texts and labels, and writes one 0/1 prediction per TEST line to OUT.
"""
import json
import sys
import time

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression


def read(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def report(train_path, test_path, out_path):
    train = read(train_path)
    test = read(test_path)
    vec = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), max_features=2**18, sublinear_tf=True)
    clf = LogisticRegression(max_iter=1000).fit(vec.fit_transform([r["text"] for r in train]), [r["label"] for r in train])
    pred = clf.predict(vec.transform([r["text"] for r in test]))
    with open(out_path, "w", encoding="utf-8") as f:
        f.write("\n".join(str(int(p)) for p in pred) + "\n")


def bench(path):
    start = time.perf_counter()
    texts = [r["text"] for r in read(path)]
    labels = [i % 2 for i in range(2000)]
    vec = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), max_features=2**18)
    clf = LogisticRegression(max_iter=200).fit(vec.fit_transform(texts[:2000]), labels)
    t0 = time.perf_counter()
    clf.predict_proba(vec.transform(texts))[:, 1]
    t1 = time.perf_counter()
    print(f"{len(texts) / (t1 - t0):.0f} texts/s scoring, {len(texts) / (t1 - start):.0f} texts/s whole process")


if __name__ == "__main__":
    if sys.argv[1] == "--report":
        report(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        bench(sys.argv[1])
