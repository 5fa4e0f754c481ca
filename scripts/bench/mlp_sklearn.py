"""The seed's MLP in scikit-learn's MLPClassifier: 100 -> 50 (ReLU) -> 10, Adam 0.001,
batch 256, 20,000 synthetic rows x 5 epochs. Prints JSON {samplesPerSec, seconds}."""
import json, time, warnings
import numpy as np
from sklearn.neural_network import MLPClassifier
from sklearn.exceptions import ConvergenceWarning
warnings.simplefilter("ignore", ConvergenceWarning)
rng = np.random.default_rng(1)
rows, inputs, classes, epochs = 20000, 100, 10, 5
x = rng.standard_normal((rows, inputs)).astype(np.float32)
y = rng.integers(0, classes, rows)
clf = MLPClassifier(hidden_layer_sizes=(50,), activation="relu", solver="adam", learning_rate_init=0.001,
                    batch_size=256, max_iter=epochs, shuffle=True, random_state=1, tol=0, n_iter_no_change=10**9)
t0 = time.perf_counter()
clf.fit(x, y)
s = time.perf_counter() - t0
print(json.dumps({"samplesPerSec": rows * epochs / s, "seconds": s}))
