package io.nsl.pipeline;

import io.nsl.js.ErrorKind;
import io.nsl.js.ExecutionRequest;
import io.nsl.js.ExecutionResult;
import io.nsl.js.FetchPolicy;
import io.nsl.js.HostServices;
import io.nsl.js.JavaScriptEngine;
import io.nsl.js.RandomSource;
import io.nsl.secrets.SecretOwner;
import io.nsl.secrets.SecretView;
import io.nsl.secrets.UserSecretManager;
import io.nsl.storage.Namespace;
import io.nsl.storage.PersistentStorageService;
import java.util.Optional;

/**
 * Runs functions on the {@link JavaScriptEngine} with the real host services: the owner's secrets
 * (opened for this run only and zeroed after it), the function's own state in the encrypted store,
 * randomness from the enclave, and the operator's fetch policy.
 */
public final class JsFunctionRunner implements FunctionRunner {
  private final JavaScriptEngine engine;
  private final UserSecretManager secrets;
  private final PersistentStorageService storage;
  private final RandomSource random;
  private final FetchPolicy fetchPolicy;
  private final BlockClock blockClock;

  public JsFunctionRunner(
      JavaScriptEngine engine,
      UserSecretManager secrets,
      PersistentStorageService storage,
      RandomSource random,
      FetchPolicy fetchPolicy,
      BlockClock blockClock) {
    this.engine = engine;
    this.secrets = secrets;
    this.storage = storage;
    this.random = random;
    this.fetchPolicy = fetchPolicy;
    this.blockClock = blockClock;
  }

  @Override
  public Outcome run(Invocation inv) {
    SecretView view =
        inv.owner().isEmpty() ? null : secrets.openView(SecretOwner.fromScriptHashHex(inv.owner()));
    try {
      HostServices host =
          new HostServices(
              new StorageFunctionStateStore(storage, Namespace.functionState(inv.functionId())),
              name -> view == null ? Optional.empty() : view.get(name),
              random,
              inv.fetchHosts()
                  .map(hosts -> fetchPolicy.restrictedTo(java.util.Set.copyOf(hosts)))
                  .orElse(fetchPolicy));
      ExecutionResult r =
          engine.execute(
              new ExecutionRequest(
                  inv.functionId(),
                  inv.owner(),
                  Long.toString(inv.requestId()),
                  inv.code(),
                  inv.input(),
                  inv.inputSchema(),
                  inv.gasLimit(),
                  blockClock.timeOf(inv.blockIndex()),
                  host,
                  inv.memoryLimitBytes()));
      ErrorKind k = r.status();
      return new Outcome(
          k.code(), k.name(), r.resultJson(), r.gasUsed(), r.logs(), r.errorMessage());
    } finally {
      if (view != null) {
        view.close();
      }
    }
  }
}
