package io.nsl.pipeline;

import io.nsl.chain.FulfilmentChain;
import io.nsl.chain.FulfilmentMessage;
import io.nsl.chain.GatewayRequest;
import java.util.ArrayList;
import java.util.List;

/** The FulfilmentChain contract on the submitter tests' fake. */
class FakeFulfilmentChainTest extends FulfilmentChainContract {
  @Override
  Fixture open() {
    FakeFulfilmentChain fake = new FakeFulfilmentChain();
    return new Fixture() {
      private long nextId = 1;

      @Override
      public FulfilmentChain chain() {
        return fake;
      }

      @Override
      public List<GatewayRequest> request(int n) {
        List<GatewayRequest> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          long id = nextId++;
          out.add(RequestQueueTest.request(id, fake.blockCount - 1));
          fake.pending(id);
        }
        fake.mineBlock();
        return out;
      }

      @Override
      public byte[] signBatch(List<FulfilmentMessage.Entry> entries) {
        return new byte[64];
      }

      @Override
      public void nextBlock() {
        fake.mineBlock();
      }

      @Override
      public void close() {}
    };
  }
}
