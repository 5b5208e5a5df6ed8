// The library in a page, without Node (scripts/book/library-bundle.ts): its browser bundle holds no Node
// built-in, and in Chromium, inside a module Web Worker served from the loopback address (every other
// request blocked), it trains a small network to the same bits as Node, loads MNIST from the site's
// gzipped files with the same numbers, stops fit on the page's flag as Kernel ▸ Interrupt does, saves and
// loads a network through the page, and shows the same source. Twice: with cross-origin isolation (a
// shared memory) and without (a fixed, non-shared memory).
import { mkdtempSync, rmSync, writeFileSync, readFileSync, existsSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, normalize } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as L from "../../lib/src";
import {
  LIBRARY_BUNDLE_FILE,
  nodeBuiltinsIn,
  writeLibraryForBrowser,
  writeMnistData,
  type LibraryBundle,
} from "../../scripts/book/library-bundle";
import { launchBrowser, openGuardedPage, type GuardedPage } from "./render";

/**
 * Training that is arithmetic only (uniform draws, ReLU, a linear output, MSE, SGD, dropout): its bits
 * depend on the library's kernels alone, so a page must give Node's bits exactly.
 */
function trainArithmeticOnly(lib: typeof L) {
  const data = new lib.Random("bundle-data");
  const X = lib.Matrix.fromFunction(200, 784, () => (data.uniform() < 0.8 ? 0 : data.uniform()));
  const Y = lib.Matrix.fromFunction(200, 10, () => data.uniform());
  const net = new lib.Network({
    sizes: [784, 32, 10],
    hidden: "relu",
    output: "linear",
    loss: "mse",
    dropout: 0.2,
    random: new lib.Random("bundle-net"),
  });
  const init = new lib.Random("bundle-init"); // uniform weights: the normal draws use Math.log
  for (const layer of net.layers)
    for (const M of [layer.weights, layer.bias])
      for (let i = 0; i < M.data.length; i++) M.data[i] = init.uniform(-0.1, 0.1);
  const history = lib.fit(net, X, Y, {
    epochs: 2,
    batchSize: 32,
    optimizer: new lib.SGD({ learningRate: 0.01 }),
    random: new lib.Random("bundle-shuffle"),
    validation: { X, Y },
  });
  return {
    backend: lib.getBackend(),
    loss: history.loss,
    validationLoss: history.validationLoss,
    weights: net.layers.flatMap((layer) => [...layer.weights.data, ...layer.bias.data]),
  };
}

/**
 * Chapter 7's kind of training (He's normal initialisation, softmax, cross-entropy, Adam): it calls
 * Math.exp, Math.log and **, whose last bit differs between Node 20's V8 and a current Chromium's for a
 * few percent of arguments, so a page matches Node to about 1e-12, not bit for bit.
 */
function trainLikeChapter7(lib: typeof L) {
  const data = new lib.Random("bundle-data");
  const X = lib.Matrix.fromFunction(200, 784, () => (data.uniform() < 0.8 ? 0 : data.uniform()));
  const Y = lib.oneHot(
    Array.from({ length: 200 }, () => data.int(10)),
    10,
  );
  const net = new lib.Network({
    sizes: [784, 32, 10],
    hidden: "relu",
    output: "softmax",
    loss: "categoricalCrossEntropy",
    init: "he",
    dropout: 0.2,
    random: new lib.Random("bundle-net"),
  });
  const history = lib.fit(net, X, Y, {
    epochs: 2,
    batchSize: 32,
    optimizer: new lib.Adam({ learningRate: 0.001 }),
    random: new lib.Random("bundle-shuffle"),
    validation: { X, Y },
  });
  return {
    loss: history.loss,
    validationAccuracy: history.validationAccuracy,
    weights: net.layers.flatMap((layer) => [...layer.weights.data, ...layer.bias.data]),
  };
}

/**
 * A product whose operand B (10000×1000, 80 MB) is larger than the scratch space of a memory of fixed
 * size: without cross-origin isolation it runs on the TypeScript kernels, with it the shared memory
 * grows; either way the bits of Node's WebAssembly product.
 */
