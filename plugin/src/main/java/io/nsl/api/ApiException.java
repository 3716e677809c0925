package io.nsl.api;

import io.nsl.NslException;
import java.io.IOException;
import java.net.InetSocketAddress;

/** Failures of the HTTP layer itself. */
public abstract class ApiException extends NslException {
  protected ApiException(String code, String message, Throwable cause) {
    super(code, message, cause);
  }

  /** The HTTP port could not be opened. */
  public static final class BindFailed extends ApiException {
    public BindFailed(InetSocketAddress bind, IOException cause) {
      super(
          "API_BIND_FAILED",
          "cannot listen on "
              + bind
              + " ("
              + cause.getMessage()
              + "); is another service using the port? Set api.port in the config.",
          cause);
    }
  }
}
