package io.chanalytics.stack.signin;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Base64;

/**
 * Real tokens made invalid the ways an attacker would: the signature of another payload, or {@code alg: none} with
 * the signature dropped. Both keep Keycloak's own header and claims otherwise.
 */
public final class ForgedTokens {

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private ForgedTokens() {}

    /** The payload changed (the subject swapped for {@code subject}) under the original signature. */
    public static String withSubject(String token, String subject) {
        String[] parts = token.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        String original = RealmTokens.subject(token);
        String changed = payload.replace(original, subject);
        return parts[0] + "." + ENCODER.encodeToString(changed.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
    }

    /**
     * Header and claims as Keycloak wrote them (its key id included), signed RS256 with a key of our own: what a
     * forger without the realm's private key can make.
     */
    public static String signedWithAnotherKey(String token) {
        String[] parts = token.split("\\.");
        return signed(parts[0] + "." + parts[1]);
    }

    /**
     * Keycloak's claims under a key id the realm never had, signed with a key of our own: a service that does not
     * know the key id asks Keycloak for the realm's keys again.
     */
    public static String withUnknownKeyId(String token) {
        String header = ENCODER.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"not-a-key-of-the-realm\"}"
                .getBytes(StandardCharsets.UTF_8));
        return signed(header + "." + token.split("\\.")[1]);
    }

    private static String signed(String signingInput) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair key = generator.generateKeyPair();
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(key.getPrivate());
            signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + ENCODER.encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("No RSA signature in this JDK", e);
        }
    }

    /** The header's algorithm set to {@code none} and the signature removed (RFC 7519's unsecured JWT). */
    public static String unsigned(String token) {
        String[] parts = token.split("\\.");
        String header = ENCODER.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        return header + "." + parts[1] + ".";
    }
}