function largeProduct(lib: typeof L) {
  const draws = new lib.Random("large-product");
  const A = lib.Matrix.fromFunction(1, 10_000, () => draws.uniform(-1, 1));
  const B = lib.Matrix.fromFunction(10_000, 1000, () => draws.uniform(-1, 1));
  return Array.from(A.matmul(B).data);
}

/** The largest difference between two lists of numbers of the same length. */
function largestDifference(a: number[], b: number[]): number {
  expect(a).toHaveLength(b.length);
  return a.reduce((worst, v, i) => Math.max(worst, Math.abs(v - b[i])), 0);
}

/** MNIST as loadMnist gives it: sizes, the first labels, and sums of every pixel and label. */
function mnistSummary(lib: typeof L) {
  const mnist = lib.loadMnist();
  const sum = (bytes: Uint8Array) => bytes.reduce((s, b) => s + b, 0);
  return {
    counts: [mnist.train.count, mnist.validation.count, mnist.test.count],
    firstLabels: Array.from(mnist.train.labels.subarray(0, 20)),
    pixelSums: [sum(mnist.train.pixels), sum(mnist.validation.pixels), sum(mnist.test.pixels)],
    labelSums: [sum(mnist.train.labels), sum(mnist.test.labels)],
  };
}

/** The page's side only: Stop during fit, a download and its reload, the source, the backend line. */
function pageOnly(
  lib: typeof L & {
    setInterruptFlag(flag: Int32Array | null): void;
    setEnvironment(vars: Record<string, string>): void;
    addFile(file: Blob, name?: string): void;
    DOWNLOAD_MIME: string;
  },
  messages: { type: string; data: Record<string, unknown>; metadata: Record<string, unknown> }[],
) {
  const flag = new Int32Array(new ArrayBuffer(4)); // (the page's is shared; the check is the same)
  lib.setInterruptFlag(flag);
  const net = new lib.Network({ sizes: [4, 3, 2], random: new lib.Random("stop") });
  const X = lib.Matrix.fromFunction(40, 4, (i, j) => ((i * 7 + j * 3) % 5) / 5);
  const Y = lib.oneHot(
    Array.from({ length: 40 }, (_, i) => i % 2),
    2,
  );
  let stopped = "";
  try {
    lib.fit(net, X, Y, {
      epochs: 5,
      batchSize: 4,
      optimizer: new lib.SGD({ learningRate: 0.5 }),
      onBatch: ({ epoch, batch }) => {
        if (epoch === 2 && batch === 3) Atomics.store(flag, 0, 1); // the reader presses Stop
      },
    });
  } catch (error) {
    stopped = `${(error as Error).name}: ${(error as Error).message}`;
  }
  const epochsKept = net.history?.epochs.length;
  lib.saveNetwork(net, "stopped.json");
  const download = messages.find((m) => lib.DOWNLOAD_MIME in m.data);
  const text = JSON.stringify(lib.networkToJson(net));
  lib.addFile(new File([text], "picked.json")); // as the page does with a file the reader picks
  const reloaded = [
    lib.loadNetwork("stopped.json"),
    lib.loadNetwork("picked.json"),
    lib.loadNetwork(new Blob([text])),
  ];
  const sameWeights = reloaded.every((copy) =>
    copy.layers.every((layer, l) =>
      layer.weights.data.every((v, i) => Object.is(v, net.layers[l].weights.data[i])),
    ),
  );
  lib.setEnvironment({ GTD_LIVE_DEMO: "1" });
  const liveDemo = lib.env("GTD_LIVE_DEMO");
  lib.showSource("fit.ts", "fit");
  const shown = messages[messages.length - 1];
  return {
    stopped,
    epochsKept,
    flagAfter: flag[0],
    download: download?.data[lib.DOWNLOAD_MIME] as { name: string; mimeType: string } | undefined,
    sameWeights,
    liveDemo,
    fitSource: lib.librarySource("fit.ts", "fit"),
    shownType: shown.type,
    shownHtml: String(shown.data["text/html"] ?? ""),
    backend: lib.describeBackend(),
    numpy: lib.numpyCeiling(16).why ?? "",
    caches: lib.cacheLevels(),
    progress: messages.filter((m) => m.metadata.gtd === "progress").map((m) => m.type),
    mnistLine: String(
      messages.filter((m) => m.metadata.gtd === "progress").pop()?.data["text/plain"],
    ),
  };
}

