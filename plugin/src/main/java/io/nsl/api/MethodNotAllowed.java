package io.nsl.api;

/** 405 with the Allow header: the path exists, the method does not. */
final class MethodNotAllowed extends ApiException {
  private final String allow;

  MethodNotAllowed(String method, String path, String... allowed) {
    super(
        ErrorStatus.METHOD_NOT_ALLOWED.code(),
        method + " is not allowed on " + path + "; use " + String.join(" or ", allowed),
        null);
    this.allow = String.join(", ", allowed);
  }

  /** The value of the Allow header. */
  String allow() {
    return allow;
  }
}
