"""The numpy baseline for bench/cli.ts: the 256-point KL-reward frontier of a big .align model.

Run with /usr/bin/python3 (Debian's numpy). Reads the same generated .align file as the CLI
(the model's `vocab`, `p`, `reward` and `length` lines and `frontier(..., steps = S)`) and
computes the same points with the same method as src/core/frontier.ts (docs/math.md §3):

  * tokens with equal reward are merged (only the law of r under p matters);
  * S KL targets evenly spaced over [0, n * (-log p(M))]; the endpoints are lambda = 0 and
    lambda = infinity; each interior lambda solves n D(lambda) = target by safeguarded Newton
    (D' = lambda A''), warm-started from the previous point, as the core's exact path does;
  * every point is (n D(lambda), n A'(lambda)), with A(s) by log-sum-exp.

Prints one JSON line {"points": [[lambda, kl, reward], ...], "max_kl": ..., "max_reward": ...}
(lambda = null for infinity). With --verify CLI.json it instead evaluates D and A' at the
lambdas the CLI reported and prints the largest relative difference (an independent check).
"""
import json
import re
import sys

import numpy as np


def read_model(path):
    fields = {}
    steps = 64
    with open(path, encoding="utf-8") as f:
        for line in f:
            head, _, rest = line.strip().partition(" ")
            if head in ("vocab", "p", "reward", "length"):
                fields[head] = rest
            m = re.match(r"frontier\(\s*\w+\s*,\s*steps\s*=\s*(\d+)", line.strip())
            if m:
                steps = int(m.group(1))
    p = np.array(fields["p"].split(), dtype=np.float64)
    r = np.array(fields["reward"].split(), dtype=np.float64)
    n = int(fields.get("length", "1"))
    vocab_size = len(fields["vocab"].split())
    if not (len(p) == len(r) == vocab_size):
        raise SystemExit(f"vocab/p/reward lengths differ: {vocab_size} {len(p)} {len(r)}")
    return p, r, n, steps


def reward_law(p, r):
    keep = p > 0
    values, inverse = np.unique(r[keep], return_inverse=True)
    mass = np.bincount(inverse, weights=p[keep])
    return values, np.log(mass / mass.sum())


def tilt(values, log_mass, s):
    """A(s), A'(s), A''(s), D(s) = s A' - A."""
    a = log_mass + s * values
    top = a.max()
    w = np.exp(a - top)
    total = w.sum()
    big_a = top + np.log(total)
    w /= total
    mean = w @ values
    var = w @ (values - mean) ** 2
    return big_a, mean, var, s * mean - big_a


def solve(values, log_mass, target, start, d_max):
    """lambda with D(lambda) = target (per token), by Newton safeguarded with a bracket."""
    lo, hi = 0.0, np.inf
    s = start if start > 0 else 1.0
    for _ in range(200):
        _, mean, var, d = tilt(values, log_mass, s)
        if d > target:
            hi = s
        else:
            lo = s
        if abs(d - target) <= 1e-13 * max(target, 1e-300) + 1e-15 * d_max:
            return s, d, mean
        step = (d - target) / (s * var) if s * var > 0 else np.inf
        nxt = s - step
        if not (lo < nxt < hi):
            nxt = 2 * lo + 1 if hi == np.inf else 0.5 * (lo + hi)
        if nxt == s:
            return s, d, mean
        s = nxt
    return s, d, mean


def frontier(values, log_mass, n, steps):
    d_max = -log_mass[-1]
    targets = np.linspace(0.0, d_max, steps)
    points = [(0.0, 0.0, n * float(np.exp(log_mass) @ values))]
    start = 0.0
    for t in targets[1:-1]:
        s, d, mean = solve(values, log_mass, t, start, d_max)
        points.append((s, n * d, n * mean))
        start = s
    points.append((None, n * d_max, n * values[-1]))
    return points, n * d_max, n * values[-1]


def main():
    args = sys.argv[1:]
    p, r, n, steps = read_model(args[0])
    values, log_mass = reward_law(p, r)
    if len(args) == 3 and args[1] == "--verify":
        with open(args[2], encoding="utf-8") as f:
            cli = json.load(f)
        pts = next(x for x in cli["results"] if x["query"] == "frontier")["value"]["points"]
        worst = 0.0
        for pt in pts:
            if pt["lambda"] is None:
                kl, reward = n * -log_mass[-1], n * values[-1]
            else:
                _, mean, _, d = tilt(values, log_mass, pt["lambda"])
                kl, reward = n * d, n * mean
            worst = max(worst, abs(kl - pt["kl"]) / max(abs(kl), 1e-12), abs(reward - pt["reward"]) / max(abs(reward), 1e-12))
        print(json.dumps({"points": len(pts), "max_relative_difference": worst}))
        return
    points, max_kl, max_reward = frontier(values, log_mass, n, steps)
    print(json.dumps({"points": [list(x) for x in points], "max_kl": max_kl, "max_reward": max_reward}))


if __name__ == "__main__":
    main()