/** The worker: imports the bundle, points it at the site, collects its output, runs the jobs it is sent. */
const WORKER = `
import * as lib from "./${LIBRARY_BUNDLE_FILE}";
const messages = [];
lib.setOutputHandler((message) => messages.push(message));
lib.setSiteRoot(new URL("./", self.location.href).href);
self.onmessage = ({ data }) => {
  try {
    const run = new Function("lib", "messages", "return (" + data + ")(lib, messages);");
    Promise.resolve(run(lib, messages)).then(
      (value) => self.postMessage({ ok: true, value }),
      (error) => self.postMessage({ ok: false, error: String(error && error.stack || error) }),
    );
  } catch (error) {
    self.postMessage({ ok: false, error: String(error && error.stack || error) });
  }
};
self.postMessage({ ok: true, value: "ready" });
`;

const PAGE = `<!DOCTYPE html><meta charset="utf-8"><title>library bundle</title><script type="module">
window.worker = new Worker("./worker.js", { type: "module" });
window.ready = new Promise((resolve, reject) => {
  worker.onmessage = ({ data }) => (data.ok ? resolve(data.value) : reject(new Error(data.error)));
  worker.onerror = (event) => reject(new Error(event.message || "the worker failed to start"));
});
window.run = (source) => new Promise((resolve, reject) => {
  worker.onmessage = ({ data }) => (data.ok ? resolve(data.value) : reject(new Error(data.error)));
  worker.postMessage(source);
});
</script>`;

