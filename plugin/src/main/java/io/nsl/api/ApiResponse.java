package io.nsl.api;

/** A JSON answer: HTTP status and a body Jackson can write. */
record ApiResponse(int status, Object body) {
  static ApiResponse ok(Object body) {
    return new ApiResponse(200, body);
  }
}
