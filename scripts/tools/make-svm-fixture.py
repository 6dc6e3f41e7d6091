#!/usr/bin/python3
"""Writes test/fixtures/svm/sklearn-svc.json: scikit-learn's answers on a small synthetic
problem, for the parity tests in test/svm (no Python is needed to run those tests).

Run with Debian's scikit-learn (apt-get install python3-sklearn; /usr/bin/python3, not a pyenv
python):  /usr/bin/python3 scripts/tools/make-svm-fixture.py [out.json]

What it stores (all from one seeded numpy RandomState, so re-running gives the same file):
- X (320 x 24, float64) and y (8 imbalanced classes) and groups (40 "speakers");
- numpy RandomState draws (randint, shuffle) for the RNG port;
- StratifiedKFold(5, shuffle=True, random_state=s) and StratifiedGroupKFold(5) test-fold ids;
- per fold of StratifiedKFold(seed 0): StandardScaler fitted on the train rows, then SVC
  predictions on the test rows for rbf C=30, rbf C=100 and poly C=30 (gamma 'scale');
- a full fit (rbf C=30) on all rows scaled: support_, n_support_, dual_coef_, intercept_,
  _gamma, n_iter_, the one-vs-one decision_function on the first 80 rows, predict on all;
- the same with probability=True, random_state=0: probA_, probB_, predict_proba (80 rows).
"""
import json
import sys

import numpy as np
import sklearn
from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

out = sys.argv[1] if len(sys.argv) > 1 else "test/fixtures/svm/sklearn-svc.json"
rs = np.random.RandomState(20240601)
n_classes, d = 8, 24
sizes = [60, 12, 60, 60, 50, 30, 32, 16]  # imbalanced like the paper's classes
centers = rs.normal(0, 1.0, size=(n_classes, 6))
mix = rs.normal(0, 1, size=(6, d))
rows, labels = [], []
for c, m in enumerate(sizes):
    z = centers[c] + rs.normal(0, 1.1, size=(m, 6))
    x = z @ mix + rs.normal(0, 0.8, size=(m, d))
    x = x * (1 + np.arange(d) % 5) + np.arange(d)  # unequal scales and offsets: the scaler matters
    rows.append(x)
    labels += [c] * m
X = np.vstack(rows)
y = np.array(labels)
perm = rs.permutation(len(y))
X, y = X[perm], y[perm]
groups = rs.randint(0, 40, size=len(y))

rng_checks = {
    "randint_2_31": [int(np.random.RandomState(s).randint(np.iinfo("i").max)) for s in (0, 1, 42, 12345)],
}
sh = np.arange(50)
np.random.RandomState(7).shuffle(sh)
rng_checks["shuffle_50_seed7"] = sh.tolist()

skf = {}
for seed in (0, 1, 42):
    tf = np.empty(len(y), dtype=int)
    for f, (_, te) in enumerate(StratifiedKFold(5, shuffle=True, random_state=seed).split(X, y)):
        tf[te] = f
    skf[str(seed)] = tf.tolist()
tf = np.empty(len(y), dtype=int)
for f, (_, te) in enumerate(StratifiedKFold(5).split(X, y)):
    tf[te] = f
skf["noshuffle"] = tf.tolist()

sgkf = np.empty(len(y), dtype=int)
for f, (_, te) in enumerate(StratifiedGroupKFold(5).split(X, y, groups)):
    sgkf[te] = f

settings = {"rbf_C30": dict(kernel="rbf", C=30), "rbf_C100": dict(kernel="rbf", C=100), "poly_C30": dict(kernel="poly", C=30)}
folds = []
for f, (tr, te) in enumerate(StratifiedKFold(5, shuffle=True, random_state=0).split(X, y)):
    sc = StandardScaler().fit(X[tr])
    entry = {"fold": f, "test": te.tolist()}
    for name, kw in settings.items():
        m = SVC(**kw).fit(sc.transform(X[tr]), y[tr])
        p = m.predict(sc.transform(X[te]))
        entry[name] = {"pred": p.tolist(), "accuracy": float((p == y[te]).mean()), "n_support": int(m.n_support_.sum())}
    folds.append(entry)

Xs = StandardScaler().fit_transform(X)
m = SVC(kernel="rbf", C=30).fit(Xs, y)
full = {
    "gamma": float(m._gamma),
    "support": m.support_.tolist(),
    "n_support": m.n_support_.tolist(),
    "dual_coef": m.dual_coef_.tolist(),
    "intercept": m.intercept_.tolist(),
    "n_iter": m.n_iter_.tolist(),
    "decision_ovo": SVC(kernel="rbf", C=30, decision_function_shape="ovo").fit(Xs, y).decision_function(Xs[:80]).tolist(),
    "predict": m.predict(Xs).tolist(),
}
mp = SVC(kernel="rbf", C=30, probability=True, random_state=0).fit(Xs, y)
proba = {"probA": mp.probA_.tolist(), "probB": mp.probB_.tolist(), "predict_proba": mp.predict_proba(Xs[:80]).tolist()}

json.dump(
    {
        "generator": "scripts/tools/make-svm-fixture.py",
        "sklearn": sklearn.__version__,
        "numpy": np.__version__,
        "X": X.tolist(),
        "y": y.tolist(),
        "groups": groups.tolist(),
        "rng": rng_checks,
        "stratified_kfold": skf,
        "stratified_group_kfold": sgkf.tolist(),
        "folds": folds,
        "full_rbf_C30": full,
        "proba_rbf_C30": proba,
    },
    open(out, "w"),
)
print(f"wrote {out} (sklearn {sklearn.__version__}, numpy {np.__version__})")
