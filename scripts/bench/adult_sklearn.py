"""scikit-learn baseline on the bundled Adult example: logistic regression with one-hot
encoding + standard scaling, 20% stratified test split. Prints JSON {accuracy, seconds}."""
import json, sys, time
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

path = sys.argv[1] if len(sys.argv) > 1 else "examples/adult/data/adult.csv"
seeds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
t0 = time.perf_counter()
df = pd.read_csv(path, na_values=["?"], skipinitialspace=True)
y = (df["income"] == ">50K").astype(int)
X = df.drop(columns=["income", "fnlwgt", "sex", "race"])
num = X.select_dtypes("number").columns.tolist()
cat = [c for c in X.columns if c not in num]
pre = ColumnTransformer([
    ("num", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), num),
    ("cat", make_pipeline(SimpleImputer(strategy="most_frequent"), OneHotEncoder(handle_unknown="ignore")), cat),
])
accs = []
for seed in range(seeds):
    Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.2, stratify=y, random_state=seed)
    clf = Pipeline([("pre", pre), ("lr", LogisticRegression(max_iter=2000))]).fit(Xtr, ytr)
    accs.append(float((clf.predict(Xte) == yte).mean()))
print(json.dumps({"accuracy": sum(accs) / len(accs), "per_seed": accs, "seconds": time.perf_counter() - t0}))
