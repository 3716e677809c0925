package io.nsl.trigger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * A filter on an event's arguments: a JSON object from argument index to the value that argument
 * must have, as {@link EventArguments} renders it ({@code {"0":"0x…","2":"100"}}). Every listed
 * argument must match; the empty filter ({@code ""} or {@code {}}) matches every event. Values
 * compare as text, so {@code 100} and {@code "100"} are the same.
 *
 * @param byIndex argument index → expected text
 */
public record EventFilter(Map<Integer, String> byIndex) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The filter that matches every event. */
  public static final EventFilter NONE = new EventFilter(Map.of());

  public EventFilter {
    byIndex = Map.copyOf(byIndex);
  }

  /** Parses the filter as the gateway stores it (0..256 bytes of JSON, empty for none). */
  public static EventFilter parse(String json) {
    if (json.isBlank()) {
      return NONE;
    }
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw TriggerException.badFilter(json, "not JSON (" + e.getOriginalMessage() + ")");
    }
    if (root == null || !root.isObject()) {
      throw TriggerException.badFilter(json, "not a JSON object");
    }
    Map<Integer, String> out = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      int index;
      try {
        index = Integer.parseInt(e.getKey());
      } catch (NumberFormatException x) {
        throw TriggerException.badFilter(
            json, "key \"" + e.getKey() + "\" is not an argument index");
      }
      if (index < 0 || index > 255) {
        throw TriggerException.badFilter(json, "argument index " + index + " is not in 0..255");
      }
      if (!e.getValue().isValueNode() || e.getValue().isNull()) {
        throw TriggerException.badFilter(
            json, "the value of argument " + index + " must be a string, number or boolean");
      }
      out.put(index, e.getValue().asText());
    }
    return new EventFilter(out);
  }

  /** Whether an event with these rendered arguments passes. */
  public boolean matches(JsonNode renderedArguments) {
    for (Map.Entry<Integer, String> e : byIndex.entrySet()) {
      JsonNode arg = renderedArguments.get(e.getKey());
      if (arg == null || !arg.isValueNode() || !arg.asText().equals(e.getValue())) {
        return false;
      }
    }
    return true;
  }
}
