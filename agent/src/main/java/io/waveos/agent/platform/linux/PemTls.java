package io.waveos.agent.platform.linux;

import io.waveos.agent.config.ApiConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** A TLS server context from a PEM private key (PKCS#8: RSA, EC or Ed25519) and a PEM certificate chain. */
public final class PemTls {
    private PemTls() {
    }

    /** @throws IOException naming the file that cannot be read or parsed */
    public static SSLContext context(ApiConfig.Tls tls) throws IOException {
        String keyPem = Files.readString(tls.keyFile(), StandardCharsets.US_ASCII);
        byte[] der = Base64.getMimeDecoder().decode(keyPem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").trim());
        PrivateKey key = null;
        for (String alg : new String[] {"RSA", "EC", "Ed25519"}) {
            try {
                key = KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
                break;
            } catch (GeneralSecurityException e) {
                // not this algorithm: try the next
            }
        }
        if (key == null) {
            throw new IOException(tls.keyFile() + ": not a PKCS#8 RSA, EC or Ed25519 private key (BEGIN PRIVATE KEY)");
        }
        try {
            Certificate[] chain = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(Files.readAllBytes(tls.certFile())))
                    .toArray(new Certificate[0]);
            if (chain.length == 0) {
                throw new IOException(tls.certFile() + ": no certificate");
            }
            char[] pass = new char[0];
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, pass);
            ks.setKeyEntry("api", key, pass, chain);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, pass);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException(tls.certFile() + ": " + e.getMessage(), e);
        }
    }
}
