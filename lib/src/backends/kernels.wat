;; The WebAssembly backend's kernels, in 128-bit SIMD (f64x2: two doubles per register).
;; scripts/build-wasm.js assembles this file into lib/build/kernels.wasm at build time; wasm.ts
;; (backends/) checks every export's arity against its KERNELS table when it loads the module,
;; copies the operands that do not already live in this module's memory, calls one function and
;; copies the result back.
;;
;; Same bits as the TypeScript backend. Every entry of C is summed over p in exactly the order the
;; TypeScript kernels use, so the vectors run across entries of C (the two lanes are neighbouring
;; entries), never along a sum, and no fused multiply-add is used: f64x2.mul then f64x2.add round
;; twice, as JavaScript does. Skipping products with a zero factor cannot change a sum
;; (x + (±0)·y = x for finite y), so the zero-skipping kernels agree with the dense ones, up to the
;; sign of a zero result. The tiles differ from the TypeScript twins' (more sums fit in registers
;; here); the order of each sum does not.
;;
;; | export     | TypeScript twin          | tile of C, per step          | called by (wasm.ts)        |
;; |------------|--------------------------|------------------------------|----------------------------|
;; | all_finite | kernels.ts allFinite     | 4 entries                    | allFinite, gemm's axpy form|
;; | pack_rows  | kernels.ts packSparseRows| 4 rows of B × 1 vector       | gemm, axpy form            |
;; | axpy       | axpyDense / axpySparse   | 4 rows × 2 columns           | gemm, axpy form (XW, dZᵀX) |
;; | dot_dense  | kernels.ts dotDense      | 2 rows × 8 columns (ts: 2×4) | gemm, dot form (X·Wᵀ)      |
;; | pack_dot   | packSparseDotRows        | 2 entries                    | gemm, dot form             |
;; | dot_sparse | kernels.ts dotSparse     | 1 row × 8 columns            | gemm, dot form             |
;; | add_scaled | js.ts addScaled          | 2 entries (ts: 4)            | Matrix.addInPlace, SGD     |
;; | adam       | js.ts adamStep           | 2 entries (ts: 1)            | Adam.step                  |
;; | arc4_fill  | arc4.ts arc4Fill         | 1 draw (serial by nature)    | Random's draws, dropout    |
;; | peak       | none (a measuring stick) | 12 vectors in registers      | timing.ts, chapter 8       |
;;
;; When zeros are skipped. The axpy form always goes through pack_rows, which lists only the vector
;; positions where a group of four rows of B is not all zero (every position when zeros may not be
;; skipped), so the WebAssembly axpy skips zeros 4 rows × 2 columns at a time; the TypeScript
;; backend chooses between axpyDense and axpySparse (1 column at a time) with SPARSE_AXPY_LIMIT =
;; 0.75. The dot form switches to dot_sparse below WASM_SPARSE_DOT_LIMIT = 0.35 of non-zero entries
;; (wasm.ts), the TypeScript backend below SPARSE_DOT_LIMIT = 0.5: each limit is where that
;; backend's two kernels cost the same (chapter 8, exercise 3), and the bits do not depend on it.
;;
;; Units: addresses and strides (rs, cs, ldb, ldc, kb) are in bytes; counts (m, k, n, nv) in entries.
;; The scratch lists of the zero-skipping kernels always come in the order idx, start, val.
(module
  ;; wasm.ts makes the memory: shared, so that growing it never detaches the views JavaScript holds
  ;; into it (the parameters, gradients and optimiser state that live here between products).
  (import "env" "memory" (memory 1 65536 shared))

  ;; 1 if none of the n doubles at x is NaN or ±∞, else 0. x·0 is 0 for a finite x and NaN
  ;; otherwise, so a sum of them tells without a branch per entry.
  (func (export "all_finite") (param $x i32) (param $n i32) (result i32)
    (local $end i32) (local $quads i32) (local $s0 v128) (local $s1 v128)
    ;; two sums, four doubles a step: one sum would wait for the previous addition every step
    (local.set $quads
      (i32.add (local.get $x) (i32.shl (i32.shr_u (local.get $n) (i32.const 2)) (i32.const 5))))
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 3))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $x) (local.get $quads)))
        (local.set $s0
          (f64x2.add (local.get $s0)
            (f64x2.mul (v128.load offset=0 (local.get $x)) (f64x2.splat (f64.const 0)))))
        (local.set $s1
          (f64x2.add (local.get $s1)
            (f64x2.mul (v128.load offset=16 (local.get $x)) (f64x2.splat (f64.const 0)))))
        (local.set $x (i32.add (local.get $x) (i32.const 32)))
        (br $next)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
        (local.set $s0
          (f64x2.add (local.get $s0)
            (f64x2.mul (v128.load64_zero (local.get $x)) (f64x2.splat (f64.const 0)))))
        (local.set $x (i32.add (local.get $x) (i32.const 8)))
        (br $next)))
    (local.set $s0 (f64x2.add (local.get $s0) (local.get $s1)))
    (f64.eq (f64.add (f64x2.extract_lane 0 (local.get $s0)) (f64x2.extract_lane 1 (local.get $s0)))
            (f64.const 0)))

  ;; ---------------------------------------------------------------- axpy form: C += alpha·op(A)·B
  ;;
  ;; B (k rows of nv two-double vectors, row stride $ldb) is first packed by pack_rows the way
  ;; kernels.ts's axpyDense reads it: rows of B in groups of four, then the k mod 4 single rows.
  ;; For each group, a list of the vector positions (byte offsets within a row) where any of the
  ;; four rows is non-zero, each with its four vectors side by side (64 bytes); then, for each
  ;; single row, the positions where it is non-zero, with its vector (16 bytes). With $skip = 0
  ;; every position is listed (used when op(A) has a NaN or ±∞, since 0·∞ must stay NaN).
  ;; $start gets k/4 + k mod 4 + 1 list boundaries. Returns the number of vectors listed.
  (func (export "pack_rows")
    (param $b i32) (param $k i32) (param $nv i32) (param $ldb i32) (param $skip i32)
    (param $idx i32) (param $start i32) (param $val i32) (result i32)
    (local $groups i32) (local $g i32) (local $row i32) (local $off i32) (local $end i32)
    (local $count i32) (local $listed i32) (local $y0 v128) (local $y1 v128) (local $y2 v128) (local $y3 v128)
    (local.set $groups (i32.shr_u (local.get $k) (i32.const 2)))
    (local.set $end (i32.shl (local.get $nv) (i32.const 4)))
    ;; groups of four rows
    (block $groups_done
      (loop $group
        (br_if $groups_done (i32.ge_u (local.get $g) (local.get $groups)))
        (i32.store (i32.add (local.get $start) (i32.shl (local.get $g) (i32.const 2))) (local.get $count))
        (local.set $row
          (i32.add (local.get $b) (i32.mul (i32.shl (local.get $g) (i32.const 2)) (local.get $ldb))))
        (local.set $off (i32.const 0))
        (block $row_done
          (loop $position
            (br_if $row_done (i32.ge_u (local.get $off) (local.get $end)))
            (local.set $y0 (v128.load (i32.add (local.get $row) (local.get $off))))
            (local.set $y1 (v128.load (i32.add (i32.add (local.get $row) (local.get $ldb)) (local.get $off))))
            (local.set $y2 (v128.load (i32.add (i32.add (local.get $row)
              (i32.shl (local.get $ldb) (i32.const 1))) (local.get $off))))
            (local.set $y3 (v128.load (i32.add (i32.add (local.get $row)
              (i32.mul (local.get $ldb) (i32.const 3))) (local.get $off))))
            ;; f64x2.ne against 0 is all ones in a lane that is non-zero (or NaN, which must be kept)
            (if (i32.or (i32.eqz (local.get $skip))
                  (v128.any_true (v128.or
                    (v128.or (f64x2.ne (local.get $y0) (v128.const i64x2 0 0))
                      (f64x2.ne (local.get $y1) (v128.const i64x2 0 0)))
                    (v128.or (f64x2.ne (local.get $y2) (v128.const i64x2 0 0))
                      (f64x2.ne (local.get $y3) (v128.const i64x2 0 0))))))
              (then
                (i32.store (i32.add (local.get $idx) (i32.shl (local.get $count) (i32.const 2)))
                  (local.get $off))
                (local.set $listed (i32.add (local.get $val) (i32.shl (local.get $count) (i32.const 6))))
                (v128.store offset=0 (local.get $listed) (local.get $y0))
                (v128.store offset=16 (local.get $listed) (local.get $y1))
                (v128.store offset=32 (local.get $listed) (local.get $y2))
                (v128.store offset=48 (local.get $listed) (local.get $y3))
                (local.set $count (i32.add (local.get $count) (i32.const 1)))))
            (local.set $off (i32.add (local.get $off) (i32.const 16)))
            (br $position)))
        (local.set $g (i32.add (local.get $g) (i32.const 1)))
        (br $group)))
    ;; the single rows: their vectors follow the groups' (at $val + 64·count of group entries)
    (local.set $val (i32.add (local.get $val) (i32.shl (local.get $count) (i32.const 6))))
    (local.set $listed (local.get $count))
    (block $singles_done
      (loop $single
        (br_if $singles_done
          (i32.ge_u
            (i32.add (i32.shl (local.get $groups) (i32.const 2)) (i32.sub (local.get $g) (local.get $groups)))
            (local.get $k)))
        (i32.store (i32.add (local.get $start) (i32.shl (local.get $g) (i32.const 2))) (local.get $count))
        (local.set $row (i32.add (local.get $b)
          (i32.mul
            (i32.add (i32.shl (local.get $groups) (i32.const 2)) (i32.sub (local.get $g) (local.get $groups)))
            (local.get $ldb))))
        (local.set $off (i32.const 0))
        (block $row_done
          (loop $position
            (br_if $row_done (i32.ge_u (local.get $off) (local.get $end)))
            (local.set $y0 (v128.load (i32.add (local.get $row) (local.get $off))))
            (if (i32.or (i32.eqz (local.get $skip))
                        (v128.any_true (f64x2.ne (local.get $y0) (v128.const i64x2 0 0))))
              (then
                (i32.store (i32.add (local.get $idx) (i32.shl (local.get $count) (i32.const 2)))
                  (local.get $off))
                (v128.store
                  (i32.add (local.get $val)
                    (i32.shl (i32.sub (local.get $count) (local.get $listed)) (i32.const 4))) (local.get $y0))
                (local.set $count (i32.add (local.get $count) (i32.const 1)))))
            (local.set $off (i32.add (local.get $off) (i32.const 16)))
            (br $position)))
        (local.set $g (i32.add (local.get $g) (i32.const 1)))
        (br $single)))
    (i32.store (i32.add (local.get $start) (i32.shl (local.get $g) (i32.const 2))) (local.get $count))
    (local.get $count))

  ;; C += alpha·op(A)·B for op(A) m×k, B packed by pack_rows, C m rows of stride $ldc. op(A)(i, p) is
  ;; the double at $a + i·$rs + p·$cs. Rows of C go four at a time (each vector of B loaded serves
  ;; four rows); when m is not a multiple of 4, the missing rows of the last four are stand-ins: row
  ;; i of op(A) again, written to the scratch row at $spare, whose results are never read.
  (func (export "axpy")
    (param $a i32) (param $rs i32) (param $cs i32) (param $m i32) (param $k i32)
    (param $c i32) (param $ldc i32) (param $alpha f64)
    (param $idx i32) (param $start i32) (param $val i32) (param $spare i32)
    (local $i i32) (local $ai i32) (local $ci i32) (local $left i32)
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $i) (local.get $m)))
        (local.set $ai (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $rs))))
        (local.set $ci (i32.add (local.get $c) (i32.mul (local.get $i) (local.get $ldc))))
        (local.set $left (i32.sub (local.get $m) (local.get $i)))
        (call $axpy4
          (local.get $ai)
          (call $row0 (local.get $ai) (local.get $rs) (i32.const 1) (local.get $left))
          (call $row0 (local.get $ai) (local.get $rs) (i32.const 2) (local.get $left))
          (call $row0 (local.get $ai) (local.get $rs) (i32.const 3) (local.get $left))
          (local.get $ci)
          (call $row (local.get $ci) (local.get $ldc) (i32.const 1) (local.get $left) (local.get $spare))
          (call $row (local.get $ci) (local.get $ldc) (i32.const 2) (local.get $left) (local.get $spare))
          (call $row (local.get $ci) (local.get $ldc) (i32.const 3) (local.get $left) (local.get $spare))
          (local.get $cs) (local.get $k) (local.get $alpha)
          (local.get $idx) (local.get $start) (local.get $val))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $rows))))

  ;; Four rows of C (at $c, $c1, $c2, $c3) from four rows of op(A) (at $a, $a1, $a2, $a3), whose
  ;; entries are $cs bytes apart. For each group of four rows of B:
  ;;   C(r, ·) += ((s_r0·y0 + s_r1·y1) + s_r2·y2) + s_r3·y3,  s_rq = alpha·op(A)(r, p+q),
  ;; exactly as kernels.ts adds them; then each single row of B: C(r, ·) += s_r·y.
  (func $axpy4
    (param $a i32) (param $a1 i32) (param $a2 i32) (param $a3 i32)
    (param $c i32) (param $c1 i32) (param $c2 i32) (param $c3 i32)
    (param $cs i32) (param $k i32) (param $alpha f64) (param $idx i32) (param $start i32) (param $val i32)
    (local $groups i32) (local $g i32) (local $t i32) (local $end i32) (local $q i32) (local $v i32)
      (local $o i32)
    (local $s00 v128) (local $s01 v128) (local $s02 v128) (local $s03 v128)
    (local $s10 v128) (local $s11 v128) (local $s12 v128) (local $s13 v128)
    (local $s20 v128) (local $s21 v128) (local $s22 v128) (local $s23 v128)
    (local $s30 v128) (local $s31 v128) (local $s32 v128) (local $s33 v128)
    (local $y0 v128) (local $y1 v128) (local $y2 v128) (local $y3 v128) (local $singles i32)
    (local.set $groups (i32.shr_u (local.get $k) (i32.const 2)))
    (block $groups_done
      (loop $group
        (br_if $groups_done (i32.ge_u (local.get $g) (local.get $groups)))
        ;; q: byte offset of op(A)(·, 4g) within a row of op(A)
        (local.set $q (i32.mul (i32.shl (local.get $g) (i32.const 2)) (local.get $cs)))
        (local.set $s00 (call $scaled (local.get $alpha) (i32.add (local.get $a) (local.get $q))))
        (local.set $s10 (call $scaled (local.get $alpha) (i32.add (local.get $a1) (local.get $q))))
        (local.set $s20 (call $scaled (local.get $alpha) (i32.add (local.get $a2) (local.get $q))))
        (local.set $s30 (call $scaled (local.get $alpha) (i32.add (local.get $a3) (local.get $q))))
        (local.set $q (i32.add (local.get $q) (local.get $cs)))
        (local.set $s01 (call $scaled (local.get $alpha) (i32.add (local.get $a) (local.get $q))))
        (local.set $s11 (call $scaled (local.get $alpha) (i32.add (local.get $a1) (local.get $q))))
        (local.set $s21 (call $scaled (local.get $alpha) (i32.add (local.get $a2) (local.get $q))))
        (local.set $s31 (call $scaled (local.get $alpha) (i32.add (local.get $a3) (local.get $q))))
        (local.set $q (i32.add (local.get $q) (local.get $cs)))
        (local.set $s02 (call $scaled (local.get $alpha) (i32.add (local.get $a) (local.get $q))))
        (local.set $s12 (call $scaled (local.get $alpha) (i32.add (local.get $a1) (local.get $q))))
        (local.set $s22 (call $scaled (local.get $alpha) (i32.add (local.get $a2) (local.get $q))))
        (local.set $s32 (call $scaled (local.get $alpha) (i32.add (local.get $a3) (local.get $q))))
        (local.set $q (i32.add (local.get $q) (local.get $cs)))
        (local.set $s03 (call $scaled (local.get $alpha) (i32.add (local.get $a) (local.get $q))))
        (local.set $s13 (call $scaled (local.get $alpha) (i32.add (local.get $a1) (local.get $q))))
        (local.set $s23 (call $scaled (local.get $alpha) (i32.add (local.get $a2) (local.get $q))))
        (local.set $s33 (call $scaled (local.get $alpha) (i32.add (local.get $a3) (local.get $q))))
        (local.set $t (i32.load (i32.add (local.get $start) (i32.shl (local.get $g) (i32.const 2)))))
        (local.set $end
          (i32.load
            (i32.add (local.get $start) (i32.shl (i32.add (local.get $g) (i32.const 1)) (i32.const 2)))))
        (block $list_done
          (loop $entry
            (br_if $list_done (i32.ge_u (local.get $t) (local.get $end)))
            (local.set $o (i32.load (i32.add (local.get $idx) (i32.shl (local.get $t) (i32.const 2)))))
            (local.set $v (i32.add (local.get $val) (i32.shl (local.get $t) (i32.const 6))))
            (local.set $y0 (v128.load offset=0 (local.get $v)))
            (local.set $y1 (v128.load offset=16 (local.get $v)))
            (local.set $y2 (v128.load offset=32 (local.get $v)))
            (local.set $y3 (v128.load offset=48 (local.get $v)))
            (local.set $v (i32.add (local.get $c) (local.get $o)))
            (v128.store (local.get $v) (f64x2.add (v128.load (local.get $v))
              (f64x2.add (f64x2.add (f64x2.add (f64x2.mul (local.get $s00) (local.get $y0))
                                               (f64x2.mul (local.get $s01) (local.get $y1)))
                                    (f64x2.mul (local.get $s02) (local.get $y2)))
                         (f64x2.mul (local.get $s03) (local.get $y3)))))
            (local.set $v (i32.add (local.get $c1) (local.get $o)))
            (v128.store (local.get $v) (f64x2.add (v128.load (local.get $v))
              (f64x2.add (f64x2.add (f64x2.add (f64x2.mul (local.get $s10) (local.get $y0))
                                               (f64x2.mul (local.get $s11) (local.get $y1)))
                                    (f64x2.mul (local.get $s12) (local.get $y2)))
                         (f64x2.mul (local.get $s13) (local.get $y3)))))
            (local.set $v (i32.add (local.get $c2) (local.get $o)))
            (v128.store (local.get $v) (f64x2.add (v128.load (local.get $v))
              (f64x2.add (f64x2.add (f64x2.add (f64x2.mul (local.get $s20) (local.get $y0))
                                               (f64x2.mul (local.get $s21) (local.get $y1)))
                                    (f64x2.mul (local.get $s22) (local.get $y2)))
                         (f64x2.mul (local.get $s23) (local.get $y3)))))
            (local.set $v (i32.add (local.get $c3) (local.get $o)))
            (v128.store (local.get $v) (f64x2.add (v128.load (local.get $v))
              (f64x2.add (f64x2.add (f64x2.add (f64x2.mul (local.get $s30) (local.get $y0))
                                               (f64x2.mul (local.get $s31) (local.get $y1)))
                                    (f64x2.mul (local.get $s32) (local.get $y2)))
                         (f64x2.mul (local.get $s33) (local.get $y3)))))
            (local.set $t (i32.add (local.get $t) (i32.const 1)))
            (br $entry)))
        (local.set $g (i32.add (local.get $g) (i32.const 1)))
        (br $group)))
    ;; the single rows of B; their vectors start after the groups' (64 bytes per group entry)
    (local.set $singles (i32.load (i32.add (local.get $start) (i32.shl (local.get $groups) (i32.const 2)))))
    (local.set $val (i32.sub (i32.add (local.get $val) (i32.shl (local.get $singles) (i32.const 6)))
                             (i32.shl (local.get $singles) (i32.const 4))))
    (block $singles_done
      (loop $single
        (br_if $singles_done
          (i32.ge_u
            (i32.add (i32.shl (local.get $groups) (i32.const 2)) (i32.sub (local.get $g) (local.get $groups)))
            (local.get $k)))
        (local.set $q
          (i32.mul
            (i32.add (i32.shl (local.get $groups) (i32.const 2)) (i32.sub (local.get $g) (local.get $groups)))
            (local.get $cs)))
        (local.set $s00 (call $scaled (local.get $alpha) (i32.add (local.get $a) (local.get $q))))
        (local.set $s10 (call $scaled (local.get $alpha) (i32.add (local.get $a1) (local.get $q))))
        (local.set $s20 (call $scaled (local.get $alpha) (i32.add (local.get $a2) (local.get $q))))
        (local.set $s30 (call $scaled (local.get $alpha) (i32.add (local.get $a3) (local.get $q))))
        (local.set $t (i32.load (i32.add (local.get $start) (i32.shl (local.get $g) (i32.const 2)))))
        (local.set $end
          (i32.load
            (i32.add (local.get $start) (i32.shl (i32.add (local.get $g) (i32.const 1)) (i32.const 2)))))
        (block $list_done
          (loop $entry
            (br_if $list_done (i32.ge_u (local.get $t) (local.get $end)))
            (local.set $o (i32.load (i32.add (local.get $idx) (i32.shl (local.get $t) (i32.const 2)))))
            ;; $val was shifted above so that entry t's vector is at $val + 16·t
            (local.set $y0 (v128.load (i32.add (local.get $val) (i32.shl (local.get $t) (i32.const 4)))))
            (local.set $v (i32.add (local.get $c) (local.get $o)))
            (v128.store (local.get $v)
              (f64x2.add (v128.load (local.get $v)) (f64x2.mul (local.get $s00) (local.get $y0))))
            (local.set $v (i32.add (local.get $c1) (local.get $o)))
            (v128.store (local.get $v)
              (f64x2.add (v128.load (local.get $v)) (f64x2.mul (local.get $s10) (local.get $y0))))
            (local.set $v (i32.add (local.get $c2) (local.get $o)))
            (v128.store (local.get $v)
              (f64x2.add (v128.load (local.get $v)) (f64x2.mul (local.get $s20) (local.get $y0))))
            (local.set $v (i32.add (local.get $c3) (local.get $o)))
            (v128.store (local.get $v)
              (f64x2.add (v128.load (local.get $v)) (f64x2.mul (local.get $s30) (local.get $y0))))
            (local.set $t (i32.add (local.get $t) (i32.const 1)))
            (br $entry)))
        (local.set $g (i32.add (local.get $g) (i32.const 1)))
        (br $single))))


  ;; ---------------------------------------------------------------- dot form: C = alpha·A·Bᵀ + beta·C
  ;;
  ;; C(i, j) is the dot product of row i of A and row j of B (A m×k, B n×k, both rows contiguous),
  ;; summed over p in order from 0, as kernels.ts's dotDense does. A vector holds C(i, j) and
  ;; C(i, j+1), so its second factor takes one double from each of two rows of B (load64_lane).
  ;; Tiles of 2 rows × 8 columns keep 8 vector sums in registers; at the bottom and right edges a
  ;; missing row is replaced by a valid one and its sums are not stored.
  (func (export "dot_dense")
    (param $a i32) (param $b i32) (param $c i32) (param $m i32) (param $k i32) (param $n i32)
    (param $alpha f64) (param $beta f64)
    (local $i i32) (local $j i32) (local $p i32) (local $kb i32) (local $a0 i32) (local $a1 i32)
    (local $b0 i32) (local $b1 i32) (local $b2 i32) (local $b3 i32) (local $b4 i32) (local $b5 i32)
      (local $b6 i32) (local $b7 i32) (local $left i32)
    (local $x0 v128) (local $x1 v128) (local $y0 v128) (local $y1 v128) (local $y2 v128) (local $y3 v128)
    (local $s00 v128) (local $s01 v128) (local $s02 v128) (local $s03 v128)
    (local $s10 v128) (local $s11 v128) (local $s12 v128) (local $s13 v128)
    (local.set $kb (i32.shl (local.get $k) (i32.const 3)))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $i) (local.get $m)))
        (local.set $a0 (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $kb))))
        (local.set $a1 (call $row0 (local.get $a0) (local.get $kb) (i32.const 1)
          (i32.sub (local.get $m) (local.get $i))))
        (local.set $j (i32.const 0))
        (block $cols_done
          (loop $cols
            (br_if $cols_done (i32.ge_u (local.get $j) (local.get $n)))
            (local.set $b0 (i32.add (local.get $b) (i32.mul (local.get $j) (local.get $kb))))
            (local.set $left (i32.sub (local.get $n) (local.get $j))) ;; columns of C left, from j
            (local.set $b1 (call $row0 (local.get $b0) (local.get $kb) (i32.const 1) (local.get $left)))
            (local.set $b2 (call $row0 (local.get $b0) (local.get $kb) (i32.const 2) (local.get $left)))
            (local.set $b3 (call $row0 (local.get $b0) (local.get $kb) (i32.const 3) (local.get $left)))
            (local.set $b4 (call $row0 (local.get $b0) (local.get $kb) (i32.const 4) (local.get $left)))
            (local.set $b5 (call $row0 (local.get $b0) (local.get $kb) (i32.const 5) (local.get $left)))
            (local.set $b6 (call $row0 (local.get $b0) (local.get $kb) (i32.const 6) (local.get $left)))
            (local.set $b7 (call $row0 (local.get $b0) (local.get $kb) (i32.const 7) (local.get $left)))
            (local.set $s00 (v128.const i64x2 0 0)) (local.set $s01 (v128.const i64x2 0 0))
            (local.set $s02 (v128.const i64x2 0 0)) (local.set $s03 (v128.const i64x2 0 0))
            (local.set $s10 (v128.const i64x2 0 0)) (local.set $s11 (v128.const i64x2 0 0))
            (local.set $s12 (v128.const i64x2 0 0)) (local.set $s13 (v128.const i64x2 0 0))
            (local.set $p (i32.const 0))
            (block $sum_done
              (loop $sum
                (br_if $sum_done (i32.ge_u (local.get $p) (local.get $kb)))
                (local.set $x0 (v128.load64_splat (i32.add (local.get $a0) (local.get $p))))
                (local.set $x1 (v128.load64_splat (i32.add (local.get $a1) (local.get $p))))
                (local.set $y0
                  (v128.load64_lane 1 (i32.add (local.get $b1) (local.get $p))
                    (v128.load64_zero (i32.add (local.get $b0) (local.get $p)))))
                (local.set $y1
                  (v128.load64_lane 1 (i32.add (local.get $b3) (local.get $p))
                    (v128.load64_zero (i32.add (local.get $b2) (local.get $p)))))
                (local.set $y2
                  (v128.load64_lane 1 (i32.add (local.get $b5) (local.get $p))
                    (v128.load64_zero (i32.add (local.get $b4) (local.get $p)))))
                (local.set $y3
                  (v128.load64_lane 1 (i32.add (local.get $b7) (local.get $p))
                    (v128.load64_zero (i32.add (local.get $b6) (local.get $p)))))
                (local.set $s00 (f64x2.add (local.get $s00) (f64x2.mul (local.get $x0) (local.get $y0))))
                (local.set $s01 (f64x2.add (local.get $s01) (f64x2.mul (local.get $x0) (local.get $y1))))
                (local.set $s02 (f64x2.add (local.get $s02) (f64x2.mul (local.get $x0) (local.get $y2))))
                (local.set $s03 (f64x2.add (local.get $s03) (f64x2.mul (local.get $x0) (local.get $y3))))
                (local.set $s10 (f64x2.add (local.get $s10) (f64x2.mul (local.get $x1) (local.get $y0))))
                (local.set $s11 (f64x2.add (local.get $s11) (f64x2.mul (local.get $x1) (local.get $y1))))
                (local.set $s12 (f64x2.add (local.get $s12) (f64x2.mul (local.get $x1) (local.get $y2))))
                (local.set $s13 (f64x2.add (local.get $s13) (f64x2.mul (local.get $x1) (local.get $y3))))
                (local.set $p (i32.add (local.get $p) (i32.const 8)))
                (br $sum)))
            (call $store8 (call $entry (local.get $c) (local.get $i) (local.get $n) (local.get $j))
              (i32.sub (local.get $n) (local.get $j)) (local.get $alpha) (local.get $beta)
              (local.get $s00) (local.get $s01) (local.get $s02) (local.get $s03))
            (if (i32.lt_u (i32.add (local.get $i) (i32.const 1)) (local.get $m))
              (then (call $store8
                (call $entry (local.get $c) (i32.add (local.get $i) (i32.const 1))
                  (local.get $n) (local.get $j))
                (i32.sub (local.get $n) (local.get $j)) (local.get $alpha) (local.get $beta)
                (local.get $s10) (local.get $s11) (local.get $s12) (local.get $s13))))
            (local.set $j (i32.add (local.get $j) (i32.const 8)))
            (br $cols)))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $rows))))

  ;; Zero-skipping twin of dot_dense for an A packed by pack_dot: row i's sum runs over the entries
  ;; where A(i, p) ≠ 0, in order of p. Tiles are 1 row × 8 columns: rows of A no longer share p.
  (func (export "dot_sparse")
    (param $b i32) (param $c i32) (param $m i32) (param $k i32) (param $n i32)
    (param $alpha f64) (param $beta f64) (param $idx i32) (param $start i32) (param $val i32)
    (local $i i32) (local $j i32) (local $t i32) (local $first i32) (local $end i32) (local $kb i32)
      (local $o i32)
    (local $b0 i32) (local $b1 i32) (local $b2 i32) (local $b3 i32) (local $b4 i32) (local $b5 i32)
      (local $b6 i32) (local $b7 i32) (local $left i32)
    (local $x v128) (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128)
    (local.set $kb (i32.shl (local.get $k) (i32.const 3)))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $i) (local.get $m)))
        (local.set $first (i32.load (i32.add (local.get $start) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $end
          (i32.load
            (i32.add (local.get $start) (i32.shl (i32.add (local.get $i) (i32.const 1)) (i32.const 2)))))
        (local.set $j (i32.const 0))
        (block $cols_done
          (loop $cols
            (br_if $cols_done (i32.ge_u (local.get $j) (local.get $n)))
            (local.set $b0 (i32.add (local.get $b) (i32.mul (local.get $j) (local.get $kb))))
            (local.set $left (i32.sub (local.get $n) (local.get $j))) ;; columns of C left, from j
            (local.set $b1 (call $row0 (local.get $b0) (local.get $kb) (i32.const 1) (local.get $left)))
            (local.set $b2 (call $row0 (local.get $b0) (local.get $kb) (i32.const 2) (local.get $left)))
            (local.set $b3 (call $row0 (local.get $b0) (local.get $kb) (i32.const 3) (local.get $left)))
            (local.set $b4 (call $row0 (local.get $b0) (local.get $kb) (i32.const 4) (local.get $left)))
            (local.set $b5 (call $row0 (local.get $b0) (local.get $kb) (i32.const 5) (local.get $left)))
            (local.set $b6 (call $row0 (local.get $b0) (local.get $kb) (i32.const 6) (local.get $left)))
            (local.set $b7 (call $row0 (local.get $b0) (local.get $kb) (i32.const 7) (local.get $left)))
            (local.set $s0 (v128.const i64x2 0 0)) (local.set $s1 (v128.const i64x2 0 0))
            (local.set $s2 (v128.const i64x2 0 0)) (local.set $s3 (v128.const i64x2 0 0))
            (local.set $t (local.get $first))
            (block $sum_done
              (loop $sum
                (br_if $sum_done (i32.ge_u (local.get $t) (local.get $end)))
                ;; o = 8·p for the t-th non-zero A(i, p); x = A(i, p) in both lanes
                (local.set $o (i32.load (i32.add (local.get $idx) (i32.shl (local.get $t) (i32.const 2)))))
                (local.set $x
                  (v128.load64_splat (i32.add (local.get $val) (i32.shl (local.get $t) (i32.const 3)))))
                (local.set $s0 (f64x2.add (local.get $s0) (f64x2.mul (local.get $x)
                  (v128.load64_lane 1 (i32.add (local.get $b1) (local.get $o))
                    (v128.load64_zero (i32.add (local.get $b0) (local.get $o)))))))
                (local.set $s1 (f64x2.add (local.get $s1) (f64x2.mul (local.get $x)
                  (v128.load64_lane 1 (i32.add (local.get $b3) (local.get $o))
                    (v128.load64_zero (i32.add (local.get $b2) (local.get $o)))))))
                (local.set $s2 (f64x2.add (local.get $s2) (f64x2.mul (local.get $x)
                  (v128.load64_lane 1 (i32.add (local.get $b5) (local.get $o))
                    (v128.load64_zero (i32.add (local.get $b4) (local.get $o)))))))
                (local.set $s3 (f64x2.add (local.get $s3) (f64x2.mul (local.get $x)
                  (v128.load64_lane 1 (i32.add (local.get $b7) (local.get $o))
                    (v128.load64_zero (i32.add (local.get $b6) (local.get $o)))))))
                (local.set $t (i32.add (local.get $t) (i32.const 1)))
                (br $sum)))
            (call $store8 (call $entry (local.get $c) (local.get $i) (local.get $n) (local.get $j))
              (i32.sub (local.get $n) (local.get $j)) (local.get $alpha) (local.get $beta)
              (local.get $s0) (local.get $s1) (local.get $s2) (local.get $s3))
            (local.set $j (i32.add (local.get $j) (i32.const 8)))
            (br $cols)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))

  ;; Packs the non-zero entries of each row of A (m×k) for dot_sparse: byte offsets 8·p at $idx,
  ;; values at $val, row boundaries at $start (m + 1 of them). Returns the number of entries.
  (func (export "pack_dot")
    (param $a i32) (param $m i32) (param $k i32) (param $idx i32) (param $start i32) (param $val i32)
    (result i32)
    (local $i i32) (local $p i32) (local $kb i32) (local $row i32) (local $count i32) (local $x f64)
    (local.set $kb (i32.shl (local.get $k) (i32.const 3)))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $i) (local.get $m)))
        (i32.store (i32.add (local.get $start) (i32.shl (local.get $i) (i32.const 2))) (local.get $count))
        (local.set $row (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $kb))))
        (local.set $p (i32.const 0))
        (block $row_done
          (loop $entry
            (br_if $row_done (i32.ge_u (local.get $p) (local.get $kb)))
            ;; two entries at a time: in an image most pairs are both zero and cost one test
            (if (i32.and (i32.le_u (i32.add (local.get $p) (i32.const 16)) (local.get $kb))
                         (i32.eqz
                           (v128.any_true
                             (f64x2.ne (v128.load (i32.add (local.get $row) (local.get $p)))
                               (v128.const i64x2 0 0)))))
              (then (local.set $p (i32.add (local.get $p) (i32.const 16))) (br $entry)))
            (local.set $x (f64.load (i32.add (local.get $row) (local.get $p))))
            (if (f64.ne (local.get $x) (f64.const 0))
              (then
                (i32.store (i32.add (local.get $idx) (i32.shl (local.get $count) (i32.const 2)))
                  (local.get $p))
                (f64.store (i32.add (local.get $val) (i32.shl (local.get $count) (i32.const 3)))
                  (local.get $x))
                (local.set $count (i32.add (local.get $count) (i32.const 1)))))
            (local.set $p (i32.add (local.get $p) (i32.const 8)))
            (br $entry)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows)))
    (i32.store (i32.add (local.get $start) (i32.shl (local.get $m) (i32.const 2))) (local.get $count))
    (local.get $count))

  ;; The address of C(i, j) in a matrix C at $c with n columns.
  (func $entry (param $c i32) (param $i i32) (param $n i32) (param $j i32) (result i32)
    (i32.add (local.get $c)
      (i32.shl (i32.add (i32.mul (local.get $i) (local.get $n)) (local.get $j)) (i32.const 3))))

  ;; $row with row 0 itself as the stand-in (for rows that are only read).
  (func $row0 (param $base i32) (param $stride i32) (param $r i32) (param $rows i32) (result i32)
    (call $row (local.get $base) (local.get $stride) (local.get $r) (local.get $rows) (local.get $base)))

  ;; alpha times the double at $at, in both lanes: a factor of op(A) for $axpy4.
  (func $scaled (param $alpha f64) (param $at i32) (result v128)
    (f64x2.splat (f64.mul (local.get $alpha) (f64.load (local.get $at)))))

  ;; Row r of a matrix whose row 0 is at $base, rows $stride bytes apart, if r < $rows (the rows left);
  ;; else the stand-in $other, a valid address whose results are never stored or read.
  (func $row (param $base i32) (param $stride i32) (param $r i32) (param $rows i32) (param $other i32)
    (result i32)
    (select (i32.add (local.get $base) (i32.mul (local.get $r) (local.get $stride)))
      (local.get $other)
      (i32.lt_u (local.get $r) (local.get $rows))))

  ;; Writes the first min(width, 8) of the eight sums in s0…s3 to C at $at: C = alpha·s, or
  ;; alpha·s + beta·C when beta ≠ 0 (C is not read when beta is 0, so an old NaN there is ignored).
  (func $store8 (param $at i32) (param $width i32) (param $alpha f64) (param $beta f64)
    (param $s0 v128) (param $s1 v128) (param $s2 v128) (param $s3 v128)
    (call $store1 (local.get $at) (f64x2.extract_lane 0 (local.get $s0)) (local.get $alpha) (local.get $beta))
    (if (i32.gt_u (local.get $width) (i32.const 1))
      (then
        (call $store1 (i32.add (local.get $at) (i32.const 8)) (f64x2.extract_lane 1 (local.get $s0))
          (local.get $alpha) (local.get $beta))))
    (if (i32.gt_u (local.get $width) (i32.const 2))
      (then
        (call $store1 (i32.add (local.get $at) (i32.const 16)) (f64x2.extract_lane 0 (local.get $s1))
          (local.get $alpha) (local.get $beta))))
    (if (i32.gt_u (local.get $width) (i32.const 3))
      (then
        (call $store1 (i32.add (local.get $at) (i32.const 24)) (f64x2.extract_lane 1 (local.get $s1))
          (local.get $alpha) (local.get $beta))))
    (if (i32.gt_u (local.get $width) (i32.const 4))
      (then
        (call $store1 (i32.add (local.get $at) (i32.const 32)) (f64x2.extract_lane 0 (local.get $s2))
          (local.get $alpha) (local.get $beta))))
    (if (i32.gt_u (local.get $width) (i32.const 5))
      (then
        (call $store1 (i32.add (local.get $at) (i32.const 40)) (f64x2.extract_lane 1 (local.get $s2))
          (local.get $alpha) (local.get $beta))))
    (if (i32.gt_u (local.get $width) (i32.const 6))
      (then
        (call $store1 (i32.add (local.get $at) (i32.const 48)) (f64x2.extract_lane 0 (local.get $s3))
          (local.get $alpha) (local.get $beta))))
    (if (i32.gt_u (local.get $width) (i32.const 7))
      (then
        (call $store1 (i32.add (local.get $at) (i32.const 56)) (f64x2.extract_lane 1 (local.get $s3))
          (local.get $alpha) (local.get $beta)))))

  (func $store1 (param $at i32) (param $s f64) (param $alpha f64) (param $beta f64)
    (if (f64.eq (local.get $beta) (f64.const 0))
      (then (f64.store (local.get $at) (f64.mul (local.get $alpha) (local.get $s))))
      (else (f64.store (local.get $at) (f64.add (f64.mul (local.get $alpha) (local.get $s))
                                                (f64.mul (local.get $beta) (f64.load (local.get $at))))))))

  ;; ---------------------------------------------------------------- the optimisers' steps (resident arrays)

  ;; d += scale·o over n doubles (Matrix.addInPlace: SGD's step w ← w − η·g).
  (func (export "add_scaled") (param $d i32) (param $o i32) (param $scale f64) (param $n i32)
    (local $end i32) (local $pairs i32) (local $s v128)
    (local.set $s (f64x2.splat (local.get $scale)))
    (local.set $pairs
      (i32.add (local.get $d) (i32.shl (i32.shr_u (local.get $n) (i32.const 1)) (i32.const 4))))
    (local.set $end (i32.add (local.get $d) (i32.shl (local.get $n) (i32.const 3))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $d) (local.get $pairs)))
        (v128.store (local.get $d)
          (f64x2.add (v128.load (local.get $d)) (f64x2.mul (local.get $s) (v128.load (local.get $o)))))
        (local.set $d (i32.add (local.get $d) (i32.const 16)))
        (local.set $o (i32.add (local.get $o) (i32.const 16)))
        (br $next)))
    (if (i32.lt_u (local.get $d) (local.get $end))
      (then
        (f64.store (local.get $d)
          (f64.add (f64.load (local.get $d)) (f64.mul (local.get $scale) (f64.load (local.get $o))))))))

  ;; One Adam step over n weights, as optimizers.ts writes it, two weights at a time:
  ;;   m ← β1·m + (1 − β1)·g,  v ← β2·v + ((1 − β2)·g)·g,  w ← w − (η·(m / c1)) / (√(v / c2) + ε)
  ;; with c1 = 1 − β1^t, c2 = 1 − β2^t. Division and square root are exact IEEE operations in both.
  (func (export "adam")
    (param $w i32) (param $g i32) (param $m i32) (param $v i32) (param $n i32)
    (param $beta1 f64) (param $oneMinusBeta1 f64) (param $beta2 f64) (param $oneMinusBeta2 f64)
    (param $lr f64) (param $c1 f64) (param $c2 f64) (param $eps f64)
    (local $q i32) (local $bytes i32) (local $gq v128) (local $mq v128) (local $vq v128)
    (local $b1 v128) (local $a1 v128) (local $b2 v128) (local $a2 v128) (local $rate v128)
    (local $k1 v128) (local $k2 v128) (local $e v128)
    (local.set $b1 (f64x2.splat (local.get $beta1)))
    (local.set $a1 (f64x2.splat (local.get $oneMinusBeta1)))
    (local.set $b2 (f64x2.splat (local.get $beta2)))
    (local.set $a2 (f64x2.splat (local.get $oneMinusBeta2)))
    (local.set $rate (f64x2.splat (local.get $lr)))
    (local.set $k1 (f64x2.splat (local.get $c1)))
    (local.set $k2 (f64x2.splat (local.get $c2)))
    (local.set $e (f64x2.splat (local.get $eps)))
    ;; whole pairs; an odd last weight goes through the same formulas in lane 0 of a half-loaded pair
    (local.set $bytes (i32.shl (local.get $n) (i32.const 3)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $q) (local.get $bytes)))
        (if (i32.le_u (i32.add (local.get $q) (i32.const 16)) (local.get $bytes))
          (then
            (local.set $gq (v128.load (i32.add (local.get $g) (local.get $q))))
            (local.set $mq (v128.load (i32.add (local.get $m) (local.get $q))))
            (local.set $vq (v128.load (i32.add (local.get $v) (local.get $q)))))
          (else
            (local.set $gq (v128.load64_zero (i32.add (local.get $g) (local.get $q))))
            (local.set $mq (v128.load64_zero (i32.add (local.get $m) (local.get $q))))
            (local.set $vq (v128.load64_zero (i32.add (local.get $v) (local.get $q))))))
        (local.set $mq
          (f64x2.add (f64x2.mul (local.get $b1) (local.get $mq)) (f64x2.mul (local.get $a1) (local.get $gq))))
        (local.set $vq (f64x2.add (f64x2.mul (local.get $b2) (local.get $vq))
                                  (f64x2.mul (f64x2.mul (local.get $a2) (local.get $gq)) (local.get $gq))))
        ;; the step for both lanes; then store what belongs to real weights
        (local.set $gq (f64x2.div (f64x2.mul (local.get $rate) (f64x2.div (local.get $mq) (local.get $k1)))
                                  (f64x2.add (f64x2.sqrt (f64x2.div (local.get $vq) (local.get $k2)))
                                    (local.get $e))))
        (if (i32.le_u (i32.add (local.get $q) (i32.const 16)) (local.get $bytes))
          (then
            (v128.store (i32.add (local.get $m) (local.get $q)) (local.get $mq))
            (v128.store (i32.add (local.get $v) (local.get $q)) (local.get $vq))
            (v128.store (i32.add (local.get $w) (local.get $q))
              (f64x2.sub (v128.load (i32.add (local.get $w) (local.get $q))) (local.get $gq))))
          (else
            (f64.store (i32.add (local.get $m) (local.get $q)) (f64x2.extract_lane 0 (local.get $mq)))
            (f64.store (i32.add (local.get $v) (local.get $q)) (f64x2.extract_lane 0 (local.get $vq)))
            (f64.store (i32.add (local.get $w) (local.get $q))
              (f64.sub (f64.load (i32.add (local.get $w) (local.get $q)))
                (f64x2.extract_lane 0 (local.get $gq))))))
        (local.set $q (i32.add (local.get $q) (i32.const 16)))
        (br $next))))

  ;; ---------------------------------------------------------------- seedrandom's ARC4 (arc4.ts)

  ;; n draws of seedrandom's generator to $out, as arc4.ts's arc4Fill computes them, advancing the state
  ;; at $s (S in 256 bytes, then i and j). Each byte of the key stream: i ← i + 1, j ← j + S[i], swap
  ;; S[i] and S[j], output S[S[i] + S[j]]. The draw's numerator is kept in an i64 (exact, as arc4.ts
  ;; explains) and scaled by 2^−e at the end, exactly. With $mask = 1 each draw u is stored as
  ;; u < $keep ? $scale : 0 (a dropout mask).
  (func (export "arc4_fill")
    (param $s i32) (param $out i32) (param $n i32) (param $mask i32) (param $keep f64) (param $scale f64)
    (local $i i32) (local $j i32) (local $t i32) (local $u i32) (local $b i32) (local $c i32)
    (local $end i32) (local $num i64) (local $x i64) (local $e i64) (local $r f64)
    (local.set $i (i32.load8_u offset=256 (local.get $s)))
    (local.set $j (i32.load8_u offset=257 (local.get $s)))
    (local.set $end (i32.add (local.get $out) (i32.shl (local.get $n) (i32.const 3))))
    (block $done
      (loop $draw
        (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
        ;; six bytes: the numerator over 2^48
        (local.set $num (i64.const 0))
        (local.set $c (i32.const 6))
        (loop $six
          (local.set $i (i32.and (i32.add (local.get $i) (i32.const 1)) (i32.const 255)))
          (local.set $t (i32.load8_u (i32.add (local.get $s) (local.get $i))))
          (local.set $j (i32.and (i32.add (local.get $j) (local.get $t)) (i32.const 255)))
          (local.set $u (i32.load8_u (i32.add (local.get $s) (local.get $j))))
          (i32.store8 (i32.add (local.get $s) (local.get $i)) (local.get $u))
          (i32.store8 (i32.add (local.get $s) (local.get $j)) (local.get $t))
          (local.set $b (i32.load8_u
            (i32.add (local.get $s) (i32.and (i32.add (local.get $u) (local.get $t)) (i32.const 255)))))
          (local.set $num (i64.or (i64.shl (local.get $num) (i64.const 8)) (i64.extend_i32_u (local.get $b))))
          (local.set $c (i32.sub (local.get $c) (i32.const 1)))
          (br_if $six (local.get $c)))
        ;; while n < 2^52: n ← (n + x)·256, d ← 256·d, x ← the next byte
        (local.set $e (i64.const 48))
        (local.set $x (i64.const 0))
        (block $full
          (loop $more
            (br_if $full (i64.ge_u (local.get $num) (i64.const 0x10000000000000)))
            (local.set $num (i64.shl (i64.add (local.get $num) (local.get $x)) (i64.const 8)))
            (local.set $e (i64.add (local.get $e) (i64.const 8)))
          (local.set $i (i32.and (i32.add (local.get $i) (i32.const 1)) (i32.const 255)))
          (local.set $t (i32.load8_u (i32.add (local.get $s) (local.get $i))))
          (local.set $j (i32.and (i32.add (local.get $j) (local.get $t)) (i32.const 255)))
          (local.set $u (i32.load8_u (i32.add (local.get $s) (local.get $j))))
          (i32.store8 (i32.add (local.get $s) (local.get $i)) (local.get $u))
          (i32.store8 (i32.add (local.get $s) (local.get $j)) (local.get $t))
          (local.set $b (i32.load8_u
            (i32.add (local.get $s) (i32.and (i32.add (local.get $u) (local.get $t)) (i32.const 255)))))
            (local.set $x (i64.extend_i32_u (local.get $b)))
            (br $more)))
        ;; while n ≥ 2^53: n, d and x halved
        (block $fits
          (loop $halve
            (br_if $fits (i64.lt_u (local.get $num) (i64.const 0x20000000000000)))
            (local.set $num (i64.shr_u (local.get $num) (i64.const 1)))
            (local.set $x (i64.shr_u (local.get $x) (i64.const 1)))
            (local.set $e (i64.sub (local.get $e) (i64.const 1)))
            (br $halve)))
        ;; (n + x)/d with d = 2^e: below 2^53, so converted exactly, then scaled by an exact power of two
        (local.set $r (f64.mul (f64.convert_i64_u (i64.add (local.get $num) (local.get $x)))
          (f64.reinterpret_i64 (i64.shl (i64.sub (i64.const 1023) (local.get $e)) (i64.const 52)))))
        (if (local.get $mask)
          (then (local.set $r (select (local.get $scale) (f64.const 0)
            (f64.lt (local.get $r) (local.get $keep))))))
        (f64.store (local.get $out) (local.get $r))
        (local.set $out (i32.add (local.get $out) (i32.const 8)))
        (br $draw)))
    (i32.store8 offset=256 (local.get $s) (local.get $i))
    (i32.store8 offset=257 (local.get $s) (local.get $j)))

  ;; ---------------------------------------------------------------- a measuring stick (chapter 8)

  ;; The most float64 arithmetic this engine issues per second on one core with SIMD and without FMA,
  ;; the ceiling of every kernel above: no memory access, six chains of f64x2.mul (p ← p·x) and six of
  ;; f64x2.add (s ← s + p) that do not wait for one another, the same one-to-one mix of multiplications
  ;; and additions as a product. Called with x = 1, the values stay finite. 24 FLOP an iteration;
  ;; returns the sum of every lane so that no work can be left out.
  (func (export "peak") (param $iterations i32) (param $x f64) (result f64)
    (local $m v128) (local $p0 v128) (local $p1 v128) (local $p2 v128) (local $p3 v128) (local $p4 v128)
    (local $p5 v128) (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128) (local $s4 v128)
    (local $s5 v128)
    (local.set $m (f64x2.splat (local.get $x)))
    (local.set $p0 (f64x2.splat (f64.const 1)))
    (local.set $p1 (f64x2.splat (f64.const 2)))
    (local.set $p2 (f64x2.splat (f64.const 3)))
    (local.set $p3 (f64x2.splat (f64.const 4)))
    (local.set $p4 (f64x2.splat (f64.const 5)))
    (local.set $p5 (f64x2.splat (f64.const 6)))
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $iterations)))
        (local.set $p0 (f64x2.mul (local.get $p0) (local.get $m)))
        (local.set $p1 (f64x2.mul (local.get $p1) (local.get $m)))
        (local.set $p2 (f64x2.mul (local.get $p2) (local.get $m)))
        (local.set $p3 (f64x2.mul (local.get $p3) (local.get $m)))
        (local.set $p4 (f64x2.mul (local.get $p4) (local.get $m)))
        (local.set $p5 (f64x2.mul (local.get $p5) (local.get $m)))
        (local.set $s0 (f64x2.add (local.get $s0) (local.get $p0)))
        (local.set $s1 (f64x2.add (local.get $s1) (local.get $p1)))
        (local.set $s2 (f64x2.add (local.get $s2) (local.get $p2)))
        (local.set $s3 (f64x2.add (local.get $s3) (local.get $p3)))
        (local.set $s4 (f64x2.add (local.get $s4) (local.get $p4)))
        (local.set $s5 (f64x2.add (local.get $s5) (local.get $p5)))
        (local.set $iterations (i32.sub (local.get $iterations) (i32.const 1)))
        (br $next)))
    (local.set $s0 (f64x2.add (f64x2.add (f64x2.add (local.get $s0) (local.get $s1))
                                         (f64x2.add (local.get $s2) (local.get $s3)))
                              (f64x2.add (local.get $s4) (local.get $s5))))
    (f64.add (f64x2.extract_lane 0 (local.get $s0)) (f64x2.extract_lane 1 (local.get $s0))))
)
