package io.nsl.js.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ErrorTextTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "TypeError: Cannot assign to read only property 'x' of global{Object: function Object() {"
            + " [native code] }, main: function main() { return 1 }}"
            + "|TypeError: Cannot assign to read only property 'x' of the global object",
        "Cannot assign to read only property 'a' of {a: function () { return 'S'; }, b: 1}"
            + "|Cannot assign to read only property 'a' of {…}",
        "TypeError: Cannot assign to read only property 'k' of function () { return 'S'; }"
            + "|TypeError: Cannot assign to read only property 'k' of function () {…}",
        "TypeError: Cannot add new property \"c\" to non-extensible [object Object]"
            + "|TypeError: Cannot add new property \"c\" to non-extensible [object Object]",
        "TypeError: {a: function () { return 'S'; }} is not iterable|TypeError: {…} is not iterable",
        "TypeError: [1, 2, function f() {}] is not a constructor|TypeError: […] is not a constructor",
        "TypeError: function call() { [native code] } is not a constructor"
            + "|TypeError: function call() { [native code] } is not a constructor",
        "TypeError: f.zz is not a function|TypeError: f.zz is not a function",
        "SyntaxError: Cannot convert function h() { return 'S'; } to a BigInt."
            + "|SyntaxError: Cannot convert function h() {…} to a BigInt.",
        "Error: a message of its own {with: braces}|Error: a message of its own {with: braces}",
        "TypeError: Cannot read property 'y' of undefined|TypeError: Cannot read property 'y' of undefined",
      })
  void shortensOnlyTheObjectsGraalJsPrints(String in, String want) {
    assertEquals(want, ErrorText.tidy(in));
  }
}
