package io.edgesbc.sip.transport;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The server identity of a TLS listen point (RFC 3261 §26.2.1): the certificate chain we present
 * and its private key, both PEM files. The key is PKCS#8 ({@code BEGIN PRIVATE KEY}), unencrypted.
 *
 * @param certificateChain PEM file with our certificate first, then any intermediates
 * @param privateKey PEM file with the PKCS#8 private key of the first certificate
 */
public record TlsSettings(Path certificateChain, Path privateKey) {
    public TlsSettings {
        Objects.requireNonNull(certificateChain, "certificateChain");
        Objects.requireNonNull(privateKey, "privateKey");
    }
}
