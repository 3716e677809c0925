package io.nsl.secrets;

/** What an accepted envelope did; holds no secret material. */
public record SecretReceipt(SecretOwner owner, String name, SecretOp op, long sequence) {}
