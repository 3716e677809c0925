package io.nsl.cli;

import io.nsl.service.ClusterWiring;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The running service's rotation operations (docs/cluster.md, "Rotation"): URL and token from
 * {@code <dataDir>/cluster-admin.json}, which the service writes when it serves a cluster port.
 */
final class ClusterAdminClient {
  private final String url;
  private final String token;

  private ClusterAdminClient(String url, String token) {
    this.url = url;
    this.token = token;
  }

  /** Empty when the service does not serve rotation (not running, or no cluster port). */
  static Optional<ClusterAdminClient> of(Path dataDir) {
    Path f = ClusterWiring.adminFile(dataDir);
    if (!Files.exists(f)) {
      return Optional.empty();
    }
    try {
      var n = Output.JSON.readTree(Files.readString(f));
      return Optional.of(new ClusterAdminClient(n.path("url").asText(), n.path("token").asText()));
    } catch (IOException | RuntimeException e) {
      throw new CliInputException("cannot read " + f + ": " + e.getMessage());
    }
  }

  static ClusterAdminClient require(Path dataDir) {
    return of(dataDir)
        .orElseThrow(
            () ->
                new CliInputException(
                    "rotation runs in the serving process, and no service serves it for "
                        + dataDir
                        + " ("
                        + ClusterWiring.adminFile(dataDir).getFileName()
                        + " is missing): start it with ./nsl run --cluster-port PORT"));
  }

  com.fasterxml.jackson.databind.JsonNode call(String method, String path, String body) {
    java.net.http.HttpRequest.Builder r =
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(url + path))
            .timeout(Duration.ofSeconds(60))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json");
    r =
        body == null
            ? r.method(method, java.net.http.HttpRequest.BodyPublishers.noBody())
            : r.method(method, java.net.http.HttpRequest.BodyPublishers.ofString(body));
    java.net.http.HttpResponse<String> resp;
    try (java.net.http.HttpClient c =
        java.net.http.HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
      resp = c.send(r.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new ApiCallException(
          "API_UNREACHABLE",
          0,
          "cannot reach the service's cluster port at "
              + url
              + " ("
              + e.getMessage()
              + "); is ./nsl run --cluster-port still running?");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiCallException("API_UNREACHABLE", 0, "interrupted calling " + url);
    }
    com.fasterxml.jackson.databind.JsonNode n;
    try {
      n = Output.JSON.readTree(resp.body());
    } catch (IOException e) {
      throw new ApiCallException(
          "INTERNAL", resp.statusCode(), "the service answered " + resp.statusCode());
    }
    if (resp.statusCode() != 200) {
      throw new ApiCallException(
          n.path("error").path("code").asText("INTERNAL"),
          resp.statusCode(),
          n.path("error").path("message").asText("the service answered " + resp.statusCode()));
    }
    return n;
  }

  /** One line (two with a detail) of a rotation's progress, as `cluster status` prints it. */
  static String rotationText(com.fasterxml.jackson.databind.JsonNode r) {
    StringBuilder sb = new StringBuilder();
    sb.append("rotation      ")
        .append(r.path("stage").asText())
        .append(": epoch ")
        .append(r.path("currentEpoch").asInt())
        .append(" current, live epochs ")
        .append(r.path("liveEpochs"))
        .append(", ")
        .append(r.path("moved").asLong())
        .append(" of ")
        .append(r.path("toMove").asLong())
        .append(" records moved (pass ")
        .append(r.path("pass").asInt())
        .append(")");
    if (r.has("detail")) {
      sb.append("\n              ").append(r.path("detail").asText());
    }
    return sb.toString();
  }
}
