package io.nsl.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nsl.chain.GatewayClient.SignedFulfilment;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RecordedAnswerTest {
  private static SignedFulfilment answer(long id, String result) {
    byte[] sig = new byte[64];
    Arrays.fill(sig, (byte) 0x5c);
    return new SignedFulfilment(id, 3, result.getBytes(StandardCharsets.UTF_8), 1234, sig);
  }

  @Test
  void anAnswerReadsBackAsItWasSignedEmptyResultToo() {
    for (String result : new String[] {"{\"n\":1}", ""}) {
      SignedFulfilment a = answer(42, result);
      SignedFulfilment back = RecordedAnswer.decode(42, RecordedAnswer.encode(a));
      assertEquals(a.requestId(), back.requestId());
      assertEquals(a.status(), back.status());
      assertEquals(a.gasUsed(), back.gasUsed());
      assertArrayEquals(a.signature(), back.signature());
      assertArrayEquals(a.result(), back.result());
    }
  }

  @Test
  void anotherRequestsRecordOrAnotherLayoutIsRefusedWithWhatWasFound() {
    byte[] rec = RecordedAnswer.encode(answer(42, "x"));
    IllegalStateException other =
        assertThrows(IllegalStateException.class, () -> RecordedAnswer.decode(43, rec));
    assertTrue(other.getMessage().contains("is for request 42"), other.getMessage());
    rec[0] = 9;
    IllegalStateException layout =
        assertThrows(IllegalStateException.class, () -> RecordedAnswer.decode(42, rec));
    assertTrue(layout.getMessage().contains("layout 9"), layout.getMessage());
    assertThrows(IllegalStateException.class, () -> RecordedAnswer.decode(42, new byte[3]));
  }
}
