package io.nsl.js.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ScrubberTest {
  private static final String PEM =
      "-----BEGIN PRIVATE KEY-----\n"
          + "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj\n"
          + "MzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDuictGeurT8jNbvJZHtCSuYEvu\n"
          + "-----END PRIVATE KEY-----\n";

  @Test
  void replacesTheStoredForm() {
    assertEquals(
        "key is [REDACTED]!", Scrubber.scrub("key is s3cr3t-value!", List.of("s3cr3t-value")));
  }

  @Test
  void replacesTheJsonEscapedForm() {
    // log({k}) prints the secret through JSON.stringify: quotes and backslashes escaped.
    String secret = "pa\"ss\\wo\nrd";
    String logged = "{\"k\":\"pa\\\"ss\\\\wo\\nrd\"}";
    assertEquals("{\"k\":\"[REDACTED]\"}", Scrubber.scrub(logged, List.of(secret)));
  }

  @Test
  void replacesAJsonSecretReserialised() {
    // Stored with spaces; the function parses it and logs the object: compact JSON.
    String secret = "{ \"user\": \"svc\", \"token\": \"tk-1\" }";
    assertEquals(
        "creds [REDACTED]",
        Scrubber.scrub("creds {\"user\":\"svc\",\"token\":\"tk-1\"}", List.of(secret)));
    // ...and nested in another object, where the compact form is escaped again.
    assertEquals(
        "{\"c\":\"[REDACTED]\"}",
        Scrubber.scrub(
            "{\"c\":\"{\\\"user\\\":\\\"svc\\\",\\\"token\\\":\\\"tk-1\\\"}\"}", List.of(secret)));
  }

  @Test
  void replacesLongStringsInsideAJsonSecret() {
    String secret = "{\"type\":\"svc\",\"private_key\":\"" + PEM.replace("\n", "\\n") + "\"}";
    String out = Scrubber.scrub("key: " + PEM, List.of(secret));
    assertFalse(out.contains("MIIEvQIBADANBgkq"), out);
    assertTrue(out.startsWith("key: [REDACTED]"), out);
  }

  @Test
  void replacesAnySixteenCharacterRunOfALongSecret() {
    String secret = "0123456789abcdefghijklmnopqrstuvwxyz";
    String part = secret.substring(7, 23); // 16 characters from the middle
    assertEquals("x [REDACTED] y", Scrubber.scrub("x " + part + " y", List.of(secret)));
    String prefix = secret.substring(0, 20); // what a cut would have left
    assertEquals("[REDACTED]...", Scrubber.scrub(prefix + "...", List.of(secret)));
  }

  @Test
  void shorterRunsOfALongSecretAreLeft() {
    // Documented limit: 15 characters of a long secret are not recognised.
    String secret = "0123456789abcdefghijklmnopqrstuvwxyz";
    assertEquals("x 0123456789abcde y", Scrubber.scrub("x 0123456789abcde y", List.of(secret)));
  }

  @Test
  void adjacentAndOverlappingMatchesBecomeOneMarker() {
    String secret = "0123456789abcdefghijklmnopqrstuvwxyz";
    assertEquals("<[REDACTED]>", Scrubber.scrub("<" + secret + secret + ">", List.of(secret)));
  }

  @Test
  void textWithoutSecretsIsUnchanged() {
    assertEquals("nothing here", Scrubber.scrub("nothing here", List.of(PEM, "s3cr3t")));
    assertEquals("", Scrubber.scrub("", List.of(PEM)));
    assertEquals("abc", Scrubber.scrub("abc", List.of("")));
  }
}
