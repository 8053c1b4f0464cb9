package dev.herald.hub.auth;

import java.util.ArrayList;
import java.util.List;

/** The keys trusted for one issuer: configured ones and those of its JWK Set URLs. */
final class IssuerKeys {
  private final List<TrustedKey> fixed;
  private final List<RemoteJwks> remotes;

  IssuerKeys(List<TrustedKey> fixed, List<RemoteJwks> remotes) {
    this.fixed = List.copyOf(fixed);
    this.remotes = List.copyOf(remotes);
  }

  /** Whether no key is trusted: none configured, no JWK Set URL. */
  boolean isEmpty() {
    return fixed.isEmpty() && remotes.isEmpty();
  }

  /**
   * The keys that may verify a token with {@code kid} (may be null) and {@code alg}: without a key
   * ID, all; with one, those with that key ID if any has it, else those without a key ID. A miss
   * asks the JWK Set URLs for a refresh, which never waits.
   */
  List<TrustedKey> candidates(String kid, String alg) {
    List<TrustedKey> all = new ArrayList<>(fixed);
    for (RemoteJwks remote : remotes) {
      all.addAll(remote.keys());
    }
    List<TrustedKey> named = new ArrayList<>();
    List<TrustedKey> unnamed = new ArrayList<>();
    for (TrustedKey key : all) {
      if (kid == null || kid.equals(key.kid())) {
        named.add(key);
      } else if (key.kid() == null) {
        unnamed.add(key);
      }
    }
    if (kid != null && named.isEmpty()) {
      remotes.forEach(RemoteJwks::refreshIfDue);
    }
    List<TrustedKey> candidates = named.isEmpty() ? unnamed : named;
    candidates.removeIf(key -> !key.fits(alg));
    return candidates;
  }
}
