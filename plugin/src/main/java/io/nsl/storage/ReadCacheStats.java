package io.nsl.storage;

/**
 * What the read cache of pinned function state has done since the store opened (PostgreSQL only;
 * docs/storage.md, "Read cache"), as {@code /metrics} shows it.
 *
 * @param hits reads of a pinned namespace answered from memory
 * @param misses reads of a pinned namespace that went to the database (and were remembered)
 * @param bytes memory the cache holds now (keys, values and a fixed overhead per entry)
 * @param maxBytes its bound ({@code storage.readCacheMb}); 0 when the cache is off
 */
public record ReadCacheStats(long hits, long misses, long bytes, long maxBytes) {
  public ReadCacheStats {
    if (hits < 0 || misses < 0 || bytes < 0 || maxBytes < 0) {
      throw new IllegalArgumentException(
          "cache figures are never negative: hits "
              + hits
              + ", misses "
              + misses
              + ", bytes "
              + bytes
              + ", maxBytes "
              + maxBytes);
    }
  }

  /** Prometheus text exposition format 0.0.4: {@code nsl_store_cache_*}. */
  public String renderPrometheus() {
    StringBuilder sb = new StringBuilder();
    metric(
        sb,
        "nsl_store_cache_hits_total",
        "counter",
        "Reads of pinned function state answered from the read cache.",
        hits);
    metric(
        sb,
        "nsl_store_cache_misses_total",
        "counter",
        "Reads of pinned function state that went to the database.",
        misses);
    metric(sb, "nsl_store_cache_bytes", "gauge", "Memory the read cache holds.", bytes);
    metric(
        sb,
        "nsl_store_cache_max_bytes",
        "gauge",
        "The read cache's bound (storage.readCacheMb); 0 when off.",
        maxBytes);
    return sb.toString();
  }

  private static void metric(StringBuilder sb, String name, String type, String help, long v) {
    sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
    sb.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    sb.append(name).append(' ').append(v).append('\n');
  }
}
