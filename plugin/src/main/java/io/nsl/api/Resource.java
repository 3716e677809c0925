package io.nsl.api;

import java.util.Optional;

/**
 * One resource under {@code /v1}: the routes whose second path segment is its name. Implementations
 * check the method and query before authenticating, as every route always has.
 */
interface Resource {
  /**
   * @param segments the raw path split on {@code /}; {@code segments[0]} is {@code v1}
   * @return the answer, or empty when no route of this resource has this shape (a 404)
   */
  Optional<ApiResponse> handle(ApiRequest req, String[] segments);
}
