package io.nsl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nsl.pipeline.PipelineMetrics;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** `./nsl status` of one of several workers: what /ready and /metrics say about the workers. */
class StatusWorkersTest {
  @Test
  void showsTheWorkerItsPeersAssignmentAndFailOverCounters() throws Exception {
    PipelineMetrics m = new PipelineMetrics();
    m.assignment(7, 12, 3);
    m.takeover(2.5);
    m.staleAnswer();
    m.duplicateSubmission();
    m.storeWrite(0.004);
    m.storeWrite(0.006);
    String text =
        m.renderPrometheus()
            + "nsl_workers_live 2\n"
            + "nsl_worker_lease_seconds{worker=\"w1\",measurement=\"ab\",self=\"true\"} 4.2\n"
            + "nsl_worker_lease_seconds{worker=\"w2\",measurement=\"cd\",self=\"false\"} -3.0\n";
    Map<String, Double> metrics = StatusCommand.parsePrometheus(text);
    JsonNode readiness =
        Output.JSON.readTree("{\"ready\":true,\"worker\":\"w1\",\"liveWorkers\":[\"w1\",\"w3\"]}");
    ObjectNode w = StatusCommand.workers(readiness, metrics);
    assertEquals("w1", w.path("self").asText());
    assertEquals(2, w.path("live").size());
    assertEquals(7, w.path("assigned").asLong());
    assertEquals(12, w.path("held").asLong());
    assertEquals(3, w.path("inFlight").asLong());
    assertEquals(1, w.path("takeovers").asLong());
    assertEquals(1, w.path("staleAnswers").asLong());
    assertEquals(1, w.path("duplicateSubmissions").asLong());
    assertEquals(5.0, w.path("storeWriteMeanMs").asDouble(), 1e-9);
    assertEquals("cd", w.path("leases").path("w2").path("measurement").asText());
    assertEquals(-3.0, w.path("leases").path("w2").path("leaseSeconds").asDouble(), 1e-9);
  }
}
