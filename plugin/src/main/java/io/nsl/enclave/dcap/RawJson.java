package io.nsl.enclave.dcap;

/**
 * Cuts the exact text of one top-level object member out of a JSON document, because Intel signs
 * the bytes as served and any re-serialisation would break the signature.
 */
final class RawJson {
  private RawJson() {}

  /**
   * The text of the object value of top-level member {@code name}, from its '{' to the matching
   * '}'.
   *
   * @throws CollateralFormatException when there is no such object member
   */
  static String objectValue(String json, String name) {
    int depth = 0;
    boolean inString = false;
    int keyStart = -1;
    String lastKey = null;
    for (int i = 0; i < json.length(); i++) {
      char c = json.charAt(i);
      if (inString) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          inString = false;
          if (depth == 1) {
            lastKey = json.substring(keyStart, i);
          }
        }
        continue;
      }
      if (c == '"') {
        inString = true;
        keyStart = i + 1;
      } else if (c == '{' || c == '[') {
        if (depth == 1 && c == '{' && name.equals(lastKey)) {
          return json.substring(i, matchingEnd(json, i) + 1);
        }
        depth++;
      } else if (c == '}' || c == ']') {
        depth--;
      } else if (c == ',' && depth == 1) {
        lastKey = null;
      }
    }
    throw new CollateralFormatException("the JSON has no object member \"" + name + "\"");
  }

  private static int matchingEnd(String json, int open) {
    int depth = 0;
    boolean inString = false;
    for (int i = open; i < json.length(); i++) {
      char c = json.charAt(i);
      if (inString) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
      } else if (c == '{' || c == '[') {
        depth++;
      } else if (c == '}' || c == ']') {
        depth--;
        if (depth == 0) {
          return i;
        }
      }
    }
    throw new CollateralFormatException("the JSON ends inside an object");
  }
}
