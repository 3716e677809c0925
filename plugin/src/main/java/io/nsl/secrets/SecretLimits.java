package io.nsl.secrets;

/**
 * Limits of the secret store.
 *
 * @param maxSecretsPerOwner how many names one owner may hold
 * @param maxSecretBytes largest secret value
 */
public record SecretLimits(int maxSecretsPerOwner, int maxSecretBytes) {
  /** Names are at most this long (the envelope allows 255; we keep them short and readable). */
  public static final int MAX_NAME_LENGTH = io.nsl.NameRules.MAX_SECRET_NAME_LENGTH;

  public SecretLimits {
    if (maxSecretsPerOwner < 1 || maxSecretBytes < 1 || maxSecretBytes > 1 << 20) {
      throw new IllegalArgumentException(
          "limits must be positive (and secrets at most 1 MiB): "
              + maxSecretsPerOwner
              + ", "
              + maxSecretBytes);
    }
  }

  /** 64 secrets per owner, 16 KiB per secret. */
  public static SecretLimits defaults() {
    return new SecretLimits(64, 16 * 1024);
  }
}
