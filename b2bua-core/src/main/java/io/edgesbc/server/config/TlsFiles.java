package io.edgesbc.server.config;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Checks a TLS listener's PEM files when the configuration is loaded, so that a missing,
 * unreadable or malformed file is reported at its key's line rather than when the socket is bound.
 * Reads what Netty's {@code SslContextBuilder.forServer(cert, key)} reads: X.509 certificates
 * ({@code BEGIN CERTIFICATE}) and one unencrypted PKCS#8 key ({@code BEGIN PRIVATE KEY}).
 */
final class TlsFiles {

    /** What is wrong with a file, in words for the operator. */
    static final class BadFile extends Exception {
        BadFile(String message) {
            super(message);
        }
    }

    private record Block(String label, byte[] der) {
    }

    private static final String BEGIN = "-----BEGIN ";
    private static final String END = "-----END ";
    private static final String DASHES = "-----";
    private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS", "DSA");

    private TlsFiles() {
    }

    /** The certificate chain in {@code file}, our certificate first. */
    static List<X509Certificate> certificates(Path file) throws BadFile {
        List<X509Certificate> chain = new ArrayList<>();
        CertificateFactory factory;
        try {
            factory = CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("the JDK has no X.509 certificate factory", e);
        }
        for (Block block : blocks(file)) {
            if (!block.label().equals("CERTIFICATE")) {
                continue;
            }
            try {
                chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.der())));
            } catch (CertificateException e) {
                throw new BadFile("'" + file + "' holds a CERTIFICATE block that is not an X.509 certificate: "
                        + e.getMessage());
            }
        }
        if (chain.isEmpty()) {
            throw new BadFile("'" + file + "' holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        return chain;
    }

    /** The unencrypted PKCS#8 private key in {@code file}. */
    static PrivateKey privateKey(Path file) throws BadFile {
        for (Block block : blocks(file)) {
            switch (block.label()) {
                case "PRIVATE KEY" -> {
                    return pkcs8(file, block.der());
                }
                case "ENCRYPTED PRIVATE KEY" -> throw new BadFile("'" + file + "' holds an encrypted key; give an "
                        + "unencrypted PKCS#8 key (BEGIN PRIVATE KEY)");
                case "RSA PRIVATE KEY", "EC PRIVATE KEY", "DSA PRIVATE KEY" -> throw new BadFile("'" + file
                        + "' holds a " + block.label() + " (not PKCS#8); convert it with "
                        + "'openssl pkcs8 -topk8 -nocrypt'");
                default -> {
                    // another block (e.g. a certificate bundled with the key): look further
                }
            }
        }
        throw new BadFile("'" + file + "' holds no PEM private key (-----BEGIN PRIVATE KEY-----)");
    }

    private static PrivateKey pkcs8(Path file, byte[] der) throws BadFile {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                // not this algorithm (or not one this JDK has): try the next
            }
        }
        throw new BadFile("'" + file + "' holds a PRIVATE KEY block that is not a PKCS#8 key of a known algorithm ("
                + String.join(", ", KEY_ALGORITHMS) + ")");
    }

    /** Fails when {@code key} is not the private key of {@code certificate}: sign, then verify. */
    static void checkPair(X509Certificate certificate, PrivateKey key, Path keyFile) throws BadFile {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "Ed448", "EdDSA" -> key.getAlgorithm();
            default -> null; // no cheap check for the others: the handshake will tell
        };
        if (algorithm == null) {
            return;
        }
        byte[] probe = "edgesbc key check".getBytes(StandardCharsets.US_ASCII);
        boolean matches;
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            matches = verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            matches = false;
        }
        if (!matches) {
            throw new BadFile("the key in '" + keyFile + "' does not belong to the certificate "
                    + certificate.getSubjectX500Principal().getName());
        }
    }

    /** The PEM blocks of a file (RFC 7468): label and the base64-decoded content. */
    private static List<Block> blocks(Path file) throws BadFile {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new BadFile("cannot read '" + file + "': " + describe(e));
        }
        List<Block> blocks = new ArrayList<>();
        int at = 0;
        while ((at = text.indexOf(BEGIN, at)) >= 0) {
            int labelEnd = text.indexOf(DASHES, at + BEGIN.length());
            if (labelEnd < 0) {
                throw new BadFile("'" + file + "' is not valid PEM: unterminated BEGIN line");
            }
            String label = text.substring(at + BEGIN.length(), labelEnd);
            String endLine = END + label + DASHES;
            int end = text.indexOf(endLine, labelEnd);
            if (end < 0) {
                throw new BadFile("'" + file + "' is not valid PEM: no '" + endLine + "'");
            }
            String body = text.substring(labelEnd + DASHES.length(), end);
            try {
                blocks.add(new Block(label, Base64.getMimeDecoder().decode(body.strip())));
            } catch (IllegalArgumentException e) {
                throw new BadFile("'" + file + "' is not valid PEM: the " + label + " block is not base64");
            }
            at = end + endLine.length();
        }
        return blocks;
    }

    private static String describe(IOException e) {
        String type = e.getClass().getSimpleName();
        return switch (type) {
            case "NoSuchFileException" -> "no such file";
            case "AccessDeniedException" -> "permission denied";
            default -> e.getMessage() == null ? type : e.getMessage();
        };
    }
}
