"""Peer for `npm run bench -- --peers`: chapter 10's final network in PyTorch, as a PyTorch user would write it.

Input 1×28×28 → conv 20 filters 5×5, ReLU → max-pool 2×2 → conv 40 filters 5×5, ReLU → max-pool 2×2 → flatten
(40×4×4 = 640) → dense 100, ReLU → dense 10, softmax + cross-entropy; He initialisation (kaiming_normal_, zero
biases), Adam with learning rate 0.001, mini-batches of 64 over the first 50,000 training images, then a
validation pass over the last 10,000 (inside the timed epoch, as the library's fit does it; in slices of 1,000,
as a PyTorch user would, since 10,000 images at once would hold 0.9 GB of first-layer feature maps in float64).
Prints one line per epoch with "train S s" (the epoch's seconds) and the validation accuracy, as torch_best.py.

usage: /usr/bin/python3 scripts/peers/torch_conv.py MNIST_DIR EPOCHS [float64|float32] [THREADS]

THREADS (default 1) is PyTorch's intra-op thread count (torch.set_num_threads); OpenBLAS's comes from
OPENBLAS_NUM_THREADS, which the bench sets (and it unsets OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE, which slow a
current OpenBLAS and which no reader's machine sets). Unlike chapter 7's dense
network (torch_best.py), whose time is all in OpenBLAS's products, a convolution is parallelised by PyTorch
itself on its intra-op threads: in float32 by oneDNN (MKL-DNN), in float64 (which oneDNN does not do) by its own
im2col + gemm path, which calls OpenBLAS for the products. Measured on the bench's 2-core machine (Debian's
PyTorch 1.13; training on 1,280 images, seconds scaled to 50,000, two rounds, intra-op × OpenBLAS threads):
float64 1×1 27–28 s, 2×1 16–20 s, 1×2 31–35 s, 2×2 48–142 s; float32 1×1 17–18 s, 2×1 10 s (once 117 s, a
disturbed run), 1×2 20–27 s, 2×2 18–163 s. The fastest on 2 cores is 2 intra-op threads with 1 OpenBLAS thread,
in both precisions (2 and 2 oversubscribe the cores), and on 1 core 1 and 1: the bench runs this script with
THREADS = 1 or 2 and one OpenBLAS thread.
"""
import sys
import time

import numpy as np
import torch


def load_idx(path):
    with open(path, "rb") as f:
        data = f.read()
    dims = [int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(data[3])]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * len(dims)).reshape(dims)


def load_mnist(mnist, dtype):
    """The first 50,000 training images and the last 10,000 (validation), as N×1×28×28 tensors in [0, 1]."""
    images = load_idx(mnist + "/train-images-idx3-ubyte").reshape(-1, 1, 28, 28) / 255.0
    labels = load_idx(mnist + "/train-labels-idx1-ubyte").astype(np.int64)
    X, Y = torch.tensor(images[:50000], dtype=dtype), torch.tensor(labels[:50000])
    Xval, Yval = torch.tensor(images[50000:], dtype=dtype), torch.tensor(labels[50000:])
    return X, Y, Xval, Yval


def build_model(dtype):
    nn = torch.nn
    model = nn.Sequential(
        nn.Conv2d(1, 20, kernel_size=5),  # 20×24×24
        nn.ReLU(),
        nn.MaxPool2d(2),  # 20×12×12
        nn.Conv2d(20, 40, kernel_size=5),  # 40×8×8
        nn.ReLU(),
        nn.MaxPool2d(2),  # 40×4×4
        nn.Flatten(),  # 640
        nn.Linear(640, 100),
        nn.ReLU(),
        nn.Linear(100, 10),  # softmax is in the loss
    ).to(dtype)
    for layer in model:
        if isinstance(layer, (nn.Conv2d, nn.Linear)):
            nn.init.kaiming_normal_(layer.weight, nonlinearity="relu")
            nn.init.zeros_(layer.bias)
    return model


def train_epoch(model, loss_fn, opt, X, Y, batch=64):
    model.train()
    order = torch.randperm(X.shape[0])
    for k in range(0, X.shape[0], batch):
        rows = order[k : k + batch]
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(X[rows]), Y[rows])
        loss.backward()
        opt.step()


def validate(model, loss_fn, Xval, Yval, slice_size=1000):
    """Correct classifications and the mean loss over the validation set."""
    model.eval()
    correct, total_loss = 0, 0.0
    with torch.no_grad():
        for k in range(0, Xval.shape[0], slice_size):
            scores = model(Xval[k : k + slice_size])
            labels = Yval[k : k + slice_size]
            total_loss += float(loss_fn(scores, labels)) * labels.shape[0]
            correct += int((scores.argmax(1) == labels).sum())
    return correct, total_loss / Xval.shape[0]


def main():
    mnist, epochs = sys.argv[1], int(sys.argv[2])
    dtype = getattr(torch, sys.argv[3]) if len(sys.argv) > 3 else torch.float64
    threads = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    X, Y, Xval, Yval = load_mnist(mnist, dtype)
    model = build_model(dtype)
    loss_fn = torch.nn.CrossEntropyLoss()  # softmax + cross-entropy, averaged over the batch
    opt = torch.optim.Adam(model.parameters(), lr=0.001)
    for epoch in range(epochs):
        start = time.perf_counter()
        train_epoch(model, loss_fn, opt, X, Y)
        correct, val_loss = validate(model, loss_fn, Xval, Yval)
        seconds = time.perf_counter() - start
        print(
            "Epoch %d: validation %d / 10000, loss %.4f  train %.3f s  (torch %s %s, %d threads)"
            % (epoch, correct, val_loss, seconds, torch.__version__, str(dtype), threads),
            flush=True,
        )


if __name__ == "__main__":
    main()
