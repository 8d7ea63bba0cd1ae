package dev.wax.bridge;

import org.graalvm.polyglot.Value;

/** What source and sink partition adapters share: a snapshot and a close. */
abstract class PyPartition {
  final Value adapter;

  PyPartition(Value adapter) {
    this.adapter = adapter;
  }

  public Object snapshot() {
    return adapter.invokeMember("snapshot");
  }

  public void close() {
    adapter.invokeMember("close");
  }
}
