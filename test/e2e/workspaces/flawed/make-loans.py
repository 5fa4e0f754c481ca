"""Writes loans.csv, the flawed fixture's synthetic data (240 made-up people). Run once; the CSV is
committed. Deterministic (seeded). Approval depends on income, debt ratio and years employed
alike, so no single feature predicts it on its own (no RML006)."""
import random

r = random.Random(20261128)
first = ["James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Elizabeth", "William", "Barbara",
         "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Carlos", "Maria", "Wei", "Mei", "Ahmed", "Fatima", "Kwame",
         "Amara", "Hiroshi", "Yuki", "Ivan", "Olga", "Luis", "Ana", "Raj", "Priya", "Omar", "Leila"]
last = ["Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez", "Hernandez", "Lopez",
        "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Chen", "Nguyen", "Khan", "Okafor",
        "Tanaka", "Ivanova", "Patel", "Haddad", "Mensah"]
races = ["White", "Black", "Asian", "Hispanic", "Other"]
rows = []
for i in range(240):
    f = r.choice(first)
    l = r.choice(last)
    sex = r.choice(["Male", "Female"])
    race = r.choices(races, [5, 3, 2, 3, 1])[0]
    age = r.randint(19, 74)
    y, m, d = 2024 - age, r.randint(1, 12), r.randint(1, 28)
    income = int(r.gauss(52000, 14000))
    debt = round(min(0.95, max(0.0, r.gauss(0.35, 0.12))), 2)
    years = r.randint(0, min(40, age - 18))
    score = (income - 52000) / 14000 - (debt - 0.35) / 0.12 + (years - 10) / 8 + r.gauss(0, 1.0)
    approved = "yes" if score > -0.3 else "no"
    rows.append([f"{f} {l}", f"{f.lower()}.{l.lower()}{i}@example.com", f"{y}-{m:02d}-{d:02d}", sex, race, str(age), str(income),
                 f"{debt:.2f}", str(years), approved])
with open("loans.csv", "w") as fh:
    fh.write("name,email,dob,sex,race,age,income,debt_ratio,years_employed,approved\n")
    for row in rows:
        fh.write(",".join(row) + "\n")
