"""Runs Nielsen's own update_mini_batch (network.py, in ../shared/peers) from weights and data the caller wrote.

test/nielsen-equivalence.test.ts uses it to check that the library's network takes exactly his steps. It imports
nielsen_network from PEERS_DIR (nothing of his is copied here), builds his Network, replaces its random weights
and biases by the caller's, and runs update_mini_batch on consecutive mini-batches in order (no shuffle).

DIR holds, as little-endian float64 bytes in row-major order:
  meta.json                 {"sizes": [784, 30, 10], "examples": N}
  W1.bin, b1.bin, ...       layer l's weights (units x inputs, as his weights[l-1]) and biases (units values)
  X.bin, Y.bin              N inputs (N x sizes[0]) and N targets (N x sizes[-1])
and gets W1.out.bin, b1.out.bin, ... (the same layouts) after the steps.

usage: OPENBLAS_NUM_THREADS=1 /usr/bin/python3 nielsen_step.py PEERS_DIR DIR BATCHES BATCH_SIZE ETA
"""
import json
import os
import sys


def main(peers_dir, folder, batches, batch_size, eta):
    try:
        import numpy as np
    except ImportError:
        sys.exit(f"numpy is missing for {sys.executable}: install Debian's python3-numpy (sudo apt-get install -y python3-numpy)")
    if not os.path.isfile(os.path.join(peers_dir, "nielsen_network.py")):
        sys.exit(f"no nielsen_network.py in {peers_dir}")
    sys.path.insert(0, os.path.abspath(peers_dir))
    import nielsen_network

    with open(os.path.join(folder, "meta.json"), encoding="utf-8") as f:
        meta = json.load(f)
    sizes, n = meta["sizes"], meta["examples"]
    if batches * batch_size > n:
        sys.exit(f"{batches} batches of {batch_size} need {batches * batch_size} examples, DIR has {n}")

    def read(name, shape):
        return np.fromfile(os.path.join(folder, name), dtype="<f8").reshape(shape)

    net = nielsen_network.Network(sizes)
    layers = len(sizes) - 1
    net.weights = [read(f"W{l + 1}.bin", (sizes[l + 1], sizes[l])) for l in range(layers)]
    net.biases = [read(f"b{l + 1}.bin", (sizes[l + 1], 1)) for l in range(layers)]  # his biases are columns
    X = read("X.bin", (n, sizes[0]))
    Y = read("Y.bin", (n, sizes[-1]))
    data = [(X[i].reshape(-1, 1).copy(), Y[i].reshape(-1, 1).copy()) for i in range(n)]  # his examples are columns
    for k in range(batches):
        net.update_mini_batch(data[k * batch_size:(k + 1) * batch_size], eta)
    for l in range(layers):
        np.ascontiguousarray(net.weights[l], dtype="<f8").tofile(os.path.join(folder, f"W{l + 1}.out.bin"))
        np.ascontiguousarray(net.biases[l], dtype="<f8").tofile(os.path.join(folder, f"b{l + 1}.out.bin"))
    print(json.dumps({"numpy": np.__version__, "batches": batches, "batch_size": batch_size, "eta": eta}))


if __name__ == "__main__":
    if len(sys.argv) != 6:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]))
