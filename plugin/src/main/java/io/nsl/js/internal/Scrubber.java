package io.nsl.js.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Replaces secret values in text with {@code [REDACTED]}. Catches the everyday accident of logging
 * a secret, not deliberate exfiltration (a function can always transform a secret before logging
 * it; docs/security.md lists what this does not catch).
 *
 * <p>For each secret it looks for: the stored text; its JSON-escaped form (how {@code log({k})}
 * prints it); if the secret is JSON, its compact re-serialisation (how logging the parsed object
 * prints it) and that escaped again, and each string of 16 or more characters inside it; and any
 * 16-character run of any of these forms that is 16 characters or longer, so a secret cut short, or
 * spliced into other text, is still caught. Every matched character is removed; each run of matched
 * characters becomes one marker.
 *
 * <p>Runs in time about linear in the text: a rolling 64-bit hash over its 16-character windows,
 * looked up in the sorted hashes of the secrets' windows (8 bytes per window), plus {@code indexOf}
 * for forms shorter than 16. A hash match is not re-checked character by character: a collision can
 * only redact a window of the function's own text that held no secret, which costs nothing.
 * Immutable and thread-safe.
 */
public final class Scrubber {
  public static final String REDACTED = "[REDACTED]";

  /** Length of the runs of a long secret that are recognised on their own. */
  public static final int RUN = 16;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long BASE = 1_000_003L;
  private static final long BASE_POW_RUN;

  static {
    long p = 1;
    for (int i = 0; i < RUN; i++) {
      p *= BASE;
    }
    BASE_POW_RUN = p;
  }

  /**
   * The engine scrubs each line of a run with the same list of secrets; building the window table
   * once per list (per thread) keeps that linear. Holds only the last list seen by the thread.
   */
  private static final ThreadLocal<Scrubber> LAST = new ThreadLocal<>();

  private final List<String> secrets;
  private final List<String> shortForms;
  private final long[] runHashes; // sorted, distinct

  /** A scrubber for {@code secrets} (empty strings are ignored). */
  public Scrubber(List<String> secrets) {
    Set<String> forms = new LinkedHashSet<>();
    for (String s : secrets) {
      if (!s.isEmpty()) {
        addForms(forms, s);
      }
    }
    List<String> shorts = new ArrayList<>();
    int windows = 0;
    for (String f : forms) {
      windows += Math.max(0, f.length() - RUN + 1);
    }
    long[] hashes = new long[windows];
    int n = 0;
    for (String f : forms) {
      if (f.length() < RUN) {
        shorts.add(f);
        continue;
      }
      long h = hash(f);
      for (int i = 0; ; i++) {
        hashes[n++] = h;
        if (i + RUN >= f.length()) {
          break;
        }
        h = roll(h, f.charAt(i), f.charAt(i + RUN));
      }
    }
    Arrays.sort(hashes);
    int distinct = 0;
    for (int i = 0; i < hashes.length; i++) {
      if (i == 0 || hashes[i] != hashes[i - 1]) {
        hashes[distinct++] = hashes[i];
      }
    }
    this.secrets = secrets;
    this.shortForms = List.copyOf(shorts);
    this.runHashes = Arrays.copyOf(hashes, distinct);
  }

  /** {@code text} with every occurrence of every non-empty value replaced. */
  public static String scrub(String text, List<String> values) {
    if (values.isEmpty() || text.isEmpty()) {
      return text;
    }
    Scrubber last = LAST.get();
    if (last == null || last.secrets != values) {
      last = new Scrubber(values);
      LAST.set(last);
    }
    return last.scrub(text);
  }

  /** {@code text} with every recognised form of every secret replaced. */
  public String scrub(String text) {
    if (text.isEmpty() || (shortForms.isEmpty() && runHashes.length == 0)) {
      return text;
    }
    BitSet hit = new BitSet(text.length());
    for (String f : shortForms) {
      for (int i = text.indexOf(f); i >= 0; i = text.indexOf(f, i + 1)) {
        hit.set(i, i + f.length());
      }
    }
    if (runHashes.length > 0 && text.length() >= RUN) {
      long h = hash(text);
      for (int i = 0; ; i++) {
        if (Arrays.binarySearch(runHashes, h) >= 0) {
          hit.set(i, i + RUN);
        }
        if (i + RUN >= text.length()) {
          break;
        }
        h = roll(h, text.charAt(i), text.charAt(i + RUN));
      }
    }
    if (hit.isEmpty()) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    int at = 0;
    for (int start = hit.nextSetBit(0); start >= 0; start = hit.nextSetBit(at)) {
      int end = hit.nextClearBit(start);
      out.append(text, at, start).append(REDACTED);
      at = end;
    }
    return out.append(text, at, text.length()).toString();
  }

  /** Hash of {@code s}'s first {@link #RUN} characters. */
  private static long hash(String s) {
    long h = 0;
    for (int i = 0; i < RUN; i++) {
      h = h * BASE + s.charAt(i);
    }
    return h;
  }

  /** The hash of the window one character on: {@code out} leaves it, {@code in} joins. */
  private static long roll(long h, char out, char in) {
    return h * BASE - out * BASE_POW_RUN + in;
  }

  private static void addForms(Set<String> forms, String secret) {
    forms.add(secret);
    forms.add(jsonEscaped(secret));
    JsonNode tree;
    try {
      tree = JSON.readTree(secret);
    } catch (JsonProcessingException | RuntimeException e) {
      return; // not JSON: the stored and escaped forms are all there is
    }
    if (tree == null || !tree.isContainerNode()) {
      return;
    }
    String compact = tree.toString();
    forms.add(compact);
    forms.add(jsonEscaped(compact));
    List<JsonNode> pending = new ArrayList<>(List.of(tree));
    while (!pending.isEmpty()) {
      JsonNode n = pending.removeLast();
      if (n.isTextual() && n.asText().length() >= RUN) {
        forms.add(n.asText());
        forms.add(jsonEscaped(n.asText()));
      }
      n.forEach(pending::add);
    }
  }

  /** What JSON.stringify puts between the quotes for {@code s}. */
  static String jsonEscaped(String s) {
    StringBuilder b = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\b' -> b.append("\\b");
        case '\f' -> b.append("\\f");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          boolean lone =
              Character.isSurrogate(c)
                  && !(Character.isHighSurrogate(c)
                      && i + 1 < s.length()
                      && Character.isLowSurrogate(s.charAt(i + 1)))
                  && !(Character.isLowSurrogate(c)
                      && i > 0
                      && Character.isHighSurrogate(s.charAt(i - 1)));
          if (c < 0x20 || lone) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }
}
