package io.nsl.testing;

import io.nsl.ProjectRoot;
import io.nsl.chain.NeoChain;
import io.nsl.devnet.LocalNeoNode;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension giving a test class a real neo-go node for its lifetime:
 * {@code @RegisterExtension static final LocalChain chain = new LocalChain();}. The node is stopped
 * and its data deleted after the class, whether the tests passed or not.
 */
public final class LocalChain implements BeforeAllCallback, AfterAllCallback {
  private LocalNeoNode node;

  @Override
  public void beforeAll(ExtensionContext context) {
    node = LocalNeoNode.start(ProjectRoot.find(), LocalNeoNode.DEFAULT_BLOCK_TIME);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (node != null) {
      node.close();
    }
  }

  public LocalNeoNode node() {
    return node;
  }

  public NeoChain chain() {
    return node.chain();
  }
}
