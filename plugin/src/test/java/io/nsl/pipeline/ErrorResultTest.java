package io.nsl.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class ErrorResultTest {
  @Test
  void guestMessageThatEscapesLargeStillFitsOnChain() throws IOException {
    // Before: the message was cut to 1,000 characters and then JSON-escaped; 1,000 control
    // characters became 6,000 bytes, over the gateway's 4,096, and the request was answered
    // INTERNAL_ERROR (102) instead of the function's own RUNTIME_ERROR.
    byte[] json = RequestExecutor.errorJson("RUNTIME_ERROR", "Error: " + "\u0001".repeat(5_000));
    assertTrue(json.length <= RequestExecutor.MAX_RESULT_BYTES, json.length + " bytes");
    JsonNode e = new ObjectMapper().readTree(json).path("error");
    assertEquals("RUNTIME_ERROR", e.path("kind").asText());
    assertTrue(e.path("message").asText().startsWith("Error: \u0001"), e.toString());
  }

  @Test
  void messageOfManyByteCharactersIsCutOnACharacterBoundary() throws IOException {
    byte[] json = RequestExecutor.errorJson("RUNTIME_ERROR", "😀".repeat(3_000));
    assertTrue(json.length <= RequestExecutor.MAX_RESULT_BYTES, json.length + " bytes");
    String m = new ObjectMapper().readTree(json).path("error").path("message").asText();
    assertTrue(m.startsWith("😀😀"), m);
    assertTrue(m.codePoints().allMatch(c -> c == 0x1F600 || c == '…'), "half a character: " + m);
  }

  @Test
  void shortMessageIsKeptWhole() throws IOException {
    byte[] json = RequestExecutor.errorJson("RUNTIME_ERROR", "Error: boom");
    assertEquals(
        "{\"error\":{\"kind\":\"RUNTIME_ERROR\",\"message\":\"Error: boom\"}}",
        new String(json, java.nio.charset.StandardCharsets.UTF_8));
  }
}