/** Serves `dir` on the loopback address, under /isolated/ with the headers of cross-origin isolation. */
function serve(dir: string): Promise<{ server: Server; origin: string }> {
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    const isolated = url.pathname.startsWith("/isolated/");
    const file = normalize(join(dir, url.pathname.replace(/^\/(isolated|plain)\//, "/")));
    if (!file.startsWith(dir) || !existsSync(file) || file === dir) {
      response.writeHead(404).end();
      return;
    }
    const type = file.endsWith(".js")
      ? "text/javascript"
      : file.endsWith(".html")
        ? "text/html"
        : "application/octet-stream";
    response.writeHead(200, {
      "Content-Type": type,
      ...(isolated
        ? {
            "Cross-Origin-Opener-Policy": "same-origin",
            "Cross-Origin-Embedder-Policy": "require-corp",
          }
        : {}),
    });
    response.end(request.method === "HEAD" ? undefined : readFileSync(file));
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({ server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
    ),
  );
}

let dir: string;
let bundle: LibraryBundle;
let server: Server;
let origin: string;
let browser: Browser;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "gtd-library-bundle-"));
  bundle = await writeLibraryForBrowser(dir);
  writeMnistData(dir);
  writeFileSync(join(dir, "worker.js"), WORKER);
  writeFileSync(join(dir, "index.html"), PAGE);
  ({ server, origin } = await serve(dir));
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("the library's browser bundle", () => {
  it("holds no Node built-in, exports the page's hooks, and weighs what the README says", () => {
    expect(nodeBuiltinsIn(bundle.code)).toEqual([]);
    expect(nodeBuiltinsIn(bundle.helper)).toEqual([]);
    for (const hook of ["setOutputHandler", "setSiteRoot", "setEnvironment", "setInterruptFlag"])
      expect(bundle.code).toMatch(new RegExp(`\\b${hook}\\b`));
    // The check itself finds what it should, and not what sits in strings (the embedded sources).
    expect(
      nodeBuiltinsIn(
        `import a from "fs"; require("node:os"); process.env.X; const s = 'require("zlib")';` +
          ` const y = typeof process === "object" ? process.env.Y : 0;`,
      ),
    ).toEqual(['"fs"', '"node:os"', "process.env"]);
    console.log(
      `library bundle: ${bundle.bytes} bytes, ${bundle.gzipBytes} gzipped; kernels ${bundle.kernels["kernels.wasm"].length} bytes`,
    );
    expect(bundle.gzipBytes).toBeLessThan(400_000);
  });

  const node = {
    arithmetic: trainArithmeticOnly(L),
    chapter7: trainLikeChapter7(L),
    product: largeProduct(L),
    mnist: mnistSummary(L),
  };

  for (const mode of ["isolated", "plain"] as const) {
    it(`runs in a worker ${mode === "isolated" ? "with" : "without"} cross-origin isolation: the same bits as Node`, async () => {
      const guarded: GuardedPage = await openGuardedPage(browser, {
        allowOrigins: [origin],
      });
      try {
        const { page } = guarded;
        await page.goto(`${origin}/${mode}/index.html`);
        expect(
          await page.evaluate(() => (window as unknown as { ready: Promise<string> }).ready),
        ).toBe("ready");
        expect(await page.evaluate(() => crossOriginIsolated)).toBe(mode === "isolated");
        const run = <T>(fn: (...args: never[]) => T): Promise<T> =>
          page.evaluate(
            (source) => (window as unknown as { run(s: string): Promise<T> }).run(source),
            fn.toString(),
          ) as Promise<T>;
        // One helper thread where the page may share memory (this machine has 2 cores), none without.
        const threads = await run((lib: typeof L) => lib.prepareThreads(1));
        expect(threads).toBe(mode === "isolated" ? 2 : 1);
        const exact = await run(trainArithmeticOnly);
        expect(exact.backend).toBe("wasm");
        expect(exact.loss).toEqual(node.arithmetic.loss);
        expect(exact.validationLoss).toEqual(node.arithmetic.validationLoss);
        expect(exact.weights.every((v, i) => Object.is(v, node.arithmetic.weights[i]))).toBe(true);
        const close = await run(trainLikeChapter7);
        expect(close.validationAccuracy).toEqual(node.chapter7.validationAccuracy);
        expect(largestDifference(close.loss, node.chapter7.loss)).toBeLessThan(1e-12);
        const drift = largestDifference(close.weights, node.chapter7.weights);
        expect(drift).toBeLessThan(1e-12);
        console.log(`${mode}: chapter-7-like training differs from Node's by at most ${drift}`);
        const shares = await run((lib: typeof L) => lib.sharesOnHelpers());
        if (mode === "isolated") expect(shares).toBeGreaterThan(0);
        else expect(shares).toBe(0);
        const product = await run(largeProduct);
        expect(product.every((v, i) => Object.is(v, node.product[i]))).toBe(true);
        const mnist = await run(mnistSummary);
        expect(mnist).toEqual(node.mnist);
        const own = await run(pageOnly);
        expect(own.stopped).toBe(
          "TrainingInterrupted: fit: training interrupted in epoch 2, batch 4 of 10; the network keeps " +
            "the weights of its last completed step, and net.history has the 1 epoch completed so far " +
            "(call fit again to continue from here)",
        );
        expect(own.epochsKept).toBe(1);
        expect(own.flagAfter).toBe(0);
        expect(own.download).toMatchObject({ name: "stopped.json", mimeType: "application/json" });
        expect(own.sameWeights).toBe(true);
        expect(own.liveDemo).toBe("1");
        expect(own.fitSource).toBe(L.librarySource("fit.ts", "fit"));
        expect(own.shownType).toBe("display_data");
        expect(own.shownHtml).toContain("lib/src/networks/fit.ts · fit");
        expect(own.progress).toEqual(["display_data", "update_display_data"]);
        expect(own.numpy).toMatch(
          /^\/usr\/bin\/python3 could not run \(a page cannot start programs/,
        );
        expect(own.caches).toEqual({
          levels: null,
          why: "a page cannot list the folder /sys/devices/system/cpu/cpu0/cache, where Linux describes the caches",
        });
        expect(own.backend).toMatch(
          mode === "isolated"
            ? /^wasm \(WebAssembly SIMD on a shared memory; 2 threads\)$/
            : /^wasm \(WebAssembly SIMD on a memory of fixed size, not shared, for want of cross-origin isolation .*; 1 thread: helper threads need cross-origin isolation \(shared memory\)\)$/,
        );
        console.log(
          `${mode}: ${own.backend}\n${mode}: ${own.mnistLine}\n${mode}: ${shares} shares of products ran on a helper`,
        );
        expect(own.mnistLine).toMatch(
          /^Loaded MNIST from data\/mnist in [\d.]+ s: 60000 training and 10000 test images$/,
        );
        expect(guarded.errors).toEqual([]);
        expect(guarded.blocked).toEqual([]);
      } finally {
        await guarded.context.close();
      }
    }, 60_000);
  }
});
