package io.nsl.bench.js;

/**
 * The benchmark workloads, one JS source each, shared with bench/node-vs/vm-bench.js (which reads
 * the same files from bench/workloads). Each defines main(input).
 */
public final class Workloads {
  public static final String[] NAMES = {
    "trivial", "fib25", "sha256_100k", "json_100k", "sort_100k"
  };

  private Workloads() {}
}
