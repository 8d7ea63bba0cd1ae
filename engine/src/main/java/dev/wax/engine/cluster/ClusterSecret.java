package dev.wax.engine.cluster;

import dev.wax.engine.ProcessEnv;
import dev.wax.engine.UsageException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What the processes of a cluster share and strangers do not: the key of the HMAC-SHA256 proofs
 * in each connection's handshake. The secret itself never crosses the wire, and each proof covers
 * both sides' fresh nonces, so a recorded handshake proves nothing the next time.
 *
 * <p>Without a secret the handshake runs all the same with a key everyone knows: that is only
 * allowed on loopback addresses (see {@link Mesh}).
 */
public final class ClusterSecret {
  public static final String ENV = "WAX_CLUSTER_SECRET";
  public static final String FILE_ENV = "WAX_CLUSTER_SECRET_FILE";
  /** Shorter secrets are refused: they can be guessed. */
  static final int MIN_LENGTH = 16;
  static final int NONCE_LENGTH = 32;
  static final int PROOF_LENGTH = 32;

  /** No secret set. */
  public static final ClusterSecret NONE =
      new ClusterSecret("wax: no cluster secret".getBytes(StandardCharsets.UTF_8), false);

  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] key;
  private final boolean set;

  private ClusterSecret(byte[] key, boolean set) {
    this.key = key;
    this.set = set;
  }

  /** A secret given as text, e.g. by {@value #ENV}. */
  public static ClusterSecret of(String secret, String source) {
    byte[] key = secret.getBytes(StandardCharsets.UTF_8);
    if (key.length < MIN_LENGTH) {
      throw new UsageException(source + " holds " + key.length + " bytes; a cluster secret needs at least "
          + MIN_LENGTH + " (for example the output of `openssl rand -hex 32`)");
    }
    return new ClusterSecret(key, true);
  }

  /** The secret of {@value #ENV}, or of the file {@value #FILE_ENV} names; else {@link #NONE}. */
  public static ClusterSecret fromEnvironment() {
    String text = ProcessEnv.get(ENV);
    String file = ProcessEnv.get(FILE_ENV);
    if (text != null && !text.isEmpty() && file != null && !file.isEmpty()) {
      throw new UsageException("both " + ENV + " and " + FILE_ENV + " are set; set only one of them");
    }
    if (text != null && !text.isEmpty()) {
      return of(text, ENV);
    }
    if (file != null && !file.isEmpty()) {
      Path path = ProcessEnv.resolve(Path.of(file));
      try {
        // A file written by `echo` or an editor ends with a newline that is not part of it.
        return of(Files.readString(path).strip(), FILE_ENV + " file " + path);
      } catch (IOException e) {
        throw new UsageException("cannot read the cluster secret file " + path + " (" + FILE_ENV + "): " + e);
      }
    }
    return NONE;
  }

  /** A new random secret, as text, for the processes of a local cluster. */
  public static String random() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  public boolean isSet() {
    return set;
  }

  static byte[] nonce() {
    byte[] nonce = new byte[NONCE_LENGTH];
    RANDOM.nextBytes(nonce);
    return nonce;
  }

  /** HMAC-SHA256 of {@code purpose} and then {@code parts}, each of a length fixed by the protocol. */
  byte[] proof(String purpose, byte[]... parts) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      mac.update(purpose.getBytes(StandardCharsets.US_ASCII));
      mac.update((byte) 0);
      for (byte[] part : parts) {
        mac.update(part);
      }
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  /** Whether {@code proof} is {@link #proof}'s for the same input (compared in constant time). */
  boolean proves(byte[] proof, String purpose, byte[]... parts) {
    return MessageDigest.isEqual(proof, proof(purpose, parts));
  }
}
