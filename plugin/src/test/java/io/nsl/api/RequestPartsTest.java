package io.nsl.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The developer API's path and query parsing, apart from HTTP: every refusal names the value. */
class RequestPartsTest {
  private static ApiRequest get(String path, String query) {
    return new ApiRequest("GET", path, query, Map.of(), new byte[0], "127.0.0.1");
  }

  @Test
  void splitsThePathIntoSegments() {
    assertArrayEquals(
        new String[] {"v1", "functions", "a%2Fb"}, RequestParts.segments("/v1/functions/a%2Fb"));
    assertArrayEquals(new String[] {"v1", "secrets", ""}, RequestParts.segments("/v1/secrets/"));
  }

  @Test
  void refusesAMethodTheRouteDoesNotTakeNamingTheAllowedOnes() {
    MethodNotAllowed e =
        assertThrows(
            MethodNotAllowed.class,
            () ->
                RequestParts.allow(
                    new ApiRequest("PATCH", "/v1/functions/f", null, Map.of(), new byte[0], "x"),
                    "GET",
                    "PUT"));
    assertEquals("GET, PUT", e.allow());
    assertEquals("METHOD_NOT_ALLOWED", e.code());
    assertTrue(e.getMessage().contains("PATCH is not allowed on /v1/functions/f"), e.getMessage());
  }

  @Test
  void readsQueryParametersOnceEachAndOnlyKnownOnes() {
    assertEquals(
        Map.of("functionId", "a b+c", "limit", "5"),
        RequestParts.query(
            get("/v1/failures", "functionId=a%20b+c&limit=5"), Set.of("functionId", "limit")));
    ApiFailure unknown =
        assertThrows(
            ApiFailure.class,
            () -> RequestParts.query(get("/v1/failures", "limt=5"), Set.of("functionId", "limit")));
    assertEquals(ErrorStatus.UNKNOWN_FIELD, unknown.status());
    assertTrue(unknown.getMessage().contains("'limt'"), unknown.getMessage());
    ApiFailure twice =
        assertThrows(
            ApiFailure.class,
            () -> RequestParts.query(get("/v1/failures", "limit=1&limit=2"), Set.of("limit")));
    assertEquals(ErrorStatus.INVALID_VALUE, twice.status());
  }

  @Test
  void refusesAQueryWhereNoneIsTaken() {
    ApiFailure e =
        assertThrows(ApiFailure.class, () -> RequestParts.noQuery(get("/v1/secrets", "x=1")));
    assertEquals(ErrorStatus.UNKNOWN_FIELD, e.status());
    RequestParts.noQuery(get("/v1/secrets", ""));
    RequestParts.noQuery(get("/v1/secrets", null));
  }

  @Test
  void refusesBrokenPercentEncoding() {
    ApiFailure e = assertThrows(ApiFailure.class, () -> RequestParts.decode("a%zz"));
    assertEquals(ErrorStatus.BAD_PATH, e.status());
    assertTrue(e.getMessage().contains("'a%zz'"), e.getMessage());
  }

  @Test
  void takesFunctionIdsByTheGatewaysRule() {
    assertEquals("price-feed", RequestParts.functionId("price-feed"));
    assertEquals("x".repeat(63), RequestParts.functionId("x".repeat(63)));
    // NameRules' cases (testdata/name-cases.json), seen through percent-decoding.
    for (String bad :
        List.of(
            "", "a%0Ab", "%7F", "x".repeat(64), "%C3%BC", "price%20feed", "Price-Feed", "a%2Fb")) {
      ApiFailure e = assertThrows(ApiFailure.class, () -> RequestParts.functionId(bad), bad);
      assertEquals(ErrorStatus.INVALID_VALUE, e.status());
    }
  }

  @Test
  void takesRequestIdsAsNonNegativeIntegers() {
    assertEquals(0, RequestParts.requestId("0"));
    assertEquals(999_999_999_999_999_999L, RequestParts.requestId("999999999999999999"));
    for (String bad : List.of("-1", "1e3", "", "0x10", "1234567890123456789")) {
      ApiFailure e = assertThrows(ApiFailure.class, () -> RequestParts.requestId(bad), bad);
      assertEquals(ErrorStatus.INVALID_VALUE, e.status());
      assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
    }
  }

  @Test
  void sendsStoredJsonAsATreeAndAnythingElseAsText() {
    assertEquals(42, RequestParts.tree("{\"a\":42}").get("a").asInt());
    assertEquals("not json {", RequestParts.tree("not json {").asText());
  }
}
