package io.nsl.api;

import java.util.Optional;

/** The authenticated caller of a developer endpoint: their account and public key. */
record Caller(String owner, String publicKeyHex) {
  /** Whether {@code owner} (as stored beside a resource) is this caller's account. */
  boolean owns(Optional<String> owner) {
    return owner.isPresent() && owner.get().equalsIgnoreCase(this.owner);
  }

  boolean owns(String owner) {
    return owner.equalsIgnoreCase(this.owner);
  }
}
