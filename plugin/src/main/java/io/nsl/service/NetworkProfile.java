package io.nsl.service;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * A public Neo N3 network as the service needs to know it (config/networks/NAME.yml): its network
 * magic, its native contracts and public JSON-RPC endpoints. {@code ./nsl run --network NAME} takes
 * the chain settings from here; the operator adds the gateway and the operator wallet.
 *
 * @param networkMagic what every node of the network answers in getversion
 * @param rpcUrls public endpoints, in the order they are tried
 * @param nativeContracts native contract name to 0x-prefixed big-endian script hash
 */
public record NetworkProfile(
    String name, long networkMagic, List<String> rpcUrls, Map<String, String> nativeContracts) {

  /** Where the profiles live, relative to the project folder. */
  public static final String FOLDER = "config/networks";

  public NetworkProfile {
    if (name == null || !name.matches("[a-z0-9-]{1,32}")) {
      throw new ServiceConfig.InvalidConfig(
          "network profile name must be 1..32 of a-z, 0-9, '-', got '" + name + "'");
    }
    if (networkMagic <= 0 || networkMagic > 0xFFFF_FFFFL) {
      throw new ServiceConfig.InvalidConfig(
          "network profile " + name + ": networkMagic must be 1..4294967295, got " + networkMagic);
    }
    if (rpcUrls == null || rpcUrls.isEmpty()) {
      throw new ServiceConfig.InvalidConfig(
          "network profile " + name + ": rpcUrls must list at least one endpoint");
    }
    for (int i = 0; i < rpcUrls.size(); i++) {
      ServiceConfig.checkRpcUrl("network profile " + name + ": rpcUrls[" + i + "]", rpcUrls.get(i));
    }
    rpcUrls = List.copyOf(rpcUrls);
    nativeContracts = nativeContracts == null ? Map.of() : nativeContracts;
    for (Map.Entry<String, String> e : nativeContracts.entrySet()) {
      if (e.getValue() == null || !e.getValue().matches("0x[0-9a-f]{40}")) {
        throw new ServiceConfig.InvalidConfig(
            "network profile "
                + name
                + ": nativeContracts."
                + e.getKey()
                + " must be 0x + 40 lower-case hex (big-endian), got '"
                + e.getValue()
                + "'");
      }
    }
    nativeContracts = Map.copyOf(new LinkedHashMap<>(nativeContracts));
  }

  @JsonCreator
  static NetworkProfile fromYaml(
      @JsonProperty("name") String name,
      @JsonProperty("networkMagic") Long networkMagic,
      @JsonProperty("rpcUrls") List<String> rpcUrls,
      @JsonProperty("nativeContracts") Map<String, String> nativeContracts) {
    return new NetworkProfile(
        name, networkMagic == null ? 0 : networkMagic, rpcUrls, nativeContracts);
  }

  /**
   * The profile {@code FOLDER/name.yml} under {@code root}.
   *
   * @throws ServiceConfig.InvalidConfig naming the known profiles when there is none of that name,
   *     or the option that is wrong in the file
   */
  public static NetworkProfile named(Path root, String name) {
    Path folder = root.resolve(FOLDER);
    if (name == null || !name.matches("[a-z0-9-]{1,32}")) {
      throw new ServiceConfig.InvalidConfig(
          "--network must name a profile (" + known(folder) + "), got '" + name + "'");
    }
    Path file = folder.resolve(name + ".yml");
    if (!Files.isRegularFile(file)) {
      throw new ServiceConfig.InvalidConfig(
          "no network profile '" + name + "' in " + folder + " (known: " + known(folder) + ")");
    }
    NetworkProfile p = load(file);
    if (!p.name().equals(name)) {
      throw new ServiceConfig.InvalidConfig(
          file + " names itself '" + p.name() + "'; the file name and name must agree");
    }
    return p;
  }

  /** Reads one profile file; unknown keys are refused by name. */
  public static NetworkProfile load(Path file) {
    ObjectMapper yaml =
        new ObjectMapper(new YAMLFactory())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
    try {
      return yaml.readValue(Files.readAllBytes(file), NetworkProfile.class);
    } catch (UnrecognizedPropertyException e) {
      throw new ServiceConfig.InvalidConfig(
          file + ": unknown key '" + e.getPropertyName() + "' in a network profile");
    } catch (com.fasterxml.jackson.databind.exc.ValueInstantiationException e) {
      Throwable cause = e.getCause();
      throw new ServiceConfig.InvalidConfig(
          file + ": " + (cause != null ? cause.getMessage() : e.getOriginalMessage()));
    } catch (IOException e) {
      throw new ServiceConfig.InvalidConfig(
          "cannot read network profile " + file + ": " + e.getMessage());
    }
  }

  /** The profile names found in {@code folder}, sorted, for messages. */
  static String known(Path folder) {
    try (Stream<Path> files = Files.list(folder)) {
      TreeSet<String> names = new TreeSet<>();
      files
          .map(f -> f.getFileName().toString())
          .filter(f -> f.endsWith(".yml"))
          .forEach(f -> names.add(f.substring(0, f.length() - 4)));
      return names.isEmpty() ? "none" : String.join(", ", names);
    } catch (IOException e) {
      return "none: " + folder + " cannot be read";
    }
  }

  /**
   * {@code chain} on this network: its endpoints (the first as {@code rpcUrl}, the rest to fail
   * over to) and its magic, which the service checks against the node's.
   */
  public ServiceConfig.Chain applyTo(ServiceConfig.Chain chain) {
    return chain.onNetwork(rpcUrls, networkMagic);
  }
}
