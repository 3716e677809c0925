package io.nsl.cli;

import io.nsl.NslException;

/**
 * The NSL API refused a CLI request, or could not be reached. Carries the server's stable code
 * (docs/openapi.yaml) so scripts can act on it; the message adds what to do next.
 */
final class ApiCallException extends NslException {
  private final int httpStatus;

  ApiCallException(String code, int httpStatus, String message) {
    super(code, message);
    this.httpStatus = httpStatus;
  }

  int httpStatus() {
    return httpStatus;
  }

  static ApiCallException unreachable(String url, String why) {
    return new ApiCallException(
        "API_UNREACHABLE",
        0,
        "cannot reach the NSL API at "
            + url
            + " ("
            + why
            + "); is the service running (./nsl run)? Point --api (or NSL_API_URL) at it");
  }
}
