"""Writes predictions.csv: 600 made-up loan decisions of a made-up model (seeded; no real data).

Columns: email (made-up personal data, so the pickers must mask it), sex, race, age_group, the true
outcome y_true (1 = repaid), the model's score and its prediction y_pred = score >= 0.5. The model
is deliberately biased against women (a lower score), so the audit finds a disparity.
"""
import csv
import random

rng = random.Random(7)
first = ["olga", "ana", "li", "sam", "noor", "jon", "maria", "kofi", "yuki", "omar"]
with open("predictions.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["email", "sex", "race", "age_group", "y_true", "score", "y_pred"])
    for i in range(600):
        sex = rng.choice(["Female", "Male"])
        race = rng.choices(["White", "Black", "Asian", "Other"], [0.6, 0.2, 0.12, 0.08])[0]
        age = rng.choice(["18-25", "26-45", "46-65", "65+"])
        repaid = 1 if rng.random() < 0.55 else 0
        score = min(1.0, max(0.0, 0.35 + 0.3 * repaid + rng.gauss(0, 0.15) - (0.08 if sex == "Female" else 0)))
        w.writerow([f"{rng.choice(first)}.{i}@example.com", sex, race, age, repaid, f"{score:.4f}", 1 if score >= 0.5 else 0])
