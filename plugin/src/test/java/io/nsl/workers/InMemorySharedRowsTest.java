package io.nsl.workers;

class InMemorySharedRowsTest extends SharedRowsContract {
  @Override
  SharedRows rows() {
    return new InMemorySharedRows();
  }
}
