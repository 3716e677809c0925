package io.nsl.pipeline;

/** The ServiceStore contract on the in-memory store the queue's unit tests use. */
class InMemoryServiceStoreTest extends ServiceStoreContract {
  @Override
  Fixture open() {
    InMemoryServiceStore store = new InMemoryServiceStore();
    return new Fixture() {
      @Override
      public ServiceStore store() {
        return store;
      }

      @Override
      public ServiceStore restart() {
        return store;
      }

      @Override
      public void close() {}
    };
  }
}
