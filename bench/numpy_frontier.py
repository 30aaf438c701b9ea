"""numpy baseline for bench/core-token.ts: the same 256-point frontier sweep, vectorised.

Reads JSON {"K": int, "seed": int, "n": int, "lambdas": [...], "kl": [...], "reward": [...]} on
stdin (the λs and values our core reported), regenerates the same law with the same Park–Miller
generator, evaluates (n·D(λ), n·A'(λ)) at every λ the straightforward numpy way (one exp per
token per point, max-shifted log-sum-exp), and prints JSON {"median_ms", "runs", "max_rel_diff"}.
Run with /usr/bin/python3 (Debian's numpy).
"""
import json
import sys
import time

import numpy as np


def law(K, seed):
    x = seed
    u = np.empty(2 * K)
    for i in range(2 * K):
        x = (x * 16807) % 2147483647
        u[i] = x / 2147483647
    p = u[0::2] + 1e-3
    r = 4 * u[1::2] - 2
    return p / p.sum(), r


def sweep(logp, r, lambdas, n):
    kl = np.empty(len(lambdas))
    reward = np.empty(len(lambdas))
    for i, lam in enumerate(lambdas):
        a = lam * r + logp
        m = a.max()
        w = np.exp(a - m)
        z = w.sum()
        mean = (w @ r) / z
        kl[i] = n * (lam * mean - (m + np.log(z)))
        reward[i] = n * mean
    return kl, reward


def main():
    job = json.load(sys.stdin)
    p, r = law(job["K"], job["seed"])
    logp = np.log(p)
    lambdas = np.array(job["lambdas"], dtype=float)
    times = []
    for _ in range(job.get("runs", 7)):
        t0 = time.perf_counter()
        kl, reward = sweep(logp, r, lambdas, job["n"])
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    ours_kl = np.array(job["kl"])
    ours_reward = np.array(job["reward"])
    diff = max(
        float(np.max(np.abs(kl - ours_kl) / np.abs(ours_kl))),
        float(np.max(np.abs(reward - ours_reward) / np.maximum(np.abs(ours_reward), 1e-300))),
    )
    print(json.dumps({"median_ms": times[len(times) // 2], "runs": len(times), "max_rel_diff": diff}))


if __name__ == "__main__":
    main()
