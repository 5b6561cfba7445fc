# torch.mm (OpenBLAS on this CPU) at the shapes given as JSON in argv[1]
# ([{label, M, K, N}]: A [M,K] · B [K,N], float32), on argv[2] threads, argv[3] timed
# rounds each. Prints {"version", "threads", "gflops": {label: [per round]}}. Run by
# bench/limit.js with /usr/bin/python3 (Debian's python3-torch).
import json
import sys
import time

import torch

shapes, threads, rounds = json.loads(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
torch.set_num_threads(threads)
cases = []
for s in shapes:
    a, b = torch.rand(s["M"], s["K"]), torch.rand(s["K"], s["N"])
    out = torch.empty(s["M"], s["N"])
    torch.mm(a, b, out=out)
    flops = 2 * s["M"] * s["K"] * s["N"]
    cases.append((s["label"], a, b, out, flops, max(1, round(3e8 / flops))))
gflops = {label: [] for label, *_ in cases}
for _ in range(rounds):
    for label, a, b, out, flops, reps in cases:
        t0 = time.perf_counter()
        for _ in range(reps):
            torch.mm(a, b, out=out)
        gflops[label].append(flops * reps / (time.perf_counter() - t0) / 1e9)
print(json.dumps({"version": torch.__version__, "threads": threads, "gflops": gflops}))
