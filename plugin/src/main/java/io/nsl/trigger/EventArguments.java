package io.nsl.trigger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.nsl.chain.StackValue;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Renders an event's arguments as JSON, for a run's input and for {@link EventFilter}: integers as
 * numbers, booleans as booleans, null as null; a 20-byte string as a script hash in its usual 0x
 * big-endian form; other byte strings as text when they are UTF-8 without control characters, else
 * as 0x hex in the order the VM holds them; arrays as arrays, maps as arrays of [key, value].
 */
public final class EventArguments {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private EventArguments() {}

  public static ArrayNode render(List<StackValue> state) {
    ArrayNode out = F.arrayNode();
    for (StackValue v : state) {
      out.add(render(v));
    }
    return out;
  }

  static JsonNode render(StackValue v) {
    return switch (v) {
      case StackValue.Int i -> F.numberNode(i.value());
      case StackValue.Bool b -> F.booleanNode(b.value());
      case StackValue.Null n -> F.nullNode();
      case StackValue.Bytes b -> F.textNode(bytes(b.value()));
      case StackValue.Array a -> render(a.items());
      case StackValue.Map m -> {
        ArrayNode pairs = F.arrayNode();
        for (Map.Entry<StackValue, StackValue> e : m.entries()) {
          pairs.add(F.arrayNode().add(render(e.getKey())).add(render(e.getValue())));
        }
        yield pairs;
      }
    };
  }

  private static String bytes(byte[] b) {
    if (b.length == 20) {
      byte[] be = new byte[20];
      for (int i = 0; i < 20; i++) {
        be[i] = b[19 - i];
      }
      return "0x" + HexFormat.of().formatHex(be);
    }
    try {
      String s =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(b))
              .toString();
      if (s.codePoints().noneMatch(Character::isISOControl)) {
        return s;
      }
    } catch (CharacterCodingException e) {
      // not text: hex below
    }
    return "0x" + HexFormat.of().formatHex(b);
  }
}
