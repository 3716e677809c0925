package io.nsl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nsl.ProjectRoot;
import io.nsl.enclave.Attestation;
import io.nsl.enclave.AttestationJson;
import io.nsl.enclave.Enclave;
import io.nsl.enclave.EnclaveMode;
import io.nsl.enclave.Enclaves;
import io.nsl.enclave.GatewayIdentity;
import io.nsl.enclave.dcap.AttestationPolicy;
import io.nsl.enclave.dcap.Collateral;
import io.nsl.enclave.dcap.DcapQuoteVerifier;
import io.nsl.enclave.dcap.FailureReason;
import io.nsl.enclave.dcap.QuoteVerification;
import io.nsl.service.ServiceConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ./nsl attestation show|verify}. */
@Command(
    name = "attestation",
    mixinStandardHelpOptions = true,
    description = "Show this instance's attestation, or verify an SGX DCAP quote.",
    subcommands = {AttestationCommand.Show.class, AttestationCommand.Verify.class})
final class AttestationCommand implements Runnable {
  static final int EXIT_INVALID = 1;
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code attestation show}. */
  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = {
        "Print this instance's attestation and public keys as JSON.",
        "Simulation mode by default: the keys are sealed in --data-dir and the attestation says"
            + " SIMULATED."
      })
  static final class Show implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--data-dir",
        description =
            "Enclave key folder (default: $NSL_ENCLAVE_DIR, else the service's: <dataDir>/enclave"
                + " of --config, .run/service/enclave with the shipped config).")
    Path dataDir;

    @Option(
        names = "--config",
        paramLabel = "FILE",
        description =
            "Service configuration whose dataDir and mode are the service's (default:"
                + " config/nsl.yml).")
    Path config;

    @Option(
        names = "--mode",
        paramLabel = "MODE",
        description =
            "sgx (only inside Occlum on SGX hardware) or simulated (default:"
                + " $NSL_ENCLAVE_MODE, else the mode of --config).")
    String mode;

    @Option(
        names = "--network-magic",
        description =
            "Neo network magic bound into report_data (default: $NSL_NETWORK_MAGIC, else 0).")
    Long networkMagic;

    @Option(
        names = "--gateway",
        description =
            "Gateway script hash: 0x + 40 hex (big-endian, as explorers print it) or 40 hex"
                + " (little-endian) (default: $NSL_GATEWAY_HASH, else all zeros).")
    String gateway;

    private final Clock clock;

    Show() {
      this(Clock.systemUTC());
    }

    Show(Clock clock) {
      this.clock = clock;
    }

    @Override
    public Integer call() throws IOException {
      GatewayIdentity gw = gatewayIdentity();
      Path dir = dataDir != null ? dataDir : defaultDataDir();
      EnclaveMode m;
      try {
        if (mode != null) {
          m = Enclaves.modeFrom(java.util.Map.of(Enclaves.MODE_ENV, mode));
        } else if (System.getenv(Enclaves.MODE_ENV) != null) {
          m = Enclaves.modeFrom(System.getenv());
        } else {
          m = serviceConfig().enclaveMode();
        }
      } catch (IllegalArgumentException e) {
        throw new CliInputException(e.getMessage());
      }
      try (Enclave enclave = Enclaves.open(m, dir, clock)) {
        Attestation a = enclave.attest(gw);
        ObjectNode out = AttestationJson.toJson(a);
        out.put("dataDir", dir.toAbsolutePath().toString());
        print(spec.commandLine().getOut(), out);
      }
      return 0;
    }

    private GatewayIdentity gatewayIdentity() {
      long magic = networkMagic != null ? networkMagic : envLong("NSL_NETWORK_MAGIC", 0L);
      String hash = "0x" + "00".repeat(20);
      String given = gateway != null ? gateway : System.getenv("NSL_GATEWAY_HASH");
      if (given != null && !given.isBlank()) {
        HashArgument h =
            HashArgument.parse(
                gateway != null ? "--gateway" : "$NSL_GATEWAY_HASH",
                given,
                HashArgument.Kind.CONTRACT);
        spec.commandLine().getErr().println("… " + h.note());
        hash = h.bigEndian0x();
      }
      try {
        return GatewayIdentity.ofBigEndianHex(magic, hash);
      } catch (IllegalArgumentException e) {
        throw new CliInputException(e.getMessage());
      }
    }

    private static long envLong(String name, long dflt) {
      String v = System.getenv(name);
      if (v == null || v.isBlank()) {
        return dflt;
      }
      try {
        return Long.parseLong(v.strip());
      } catch (NumberFormatException e) {
        throw new CliInputException(name + " must be a number, got '" + v + "'");
      }
    }

    /**
     * The folder the service keeps its enclave keys in ({@link ServiceConfig#enclaveDir}), so that
     * show prints the service's keys and not another instance's.
     */
    private Path defaultDataDir() {
      String env = System.getenv("NSL_ENCLAVE_DIR");
      if (env != null && !env.isBlank()) {
        return Path.of(env);
      }
      return serviceConfig().enclaveDir(ProjectRoot.find());
    }

    private ServiceConfig serviceConfig() {
      return ServiceConfig.load(
          config != null ? config : ProjectRoot.find().resolve("config/nsl.yml"));
    }
  }

  /** {@code attestation verify}. */
  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      description = {
        "Verify an SGX DCAP quote (v3, or v4 with TEE type SGX) against the Intel SGX Root CA.",
        "QUOTE_FILE: a raw quote, the quote in hex, or the JSON printed by 'attestation show'.",
        "Exit code 0 when valid, 1 when invalid or unreadable (the answer says why)."
      })
  static final class Verify implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "QUOTE_FILE", description = "The quote to verify.")
    Path quoteFile;

    @Option(
        names = "--collateral",
        paramLabel = "FILE",
        description =
            "PCCS-style collateral JSON (tcb_info, tcb_info_signature,"
                + " tcb_info_issuer_chain, qe_identity, qe_identity_signature,"
                + " qe_identity_issuer_chain, root_ca_crl, pck_crl). Without it TCB status, QE"
                + " identity and revocation are not checked.")
    Path collateralFile;

    @Option(
        names = "--at",
        paramLabel = "TIME",
        description =
            "ISO-8601 time (2025-07-01T00:00:00Z or 2025-07-01) at which certificates,"
                + " CRLs and collateral must be valid (default: now).")
    String at;

    @Option(names = "--json", description = "Print the answer as JSON.")
    boolean json;

    @Option(
        names = "--expect-mrenclave",
        paramLabel = "HEX",
        description = "Accept only this MRENCLAVE (repeatable).")
    List<String> expectMrEnclave = List.of();

    @Option(
        names = "--expect-report-data",
        paramLabel = "HEX",
        description = "Accept only this 64-byte report_data.")
    String expectReportData;

    @Option(
        names = "--accept-tcb",
        paramLabel = "STATUS",
        description =
            "TCB statuses to accept (repeatable; default: UpToDate, SWHardeningNeeded,"
                + " ConfigurationNeeded, ConfigurationAndSWHardeningNeeded).")
    List<String> acceptTcb = List.of();

    @Option(names = "--allow-debug", description = "Accept DEBUG enclaves (never in production).")
    boolean allowDebug;

    @Option(names = "--require-collateral", description = "Refuse when no collateral is given.")
    boolean requireCollateral;

    private final Clock clock;

    Verify() {
      this(Clock.systemUTC());
    }

    Verify(Clock clock) {
      this.clock = clock;
    }

    @Override
    public Integer call() throws IOException {
      Instant when = parseTime();
      AttestationPolicy policy = policy();
      byte[] raw = readFile(quoteFile, "quote");
      QuoteVerification answer;
      byte[] quote = quoteBytes(raw);
      if (quote == null) {
        answer = simulatedAnswer(when);
      } else {
        Collateral collateral =
            collateralFile == null
                ? null
                : Collateral.fromPccsJson(
                    new String(readFile(collateralFile, "collateral"), StandardCharsets.UTF_8));
        answer = policy.apply(DcapQuoteVerifier.withIntelRoot().verify(quote, collateral, when));
      }
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        print(out, toJson(answer));
      } else {
        printText(out, answer);
      }
      return answer.valid() ? 0 : EXIT_INVALID;
    }

    private AttestationPolicy policy() {
      Set<String> tcb =
          acceptTcb.isEmpty()
              ? AttestationPolicy.DEFAULT_TCB_STATUSES
              : new LinkedHashSet<>(acceptTcb);
      try {
        return new AttestationPolicy(
            allowDebug,
            new LinkedHashSet<>(expectMrEnclave),
            tcb,
            requireCollateral,
            expectReportData);
      } catch (IllegalArgumentException e) {
        throw new CliInputException(e.getMessage());
      }
    }

    private Instant parseTime() {
      if (at == null) {
        return clock.instant();
      }
      try {
        return Instant.parse(at);
      } catch (DateTimeParseException e) {
        try {
          return LocalDate.parse(at).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e2) {
          throw new CliInputException(
              "--at must be an ISO-8601 time like 2025-07-01T00:00:00Z or a date like 2025-07-01,"
                  + " got '"
                  + at
                  + "'");
        }
      }
    }

    /** The quote bytes, or null when the file is a SIMULATED attestation document. */
    private byte[] quoteBytes(byte[] raw) {
      String text = asciiText(raw);
      if (text == null) {
        return raw;
      }
      String t = text.strip();
      if (t.startsWith("{")) {
        JsonNode doc;
        try {
          doc = JSON.readTree(t);
        } catch (IOException e) {
          throw new CliInputException(quoteFile + " starts with '{' but is not valid JSON");
        }
        if (AttestationJson.saysSimulated(doc)) {
          return null;
        }
        JsonNode ev = doc.path("evidence");
        if (ev.isTextual()) {
          return hex(ev.asText(), quoteFile + " field \"evidence\"");
        }
        throw new CliInputException(
            quoteFile
                + " is JSON but has no hex \"evidence\" (expected 'attestation show' output)");
      }
      String h = t.startsWith("0x") ? t.substring(2) : t;
      if (!h.isEmpty() && h.replaceAll("\\s", "").matches("[0-9a-fA-F]+")) {
        return hex(h.replaceAll("\\s", ""), quoteFile.toString());
      }
      return raw;
    }

    private QuoteVerification simulatedAnswer(Instant when) {
      return QuoteVerification.rejected(
          FailureReason.SIMULATED_ATTESTATION,
          "this is a SIMULATED attestation: the keys are in a file on the operator's disk and"
              + " nothing about hardware is proven; register it only on a development gateway",
          when);
    }

    private static byte[] hex(String h, String what) {
      try {
        return HexFormat.of().parseHex(h);
      } catch (IllegalArgumentException e) {
        throw new CliInputException(what + " is not valid hex: " + e.getMessage());
      }
    }

    private static String asciiText(byte[] raw) {
      for (byte b : raw) {
        if (b < 0x09 || b > 0x7e || (b > 0x0d && b < 0x20)) {
          return null;
        }
      }
      return new String(raw, StandardCharsets.US_ASCII);
    }

    private static void printText(PrintWriter out, QuoteVerification v) {
      out.println(v.valid() ? "VALID" : "INVALID: " + v.reason());
      out.println("  " + v.detail());
      if (v.mrEnclave() != null) {
        out.println("  mrEnclave   " + v.mrEnclave());
        out.println("  mrSigner    " + v.mrSigner());
        out.println("  isvProdId   " + v.isvProdId() + "   isvSvn " + v.isvSvn());
        out.println("  debug       " + v.debug());
        out.println("  reportData  " + v.reportData());
        out.println("  tcbStatus   " + (v.tcbStatus() == null ? "(not checked)" : v.tcbStatus()));
        out.println("  advisoryIds " + v.advisoryIds());
      }
      out.println("  verifiedAt  " + v.verifiedAt());
      out.flush();
    }
  }

  static ObjectNode toJson(QuoteVerification v) {
    ObjectNode n = JSON.createObjectNode();
    n.put("valid", v.valid());
    if (v.reason() != null) {
      n.put("reason", v.reason().name());
    } else {
      n.putNull("reason");
    }
    n.put("detail", v.detail());
    n.put("mrEnclave", v.mrEnclave());
    n.put("mrSigner", v.mrSigner());
    if (v.mrEnclave() != null) {
      n.put("isvProdId", v.isvProdId());
      n.put("isvSvn", v.isvSvn());
      n.put("debug", v.debug());
    } else {
      n.putNull("isvProdId");
      n.putNull("isvSvn");
      n.putNull("debug");
    }
    n.put("reportData", v.reportData());
    n.put("tcbStatus", v.tcbStatus());
    n.set("advisoryIds", JSON.valueToTree(v.advisoryIds()));
    n.put("qeTcbStatus", v.qeTcbStatus());
    n.put("fmspc", v.fmspc());
    n.put("collateralChecked", v.collateralChecked());
    n.put("verifiedAt", v.verifiedAt().toString());
    return n;
  }

  static byte[] readFile(Path file, String what) {
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new CliInputException("the " + what + " file " + file + " does not exist");
    } catch (IOException e) {
      throw new CliInputException(
          "cannot read the " + what + " file " + file + ": " + e.getMessage());
    }
  }

  static void print(PrintWriter out, JsonNode node) throws IOException {
    out.println(JSON.writeValueAsString(node));
    out.flush();
  }
}
